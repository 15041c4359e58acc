#pragma once

#include "reconnectbackoff.h"

#include <QObject>
#include <QTimer>
#include <chrono>

namespace synack::client {

// The waiting between reconnect attempts: takes the next delay from a
// ReconnectBackoff, counts down in whole seconds for the user, and says when
// to try again.
class ReconnectScheduler : public QObject
{
    Q_OBJECT

public:
    explicit ReconnectScheduler(QObject *parent = nullptr);

    void setBackoff(const ReconnectBackoff &backoff) { m_backoff = backoff; }
    ReconnectBackoff &backoff() { return m_backoff; }

    // Starts the wait for the next attempt; returns its length.
    std::chrono::milliseconds schedule();
    void cancel();
    // After a success: the next failure waits `base` again.
    void reset() { m_backoff.reset(); }
    bool isWaiting() const { return m_attempt.isActive(); }
    // Whole seconds left, rounded up.
    int secondsLeft() const;

signals:
    void scheduled(std::chrono::milliseconds delay);
    void countdown(int secondsLeft);
    void due();

private:
    ReconnectBackoff m_backoff;
    QTimer m_attempt;
    QTimer m_tick;
};

} // namespace synack::client
