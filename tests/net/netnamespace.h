#pragma once

// Runs a test executable in a network namespace of its own, where it is root
// for the namespace's interfaces and may capture on its loopback, with nothing
// else on it. Not there yet, the executable runs itself again under
// `unshare --user --map-root-user --net` (with lo brought up) and returns
// that run's status. Where the kernel forbids it, root runs on this host's
// loopback instead (the cases filter on their own ports), and anyone else
// gets the reason to skip with.

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <functional>
#include <unistd.h>

namespace synack::test {

inline int runInOwnNetworkNamespace(int argc, char *argv[],
                                    const std::function<int(const QString &skipReason)> &run)
{
    static constexpr char kInNamespace[] = "SYNACK_TEST_IN_NETNS";
    if (qEnvironmentVariableIsSet(kInNamespace))
        return run({});
    QString skipReason;
    {
        QCoreApplication app(argc, argv);
        const QStringList unshare = {QStringLiteral("--user"), QStringLiteral("--map-root-user"),
                                     QStringLiteral("--net")};
        QProcess probe;
        probe.start(QStringLiteral("unshare"), unshare + QStringList{QStringLiteral("true")});
        const bool started = probe.waitForFinished(10000);
        if (started && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0) {
            QProcess inside;
            inside.setProcessChannelMode(QProcess::ForwardedChannels);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QString::fromLatin1(kInNamespace), QStringLiteral("1"));
            inside.setProcessEnvironment(env);
            QStringList args = unshare;
            args << QStringLiteral("--") << QStringLiteral("sh") << QStringLiteral("-c")
                 << QStringLiteral("PATH=\"$PATH:/usr/sbin:/sbin\" ip link set lo up && "
                                   "exec \"$0\" \"$@\"")
                 << QCoreApplication::applicationFilePath();
            args += QCoreApplication::arguments().mid(1);
            inside.start(QStringLiteral("unshare"), args);
            if (!inside.waitForFinished(-1) || inside.exitStatus() != QProcess::NormalExit)
                return 1;
            return inside.exitCode();
        }
        const QString why = started ? QString::fromLocal8Bit(probe.readAllStandardError()).trimmed()
                                    : probe.errorString();
        if (geteuid() == 0)
            qInfo("no network namespace (%s): capturing on this host's loopback, as root",
                  qPrintable(why));
        else
            skipReason = QStringLiteral("cannot make a network namespace to capture in "
                                        "(unshare --user --map-root-user --net): ") +
                         why;
    }
    return run(skipReason);
}

} // namespace synack::test
