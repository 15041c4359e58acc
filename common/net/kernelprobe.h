#pragma once

// What the kernel knows about a TCP socket: its state, its timer, its queues
// and TCP_INFO. On Linux the states come from NETLINK_SOCK_DIAG (what `ss`
// uses); elsewhere isAvailable() is false and every look comes back empty.
//
// A socket is named by its 4-tuple and its cookie (SO_COOKIE, unique for the
// life of the kernel), not by its fd, so it can still be looked at after the
// application closed it: in FIN_WAIT_2, TIME_WAIT, LAST_ACK ...

#include "net/tcpstate.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace synack::net {

struct SocketKey
{
    QHostAddress localAddress;
    quint16 localPort = 0;
    QHostAddress peerAddress; // the unspecified address, port 0, for a listener
    quint16 peerPort = 0;
    quint64 cookie = 0; // 0: unknown, any socket with this 4-tuple will do

    friend bool operator==(const SocketKey &, const SocketKey &) = default;
};

struct KernelSocketState
{
    // The kernel's idiag_timer.
    enum TimerKind : int {
        NoTimer = 0,
        RetransmitTimer = 1, // also the zero window probe and tail loss probe
        KeepaliveTimer = 2,  // also an orphan's FIN_WAIT_2 beyond 60 s
        TimeWaitTimer = 3,   // TIME_WAIT, and FIN_WAIT_2 once the fd is closed
        ZeroWindowTimer = 4,
    };

    TcpState state = TcpState::Unknown;
    // Time left on the running timer (idiag_expires, clamped at 0 once it is
    // overdue); at most 60 s for TIME_WAIT on Linux.
    std::optional<qint64> timerMs;
    int timerKind = NoTimer;
    // Bytes not read by the application / not acknowledged by the peer. For a
    // listener: connections waiting in accept() / the backlog. Only lookup()
    // fills them.
    quint32 recvQueue = 0;
    quint32 sendQueue = 0;
};

// getsockopt(TCP_INFO), the fields the windows show.
struct TcpInfo
{
    quint32 rttUs = 0; // smoothed round trip time
    quint32 rttVarUs = 0;
    quint32 retransmits = 0; // of the segment being retransmitted now
    quint32 totalRetrans = 0;
    quint32 sndCwnd = 0;   // in segments
    quint32 unacked = 0;   // segments
    quint32 lost = 0;      // segments
    quint64 bytesSent = 0; // retransmissions included; 0 on kernels before 4.19
    quint64 bytesReceived = 0;
    quint64 bytesAcked = 0; // the SYN's sequence number included
    quint32 state = 0;      // the kernel's number, see tcpStateFromKernel()
};

class KernelProbe
{
public:
    // Whether lookups work here (checked once, on a listener of its own). On
    // false, `whyNot` gets a sentence for the person looking at the window.
    static bool isAvailable(QString *whyNot = nullptr);

    // SO_COOKIE: the kernel's 64-bit id of the socket, never 0.
    static std::optional<quint64> socketCookie(qintptr fd);

    // The 4-tuple (getsockname/getpeername) and cookie of a socket.
    static std::optional<SocketKey> keyOf(qintptr fd);

    // One exact NETLINK_SOCK_DIAG request, a few microseconds. A socket the
    // kernel no longer has (or a cookie that no longer matches) is Closed;
    // nullopt means the probe itself failed. IPv4-mapped IPv6 addresses (a
    // dual-stack listener's connections) are looked up as IPv4.
    static std::optional<KernelSocketState> lookup(const SocketKey &key);

    // The state of a socket this process holds open as `fd`, from
    // getsockopt(TCP_INFO): a fraction of a netlink request, no timer and no
    // queues. The caller vouches that `fd` is that socket (KernelStateTracker's
    // callers hold it from track() to setHeldDescriptor(-1)); checking its
    // cookie at every look would double the system calls. nullopt when `fd`
    // is closed. CLOSED means the socket has no state of its own any more,
    // which does not say the connection is over: an active closer's lives on
    // in TIME_WAIT, which only lookup() sees.
    static std::optional<KernelSocketState> lookupHeld(qintptr fd);

    static std::optional<TcpInfo> tcpInfo(qintptr fd);

    // Every LISTEN socket on `port` (0: on any port), IPv4 and IPv6; a dump of
    // the kernel's tables, to discover a socket before looking it up exactly.
    static QList<std::pair<SocketKey, KernelSocketState>> dumpListening(quint16 port);
};

} // namespace synack::net
