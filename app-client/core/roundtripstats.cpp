#include "roundtripstats.h"

#include <algorithm>
#include <cstdlib>

namespace synack::client {

RoundTripStats::RoundTripStats(int window)
    : m_window(std::max(1, window))
{}

void RoundTripStats::add(Duration sample)
{
    m_samples.push_back(sample);
    while (int(m_samples.size()) > m_window)
        m_samples.pop_front();
}

RoundTripStats::Duration RoundTripStats::last() const
{
    return m_samples.empty() ? Duration{} : m_samples.back();
}

RoundTripStats::Duration RoundTripStats::average() const
{
    if (m_samples.empty())
        return {};
    Duration::rep sum = 0;
    for (const Duration sample : m_samples)
        sum += sample.count();
    return Duration(sum / Duration::rep(m_samples.size()));
}

RoundTripStats::Duration RoundTripStats::jitter() const
{
    if (m_samples.size() < 2)
        return {};
    Duration::rep sum = 0;
    for (std::size_t i = 1; i < m_samples.size(); ++i)
        sum += std::llabs(m_samples[i].count() - m_samples[i - 1].count());
    return Duration(sum / Duration::rep(m_samples.size() - 1));
}

RoundTripStats::Duration RoundTripStats::min() const
{
    return m_samples.empty() ? Duration{} : *std::min_element(m_samples.begin(), m_samples.end());
}

RoundTripStats::Duration RoundTripStats::max() const
{
    return m_samples.empty() ? Duration{} : *std::max_element(m_samples.begin(), m_samples.end());
}

} // namespace synack::client
