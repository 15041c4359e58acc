#include "serveroptions.h"

#include "platform/translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

namespace synack::server {
namespace {

// Reads an integer option in [min, max]; on failure sets `error` naming it.
template <class T>
bool readNumber(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max,
                T *out, QString *error)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        *error = QStringLiteral("--%1: \"%2\" is not a whole number from %3 to %4")
                     .arg(name, parser.value(name))
                     .arg(min)
                     .arg(max);
        return false;
    }
    *out = T(value);
    return true;
}

bool readMs(const QCommandLineParser &parser, const QString &name, qint64 min,
            std::chrono::milliseconds *out, QString *error)
{
    qint64 ms = out->count();
    if (!readNumber(parser, name, min, 24LL * 3600 * 1000, &ms, error))
        return false;
    *out = std::chrono::milliseconds(ms);
    return true;
}

// The file named by --config, if any, read as options: each line
// "name=value" or "name" stands for --name=value or --name; blank lines and
// lines starting with # are skipped. They go before the command line's own,
// so what the command line says wins (QCommandLineParser keeps the last).
QStringList withConfigFile(const QStringList &arguments, QString *configFile, QString *error)
{
    QStringList commandLine = arguments;
    for (int i = 1; i < commandLine.size(); ++i) {
        const QString &arg = commandLine.at(i);
        if (arg == QLatin1StringView("--config") && i + 1 < commandLine.size()) {
            *configFile = commandLine.at(i + 1);
            commandLine.remove(i, 2);
            --i;
        } else if (arg.startsWith(QLatin1StringView("--config="))) {
            *configFile = arg.mid(9);
            commandLine.remove(i);
            --i;
        }
    }
    if (configFile->isEmpty())
        return commandLine;
    QFile file(*configFile);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error =
            QStringLiteral("--config: cannot read %1: %2").arg(*configFile, file.errorString());
        return {};
    }
    QStringList fromFile;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        const QString name = (equals < 0 ? line : line.left(equals)).trimmed();
        if (name.isEmpty() || name.startsWith(QLatin1Char('-')) ||
            name == QLatin1StringView("config")) {
            *error = QStringLiteral("%1:%2: \"%3\" is not an option name")
                         .arg(*configFile)
                         .arg(lineNumber)
                         .arg(name);
            return {};
        }
        fromFile << (equals < 0
                         ? QStringLiteral("--") + name
                         : QStringLiteral("--%1=%2").arg(name, line.mid(equals + 1).trimmed()));
    }
    QStringList all{commandLine.value(0)};
    all += fromFile;
    all += commandLine.mid(1);
    return all;
}

} // namespace

ParsedOptions parseServerOptions(const QStringList &commandLine)
{
    ParsedOptions result;
    ServerConfig &c = result.options.config;
    const QStringList arguments =
        withConfigFile(commandLine, &result.options.configFile, &result.error);
    if (!result.error.isEmpty())
        return result;

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "synack-server", "SynAck chat server: a LAN chat that shows its TCP connections."));
    parser.addHelpOption();
    parser.addVersionOption();
    const auto opt = [&](const char *name, const char *description, const char *valueName = nullptr,
                         const QString &defaultValue = {}) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(description));
        if (valueName) {
            o.setValueName(QString::fromLatin1(valueName));
            o.setDefaultValue(defaultValue);
        }
        parser.addOption(o);
    };
    opt("headless", "Run without a window, logging one line per event to stdout.");
    opt("bind", "Address to listen on (default: all interfaces, IPv4 and IPv6).", "address");
    opt("port", "TCP port; 0 picks a free one and prints it.", "port", QStringLiteral("9527"));
    opt("name", "Server name shown to clients (default: the host name).", "name");
    opt("password", "Password clients must give (default: none).", "password");
    opt("motd", "Message of the day sent in welcome.", "text");
    opt("max-clients", "Most registered clients at once.", "n", QStringLiteral("10000"));
    opt("max-pending",
        "Most connections that have not said hello yet; past it the oldest makes room "
        "(0: a quarter of the open-file limit).",
        "n", QStringLiteral("0"));
    opt("max-pending-per-address",
        "Most connections from one address that have not said hello yet (0: no limit).", "n",
        QStringLiteral("256"));
    opt("heartbeat-ms", "Ping interval in milliseconds.", "ms", QStringLiteral("5000"));
    opt("timeout-ms", "Silence after which a peer is dead, in milliseconds.", "ms",
        QStringLiteral("15000"));
    opt("hello-timeout-ms", "Time a new connection has to send hello, in milliseconds.", "ms",
        QStringLiteral("10000"));
    opt("flood-rate", "say/nick/who messages per second per client; 0 turns the limit off.", "rate",
        QStringLiteral("20"));
    opt("flood-burst", "Messages a client may send at once before the rate applies.", "n",
        QStringLiteral("40"));
    opt("sendq-bytes", "Unsent bytes for one client above which it is dropped.", "bytes",
        QStringLiteral("1048576"));
    opt("backlog", "Recent room messages replayed to a newcomer.", "n", QStringLiteral("100"));
    opt("history", "Append room messages to FILE (JSON Lines) and reload them at start.", "file");
    opt("no-discovery", "Do not answer LAN discovery.");
    opt("discovery-port", "UDP port for LAN discovery.", "port", QStringLiteral("9528"));
    opt("log-format", "Headless log format: text or json.", "format", QStringLiteral("text"));
    opt("lang", "The window's language: en or zh_CN (default: the system's).", "language");
    opt("config",
        "Read options from FILE first, one \"name=value\" a line; the command line wins. "
        "SIGHUP reads it again and applies the message of the day and the password.",
        "file");
    opt("capture",
        "Headless: capture each connection's TCP segments and log them (needs CAP_NET_RAW).");

    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        result.exitNow = true;
        return result;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << QCoreApplication::applicationName() << ' '
                            << QCoreApplication::applicationVersion() << '\n';
        result.exitNow = true;
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error = QStringLiteral("unexpected argument \"%1\"")
                           .arg(parser.positionalArguments().constFirst());
        return result;
    }

    QString &error = result.error;
    result.options.headless = parser.isSet(QStringLiteral("headless"));
    result.options.capture = parser.isSet(QStringLiteral("capture"));
    if (parser.isSet(QStringLiteral("bind"))) {
        const QString bind = parser.value(QStringLiteral("bind"));
        if (!c.bindAddress.setAddress(bind)) {
            error = QStringLiteral("--bind: \"%1\" is not an IPv4 or IPv6 address").arg(bind);
            return result;
        }
    }
    c.name = parser.value(QStringLiteral("name"));
    c.password = parser.value(QStringLiteral("password"));
    c.motd = parser.value(QStringLiteral("motd"));
    c.historyFile = parser.value(QStringLiteral("history"));
    c.discovery = !parser.isSet(QStringLiteral("no-discovery"));

    qint64 sendq = c.sendQueueBytes;
    if (!readNumber(parser, QStringLiteral("port"), 0, 65535, &c.port, &error) ||
        !readNumber(parser, QStringLiteral("max-clients"), 1, 1000000, &c.maxClients, &error) ||
        !readNumber(parser, QStringLiteral("max-pending"), 0, 1000000, &c.maxPending, &error) ||
        !readNumber(parser, QStringLiteral("max-pending-per-address"), 0, 1000000,
                    &c.maxPendingPerAddress, &error) ||
        !readMs(parser, QStringLiteral("heartbeat-ms"), 10, &c.heartbeatInterval, &error) ||
        !readMs(parser, QStringLiteral("timeout-ms"), 10, &c.heartbeatTimeout, &error) ||
        !readMs(parser, QStringLiteral("hello-timeout-ms"), 10, &c.helloTimeout, &error) ||
        !readNumber(parser, QStringLiteral("flood-burst"), 1, 1000000, &c.floodBurst, &error) ||
        !readNumber(parser, QStringLiteral("sendq-bytes"), 1024, qint64(1) << 40, &sendq, &error) ||
        !readNumber(parser, QStringLiteral("backlog"), 0, 1000000, &c.backlog, &error) ||
        !readNumber(parser, QStringLiteral("discovery-port"), 1, 65535, &c.discoveryPort, &error))
        return result;
    c.sendQueueBytes = sendq;

    bool ok = false;
    const double rate = parser.value(QStringLiteral("flood-rate")).toDouble(&ok);
    if (!ok || rate < 0 || rate > 1e6) {
        error = QStringLiteral("--flood-rate: \"%1\" is not a rate from 0 to 1000000")
                    .arg(parser.value(QStringLiteral("flood-rate")));
        return result;
    }
    c.floodRate = rate;

    if (c.heartbeatTimeout <= c.heartbeatInterval) {
        error = QStringLiteral("--timeout-ms: must be longer than --heartbeat-ms (%1 ms)")
                    .arg(c.heartbeatInterval.count());
        return result;
    }

    result.options.language = parser.value(QStringLiteral("lang"));
    if (!result.options.language.isEmpty() &&
        !synack::platform::availableLanguages().contains(result.options.language)) {
        error = QStringLiteral("--lang: \"%1\" is not one of %2")
                    .arg(result.options.language,
                         synack::platform::availableLanguages().join(QStringLiteral(", ")));
        return result;
    }

    const QString format = parser.value(QStringLiteral("log-format"));
    if (format == QLatin1StringView("text")) {
        result.options.logFormat = LogFormat::Text;
    } else if (format == QLatin1StringView("json")) {
        result.options.logFormat = LogFormat::Json;
    } else {
        error = QStringLiteral("--log-format: \"%1\" is neither text nor json").arg(format);
    }
    return result;
}

} // namespace synack::server
