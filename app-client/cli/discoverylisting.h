#pragma once

#include "net/discoveryclient.h"

#include <QObject>

namespace synack::client {

// synack-client --discover: asks the LAN once and prints one line per server
// as it answers, e.g.
//
//   "Lab room" 192.168.1.20:9527 users=3 password=no
//
// then a count on the last line, and finishes with 0.
class DiscoveryListing : public QObject
{
    Q_OBJECT

public:
    explicit DiscoveryListing(QObject *parent = nullptr);

    void start(std::chrono::milliseconds window, quint16 port, const QList<QHostAddress> &targets);

    static QString describe(const net::DiscoveredServer &server);

signals:
    void finished(int exitCode);

private:
    net::DiscoveryClient m_discovery;
};

} // namespace synack::client
