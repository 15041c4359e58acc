#pragma once

// The one chat room: who is in it (by case-folded nick), the order of its
// messages (seq), and the recent ones a newcomer is shown (backlog).

#include "protocol/messages.h"

#include <QHash>
#include <QList>
#include <deque>

namespace synack::server {

class Session;

class Room
{
public:
    // The backlog keeps the last `backlogSize` room messages, and a newcomer
    // is sent the newest of them whose frames fit in `backlogBytes`.
    Room(int backlogSize, qsizetype backlogBytes);

    void add(Session *session);
    void remove(Session *session);
    bool contains(const Session *session) const;
    Session *find(QStringView nick) const; // case-insensitive
    // A member whose nick would display like `nick` (the same UTS #39
    // skeleton: `аlice` with a Cyrillic а, `ｂｏｂ`), or null.
    Session *findLookalike(QStringView nick) const;
    // Re-keys a member after a rename.
    void rename(Session *session, const QString &newNick);

    qsizetype size() const { return m_members.size(); }
    QStringList nicks() const;
    // In join order. A copy is cheap (shared) and stays valid while members
    // leave during a broadcast.
    QList<Session *> members() const { return m_members; }

    // Sends one encoded frame to every member except `except`.
    void broadcast(const QByteArray &frame, const Session *except = nullptr) const;

    quint64 lastSeq() const { return m_lastSeq; }
    quint64 nextSeq() { return ++m_lastSeq; }
    void setLastSeq(quint64 seq) { m_lastSeq = seq; }

    void remember(const protocol::ChatMsg &message);
    const std::deque<protocol::ChatMsg> &backlog() const { return m_backlog; }
    // The backlog as newcomers get it (marked "backlog"): its frames back to
    // back, each message encoded once when a newcomer first needs it, not
    // once per newcomer, and sent as one piece (one write, not a hundred).
    // At most backlogBytes: a 30-byte hello must not buy 800 KB (the oldest
    // messages over it are forgotten).
    const QByteArray &backlogFrames();

private:
    QList<Session *> m_members;
    QHash<QString, Session *> m_byNickKey;
    QHash<QString, Session *> m_bySkeleton;
    quint64 m_lastSeq = 0;
    void forgetOldest();

    int m_backlogSize;
    qsizetype m_backlogByteLimit;
    std::deque<protocol::ChatMsg> m_backlog;
    std::deque<QByteArray> m_backlogFrames; // beside m_backlog; empty: not yet encoded
    // The first m_framesInBytes frames, joined. A new message is appended to
    // it and a forgotten one cut from its front when a newcomer next needs
    // it: a room that chats between joins rewrites a frame or two, not all.
    QByteArray m_backlogBytes;
    std::size_t m_framesInBytes = 0;
    qsizetype m_forgottenBytes = 0; // at the front of m_backlogBytes
};

} // namespace synack::server
