#pragma once

// Everything a server operator can set, with PROTOCOL.md's defaults.

#include "protocol/framing.h"
#include "protocol/messages.h"

#include <QHostAddress>
#include <QString>
#include <chrono>

namespace synack::server {

using namespace std::chrono_literals;

struct ServerConfig
{
    QHostAddress bindAddress = QHostAddress::Any; // IPv4 and IPv6
    quint16 port = protocol::kDefaultPort;        // 0 picks a free one
    QString name;                                 // empty: the host name
    QString password;                             // empty: none
    QString motd;
    int maxClients = 10000;
    // Connections that have not said hello yet: overall (0: a quarter of the
    // open-file limit, so the rest stays for the room) and per address (0:
    // no limit).
    int maxPending = 0;
    int maxPendingPerAddress = 256; // a load test's 200 at once from one address fit
    std::chrono::milliseconds heartbeatInterval = 5s;
    std::chrono::milliseconds heartbeatTimeout = 15s;
    std::chrono::milliseconds helloTimeout = 10s;
    double floodRate = 20; // say/nick/who per second; 0 turns the limit off
    int floodBurst = 40;
    qint64 sendQueueBytes = 1024 * 1024;
    // Each peer's share of the server's time for decoding its input
    // (net::ConnectionSettings): a chatty client at the rate limit uses a
    // fiftieth of it; a hostile payload's peer waits for its turn.
    std::chrono::microseconds inputWorkPerSecond = 20ms;
    std::chrono::microseconds inputWorkBurst = 20ms;
    int backlog = 100;
    // The most a newcomer's backlog may take on the wire: eight full-length
    // messages; a 30-byte hello cannot buy a hundred of them.
    qsizetype backlogBytes = 64 * 1024;
    QString historyFile; // empty: history is kept in memory only
    bool discovery = true;
    quint16 discoveryPort = protocol::kDefaultDiscoveryPort;
    quint32 maxFrame = protocol::kDefaultServerMaxFrame;
    quint64 maxText = 8192;
    // Follow each connection's kernel TCP state (Linux), and the listener's.
    bool kernelStates = true;
    // The lab's view: record each connection's socket log (its lifecycle;
    // frames only for the connections a window shows, see
    // Connection::setRecording), and take a FIN without bye as a half-close.
    bool recordConnections = false;
    bool halfCloseTolerant = false;
};

} // namespace synack::server
