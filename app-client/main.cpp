// synack-client: the chat client. For now only its command-line face exists:
//
//   synack-client --cli --host H [--port P] --nick N [--password W]
//   synack-client --cli --discover
//
// Wrong option values exit with 2 and name the option.

#include "clifrontend.h"
#include "discoverylisting.h"
#include "protocol/messages.h"
#include "protocol/nick.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <cstdio>
#include <cstdlib>
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

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
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
    parser.process(app);

    if (!parser.isSet(QStringLiteral("cli")))
        std::fprintf(stderr, "synack-client: the window is not built yet; running the "
                             "command-line mode (--cli)\n");

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
    QObject::connect(&cli, &CliFrontend::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    cli.start(options);
    return app.exec();
}
