#pragma once

#include <QObject>

class QSocketNotifier;

namespace synack::platform {

// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal, delivered in the event
// loop through a self-pipe (a signal handler may only write(2)), so that
// Ctrl-C or a service manager's SIGTERM leave as politely as a menu's Quit.
// A second signal ends the program at once, as the default would. Elsewhere
// than on Unix it watches nothing.
class TerminationSignals : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignals(QObject *parent = nullptr);
    ~TerminationSignals() override;

signals:
    void received(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace synack::platform
