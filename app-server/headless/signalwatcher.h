#pragma once

#include <QObject>

class QSocketNotifier;

namespace synack::server {

// Turns SIGINT and SIGTERM into a Qt signal, delivered in the event loop
// (a signal handler may do almost nothing, so it writes one byte to a pipe).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace synack::server
