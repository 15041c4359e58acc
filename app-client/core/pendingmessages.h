#pragma once

#include <QList>
#include <QString>
#include <map>
#include <optional>

namespace synack::client {

// The messages sent and not yet answered, by local id. Each leaves exactly
// once: delivered (echo), rejected (error with its id) or dropped with the
// connection. Nothing is retried: a message the server may or may not have
// seen is reported, never sent twice.
class PendingMessages
{
public:
    struct Entry
    {
        quint64 id = 0;
        QString text;
        std::optional<QString> to;
    };

    void add(Entry entry);
    // Removes and returns the entry for `id`; nothing for an unknown id.
    std::optional<Entry> take(quint64 id);
    // Removes and returns everything, oldest first.
    QList<Entry> takeAll();

    bool contains(quint64 id) const { return m_entries.count(id) > 0; }
    qsizetype count() const { return qsizetype(m_entries.size()); }
    bool isEmpty() const { return m_entries.empty(); }

private:
    std::map<quint64, Entry> m_entries; // ids grow, so this is oldest first
};

} // namespace synack::client
