#include "procstats.h"

#include <QDir>
#include <QFile>

namespace {

// The states of include/net/tcp_states.h, by their number in /proc/net/tcp.
QString tcpStateName(int state)
{
    static const char *const names[] = {
        "?",     "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};
    if (state < 1 || state >= int(std::size(names)))
        return QStringLiteral("state-%1").arg(state);
    return QString::fromLatin1(names[state]);
}

} // namespace

ProcSample sampleProcess(qint64 pid)
{
    ProcSample sample;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return sample;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() < 2)
            continue;
        if (parts[0] == "VmRSS:")
            sample.rssKb = parts[1].toLongLong();
        else if (parts[0] == "Threads:")
            sample.threads = parts[1].toInt();
    }
    if (sample.rssKb < 0)
        return sample; // a zombie has no VmRSS
    const QDir fdDir(QStringLiteral("/proc/%1/fd").arg(pid));
    sample.fds =
        int(fdDir.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size());
    return sample;
}

QMap<QString, int> serverSocketStates(quint16 port)
{
    QMap<QString, int> states;
    for (const char *path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file(QString::fromLatin1(path));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        file.readLine(); // the header
        for (int guard = 0; guard < 1000000 && !file.atEnd(); ++guard) {
            // "  12: 0100007F:2537 0100007F:C2A4 01 ..."
            const QList<QByteArray> fields = file.readLine().simplified().split(' ');
            if (fields.size() < 4)
                continue;
            const QByteArray &local = fields[1];
            const qsizetype colon = local.lastIndexOf(':');
            bool ok = false;
            if (colon < 0 || local.mid(colon + 1).toUInt(&ok, 16) != port || !ok)
                continue;
            ++states[tcpStateName(fields[3].toInt(&ok, 16))];
        }
    }
    return states;
}
