#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace synack::bench {
namespace {

constexpr unsigned kExactBits = 10;                    // values below 1024 have their own bucket
constexpr uint64_t kExact = uint64_t(1) << kExactBits; // 1024
constexpr uint64_t kPerOctave = kExact / 2;            // 512 buckets per power of two
constexpr unsigned kTopBit = 62;                       // larger values are clamped (146 years)
constexpr std::size_t kBuckets = kExact + (kTopBit - kExactBits + 1) * kPerOctave;

} // namespace

Histogram::Histogram()
    : m_buckets(kBuckets, 0)
{}

std::size_t Histogram::bucketOf(uint64_t value)
{
    if (value < kExact)
        return std::size_t(value);
    const unsigned top = std::min<unsigned>(63 - unsigned(__builtin_clzll(value)), kTopBit);
    const unsigned shift = top - (kExactBits - 1);
    const uint64_t sub = std::min(value >> shift, kExact - 1); // 512..1023
    return std::size_t(kExact + (top - kExactBits) * kPerOctave + (sub - kPerOctave));
}

uint64_t Histogram::bucketTop(std::size_t bucket)
{
    if (bucket < kExact)
        return bucket;
    const uint64_t above = bucket - kExact;
    const unsigned top = kExactBits + unsigned(above / kPerOctave);
    const unsigned shift = top - (kExactBits - 1);
    const uint64_t sub = kPerOctave + above % kPerOctave;
    return ((sub + 1) << shift) - 1;
}

void Histogram::add(uint64_t value)
{
    ++m_buckets[bucketOf(value)];
    ++m_count;
    m_max = std::max(m_max, value);
}

void Histogram::merge(const Histogram &other)
{
    for (std::size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

uint64_t Histogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    const uint64_t wanted = std::max<uint64_t>(1, uint64_t(std::ceil(p * double(m_count))));
    uint64_t seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= wanted)
            return std::min(bucketTop(i), m_max);
    }
    return m_max;
}

} // namespace synack::bench
