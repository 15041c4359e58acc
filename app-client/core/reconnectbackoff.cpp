#include "reconnectbackoff.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace synack::client {

ReconnectBackoff::ReconnectBackoff(Duration base, Duration max, RandomSource random)
    : m_base(std::max(base, Duration(1)))
    , m_max(std::max(max, m_base))
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

ReconnectBackoff::Duration ReconnectBackoff::next()
{
    // Doubling stops once past the cap, so the exponent never overflows.
    double nominal = double(m_base.count());
    for (int i = 0; i < m_attempts && nominal < double(m_max.count()); ++i)
        nominal *= 2;
    nominal = std::min(nominal, double(m_max.count()));
    ++m_attempts;

    const double spread = 1.0 + kJitter * (2.0 * m_random() - 1.0);
    const auto delay = Duration(std::llround(nominal * spread));
    return std::clamp(delay, m_base, m_max);
}

} // namespace synack::client
