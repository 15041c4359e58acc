#pragma once

// The TCP states of RFC 793 (section 3.2, Figure 6), numbered the way the Linux
// kernel numbers them, and the paths between them.

#include <QList>
#include <QString>

namespace synack::net {

// Unknown is 0 so that the kernel's numbers (include/net/tcp_states.h:
// TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11) are the enumerators' values.
// Closed is also what a socket is once the kernel has forgotten it.
enum class TcpState {
    Unknown,
    Established,
    SynSent,
    SynRecv,
    FinWait1,
    FinWait2,
    TimeWait,
    Closed,
    CloseWait,
    LastAck,
    Listen,
    Closing,
};

// The kernel's number to the state. TCP_NEW_SYN_RECV (12, a connection request
// not yet accepted) is SYN_RECV, TCP_BOUND_INACTIVE (13) is CLOSED, anything
// else Unknown.
TcpState tcpStateFromKernel(int kernelState);

// The textbook name: "ESTABLISHED", "SYN_SENT", ..., "UNKNOWN".
QString tcpStateName(TcpState state);

// The states a connection passes through on its way somewhere else, normally
// within a round trip or a timeout: SYN_SENT, SYN_RECV, FIN_WAIT_1, FIN_WAIT_2,
// CLOSING, LAST_ACK. The others rest until the application or the peer acts.
bool isPassingState(TcpState state);

// How a connection is being closed, when the caller knows it. Active: this end
// sent the first FIN; Passive: the peer did; Reset: an RST (sent or received)
// ended it, which takes any state straight to CLOSED.
enum class CloseKind { Unknown, Active, Passive, Reset };

// The states between `from` and `to` (neither included) on the shortest path of
// the RFC 793 diagram, for a change that was observed without the states in
// between. The diagram's edges, in the order that breaks a tie:
//
//   CLOSED      -> LISTEN, SYN_SENT
//   LISTEN      -> SYN_RECV, SYN_SENT, CLOSED
//   SYN_SENT    -> ESTABLISHED, SYN_RECV, CLOSED
//   SYN_RECV    -> ESTABLISHED, FIN_WAIT_1
//   ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT
//   FIN_WAIT_1  -> FIN_WAIT_2, CLOSING
//   FIN_WAIT_2  -> TIME_WAIT
//   CLOSING     -> TIME_WAIT
//   TIME_WAIT   -> CLOSED
//   CLOSE_WAIT  -> LAST_ACK
//   LAST_ACK    -> CLOSED
//
// So ESTABLISHED -> TIME_WAIT passed FIN_WAIT_1, FIN_WAIT_2 (the tie with
// CLOSING goes to the usual way); ESTABLISHED -> CLOSED passed CLOSE_WAIT,
// LAST_ACK, unless `how` is Active (FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT) or Reset
// (nothing: any state -> CLOSED). Active removes ESTABLISHED -> CLOSE_WAIT,
// Passive removes the two edges into FIN_WAIT_1. A path may start at CLOSED but
// never passes it (a new connection is a new socket). Empty when from == to,
// when either is Unknown, when `to` is a direct successor and when there is no
// path (ESTABLISHED -> SYN_SENT, TIME_WAIT -> ESTABLISHED, ...).
QList<TcpState> statesBetween(TcpState from, TcpState to, CloseKind how = CloseKind::Unknown);

} // namespace synack::net
