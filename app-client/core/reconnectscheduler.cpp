#include "reconnectscheduler.h"

namespace synack::client {

using namespace std::chrono_literals;

ReconnectScheduler::ReconnectScheduler(QObject *parent)
    : QObject(parent)
{
    m_attempt.setSingleShot(true);
    m_attempt.setTimerType(Qt::PreciseTimer);
    connect(&m_attempt, &QTimer::timeout, this, [this] {
        m_tick.stop();
        emit due();
    });
    m_tick.setInterval(1s);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (const int left = secondsLeft(); left > 0)
            emit countdown(left);
    });
}

std::chrono::milliseconds ReconnectScheduler::schedule()
{
    const auto delay = m_backoff.next();
    m_attempt.start(delay);
    m_tick.start();
    emit scheduled(delay);
    return delay;
}

void ReconnectScheduler::cancel()
{
    m_attempt.stop();
    m_tick.stop();
}

int ReconnectScheduler::secondsLeft() const
{
    if (!m_attempt.isActive())
        return 0;
    return (m_attempt.remainingTime() + 999) / 1000;
}

} // namespace synack::client
