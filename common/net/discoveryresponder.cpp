#include "net/discoveryresponder.h"

#include "protocol/codec.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

namespace synack::net {

DiscoveryResponder::DiscoveryResponder(std::function<protocol::Here()> describe, QObject *parent)
    : QObject(parent)
    , m_describe(std::move(describe))
    , m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &DiscoveryResponder::onReadyRead);
}

bool DiscoveryResponder::start(quint16 port)
{
    stop();
    // Several servers on one machine (a classroom demo) may all answer.
    return m_socket->bind(QHostAddress::AnyIPv4, port,
                          QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint);
}

void DiscoveryResponder::stop()
{
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->close();
}

quint16 DiscoveryResponder::port() const
{
    return m_socket->localPort();
}

QString DiscoveryResponder::errorString() const
{
    return m_socket->errorString();
}

void DiscoveryResponder::onReadyRead()
{
    while (m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram =
            m_socket->receiveDatagram(protocol::kMaxDiscoveryDatagram + 1);
        const QByteArray data = datagram.data();
        if (data.isEmpty() || data.size() > protocol::kMaxDiscoveryDatagram)
            continue;
        const protocol::DecodeResult decoded =
            protocol::decodePayload(data, protocol::Role::Discovery);
        if (!decoded.message || !std::holds_alternative<protocol::Discover>(*decoded.message))
            continue;
        m_socket->writeDatagram(protocol::encodePayload(m_describe()), datagram.senderAddress(),
                                quint16(datagram.senderPort()));
        emit answered(datagram.senderAddress().toString());
    }
}

} // namespace synack::net
