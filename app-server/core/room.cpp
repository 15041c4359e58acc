#include "room.h"

#include "protocol/codec.h"
#include "protocol/nick.h"
#include "session.h"

namespace synack::server {

Room::Room(int backlogSize, qsizetype backlogBytes)
    : m_backlogSize(backlogSize)
    , m_backlogByteLimit(backlogBytes)
{}

void Room::add(Session *session)
{
    m_members.append(session);
    m_byNickKey.insert(protocol::nickKey(session->nick()), session);
    session->setNickSkeleton(protocol::nickSkeleton(session->nick()));
    m_bySkeleton.insert(session->nickSkeleton(), session);
}

void Room::remove(Session *session)
{
    if (m_members.removeOne(session)) {
        m_byNickKey.remove(protocol::nickKey(session->nick()));
        m_bySkeleton.remove(session->nickSkeleton());
    }
}

bool Room::contains(const Session *session) const
{
    return m_byNickKey.value(protocol::nickKey(session->nick())) == session;
}

Session *Room::find(QStringView nick) const
{
    return m_byNickKey.value(protocol::nickKey(nick));
}

Session *Room::findLookalike(QStringView nick) const
{
    return m_bySkeleton.value(protocol::nickSkeleton(nick));
}

void Room::rename(Session *session, const QString &newNick)
{
    m_byNickKey.remove(protocol::nickKey(session->nick()));
    m_bySkeleton.remove(session->nickSkeleton());
    session->setNick(newNick);
    session->setNickSkeleton(protocol::nickSkeleton(newNick));
    m_byNickKey.insert(protocol::nickKey(newNick), session);
    m_bySkeleton.insert(session->nickSkeleton(), session);
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
    while (qsizetype(m_backlog.size()) > m_backlogSize)
        forgetOldest();
}

void Room::forgetOldest()
{
    if (m_framesInBytes > 0) {
        m_forgottenBytes += m_backlogFrames.front().size();
        --m_framesInBytes;
    }
    m_backlog.pop_front();
    m_backlogFrames.pop_front();
}

const QByteArray &Room::backlogFrames()
{
    for (; m_framesInBytes < m_backlog.size(); ++m_framesInBytes) {
        QByteArray &frame = m_backlogFrames[m_framesInBytes];
        if (frame.isEmpty()) {
            protocol::ChatMsg past = m_backlog[m_framesInBytes];
            past.backlog = true;
            frame = protocol::encodeMessageFrame(past);
        }
        m_backlogBytes.append(frame);
    }
    while (m_backlogBytes.size() - m_forgottenBytes > m_backlogByteLimit && !m_backlog.empty())
        forgetOldest();
    if (m_forgottenBytes > 0) {
        m_backlogBytes.remove(0, m_forgottenBytes); // Qt moves the start, no copy
        m_forgottenBytes = 0;
    }
    return m_backlogBytes;
}

} // namespace synack::server
