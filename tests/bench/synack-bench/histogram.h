#pragma once

// Latencies in nanoseconds as a log-linear histogram: exact below 1024 ns,
// then 512 buckets per power of two (under 0.2 % error). A run of any length
// costs the same fixed memory, and percentiles need no sorting.

#include <cstdint>
#include <vector>

namespace synack::bench {

class Histogram
{
public:
    Histogram();

    void add(uint64_t value);
    void merge(const Histogram &other);

    uint64_t count() const { return m_count; }
    uint64_t max() const { return m_max; }
    // The smallest bucket bound below which a fraction `p` (0..1) of the
    // samples lie; 0 when empty.
    uint64_t percentile(double p) const;

private:
    static std::size_t bucketOf(uint64_t value);
    static uint64_t bucketTop(std::size_t bucket);

    std::vector<uint64_t> m_buckets;
    uint64_t m_count = 0;
    uint64_t m_max = 0;
};

} // namespace synack::bench
