#include "net/tcpstate.h"

#include <array>

namespace synack::net {
namespace {

constexpr int kStateCount = static_cast<int>(TcpState::Closing) + 1;
constexpr int kKernelNewSynRecv = 12;
constexpr int kKernelBoundInactive = 13;

struct Edge
{
    TcpState from;
    TcpState to;
};

// RFC 793 Figure 6; within one state the usual way comes first, which is how a
// breadth-first search breaks ties.
constexpr std::array kEdges{
    Edge{TcpState::Closed, TcpState::Listen},
    Edge{TcpState::Closed, TcpState::SynSent},
    Edge{TcpState::Listen, TcpState::SynRecv},
    Edge{TcpState::Listen, TcpState::SynSent},
    Edge{TcpState::Listen, TcpState::Closed},
    Edge{TcpState::SynSent, TcpState::Established},
    Edge{TcpState::SynSent, TcpState::SynRecv},
    Edge{TcpState::SynSent, TcpState::Closed},
    Edge{TcpState::SynRecv, TcpState::Established},
    Edge{TcpState::SynRecv, TcpState::FinWait1},
    Edge{TcpState::Established, TcpState::FinWait1},
    Edge{TcpState::Established, TcpState::CloseWait},
    Edge{TcpState::FinWait1, TcpState::FinWait2},
    Edge{TcpState::FinWait1, TcpState::Closing},
    Edge{TcpState::FinWait2, TcpState::TimeWait},
    Edge{TcpState::Closing, TcpState::TimeWait},
    Edge{TcpState::TimeWait, TcpState::Closed},
    Edge{TcpState::CloseWait, TcpState::LastAck},
    Edge{TcpState::LastAck, TcpState::Closed},
};

bool edgeAllowed(const Edge &edge, CloseKind how)
{
    switch (how) {
    case CloseKind::Active:
        return !(edge.from == TcpState::Established && edge.to == TcpState::CloseWait);
    case CloseKind::Passive:
        return edge.to != TcpState::FinWait1;
    case CloseKind::Unknown:
    case CloseKind::Reset:
        break;
    }
    return true;
}

int index(TcpState state)
{
    return static_cast<int>(state);
}

} // namespace

TcpState tcpStateFromKernel(int kernelState)
{
    if (kernelState >= index(TcpState::Established) && kernelState <= index(TcpState::Closing))
        return static_cast<TcpState>(kernelState);
    if (kernelState == kKernelNewSynRecv)
        return TcpState::SynRecv;
    if (kernelState == kKernelBoundInactive)
        return TcpState::Closed;
    return TcpState::Unknown;
}

QString tcpStateName(TcpState state)
{
    switch (state) {
    case TcpState::Unknown:
        break;
    case TcpState::Established:
        return QStringLiteral("ESTABLISHED");
    case TcpState::SynSent:
        return QStringLiteral("SYN_SENT");
    case TcpState::SynRecv:
        return QStringLiteral("SYN_RECV");
    case TcpState::FinWait1:
        return QStringLiteral("FIN_WAIT_1");
    case TcpState::FinWait2:
        return QStringLiteral("FIN_WAIT_2");
    case TcpState::TimeWait:
        return QStringLiteral("TIME_WAIT");
    case TcpState::Closed:
        return QStringLiteral("CLOSED");
    case TcpState::CloseWait:
        return QStringLiteral("CLOSE_WAIT");
    case TcpState::LastAck:
        return QStringLiteral("LAST_ACK");
    case TcpState::Listen:
        return QStringLiteral("LISTEN");
    case TcpState::Closing:
        return QStringLiteral("CLOSING");
    }
    return QStringLiteral("UNKNOWN");
}

bool isPassingState(TcpState state)
{
    switch (state) {
    case TcpState::SynSent:
    case TcpState::SynRecv:
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::Closing:
    case TcpState::LastAck:
        return true;
    default:
        return false;
    }
}

QList<TcpState> statesBetween(TcpState from, TcpState to, CloseKind how)
{
    if (from == to || from == TcpState::Unknown || to == TcpState::Unknown)
        return {};
    if (how == CloseKind::Reset && to == TcpState::Closed)
        return {};

    // Breadth-first from `from`; parent[s] is the state s was first reached from.
    std::array<int, kStateCount> parent;
    parent.fill(-1);
    std::array<int, kStateCount> queue{};
    int head = 0;
    int tail = 0;
    queue[tail++] = index(from);
    parent[index(from)] = index(from);
    while (head < tail && parent[index(to)] < 0) {
        const int current = queue[head++];
        // CLOSED ends a connection: a path may start there but not pass it.
        if (current == index(TcpState::Closed) && current != index(from))
            continue;
        for (const Edge &edge : kEdges) {
            if (index(edge.from) != current || parent[index(edge.to)] >= 0 ||
                !edgeAllowed(edge, how))
                continue;
            parent[index(edge.to)] = current;
            queue[tail++] = index(edge.to);
        }
    }
    if (parent[index(to)] < 0)
        return {};

    QList<TcpState> path;
    for (int s = parent[index(to)]; s != index(from); s = parent[s])
        path.prepend(static_cast<TcpState>(s));
    return path;
}

} // namespace synack::net
