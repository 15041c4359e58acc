#include "session.h"

namespace synack::server {

Session::Session(quint64 id, net::Connection *connection, const TokenBucket &bucket,
                 QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_connection(connection)
    , m_connectedSinceMs(QDateTime::currentMSecsSinceEpoch())
    , m_acceptedAt(Clock::now())
    , m_bucket(bucket)
{
    m_connection->setParent(this);
    m_peerAddress = connection->peerAddress(); // a.b.c.d, also from a dual-stack listener
    m_peerPort = connection->peerPort();
    const QString address = m_peerAddress.toString();
    const QString port = QString::number(m_peerPort);
    m_peer = m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol
                 ? QString(u'[' + address + u"]:" + port)
                 : QString(address + u':' + port);
}

} // namespace synack::server
