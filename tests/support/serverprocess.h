#pragma once

// A real synack-server process for tests: started headless on a free port
// with JSON logging, its events collected, and signals to stop, freeze
// (SIGSTOP) and thaw it.

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <functional>

class ServerProcess
{
public:
    // Runs: synack-server --headless --port P --log-format json
    //       [--no-discovery unless extraArgs has --discovery-port] extraArgs...
    explicit ServerProcess(QStringList extraArgs = {});
    ~ServerProcess();

    // Runs the server through `launcher` (a program and its arguments, the
    // server's command line after them), which must exec it in the end, so
    // that the process is still the server's: nsenter, for instance.
    void setLauncher(QStringList launcher) { m_launcher = std::move(launcher); }

    // Starts with port 0 and waits for the "listening" event.
    bool start(int timeoutMs = 10000);
    // Starts again on the same port (after kill() or terminate()).
    bool restart(int timeoutMs = 10000);
    quint16 port() const { return m_port; }

    void terminate(); // SIGTERM
    void kill();      // SIGKILL, and waits for the process to end
    void stop();      // SIGSTOP: the server freezes, its sockets stay open
    void cont();      // SIGCONT
    bool waitForExit(int timeoutMs = 10000);

    QProcess &process() { return m_process; }
    // Every JSON event printed so far (reads what is pending first).
    QList<QJsonObject> events();
    // Waits for an event named `event` that `match` accepts (any, if empty),
    // counting those already seen.
    bool waitForEvent(const QString &event, int timeoutMs,
                      const std::function<bool(const QJsonObject &)> &match = {});
    QString standardError();

    static QString serverBinary();

private:
    bool launch(quint16 port, int timeoutMs);
    void readOutput();

    QStringList m_extraArgs;
    QStringList m_launcher;
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_partialLine;
    QList<QJsonObject> m_events;
    QByteArray m_stderr;
};
