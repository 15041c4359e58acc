#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QSignalSpy>

#include <csignal>

ServerProcess::ServerProcess(QStringList extraArgs)
    : m_extraArgs(std::move(extraArgs))
{
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readOutput(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError,
                     [this] { m_stderr += m_process.readAllStandardError(); });
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        cont();
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::serverBinary()
{
    return QStringLiteral(SYNACK_SERVER_BIN);
}

bool ServerProcess::start(int timeoutMs)
{
    return launch(0, timeoutMs);
}

bool ServerProcess::restart(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
    return launch(m_port, timeoutMs);
}

bool ServerProcess::launch(quint16 port, int timeoutMs)
{
    QStringList args{QStringLiteral("--headless"), QStringLiteral("--port"), QString::number(port),
                     QStringLiteral("--log-format"), QStringLiteral("json")};
    if (!m_extraArgs.contains(QStringLiteral("--discovery-port")))
        args << QStringLiteral("--no-discovery");
    args += m_extraArgs;
    m_events.clear();
    m_partialLine.clear();
    if (m_launcher.isEmpty())
        m_process.start(serverBinary(), args);
    else
        m_process.start(m_launcher.first(), m_launcher.mid(1) + QStringList{serverBinary()} + args);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    if (!waitForEvent(QStringLiteral("listening"), timeoutMs))
        return false;
    for (const QJsonObject &e : std::as_const(m_events)) {
        if (e.value(QLatin1StringView("event")).toString() == QLatin1StringView("listening"))
            m_port = quint16(e.value(QLatin1StringView("port")).toInt());
    }
    return m_port != 0;
}

void ServerProcess::terminate()
{
    m_process.terminate();
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

void ServerProcess::stop()
{
    if (m_process.processId() > 0)
        ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void ServerProcess::cont()
{
    if (m_process.processId() > 0)
        ::kill(pid_t(m_process.processId()), SIGCONT);
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
}

void ServerProcess::readOutput()
{
    m_partialLine += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QByteArray line = m_partialLine.left(newline);
        m_partialLine.remove(0, newline + 1);
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            m_events.append(doc.object());
    }
}

QList<QJsonObject> ServerProcess::events()
{
    readOutput();
    return m_events;
}

QString ServerProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

bool ServerProcess::waitForEvent(const QString &event, int timeoutMs,
                                 const std::function<bool(const QJsonObject &)> &match)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        readOutput();
        for (const QJsonObject &e : std::as_const(m_events)) {
            if (e.value(QLatin1StringView("event")).toString() == event && (!match || match(e)))
                return true;
        }
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}
