#include "loginguard.h"

#include <algorithm>

namespace synack::server {

using namespace std::chrono;

std::optional<seconds> LoginGuard::waitFor(const QHostAddress &address, Clock::time_point now)
{
    const auto it = m_records.constFind(address);
    if (it == m_records.cend())
        return std::nullopt;
    const Clock::time_point until = std::max(it->tryAgainAt, it->bannedUntil);
    if (until <= now)
        return std::nullopt;
    return ceil<seconds>(until - now);
}

bool LoginGuard::isBanned(const QHostAddress &address, Clock::time_point now) const
{
    const auto it = m_records.constFind(address);
    return it != m_records.cend() && it->bannedUntil > now;
}

LoginGuard::Verdict LoginGuard::failed(const QHostAddress &address, Clock::time_point now)
{
    if (!m_records.contains(address) && m_records.size() >= kMaxAddresses)
        forgetOld(now);
    Record &record = m_records[address];
    if (record.failures > 0 && now - record.lastFailure > kMemory && record.bannedUntil <= now)
        record = Record{};
    ++record.failures;
    record.lastFailure = now;
    if (record.failures >= kBanFailures) {
        record.bannedUntil = now + kBanTime;
        record.failures = 0; // after the ban, the address starts afresh
        return Verdict::Banned;
    }
    if (record.failures <= kFreeFailures)
        return Verdict::Counted;
    // 1 s after the first failure past the free ones, then 2, 4, ... 60 s.
    const int doublings = std::min(record.failures - kFreeFailures - 1, 6);
    record.tryAgainAt = now + std::min<Clock::duration>(seconds(1 << doublings), kLongestWait);
    return Verdict::MustWait;
}

void LoginGuard::forgetOld(Clock::time_point now)
{
    for (auto it = m_records.begin(); it != m_records.end();) {
        if (it->bannedUntil <= now && now - it->lastFailure > kMemory)
            it = m_records.erase(it);
        else
            ++it;
    }
    // Still full (a flood of addresses): the oldest failure goes.
    if (m_records.size() >= kMaxAddresses) {
        auto oldest = std::min_element(
            m_records.begin(), m_records.end(),
            [](const Record &a, const Record &b) { return a.lastFailure < b.lastFailure; });
        m_records.erase(oldest);
    }
}

} // namespace synack::server
