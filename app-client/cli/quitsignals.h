#pragma once

#include <QObject>

class QSocketNotifier;

namespace synack::client {

// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal, through a self-pipe
// (a signal handler may only write(2)), so Ctrl-C leaves with a `bye` like
// /quit. A second one ends the program at once, as the default would.
class QuitSignals : public QObject
{
    Q_OBJECT

public:
    explicit QuitSignals(QObject *parent = nullptr);
    ~QuitSignals() override;

signals:
    void received(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace synack::client
