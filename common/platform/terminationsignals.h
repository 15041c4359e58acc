#pragma once

#include <QObject>

class QSocketNotifier;

namespace synack::platform {

// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal, delivered in the event
// loop through a self-pipe (a signal handler may only write(2)), so that
// Ctrl-C or a service manager's SIGTERM leave as politely as a menu's Quit.
// A second signal ends the program at once, as the default would. Elsewhere
// than on Unix it watches nothing. A service may take SIGHUP as "read the
// configuration again" instead (HangupMeans::Reload): then every SIGHUP is
// reloadRequested(), and the program goes on.
class TerminationSignals : public QObject
{
    Q_OBJECT

public:
    enum class HangupMeans { Termination, Reload };

    explicit TerminationSignals(QObject *parent = nullptr)
        : TerminationSignals(HangupMeans::Termination, parent)
    {}
    explicit TerminationSignals(HangupMeans hangup, QObject *parent = nullptr);
    ~TerminationSignals() override;

signals:
    void received(int signalNumber);
    void reloadRequested();

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
    HangupMeans m_hangup;
};

} // namespace synack::platform
