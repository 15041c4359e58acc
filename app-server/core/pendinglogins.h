#pragma once

// The connections that have not said hello yet, counted overall and per
// address (docs/protocol.md, "Protection"). They hold a descriptor each and
// give nothing back: 700 of them once kept every newcomer waiting 10 s. An
// address may hold a few at once; past the overall cap, the oldest makes
// room for the newest, so a newcomer always gets in.

#include <QHash>
#include <QHostAddress>

namespace synack::server {

class PendingLogins
{
public:
    PendingLogins(int maxTotal, int maxPerAddress)
        : m_maxTotal(maxTotal)
        , m_maxPerAddress(maxPerAddress)
    {}
    void setMaxTotal(int maxTotal) { m_maxTotal = maxTotal; }
    int maxTotal() const { return m_maxTotal; }
    int maxPerAddress() const { return m_maxPerAddress; }

    enum class Admission {
        Admitted,    // counted
        AddressFull, // that address has its share waiting already
        ServerFull,  // room must be made first (release one, then admit again)
    };
    Admission admit(const QHostAddress &address);
    // A counted connection said hello or went away.
    void release(const QHostAddress &address);
    int total() const { return m_total; }

private:
    int m_maxTotal;
    int m_maxPerAddress;
    int m_total = 0;
    QHash<QHostAddress, int> m_byAddress;
};

} // namespace synack::server
