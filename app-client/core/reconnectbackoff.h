#pragma once

#include <chrono>
#include <functional>

namespace synack::client {

// Exponential backoff with jitter: the n-th delay in a row is base * 2^n,
// capped at max, then spread by +-20% so that many clients dropped by one
// server restart do not all come back in the same instant; the result stays
// within [base, max]. reset() after a success starts again from base.
class ReconnectBackoff
{
public:
    using Duration = std::chrono::milliseconds;
    // Uniform in [0, 1).
    using RandomSource = std::function<double()>;

    explicit ReconnectBackoff(Duration base = std::chrono::seconds(1),
                              Duration max = std::chrono::seconds(30), RandomSource random = {});

    // The delay before the next attempt; each call counts one attempt.
    Duration next();
    void reset() { m_attempts = 0; }

    int attempts() const { return m_attempts; }
    Duration base() const { return m_base; }
    Duration max() const { return m_max; }

    static constexpr double kJitter = 0.2;

private:
    Duration m_base;
    Duration m_max;
    RandomSource m_random;
    int m_attempts = 0;
};

} // namespace synack::client
