#include "net/workbudget.h"

#include <algorithm>

namespace synack::net {

using namespace std::chrono;

WorkBudget::WorkBudget(microseconds perSecond, microseconds burst, Clock::time_point now)
    : m_perSecond(perSecond)
    , m_burst(std::max(burst, microseconds(perSecond.count() > 0 ? 1 : 0)))
    , m_balance(m_burst)
    , m_last(now)
{}

void WorkBudget::refill(Clock::time_point now)
{
    if (now <= m_last)
        return;
    const nanoseconds elapsed = now - m_last;
    m_last = now;
    // elapsed * perSecond / 1 s, without overflow for any elapsed time.
    const double earned = double(elapsed.count()) * double(m_perSecond.count()) / 1e9;
    m_balance =
        std::min(m_burst, m_balance + nanoseconds(nanoseconds::rep(std::min(earned, 1e18))));
}

void WorkBudget::charge(nanoseconds work, Clock::time_point now)
{
    if (!isLimited())
        return;
    refill(now);
    m_balance -= work;
}

bool WorkBudget::allows(Clock::time_point now)
{
    if (!isLimited())
        return true;
    refill(now);
    return m_balance.count() > 0;
}

nanoseconds WorkBudget::waitFrom(Clock::time_point now)
{
    if (allows(now))
        return nanoseconds(0);
    // Back above zero: the debt, and one nanosecond more, earned at perSecond.
    const double seconds = double(1 - m_balance.count()) / double(m_perSecond.count());
    return nanoseconds(nanoseconds::rep(seconds * 1e9) + 1);
}

} // namespace synack::net
