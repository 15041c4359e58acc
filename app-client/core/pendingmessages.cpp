#include "pendingmessages.h"

namespace synack::client {

void PendingMessages::add(Entry entry)
{
    const quint64 id = entry.id;
    m_entries.insert_or_assign(id, std::move(entry));
}

std::optional<PendingMessages::Entry> PendingMessages::take(quint64 id)
{
    auto node = m_entries.extract(id);
    if (node.empty())
        return std::nullopt;
    return std::move(node.mapped());
}

QList<PendingMessages::Entry> PendingMessages::takeAll()
{
    QList<Entry> all;
    all.reserve(qsizetype(m_entries.size()));
    for (auto &[id, entry] : m_entries)
        all.append(std::move(entry));
    m_entries.clear();
    return all;
}

} // namespace synack::client
