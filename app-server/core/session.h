#pragma once

// One client as the server sees it: its connection, whether and as whom it is
// registered, its rate limit and its counters.

#include "net/connection.h"
#include "tokenbucket.h"

#include <QDateTime>
#include <QHostAddress>
#include <QObject>

namespace synack::server {

class Session : public QObject
{
    Q_OBJECT

public:
    using Clock = std::chrono::steady_clock;

    Session(quint64 id, net::Connection *connection, const TokenBucket &bucket,
            QObject *parent = nullptr);

    quint64 id() const { return m_id; }
    net::Connection *connection() const { return m_connection; }
    QString peer() const { return m_peer; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    QDateTime connectedSince() const { return QDateTime::fromMSecsSinceEpoch(m_connectedSinceMs); }
    Clock::time_point acceptedAt() const { return m_acceptedAt; }

    bool isRegistered() const { return !m_nick.isEmpty(); }
    QString nick() const { return m_nick; }
    void setNick(const QString &nick) { m_nick = nick; }
    // The nick's look-alike skeleton, kept by the Room while it is a member
    // (protocol::nickSkeleton costs a microsecond or two: once a nick).
    const QString &nickSkeleton() const { return m_nickSkeleton; }
    void setNickSkeleton(const QString &skeleton) { m_nickSkeleton = skeleton; }

    TokenBucket &rateLimit() { return m_bucket; }

    // Set when the server itself ends the session, so the room hears why.
    QString leaveReason() const { return m_leaveReason; }
    void setLeaveReason(const QString &reason) { m_leaveReason = reason; }

    // Counted among the connections waiting for hello (PendingLogins).
    bool countedPending = false;
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;

private:
    quint64 m_id;
    net::Connection *m_connection;
    QString m_peer;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    qint64 m_connectedSinceMs; // not a QDateTime: its local zone costs a stat() per session
    Clock::time_point m_acceptedAt;
    QString m_nick;
    QString m_nickSkeleton;
    TokenBucket m_bucket;
    QString m_leaveReason;
};

} // namespace synack::server
