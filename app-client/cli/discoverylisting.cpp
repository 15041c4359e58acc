#include "discoverylisting.h"

#include "terminaltext.h"
#include "text/peertext.h"

namespace synack::client {

DiscoveryListing::DiscoveryListing(QObject *parent)
    : QObject(parent)
{
    connect(&m_discovery, &net::DiscoveryClient::serverFound, this,
            [](const net::DiscoveredServer &server) { writeLine(stdout, describe(server)); });
    connect(&m_discovery, &net::DiscoveryClient::finished, this,
            [this](const QList<net::DiscoveredServer> &servers) {
                writeLine(stdout,
                          servers.isEmpty()
                              ? QStringLiteral("-- no servers found")
                              : QStringLiteral("-- %1 server(s) found").arg(servers.size()));
                emit finished(0);
            });
}

void DiscoveryListing::start(std::chrono::milliseconds window, quint16 port,
                             const QList<QHostAddress> &targets)
{
    m_discovery.start(window, port, targets);
}

QString DiscoveryListing::describe(const net::DiscoveredServer &server)
{
    QString name = text::visiblePeerText(server.name);
    name.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    const QString address = server.address.protocol() == QAbstractSocket::IPv6Protocol
                                ? QStringLiteral("[%1]").arg(server.address.toString())
                                : server.address.toString();
    return QStringLiteral("\"%1\" %2:%3 users=%4 password=%5")
        .arg(name, address)
        .arg(server.port)
        .arg(server.users)
        .arg(server.passwordRequired ? QStringLiteral("yes") : QStringLiteral("no"));
}

} // namespace synack::client
