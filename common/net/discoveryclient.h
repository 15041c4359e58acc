#pragma once

// LAN discovery, the asking side (PROTOCOL.md section 9):
//
//   client --UDP {t: "discover", v: 1}--> broadcast (or given targets), port 9528
//   server --UDP {t: "here", v: 1, name, port, users, pass}--> client, unicast
//
// One question, then every answer that arrives within a short window is
// collected. Datagrams over 512 bytes or that do not decode are ignored.

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <chrono>

class QUdpSocket;

namespace synack::net {

struct DiscoveredServer
{
    QString name;
    QHostAddress address; // where the answer came from
    quint16 port = 0;     // the chat's TCP port, from the answer
    quint64 users = 0;
    bool passwordRequired = false;
};

class DiscoveryClient : public QObject
{
    Q_OBJECT

public:
    explicit DiscoveryClient(QObject *parent = nullptr);
    ~DiscoveryClient() override;

    // Asks once and listens for `window`. Empty `targets`: the broadcast
    // address of every interface, and 255.255.255.255. A running search is
    // abandoned (without `finished`).
    void start(std::chrono::milliseconds window, quint16 port = 9528,
               QList<QHostAddress> targets = {});
    void stop();
    bool isRunning() const { return m_window.isActive(); }
    const QList<DiscoveredServer> &servers() const { return m_servers; }

    // Every interface's IPv4 broadcast address, then 255.255.255.255.
    static QList<QHostAddress> broadcastTargets();

signals:
    // Once per server (address and port), as its first answer arrives.
    void serverFound(const synack::net::DiscoveredServer &server);
    // At the end of the window, with everything found.
    void finished(const QList<synack::net::DiscoveredServer> &servers);

private:
    void readAnswers();
    void finish();

    QUdpSocket *m_socket = nullptr;
    QTimer m_window;
    QList<DiscoveredServer> m_servers;
};

} // namespace synack::net
