#pragma once

// The heartbeat's bookkeeping for one connection (PROTOCOL.md section 6): when
// the peer was last heard, when the next ping is due, which pings are out and
// how long their pongs took. It has no timer and no socket: the owner brings
// the time, so the rules can be tested with any clock.

#include <QtGlobal>
#include <chrono>
#include <deque>
#include <optional>
#include <utility>

namespace synack::net {

class HeartbeatClock
{
public:
    using Clock = std::chrono::steady_clock;

    HeartbeatClock(std::chrono::milliseconds interval, std::chrono::milliseconds timeout);

    void setIntervals(std::chrono::milliseconds interval, std::chrono::milliseconds timeout);
    // The connection is up: heard from and pinged just now.
    void start(Clock::time_point now);
    // Anything at all came from the peer.
    void heard(Clock::time_point now) { m_lastHeard = now; }
    Clock::time_point lastHeard() const { return m_lastHeard; }

    // How long the peer has been silent, once that reaches the timeout.
    std::optional<std::chrono::milliseconds> silentTooLong(Clock::time_point now) const;
    // A ping is due: the interval has passed since the last one.
    bool pingDue(Clock::time_point now) const { return now - m_lastPingSent >= m_interval; }
    // Remembers a ping sent at `now`; its sequence number.
    quint64 pingSent(Clock::time_point now);
    // The next pingDue() says yes.
    void pingAtOnce() { m_lastPingSent = Clock::time_point{}; }
    // The round trip of our ping `seq`, answered at `now`; nullopt for a
    // pong to a ping not remembered (too old, or not ours).
    std::optional<std::chrono::microseconds> pongReceived(quint64 seq, Clock::time_point now) const;

    // Pings remembered for their round trips; older ones are forgotten.
    static constexpr std::size_t kMaxPingsInFlight = 8;

private:
    std::chrono::milliseconds m_interval;
    std::chrono::milliseconds m_timeout;
    Clock::time_point m_lastHeard;
    Clock::time_point m_lastPingSent;
    quint64 m_nextSeq = 1;
    std::deque<std::pair<quint64, Clock::time_point>> m_pingsInFlight; // oldest first
};

} // namespace synack::net
