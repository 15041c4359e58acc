// synack-client: the chat client, as a window or on the command line.
//
//   synack-client [--host H] [--port P] [--nick N] [--password W] [--connect] [--lang L]
//   synack-client --cli --host H [--port P] --nick N [--password W]
//   synack-client --cli --discover
//
// Wrong option values exit with 2 and name the option.

#include "clicapture.h"
#include "clientwindow.h"
#include "clifrontend.h"
#include "connectpanel.h"
#include "discoverylisting.h"
#include "platform/terminationsignals.h"
#include "platform/translations.h"
#include "protocol/messages.h"
#include "protocol/nick.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

using namespace synack;
using namespace synack::client;

namespace {

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "synack-client: %s\n", qUtf8Printable(message));
    std::exit(2);
}

// A whole number in [min, max], or exit 2 naming the option.
qint64 numberOption(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < min || value > max)
        usageError(QStringLiteral("--%1: expected a number from %2 to %3, got \"%4\"")
                       .arg(name)
                       .arg(min)
                       .arg(max)
                       .arg(parser.value(name)));
    return value;
}

std::chrono::milliseconds msOption(const QCommandLineParser &parser, const QString &name)
{
    return std::chrono::milliseconds(numberOption(parser, name, 1, 3'600'000));
}

// Without --cli: the window, the command line's values filled in.
int runWindow(const QCommandLineParser &parser)
{
    ClientWindow::StartOptions start;
    if (parser.isSet(QStringLiteral("host")))
        start.host = parser.value(QStringLiteral("host"));
    if (parser.isSet(QStringLiteral("port")))
        start.port = quint16(numberOption(parser, QStringLiteral("port"), 1, 65535));
    if (parser.isSet(QStringLiteral("nick")))
        start.nick = parser.value(QStringLiteral("nick"));
    if (parser.isSet(QStringLiteral("password")))
        start.password = parser.value(QStringLiteral("password"));
    else if (qEnvironmentVariableIsSet("SYNACK_PASSWORD"))
        start.password = qEnvironmentVariable("SYNACK_PASSWORD");
    start.connectNow = parser.isSet(QStringLiteral("connect"));
    start.sayWhenOnline = parser.values(QStringLiteral("say"));

    const QString language = parser.value(QStringLiteral("lang"));
    if (!language.isEmpty() && !synack::platform::availableLanguages().contains(language))
        usageError(QStringLiteral("--lang: \"%1\" is not one of %2")
                       .arg(language, synack::platform::availableLanguages().join(u", ")));
    synack::platform::installTranslations(*qApp, language);
    ClientWindow window;
    // Ctrl-C or SIGTERM leave as the window's Quit does: with a goodbye.
    synack::platform::TerminationSignals termination;
    QObject::connect(&termination, &synack::platform::TerminationSignals::received, &window,
                     [&window] { window.close(); });
    ChatClient::ConnectOptions timings;
    timings.connectTimeout = msOption(parser, QStringLiteral("connect-timeout-ms"));
    timings.reconnectBase = msOption(parser, QStringLiteral("reconnect-base-ms"));
    timings.reconnectMax = msOption(parser, QStringLiteral("reconnect-max-ms"));
    window.setOptionsTemplate(timings);
    if (parser.isSet(QStringLiteral("no-reconnect")))
        window.connectPanel()->setAutoReconnect(false);
    window.show();
    window.start(start);
    return QCoreApplication::exec();
}

bool hasDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

// The window needs a QApplication, the command line must not (no display there).
bool wantsCommandLine(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--cli") == 0 || std::strcmp(argv[i], "--discover") == 0 ||
            std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
            std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0)
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    const bool commandLine = wantsCommandLine(argc, argv);
    if (!commandLine && !hasDisplay()) {
        std::fprintf(stderr, "synack-client: no display to open the window on; use --cli for the "
                             "command line (see --help)\n");
        return 1;
    }
    std::unique_ptr<QCoreApplication> application =
        commandLine ? std::make_unique<QCoreApplication>(argc, argv)
                    : std::make_unique<QApplication>(argc, argv);
    QCoreApplication &app = *application;
    QCoreApplication::setOrganizationName(QStringLiteral("SynAck"));
    QCoreApplication::setApplicationName(QStringLiteral("synack-client"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SynAck chat client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const auto opt = [&](const char *name, const char *help, const char *valueName = nullptr,
                         const char *defaultValue = nullptr) {
        QCommandLineOption option(QString::fromLatin1(name), QString::fromLatin1(help));
        if (valueName)
            option.setValueName(QString::fromLatin1(valueName));
        if (defaultValue)
            option.setDefaultValue(QString::fromLatin1(defaultValue));
        parser.addOption(option);
    };
    opt("cli", "Command-line mode: stdin lines are sent, events are printed.");
    opt("host", "Server host name or address (IPv4 or IPv6).", "host");
    opt("port", "Server TCP port.", "port", "9527");
    opt("nick", "Your nickname.", "nick");
    opt("password", "Server password (or set SYNACK_PASSWORD).", "password");
    opt("no-reconnect", "Do not reconnect when the connection drops.");
    opt("connect-timeout-ms", "Give up a connection attempt after this long.", "ms", "10000");
    opt("reconnect-base-ms", "First reconnect delay; it doubles up to --reconnect-max-ms.", "ms",
        "1000");
    opt("reconnect-max-ms", "Longest reconnect delay.", "ms", "30000");
    opt("discover", "List the SynAck servers on the LAN and exit.");
    opt("discovery-port", "UDP port of LAN discovery.", "port", "9528");
    opt("discovery-target", "Ask this address instead of broadcasting (repeatable).", "address");
    opt("discovery-time-ms", "How long to collect answers.", "ms", "1500");
    opt("connect", "Window: connect at once with --host, --port and --nick.");
    opt("say", "Window: send this line once online (repeatable; for demos).", "text");
    opt("lang", "Window: the language, en or zh_CN (default: the system's).", "language");
    opt("capture", "CLI: write the connection's TCP segments to FILE (pcap; needs CAP_NET_RAW).",
        "file");
    parser.process(app);

    if (!parser.isSet(QStringLiteral("cli")) && !parser.isSet(QStringLiteral("discover")))
        return runWindow(parser);

    if (parser.isSet(QStringLiteral("discover"))) {
        QList<QHostAddress> targets;
        for (const QString &value : parser.values(QStringLiteral("discovery-target"))) {
            const QHostAddress address(value);
            if (address.isNull())
                usageError(
                    QStringLiteral("--discovery-target: \"%1\" is not an IP address").arg(value));
            targets.append(address);
        }
        const auto port = quint16(numberOption(parser, QStringLiteral("discovery-port"), 1, 65535));
        DiscoveryListing listing;
        QObject::connect(&listing, &DiscoveryListing::finished, &app, &QCoreApplication::exit,
                         Qt::QueuedConnection);
        listing.start(msOption(parser, QStringLiteral("discovery-time-ms")), port, targets);
        return app.exec();
    }

    ChatClient::ConnectOptions options;
    options.host = parser.value(QStringLiteral("host"));
    if (options.host.isEmpty())
        usageError(QStringLiteral("--host is required (or use --discover to find a server)"));
    options.port = quint16(numberOption(parser, QStringLiteral("port"), 1, 65535));
    options.nick = parser.value(QStringLiteral("nick"));
    if (options.nick.isEmpty())
        usageError(QStringLiteral("--nick is required"));
    if (!protocol::isValidNick(options.nick))
        usageError(QStringLiteral("--nick: \"%1\" is not a valid nick (1 to 32 letters, digits, "
                                  "'_', '-' or '.')")
                       .arg(options.nick));
    options.password = parser.isSet(QStringLiteral("password"))
                           ? parser.value(QStringLiteral("password"))
                           : qEnvironmentVariable("SYNACK_PASSWORD");
    options.autoReconnect = !parser.isSet(QStringLiteral("no-reconnect"));
    options.connectTimeout = msOption(parser, QStringLiteral("connect-timeout-ms"));
    options.reconnectBase = msOption(parser, QStringLiteral("reconnect-base-ms"));
    options.reconnectMax = msOption(parser, QStringLiteral("reconnect-max-ms"));

    CliFrontend cli;
    std::unique_ptr<CliCapture> capture;
    if (parser.isSet(QStringLiteral("capture"))) {
        capture =
            std::make_unique<CliCapture>(&cli.client(), parser.value(QStringLiteral("capture")));
        QString why;
        if (!capture->open(options.host, options.port, &why))
            usageError(u"--capture: " + why);
        // The file is written once the close is captured, then the program ends.
        QObject::connect(&cli, &CliFrontend::finished, &app, [&capture](int code) {
            capture->finish([code](bool) { QCoreApplication::exit(code); });
        });
    } else {
        QObject::connect(&cli, &CliFrontend::finished, &app, &QCoreApplication::exit,
                         Qt::QueuedConnection);
    }
    cli.start(options);
    return app.exec();
}
