#include "clientsettings.h"

#include "protocol/messages.h"

namespace synack::client {

namespace {

const QString kNick = QStringLiteral("nick");
const QString kPort = QStringLiteral("port");
const QString kAutoReconnect = QStringLiteral("autoReconnect");
const QString kRecentHosts = QStringLiteral("recentHosts");
const QString kHost = QStringLiteral("host");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kWindowState = QStringLiteral("window/state");

} // namespace

ClientSettings::ClientSettings()
    : m_settings(QStringLiteral("SynAck"), QStringLiteral("synack-client"))
{}

QString ClientSettings::nick() const
{
    return m_settings.value(kNick).toString();
}

void ClientSettings::setNick(const QString &nick)
{
    m_settings.setValue(kNick, nick);
}

quint16 ClientSettings::port() const
{
    const uint port = m_settings.value(kPort, protocol::kDefaultPort).toUInt();
    return port > 0 && port <= 65535 ? quint16(port) : protocol::kDefaultPort;
}

void ClientSettings::setPort(quint16 port)
{
    m_settings.setValue(kPort, port);
}

bool ClientSettings::autoReconnect() const
{
    return m_settings.value(kAutoReconnect, true).toBool();
}

void ClientSettings::setAutoReconnect(bool on)
{
    m_settings.setValue(kAutoReconnect, on);
}

QList<HostAndPort> ClientSettings::recentHosts() const
{
    QSettings &settings = m_settings;
    QList<HostAndPort> hosts;
    const int size = settings.beginReadArray(kRecentHosts);
    for (int i = 0; i < size; ++i) {
        settings.setArrayIndex(i);
        const QString host = settings.value(kHost).toString().trimmed();
        const uint port = settings.value(kPort).toUInt();
        if (!host.isEmpty() && port > 0 && port <= 65535)
            hosts.append({host, quint16(port)});
    }
    settings.endArray();
    return hosts;
}

void ClientSettings::addRecentHost(const HostAndPort &entry)
{
    QList<HostAndPort> hosts = recentHosts();
    hosts.removeAll(entry);
    hosts.prepend(entry);
    while (hosts.size() > kMaxRecentHosts)
        hosts.removeLast();
    m_settings.beginWriteArray(kRecentHosts, int(hosts.size()));
    for (int i = 0; i < hosts.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(kHost, hosts.at(i).host);
        m_settings.setValue(kPort, hosts.at(i).port);
    }
    m_settings.endArray();
}

QByteArray ClientSettings::geometry() const
{
    return m_settings.value(kGeometry).toByteArray();
}

void ClientSettings::setGeometry(const QByteArray &geometry)
{
    m_settings.setValue(kGeometry, geometry);
}

QByteArray ClientSettings::windowState() const
{
    return m_settings.value(kWindowState).toByteArray();
}

void ClientSettings::setWindowState(const QByteArray &state)
{
    m_settings.setValue(kWindowState, state);
}

} // namespace synack::client
