#pragma once

// How much of the server's time one peer's input may take (docs/protocol.md,
// "Protection"): `perSecond` of work each second, saved up to `burst`,
// starting full. The work of a frame is known once it is done, so the balance
// may go below zero; no more input is taken until it is back above zero. Like
// HeartbeatClock it has no timer: the owner brings the time.

#include <chrono>

namespace synack::net {

class WorkBudget
{
public:
    using Clock = std::chrono::steady_clock;

    // A `perSecond` of zero: no ceiling.
    WorkBudget(std::chrono::microseconds perSecond, std::chrono::microseconds burst,
               Clock::time_point now = Clock::now());

    bool isLimited() const { return m_perSecond.count() > 0; }
    // `work` was done at `now`.
    void charge(std::chrono::nanoseconds work, Clock::time_point now);
    // More work may start at `now`.
    bool allows(Clock::time_point now);
    // How long from `now` until allows() says yes.
    std::chrono::nanoseconds waitFrom(Clock::time_point now);

private:
    void refill(Clock::time_point now);

    std::chrono::nanoseconds m_perSecond;
    std::chrono::nanoseconds m_burst;
    std::chrono::nanoseconds m_balance;
    Clock::time_point m_last;
};

} // namespace synack::net
