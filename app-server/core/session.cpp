#include "session.h"

#include <QTcpSocket>

namespace synack::server {

Session::Session(quint64 id, net::Connection *connection, const TokenBucket &bucket,
                 QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_connection(connection)
    , m_connectedSince(QDateTime::currentDateTime())
    , m_acceptedAt(Clock::now())
    , m_bucket(bucket)
{
    m_connection->setParent(this);
    const QTcpSocket *socket = connection->socket();
    m_peerAddress = socket->peerAddress();
    m_peerPort = socket->peerPort();
    // Dual-stack listeners report IPv4 peers as ::ffff:a.b.c.d; show a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = m_peerAddress.toIPv4Address(&isV4);
    if (isV4)
        m_peerAddress = QHostAddress(v4);
    m_peer = m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol
                 ? QStringLiteral("[%1]:%2").arg(m_peerAddress.toString()).arg(m_peerPort)
                 : QStringLiteral("%1:%2").arg(m_peerAddress.toString()).arg(m_peerPort);
}

} // namespace synack::server
