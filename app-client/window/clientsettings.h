#pragma once

// What the window remembers between runs, in QSettings ("SynAck",
// "synack-client"): the nick, the port, the hosts connected to recently,
// auto-reconnect, and the window's geometry and layout. Never the password.

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>

namespace synack::client {

struct HostAndPort
{
    QString host;
    quint16 port = 0;

    friend bool operator==(const HostAndPort &, const HostAndPort &) = default;
};

class ClientSettings
{
public:
    static constexpr int kMaxRecentHosts = 10;

    ClientSettings();

    QString nick() const;
    void setNick(const QString &nick);
    quint16 port() const; // 9527 until set
    void setPort(quint16 port);
    bool autoReconnect() const; // on until set
    void setAutoReconnect(bool on);
    // Newest first.
    QList<HostAndPort> recentHosts() const;
    // Moves (host, port) to the front, dropping the oldest beyond kMaxRecentHosts.
    void addRecentHost(const HostAndPort &entry);

    QByteArray geometry() const;
    void setGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    void sync() { m_settings.sync(); }

private:
    mutable QSettings m_settings; // reading an array moves its cursor
};

} // namespace synack::client
