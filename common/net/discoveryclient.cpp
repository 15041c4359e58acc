#include "net/discoveryclient.h"

#include "protocol/codec.h"

#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QUdpSocket>
#include <algorithm>

namespace synack::net {

namespace {

// A server seen on two interfaces answers twice with the same address; the
// address and the chat port together name it.
bool sameServer(const DiscoveredServer &a, const DiscoveredServer &b)
{
    return a.address.isEqual(b.address, QHostAddress::TolerantConversion) && a.port == b.port;
}

// ::ffff:192.0.2.1 reads better as 192.0.2.1.
QHostAddress plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

} // namespace

DiscoveryClient::DiscoveryClient(QObject *parent)
    : QObject(parent)
{
    m_window.setSingleShot(true);
    connect(&m_window, &QTimer::timeout, this, &DiscoveryClient::finish);
}

DiscoveryClient::~DiscoveryClient() = default;

QList<QHostAddress> DiscoveryClient::broadcastTargets()
{
    QList<QHostAddress> targets;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) ||
            !flags.testFlag(QNetworkInterface::CanBroadcast))
            continue;
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress broadcast = entry.broadcast();
            if (!broadcast.isNull() && !targets.contains(broadcast))
                targets.append(broadcast);
        }
    }
    targets.append(QHostAddress(QHostAddress::Broadcast));
    return targets;
}

void DiscoveryClient::start(std::chrono::milliseconds window, quint16 port,
                            QList<QHostAddress> targets)
{
    stop();
    m_servers.clear();
    if (targets.isEmpty())
        targets = broadcastTargets();

    // IPv4 only unless a target needs IPv6: a dual-stack socket cannot broadcast.
    const bool needsV6 = std::any_of(targets.cbegin(), targets.cend(), [](const QHostAddress &a) {
        return a.protocol() == QAbstractSocket::IPv6Protocol;
    });
    m_socket = new QUdpSocket(this);
    m_socket->bind(needsV6 ? QHostAddress(QHostAddress::Any) : QHostAddress(QHostAddress::AnyIPv4),
                   0);
    connect(m_socket, &QUdpSocket::readyRead, this, &DiscoveryClient::readAnswers);

    const QByteArray question = protocol::encodePayload(protocol::Discover{});
    for (const QHostAddress &target : std::as_const(targets))
        m_socket->writeDatagram(question, target, port); // an unreachable target is no error
    m_window.start(window);
}

void DiscoveryClient::stop()
{
    m_window.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void DiscoveryClient::readAnswers()
{
    while (m_socket && m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram =
            m_socket->receiveDatagram(protocol::kMaxDiscoveryDatagram + 1);
        if (!datagram.isValid() || datagram.data().size() > protocol::kMaxDiscoveryDatagram)
            continue;
        const auto decoded = protocol::decodePayload(datagram.data(), protocol::Role::Discovery);
        const auto *here =
            decoded.message ? std::get_if<protocol::Here>(&*decoded.message) : nullptr;
        if (!here || here->port == 0 || here->port > 65535)
            continue;
        const DiscoveredServer server{here->name, plainAddress(datagram.senderAddress()),
                                      quint16(here->port), here->users, here->pass};
        const bool known =
            std::any_of(m_servers.cbegin(), m_servers.cend(),
                        [&](const DiscoveredServer &s) { return sameServer(s, server); });
        if (known)
            continue;
        m_servers.append(server);
        emit serverFound(server);
    }
}

void DiscoveryClient::finish()
{
    readAnswers(); // anything that arrived with the deadline
    stop();
    emit finished(m_servers);
}

} // namespace synack::net
