#pragma once

// Password guessing, slowed per address (docs/protocol.md, "Protection"), as
// Mumble's autoban does: the first few wrong passwords from an address are
// answered as usual; after that the address must wait, twice as long after
// each, and its hellos are refused unchecked meanwhile; enough of them bans
// it for a while. Other addresses are never slowed. No timer: the server
// brings the time.

#include <QHash>
#include <QHostAddress>
#include <chrono>
#include <optional>

namespace synack::server {

class LoginGuard
{
public:
    using Clock = std::chrono::steady_clock;

    static constexpr int kFreeFailures = 3;
    static constexpr int kBanFailures = 10;
    static constexpr std::chrono::seconds kLongestWait{60};
    static constexpr std::chrono::minutes kBanTime{10};
    // An address with no failure for this long starts afresh.
    static constexpr std::chrono::minutes kMemory{10};
    static constexpr int kMaxAddresses = 4096;

    // How long `address` must still wait before its password is checked;
    // nullopt when it may try now.
    std::optional<std::chrono::seconds> waitFor(const QHostAddress &address, Clock::time_point now);
    bool isBanned(const QHostAddress &address, Clock::time_point now) const;

    enum class Verdict { Counted, MustWait, Banned };
    // A wrong password from `address`: what it now means for the address.
    Verdict failed(const QHostAddress &address, Clock::time_point now);
    // The right password: the address's record is gone.
    void succeeded(const QHostAddress &address) { m_records.remove(address); }

    int trackedAddresses() const { return int(m_records.size()); }

private:
    struct Record
    {
        int failures = 0;
        Clock::time_point lastFailure;
        Clock::time_point tryAgainAt;
        Clock::time_point bannedUntil;
    };
    void forgetOld(Clock::time_point now);

    QHash<QHostAddress, Record> m_records;
};

} // namespace synack::server
