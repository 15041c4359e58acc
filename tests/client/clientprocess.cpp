#include "clientprocess.h"

#include <QTest>

namespace synack::test {

ClientProcess::ClientProcess(QStringList args)
    : m_args(std::move(args))
{
    m_process.setProgram(clientBinary());
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readOutput(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError,
                     [this] { m_stderr += m_process.readAllStandardError(); });
}

ClientProcess::~ClientProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ClientProcess::clientBinary()
{
    return QStringLiteral(SYNACK_CLIENT_BIN);
}

bool ClientProcess::start(int timeoutMs)
{
    m_process.setArguments(m_args);
    m_process.start();
    return m_process.waitForStarted(timeoutMs);
}

void ClientProcess::writeLine(const QString &line)
{
    m_process.write((line + QLatin1Char('\n')).toUtf8());
}

void ClientProcess::closeInput()
{
    m_process.closeWriteChannel();
}

void ClientProcess::readOutput()
{
    m_partial += m_process.readAllStandardOutput();
    qsizetype start = 0;
    for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
        m_lines.append(QString::fromUtf8(m_partial.mid(start, nl - start)));
        start = nl + 1;
    }
    m_partial.remove(0, start);
}

QString ClientProcess::waitForLine(const QRegularExpression &pattern, int timeoutMs)
{
    QString found;
    const auto scan = [&] {
        for (; m_next < m_lines.size(); ++m_next) {
            if (pattern.match(m_lines.at(m_next)).hasMatch()) {
                found = m_lines.at(m_next++);
                return true;
            }
        }
        return false;
    };
    if (!QTest::qWaitFor(scan, timeoutMs)) {
        qWarning().noquote() << "no line matching" << pattern.pattern() << "in:\n"
                             << m_lines.join(QLatin1Char('\n')) << "\nstderr:" << standardError();
        return {};
    }
    return found;
}

bool ClientProcess::hasLine(const QRegularExpression &pattern)
{
    readOutput();
    return std::any_of(m_lines.cbegin(), m_lines.cend(),
                       [&](const QString &line) { return pattern.match(line).hasMatch(); });
}

QStringList ClientProcess::lines()
{
    readOutput();
    return m_lines;
}

QString ClientProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

bool ClientProcess::waitForExit(int timeoutMs)
{
    const bool exited =
        QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    readOutput();
    return exited && m_process.exitStatus() == QProcess::NormalExit;
}

} // namespace synack::test
