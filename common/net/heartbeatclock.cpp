#include "net/heartbeatclock.h"

namespace synack::net {

HeartbeatClock::HeartbeatClock(std::chrono::milliseconds interval,
                               std::chrono::milliseconds timeout)
    : m_interval(interval)
    , m_timeout(timeout)
{}

void HeartbeatClock::setIntervals(std::chrono::milliseconds interval,
                                  std::chrono::milliseconds timeout)
{
    m_interval = interval;
    m_timeout = timeout;
}

void HeartbeatClock::start(Clock::time_point now)
{
    m_lastHeard = m_lastPingSent = now;
}

std::optional<std::chrono::milliseconds> HeartbeatClock::silentTooLong(Clock::time_point now) const
{
    const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastHeard);
    if (silent < m_timeout)
        return std::nullopt;
    return silent;
}

quint64 HeartbeatClock::pingSent(Clock::time_point now)
{
    const quint64 seq = m_nextSeq++;
    m_lastPingSent = now;
    m_pingsInFlight.emplace_back(seq, now);
    if (m_pingsInFlight.size() > kMaxPingsInFlight)
        m_pingsInFlight.pop_front();
    return seq;
}

std::optional<std::chrono::microseconds> HeartbeatClock::pongReceived(quint64 seq,
                                                                      Clock::time_point now) const
{
    for (const auto &[sentSeq, sentAt] : m_pingsInFlight) {
        if (sentSeq == seq)
            return std::chrono::duration_cast<std::chrono::microseconds>(now - sentAt);
    }
    return std::nullopt;
}

} // namespace synack::net
