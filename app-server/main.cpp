// synack-server: parses the command line, then runs the server core in its
// window, or without one (--headless, or when there is no display).

#include "core/chatserver.h"
#include "core/filelimit.h"
#include "headless/headlesslog.h"
#include "headless/optionsreload.h"
#include "headless/serveroptions.h"
#include "net/capture/packetcapture.h"
#include "net/capture/segmentrouter.h"
#include "platform/terminationsignals.h"
#include "platform/translations.h"
#include "window/screenshotplan.h"
#include "window/serverwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace synack::server;

namespace {

// Whether argv holds --name or -name, alone or as --name=value: looked at
// before the application exists, since it decides which one to make.
bool hasOption(int argc, char *argv[], const char *name)
{
    const size_t length = std::strlen(name);
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (arg[0] != '-')
            continue;
        arg += arg[1] == '-' ? 2 : 1;
        if (std::strncmp(arg, name, length) == 0 && (arg[length] == '\0' || arg[length] == '='))
            return true;
    }
    return false;
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

int runHeadless(const ServerOptions &options, const QStringList &arguments)
{
    ChatServer server(options.config);
    HeadlessLog log(&server, options.logFormat);
    // --capture: one capture for the listening port, opened before the first
    // client can come; the port is known for sure once listening.
    synack::net::PacketCapture capture;
    synack::net::SegmentRouter segments;
    if (options.capture) {
        const QHostAddress bind = options.config.bindAddress;
        QString why;
        if (!capture.open(bind,
                          synack::net::PacketCapture::filterForListener(bind, options.config.port),
                          &why)) {
            std::fprintf(stderr, "synack-server: --capture: %s\n", qPrintable(why));
            return 2;
        }
        segments.setCapture(&capture);
        log.followSegments(&segments);
        QObject::connect(
            &server, &ChatServer::listening, &capture,
            [&capture, &log](const QHostAddress &address, quint16 port) {
                QString error;
                if (!capture.setFilter(synack::net::PacketCapture::filterForListener(address, port),
                                       &error))
                    log.write(QStringLiteral("warning"), {{QStringLiteral("text"), error}},
                              QStringLiteral("warning: %1").arg(error));
            });
    }
    QString limitNote;
    raiseOpenFileLimit(long(options.config.maxClients) + 64, &limitNote);
    if (!limitNote.isEmpty())
        log.write(QStringLiteral("warning"), {{QStringLiteral("text"), limitNote}},
                  QStringLiteral("warning: %1").arg(limitNote));

    using synack::platform::TerminationSignals;
    TerminationSignals signalWatcher(TerminationSignals::HangupMeans::Reload);
    QObject::connect(&signalWatcher, &TerminationSignals::reloadRequested, &server,
                     [&] { reloadServerOptions(&server, &log, arguments); });
    QObject::connect(&signalWatcher, &TerminationSignals::received, &server, [&](int number) {
        log.write(QStringLiteral("shutdown"), {{QStringLiteral("signal"), number}},
                  QStringLiteral("shutting down (signal %1)").arg(number));
        server.shutdown();
    });
    QObject::connect(&server, &ChatServer::shutdownFinished, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });

    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "synack-server: %s\n", qPrintable(error));
        return 1;
    }
    return QCoreApplication::exec();
}

int runWindow(const ServerOptions &options, int argc, char *argv[])
{
    ServerWindowOptions windowOptions;
    windowOptions.config = options.config;
    // What the command line gives wins over what the window remembers.
    windowOptions.bindGiven = hasOption(argc, argv, "bind");
    windowOptions.portGiven = hasOption(argc, argv, "port");
    windowOptions.nameGiven = hasOption(argc, argv, "name");
    QString limitNote;
    raiseOpenFileLimit(long(options.config.maxClients) + 64, &limitNote);
    if (!limitNote.isEmpty())
        std::fprintf(stderr, "synack-server: warning: %s\n", qPrintable(limitNote));

    synack::platform::installTranslations(*qApp, options.language);
    ServerWindow window(windowOptions);
    window.show();
    synack::platform::TerminationSignals signalWatcher;
    QObject::connect(&signalWatcher, &synack::platform::TerminationSignals::received, &window,
                     [&window] { window.close(); });
    if (const QString plan = qEnvironmentVariable("SYNACK_SCREENSHOT_PLAN"); !plan.isEmpty())
        (new ScreenshotPlan(&window, plan))->start();
    return QApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    const bool answerOnly = hasOption(argc, argv, "help") || hasOption(argc, argv, "h") ||
                            hasOption(argc, argv, "help-all") || hasOption(argc, argv, "version") ||
                            hasOption(argc, argv, "v");
    bool headless = hasOption(argc, argv, "headless");
    if (!headless && !answerOnly && !hasDisplay()) {
        std::fprintf(stderr, "synack-server: no display to open a window on; running headless "
                             "(say --headless to skip this note)\n");
        headless = true;
    }
    // Read before QApplication takes its own options out of argv (it would
    // take --name, X11's -name).
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const std::unique_ptr<QCoreApplication> app =
        headless || answerOnly ? std::make_unique<QCoreApplication>(argc, argv)
                               : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("synack-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SYNACK_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("SynAck"));

    const ParsedOptions parsed = parseServerOptions(arguments);
    if (parsed.exitNow)
        return 0;
    if (!parsed.error.isEmpty()) {
        std::fprintf(stderr, "synack-server: %s\n(see synack-server --help)\n",
                     qPrintable(parsed.error));
        return 2;
    }
    if (parsed.options.capture && !headless) {
        std::fprintf(stderr, "synack-server: --capture: only with --headless for now\n");
        return 2;
    }
    if (headless)
        return runHeadless(parsed.options, arguments);
    return runWindow(parsed.options, argc, argv);
}
