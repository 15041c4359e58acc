#include "roomsequence.h"

#include <algorithm>

namespace synack::client {

RoomSequence::RoomSequence(int memory)
    : m_memory(std::max(1, memory))
{}

QString RoomSequence::fingerprint(const QString &from, const QString &text, qint64 ts)
{
    return QString::number(ts) + QLatin1Char('\n') + from + QLatin1Char('\n') + text;
}

RoomSequence::Result RoomSequence::accept(quint64 seq, const QString &from, const QString &text,
                                          qint64 ts, bool backlog)
{
    const QString print = fingerprint(from, text, ts);
    if (backlog && m_seen.value(seq) == print)
        return {true, std::nullopt};

    Result result;
    if (m_expected && seq > *m_expected)
        result.missedFrom = m_expected;
    else if (m_expected && seq < *m_expected)
        clear(); // numbering started again: a new history

    m_expected = seq + 1;
    if (!m_seen.contains(seq))
        m_order.push_back(seq);
    m_seen.insert(seq, print);
    while (int(m_order.size()) > m_memory) {
        m_seen.remove(m_order.front());
        m_order.pop_front();
    }
    return result;
}

void RoomSequence::clear()
{
    m_expected.reset();
    m_seen.clear();
    m_order.clear();
}

} // namespace synack::client
