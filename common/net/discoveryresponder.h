#pragma once

// The server's half of LAN discovery (PROTOCOL.md section 9): answers each
// `discover` datagram with a unicast `here`.

#include "protocol/messages.h"

#include <QObject>
#include <functional>

class QUdpSocket;

namespace synack::net {

class DiscoveryResponder : public QObject
{
    Q_OBJECT

public:
    // `describe` is asked for the current answer (users change all the time).
    explicit DiscoveryResponder(std::function<protocol::Here()> describe,
                                QObject *parent = nullptr);

    // Binds UDP `port` on every IPv4 interface; false (with errorString()) if
    // the port is taken.
    bool start(quint16 port);
    void stop();
    quint16 port() const;
    QString errorString() const;

signals:
    void answered(const QString &peer);

private:
    void onReadyRead();

    std::function<protocol::Here()> m_describe;
    QUdpSocket *m_socket;
};

} // namespace synack::net
