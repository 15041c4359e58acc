#pragma once

// A real `synack-client --cli` process for tests: lines go to its stdin, and
// its stdout is collected line by line for the test to wait on, in order.

#include <QProcess>
#include <QRegularExpression>
#include <QStringList>

namespace synack::test {

class ClientProcess
{
public:
    // Runs synack-client with `args` (add --cli yourself).
    explicit ClientProcess(QStringList args);
    ~ClientProcess();

    bool start(int timeoutMs = 5000);
    void writeLine(const QString &line);
    // End of input, as Ctrl-D or the end of a pipe.
    void closeInput();

    // Waits for the next stdout line after the last one matched that matches
    // `pattern`; returns it, or a null string after the timeout. Waiting in
    // order is how a test checks the order of events.
    QString waitForLine(const QRegularExpression &pattern, int timeoutMs = 5000);
    QString waitForLine(const QString &pattern, int timeoutMs = 5000)
    {
        return waitForLine(QRegularExpression(pattern), timeoutMs);
    }
    // Whether any line so far matches, wherever it is.
    bool hasLine(const QRegularExpression &pattern);
    QStringList lines();
    QString standardError();

    // True once the process has exited (normally) within the timeout.
    bool waitForExit(int timeoutMs = 5000);
    int exitCode() const { return m_process.exitCode(); }
    QProcess &process() { return m_process; }

    static QString clientBinary();

private:
    void readOutput();

    QStringList m_args;
    QProcess m_process;
    QByteArray m_partial;
    QStringList m_lines;
    qsizetype m_next = 0; // first line waitForLine has not passed yet
    QByteArray m_stderr;
};

} // namespace synack::test
