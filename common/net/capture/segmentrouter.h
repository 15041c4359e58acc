#pragma once

// Hands each captured segment to the connection it belongs to, found by its
// addresses and ports, with its direction relative to that connection's
// local end and analysed in that connection's history (SegmentAnalyzer). A
// connection is claimed by whoever shows it (a ConnectionTrace, the headless
// log) once its 4-tuple is known; what was captured before (a server's
// handshake happens before accept(), a client's SYN before connect() returns)
// waits for the claim, a few segments per connection, and is handed over
// first.
//
// When both ends live in this process (the demo, the tests), one segment
// belongs to two claims: outgoing for one, incoming for the other.
//
// Memory is bounded: the first kPendingPerFlow segments of a connection wait
// for a claim (or, when one end is claimed, for the other end's), those of
// kPendingFlows connections at most, the oldest forgotten first; the last
// kFinishedFlows finished connections (both FINs acknowledged, or an RST)
// keep their claim, for the retransmissions of TIME_WAIT, and older ones are
// let go, so a claim nobody releases does not live forever.

#include "net/capture/segmentanalyzer.h"
#include "net/capture/tcpsegment.h"

#include <QHash>
#include <QObject>
#include <deque>
#include <functional>

namespace synack::net {

class PacketCapture;

class SegmentRouter : public QObject
{
    Q_OBJECT

public:
    using Receiver = std::function<void(const TcpSegment &)>;

    static constexpr qsizetype kPendingPerFlow = 32;
    static constexpr qsizetype kPendingFlows = 1024;
    static constexpr qsizetype kFinishedFlows = 1024;

    explicit SegmentRouter(QObject *parent = nullptr);

    // Routes what `capture` captures (not owned; may be null to stop).
    void setCapture(PacketCapture *capture);
    PacketCapture *capture() const { return m_capture; }

    // One captured segment in (the capture's signal; tests call it).
    void route(const TcpSegment &segment);

    // From now on the segments between `local` and `peer` go to `receiver`,
    // those already seen first. Returns the claim's id (> 0) for release().
    int claim(const TcpEndpoint &local, const TcpEndpoint &peer, Receiver receiver);
    void release(int claimId);

    qsizetype claimCount() const { return m_flows.size(); }
    qsizetype pendingFlowCount() const { return m_pending.size(); }

private:
    struct FlowKey
    {
        TcpEndpoint local;
        TcpEndpoint peer;
        friend bool operator==(const FlowKey &, const FlowKey &) = default;
        friend size_t qHash(const FlowKey &key, size_t seed = 0) noexcept
        {
            return qHash(key.local, seed) ^ (qHash(key.peer, seed) * 31);
        }
    };
    struct Flow
    {
        int id = 0;
        Receiver receiver;
        SegmentAnalyzer analyzer;
        bool finished = false;
        qsizetype seen = 0;
    };

    // Returns false when the flow has ended and `segment` starts another one.
    bool deliver(const FlowKey &key, Flow &flow, TcpSegment segment, SegmentDirection direction);
    void hold(const TcpSegment &segment);
    void dropPending(const FlowKey &key);
    void noteFinished(const FlowKey &key);
    static FlowKey unordered(const TcpEndpoint &a, const TcpEndpoint &b);

    PacketCapture *m_capture = nullptr;
    QHash<FlowKey, Flow> m_flows;
    QHash<int, FlowKey> m_claims;
    QHash<FlowKey, QList<TcpSegment>> m_pending; // by unordered()
    std::deque<FlowKey> m_pendingOrder;
    std::deque<FlowKey> m_finishedOrder;
    int m_nextId = 1;
};

} // namespace synack::net
