#include "hostlistmodel.h"

#include <QHostAddress>

namespace synack::client {

QString endpointText(const QString &host, quint16 port)
{
    const bool v6 = QHostAddress(host).protocol() == QAbstractSocket::IPv6Protocol;
    return (v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(host).arg(port);
}

HostListModel::HostListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void HostListModel::setRecentHosts(const QList<HostAndPort> &hosts)
{
    beginResetModel();
    m_entries.removeIf([](const Entry &entry) { return !entry.lan; });
    for (const HostAndPort &host : hosts)
        m_entries.append({host, false, {}, 0, false});
    endResetModel();
}

QList<HostAndPort> HostListModel::recentHosts() const
{
    QList<HostAndPort> hosts;
    for (const Entry &entry : m_entries) {
        if (!entry.lan)
            hosts.append(entry.where);
    }
    return hosts;
}

void HostListModel::addLanServer(const net::DiscoveredServer &server)
{
    QHostAddress address = server.address;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // ::ffff:a.b.c.d as a.b.c.d
    if (isV4)
        address = QHostAddress(v4);
    const Entry entry{{address.toString(), server.port},
                      true,
                      server.name,
                      server.users,
                      server.passwordRequired};
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).lan && m_entries.at(row).where == entry.where) {
            m_entries[row] = entry;
            emit dataChanged(index(row), index(row));
            return;
        }
    }
    const int row = lanServerCount();
    beginInsertRows({}, row, row);
    m_entries.insert(row, entry);
    endInsertRows();
}

void HostListModel::clearLanServers()
{
    const int count = lanServerCount();
    if (count == 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    m_entries.remove(0, count);
    endRemoveRows();
}

int HostListModel::lanServerCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &entry) { return entry.lan; }));
}

int HostListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant HostListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(entry);
    case Qt::EditRole:
        return entry.where.host;
    case Qt::ToolTipRole:
        return entry.lan
                   ? tr("Found on the LAN: %1").arg(display(entry))
                   : tr("Used recently: %1").arg(endpointText(entry.where.host, entry.where.port));
    case PortRole:
        return entry.where.port;
    case LanRole:
        return entry.lan;
    default:
        return {};
    }
}

QString HostListModel::display(const Entry &entry) const
{
    const QString where = endpointText(entry.where.host, entry.where.port);
    if (!entry.lan)
        return where;
    const QString users = tr("%n user(s)", nullptr, int(entry.users));
    const QString name = entry.name.isEmpty() ? tr("SynAck server") : entry.name;
    return entry.password ? tr("%1 - %2 (%3, password)").arg(name, where, users)
                          : tr("%1 - %2 (%3)").arg(name, where, users);
}

} // namespace synack::client
