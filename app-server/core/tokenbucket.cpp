#include "tokenbucket.h"

#include <algorithm>

namespace synack::server {

TokenBucket::TokenBucket(double rate, int burst, Clock::time_point now)
    : m_rate(rate)
    , m_burst(burst)
    , m_tokens(burst)
    , m_last(now)
{}

bool TokenBucket::take(Clock::time_point now)
{
    if (m_rate <= 0)
        return true;
    const std::chrono::duration<double> elapsed = now - m_last;
    m_last = now;
    m_tokens = std::min(m_burst, m_tokens + elapsed.count() * m_rate);
    if (m_tokens < 1.0) {
        m_tokens = std::max(0.0, m_tokens);
        return false;
    }
    m_tokens -= 1.0;
    return true;
}

} // namespace synack::server
