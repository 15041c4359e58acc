// synack-server: parses the command line and runs the server core, headless
// for now (the window comes with its own issue).

#include "core/chatserver.h"
#include "core/filelimit.h"
#include "headless/headlesslog.h"
#include "headless/serveroptions.h"
#include "headless/signalwatcher.h"

#include <QCoreApplication>
#include <cstdio>

using namespace synack::server;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("synack-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SYNACK_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("SynAck"));

    const ParsedOptions parsed = parseServerOptions(QCoreApplication::arguments());
    if (parsed.exitNow)
        return 0;
    if (!parsed.error.isEmpty()) {
        std::fprintf(stderr, "synack-server: %s\n(see synack-server --help)\n",
                     qPrintable(parsed.error));
        return 2;
    }
    const ServerOptions &options = parsed.options;
    if (!options.headless)
        std::fprintf(stderr,
                     "synack-server: the server window is not built yet; running headless\n");

    ChatServer server(options.config);
    HeadlessLog log(&server, options.logFormat);
    QString limitNote;
    raiseOpenFileLimit(long(options.config.maxClients) + 64, &limitNote);
    if (!limitNote.isEmpty())
        log.write(QStringLiteral("warning"), {{QStringLiteral("text"), limitNote}},
                  QStringLiteral("warning: %1").arg(limitNote));

    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server,
                     [&](int number) {
                         log.write(QStringLiteral("shutdown"), {{QStringLiteral("signal"), number}},
                                   QStringLiteral("shutting down (signal %1)").arg(number));
                         server.shutdown();
                     });
    QObject::connect(&server, &ChatServer::shutdownFinished, &app,
                     [] { QCoreApplication::exit(0); });

    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "synack-server: %s\n", qPrintable(error));
        return 1;
    }
    return QCoreApplication::exec();
}
