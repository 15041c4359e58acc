#include "pendinglogins.h"

namespace synack::server {

PendingLogins::Admission PendingLogins::admit(const QHostAddress &address)
{
    int &count = m_byAddress[address];
    if (m_maxPerAddress > 0 && count >= m_maxPerAddress) {
        if (count == 0)
            m_byAddress.remove(address);
        return Admission::AddressFull;
    }
    if (m_maxTotal > 0 && m_total >= m_maxTotal) {
        if (count == 0)
            m_byAddress.remove(address);
        return Admission::ServerFull;
    }
    ++count;
    ++m_total;
    return Admission::Admitted;
}

void PendingLogins::release(const QHostAddress &address)
{
    const auto it = m_byAddress.find(address);
    if (it == m_byAddress.end())
        return;
    --m_total;
    if (--*it <= 0)
        m_byAddress.erase(it);
}

} // namespace synack::server
