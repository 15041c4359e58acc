#pragma once

// The host box's list: servers found on the LAN first, then the hosts used
// recently. The list shows "name - address:port (3 users)"; the box's edit
// field takes only the address (Qt::EditRole), and PortRole gives the port.

#include "clientsettings.h"
#include "net/discoveryclient.h"

#include <QAbstractListModel>

namespace synack::client {

class HostListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        PortRole = Qt::UserRole + 1, // quint16
        LanRole,                     // bool: found by a scan
    };

    explicit HostListModel(QObject *parent = nullptr);

    void setRecentHosts(const QList<HostAndPort> &hosts);
    QList<HostAndPort> recentHosts() const;
    // Adds a server found on the LAN, or updates it (same address and port).
    void addLanServer(const net::DiscoveredServer &server);
    void clearLanServers();
    int lanServerCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        HostAndPort where;
        bool lan = false;
        QString name;
        quint64 users = 0;
        bool password = false;
    };

    QString display(const Entry &entry) const;

    QList<Entry> m_entries; // LAN servers first
};

// "host:port", "[::1]:port" for IPv6 addresses.
QString endpointText(const QString &host, quint16 port);

} // namespace synack::client
