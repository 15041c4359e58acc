// synack-soak: the soak load and its checks against a running synack-server
// (scripts/soak.sh starts both; docs/reliability.md describes the run).
//
//   synack-soak --port P --server-pid PID --history FILE [--server-log FILE]
//               [--report FILE] [--minutes M] [--scale N] [--patience X] ...
//   synack-soak --child --port P --nick NICK     (a chatter the driver kills)

#include "soakclient.h"
#include "soakdriver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>

using namespace std::chrono_literals;

namespace {

// A chatter in its own process, so the driver can SIGKILL and SIGSTOP it:
// registers, says "registered" on stdout, chats every 20 ms, and exits when
// the server closes the connection (0), refuses it (2), or after 5 minutes (3).
int runChild(quint16 port, const QString &nick)
{
    SoakClient client(nick);
    QTimer chat;
    int sent = 0;
    QObject::connect(&chat, &QTimer::timeout, &client,
                     [&] { client.say(QStringLiteral("%1 chats (%2)").arg(nick).arg(++sent)); });
    QObject::connect(&client, &SoakClient::registered, &client, [&] {
        std::fputs("registered\n", stdout);
        std::fflush(stdout);
        chat.start(20ms);
    });
    QObject::connect(&client, &SoakClient::refused, &client, [] { QCoreApplication::exit(2); });
    QObject::connect(&client, &SoakClient::closed, &client, [] { QCoreApplication::exit(0); });
    QTimer::singleShot(5min, &client, [] { QCoreApplication::exit(3); });
    client.start(port);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SynAck soak load and checks"));
    parser.addHelpOption();
    const auto option = [&](const char *name, const char *help, const char *value = nullptr,
                            const char *byDefault = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help));
        if (value)
            o.setValueName(QString::fromLatin1(value));
        if (byDefault)
            o.setDefaultValue(QString::fromLatin1(byDefault));
        parser.addOption(o);
    };
    option("port", "The server's port on 127.0.0.1.", "port");
    option("server-pid", "The server's process id (for RSS and descriptors).", "pid");
    option("history", "The server's --history file.", "file");
    option("server-log", "The server's JSON log (for the event counts).", "file");
    option("report", "Write the report (markdown) there too.", "file");
    option("minutes", "How long to run.", "minutes", "1");
    option("scale", "Episodes of each kind per cycle.", "n", "1");
    option("patience", "Multiplies every time bound (slow servers, valgrind).", "x", "1");
    option("stayers", "Clients registered for the whole run.", "n", "4");
    option("seed", "Random seed (0: pick one; the report names it).", "n", "0");
    option("hello-timeout-ms", "The server's --hello-timeout-ms.", "ms", "2000");
    option("timeout-ms", "The server's --timeout-ms.", "ms", "3000");
    option("no-rss-check", "Do not judge the RSS trend (valgrind).");
    option("child", "Run as a chatter child (internal).");
    option("nick", "The child's nick (internal).", "nick");
    parser.process(app);

    bool ok = false;
    const quint16 port = quint16(parser.value(QStringLiteral("port")).toUInt(&ok));
    if (!ok || port == 0) {
        std::fputs("synack-soak: --port is needed\n", stderr);
        return 2;
    }
    if (parser.isSet(QStringLiteral("child")))
        return runChild(port, parser.value(QStringLiteral("nick")));

    SoakSettings settings;
    settings.port = port;
    settings.serverPid = parser.value(QStringLiteral("server-pid")).toLongLong();
    settings.historyFile = parser.value(QStringLiteral("history"));
    settings.serverLog = parser.value(QStringLiteral("server-log"));
    settings.reportFile = parser.value(QStringLiteral("report"));
    settings.minutes = parser.value(QStringLiteral("minutes")).toDouble();
    settings.scale = std::max(1, parser.value(QStringLiteral("scale")).toInt());
    settings.patience = std::max(1.0, parser.value(QStringLiteral("patience")).toDouble());
    settings.stayers = std::clamp(parser.value(QStringLiteral("stayers")).toInt(), 1, 100);
    settings.seed = parser.value(QStringLiteral("seed")).toUInt();
    settings.helloTimeout =
        std::chrono::milliseconds(parser.value(QStringLiteral("hello-timeout-ms")).toLongLong());
    settings.heartbeatTimeout =
        std::chrono::milliseconds(parser.value(QStringLiteral("timeout-ms")).toLongLong());
    settings.checkRss = !parser.isSet(QStringLiteral("no-rss-check"));
    settings.program = QCoreApplication::applicationFilePath();
    if (settings.serverPid <= 0 || settings.historyFile.isEmpty() || settings.minutes <= 0) {
        std::fputs("synack-soak: --server-pid, --history and --minutes > 0 are needed\n", stderr);
        return 2;
    }

    SoakDriver driver(settings);
    QObject::connect(&driver, &SoakDriver::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, &driver, &SoakDriver::start);
    return QCoreApplication::exec();
}
