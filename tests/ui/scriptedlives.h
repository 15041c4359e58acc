#pragma once

// Scripted lives of one connection, both ends, as a ConnectionTrace records
// them from a real one: open, chat (round trips, TCP_INFO), then a close by
// either side, an abort or a half-close. Times are µs on the trace's clock,
// starting a few minutes before now so that countdowns and "for ..." read
// naturally.

#include "net/connectiontrace.h"

#include <memory>

namespace synack::test {

using net::ConnectionTrace;
using net::TcpState;

enum class Life {
    Chatting,            // open, some round trips, not closed
    ClientCloses,        // the client closes first: TIME_WAIT on the client
    ServerCloses,        // the server closes first: TIME_WAIT on the server
    ClientAborts,        // the client resets (RST): no TIME_WAIT anywhere
    ClientHalfCloses,    // the client shuts down its write side, the server reads on
    ClientCloseFinished, // ClientCloses, and TIME_WAIT has run out
};

struct ScriptedPair
{
    std::unique_ptr<ConnectionTrace> client = std::make_unique<ConnectionTrace>();
    std::unique_ptr<ConnectionTrace> server = std::make_unique<ConnectionTrace>();
    qint64 t0 = 0;
};

inline constexpr qint64 kMs = 1000;
inline constexpr qint64 kS = 1000 * kMs;

inline net::TcpInfo scriptedTcpInfo()
{
    net::TcpInfo info;
    info.rttUs = 52;
    info.rttVarUs = 26;
    info.retransmits = 0;
    info.totalRetrans = 1;
    info.sndCwnd = 10;
    info.unacked = 2;
    info.lost = 0;
    info.bytesSent = 1234;
    info.bytesReceived = 5678901;
    return info;
}

// Opens a client/server pair at t0 and chats for a minute.
inline void open(ScriptedPair &p)
{
    ConnectionTrace &c = *p.client;
    ConnectionTrace &s = *p.server;
    const qint64 t0 = p.t0;
    c.setConnectionId(7);
    c.setLabel(QStringLiteral("#7 to 127.0.0.1:5555"));
    c.setLocalActiveOpener(true);
    s.setConnectionId(8);
    s.setLabel(QStringLiteral("#8 alice 127.0.0.1:40312"));
    s.setLocalActiveOpener(false);

    c.addQtState(t0, QStringLiteral("UnconnectedState"));
    c.addKernelState(t0, TcpState::Closed, {});
    c.addQtState(t0 + 120, QStringLiteral("HostLookupState"));
    c.addQtState(t0 + 300, QStringLiteral("ConnectingState"));
    c.addKernelState(t0 + 450, TcpState::SynSent, {});
    // The server's listener answers; its accepted socket is seen later.
    s.addKernelState(t0 + 400, TcpState::Listen, {});
    c.addKernelState(t0 + 900, TcpState::Established, {});
    c.addQtState(t0 + 950, QStringLiteral("ConnectedState"));
    s.addQtState(t0 + 1500, QStringLiteral("ConnectedState"));
    s.addKernelState(t0 + 2100, TcpState::Established, {TcpState::SynRecv});

    // Chat: a heartbeat every 5 s for a minute.
    for (int i = 1; i <= 12; ++i) {
        const qint64 rtt = 80 + (i * 37) % 60 + (i == 7 ? 400 : 0);
        c.addRoundTrip(t0 + i * 5 * kS, rtt);
        s.addRoundTrip(t0 + i * 5 * kS + 2500 * kMs, rtt + 10);
    }
    c.setTcpInfo(t0 + 60 * kS, scriptedTcpInfo());
    s.setTcpInfo(t0 + 60 * kS, scriptedTcpInfo());
}

// The active closer goes FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT; the passive one
// CLOSE_WAIT, LAST_ACK, CLOSED.
inline void close(ConnectionTrace &active, ConnectionTrace &passive, qint64 at)
{
    active.addQtState(at, QStringLiteral("ClosingState"));
    active.addKernelState(at + 200, TcpState::FinWait1, {});
    passive.addKernelState(at + 500, TcpState::CloseWait, {});
    active.addKernelState(at + 700, TcpState::FinWait2, {});
    active.addQtState(at + 800, QStringLiteral("UnconnectedState"));
    active.markClosed(QStringLiteral("closed by this side"));
    passive.addQtState(at + 1200, QStringLiteral("UnconnectedState"));
    passive.markClosed(QStringLiteral("the peer sent bye"));
    // LAST_ACK was passed too fast to see.
    passive.addKernelState(at + 2600, TcpState::Closed, {TcpState::LastAck});
    passive.markKernelFinished();
    active.addKernelState(at + 3000, TcpState::TimeWait, {});
    active.setTimerLeft(59 * kS / kMs);
}

inline std::unique_ptr<ScriptedPair> scriptedLife(Life life)
{
    auto p = std::make_unique<ScriptedPair>();
    p->t0 = ConnectionTrace::nowUs() - 3 * 60 * kS;
    open(*p);
    const qint64 end = p->t0 + 62 * kS;
    ConnectionTrace &c = *p->client;
    ConnectionTrace &s = *p->server;
    switch (life) {
    case Life::Chatting:
        break;
    case Life::ClientCloses:
        close(c, s, end);
        break;
    case Life::ClientCloseFinished:
        close(c, s, end);
        c.addKernelState(end + 63 * kS, TcpState::Closed, {});
        c.markKernelFinished();
        break;
    case Life::ServerCloses:
        close(s, c, end);
        break;
    case Life::ClientAborts:
        c.addQtState(end, QStringLiteral("UnconnectedState"));
        c.markReset(true);
        c.markClosed(QStringLiteral("this side reset the connection"));
        c.addKernelState(end + 300, TcpState::Closed, {});
        c.markKernelFinished();
        s.markReset(false);
        s.addQtState(end + 600, QStringLiteral("UnconnectedState"));
        s.markClosed(QStringLiteral("the peer reset the connection"));
        s.addKernelState(end + 900, TcpState::Closed, {});
        s.markKernelFinished();
        break;
    case Life::ClientHalfCloses:
        c.addKernelState(end + 200, TcpState::FinWait1, {});
        c.setLabFlags({true, false, false, false});
        s.addKernelState(end + 500, TcpState::CloseWait, {});
        s.setLabFlags({false, true, false, false});
        c.addKernelState(end + 700, TcpState::FinWait2, {});
        break;
    }
    return p;
}

} // namespace synack::test
