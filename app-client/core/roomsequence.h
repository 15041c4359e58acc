#pragma once

#include <QHash>
#include <QString>
#include <deque>
#include <optional>

namespace synack::client {

// Follows the room's `seq` numbers (PROTOCOL.md section 5): 1, 2, 3, ...
// with no gaps. It tells the client
// - that messages were missed (a jump forward), and
// - which backlog messages after a reconnect were already shown: the same
//   seq with the same sender, text and time. A server restarted without its
//   history numbers from 1 again; its messages differ and are all new.
class RoomSequence
{
public:
    struct Result
    {
        bool duplicate = false;
        std::optional<quint64> missedFrom; // first missing seq when there is a gap
    };

    explicit RoomSequence(int memory = 512);

    Result accept(quint64 seq, const QString &from, const QString &text, qint64 ts, bool backlog);
    void clear();

    std::optional<quint64> expected() const { return m_expected; }

private:
    static QString fingerprint(const QString &from, const QString &text, qint64 ts);

    int m_memory;
    std::optional<quint64> m_expected;
    QHash<quint64, QString> m_seen; // seq -> fingerprint, for the last m_memory messages
    std::deque<quint64> m_order;
};

} // namespace synack::client
