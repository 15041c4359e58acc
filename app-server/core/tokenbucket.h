#pragma once

#include <chrono>

namespace synack::server {

// Rate limit per client (PROTOCOL.md section 10): `rate` tokens a second up to
// `burst`, starting full. Each counted message takes a token whether it is
// accepted or not; an empty bucket refuses and stays empty.
class TokenBucket
{
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double rate, int burst, Clock::time_point now = Clock::now());

    // False when the message must be refused. A rate of 0 never refuses.
    bool take(Clock::time_point now = Clock::now());

private:
    double m_rate;
    double m_burst;
    double m_tokens;
    Clock::time_point m_last;
};

} // namespace synack::server
