#pragma once

#include <chrono>
#include <deque>

namespace synack::client {

// Round-trip times of the heartbeat over a sliding window of the last N
// samples. Jitter is the mean absolute difference of consecutive samples
// (the spirit of RFC 3550's interarrival jitter, without its smoothing).
class RoundTripStats
{
public:
    using Duration = std::chrono::microseconds;

    explicit RoundTripStats(int window = 20);

    void add(Duration sample);
    void clear() { m_samples.clear(); }

    int window() const { return m_window; }
    int count() const { return int(m_samples.size()); }
    bool isEmpty() const { return m_samples.empty(); }
    // All zero while empty.
    Duration last() const;
    Duration average() const;
    Duration jitter() const;
    Duration min() const;
    Duration max() const;

private:
    int m_window;
    std::deque<Duration> m_samples; // oldest first
};

} // namespace synack::client
