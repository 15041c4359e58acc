#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>
#include <chrono>

namespace synack::net {

class Connection;

// One timer for the heartbeats of many connections (Mumble's habit): each tick
// lets every connection send its ping when due and notice a silent peer.
class HeartbeatSweeper : public QObject
{
    Q_OBJECT

public:
    explicit HeartbeatSweeper(QObject *parent = nullptr);
    ~HeartbeatSweeper() override;

    // The tick period; pings and timeouts are late by at most this much.
    void setResolution(std::chrono::milliseconds resolution);
    std::chrono::milliseconds resolution() const;

    // Ticks `connection` until it closes or is destroyed: the connection
    // tells the sweeper itself, rather than through two signal connections
    // made and unmade for each of a server's many short visits.
    void add(Connection *connection);
    void remove(Connection *connection);
    qsizetype count() const { return m_connections.size(); }

private:
    void sweep();

    QSet<Connection *> m_connections;
    QTimer m_timer;
};

} // namespace synack::net
