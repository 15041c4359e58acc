#include "room.h"

#include "protocol/codec.h"
#include "protocol/nick.h"
#include "session.h"

#include <cstring>

namespace synack::server {

Room::Room(int backlogSize)
    : m_backlogSize(backlogSize)
{}

void Room::add(Session *session)
{
    m_members.append(session);
    m_byNickKey.insert(protocol::nickKey(session->nick()), session);
}

void Room::remove(Session *session)
{
    if (m_members.removeOne(session))
        m_byNickKey.remove(protocol::nickKey(session->nick()));
}

bool Room::contains(const Session *session) const
{
    return m_byNickKey.value(protocol::nickKey(session->nick())) == session;
}

Session *Room::find(QStringView nick) const
{
    return m_byNickKey.value(protocol::nickKey(nick));
}

void Room::rename(Session *session, const QString &newNick)
{
    m_byNickKey.remove(protocol::nickKey(session->nick()));
    session->setNick(newNick);
    m_byNickKey.insert(protocol::nickKey(newNick), session);
}

QStringList Room::nicks() const
{
    QStringList list;
    list.reserve(m_members.size());
    for (const Session *member : m_members)
        list.append(member->nick());
    return list;
}

void Room::broadcast(const QByteArray &frame, const Session *except) const
{
    const QList<Session *> members = m_members;
    for (Session *member : members) {
        if (member != except) {
            member->connection()->sendFrame(frame);
            ++member->messagesOut;
        }
    }
}

void Room::remember(const protocol::ChatMsg &message)
{
    if (m_backlogSize <= 0)
        return;
    m_backlog.push_back(message);
    m_backlogFrames.emplace_back();
    m_backlogBytes.clear();
    while (qsizetype(m_backlog.size()) > m_backlogSize) {
        m_backlog.pop_front();
        m_backlogFrames.pop_front();
    }
}

const QByteArray &Room::backlogFrames() const
{
    if (!m_backlogBytes.isEmpty() || m_backlog.empty())
        return m_backlogBytes;
    qsizetype total = 0;
    for (std::size_t i = 0; i < m_backlog.size(); ++i) {
        if (m_backlogFrames[i].isEmpty()) {
            protocol::ChatMsg past = m_backlog[i];
            past.backlog = true;
            m_backlogFrames[i] = protocol::encodeMessageFrame(past);
        }
        total += m_backlogFrames[i].size();
    }
    // Copied in place: every join after a new message rebuilds this, and a
    // QByteArray::append() per frame cost more than the copying.
    m_backlogBytes.resize(total);
    char *at = m_backlogBytes.data();
    for (const QByteArray &frame : m_backlogFrames) {
        std::memcpy(at, frame.constData(), std::size_t(frame.size()));
        at += frame.size();
    }
    return m_backlogBytes;
}

} // namespace synack::server
