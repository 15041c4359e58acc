#include "net/capture/segmentrouter.h"

#include "net/capture/packetcapture.h"

#include <algorithm>
#include <tuple>

namespace synack::net {

SegmentRouter::SegmentRouter(QObject *parent)
    : QObject(parent)
{}

void SegmentRouter::setCapture(PacketCapture *capture)
{
    if (m_capture)
        disconnect(m_capture, nullptr, this, nullptr);
    m_capture = capture;
    if (capture)
        connect(capture, &PacketCapture::segmentCaptured, this, &SegmentRouter::route);
}

SegmentRouter::FlowKey SegmentRouter::unordered(const TcpEndpoint &a, const TcpEndpoint &b)
{
    const bool aFirst = std::tie(a.address, a.port) < std::tie(b.address, b.port);
    return aFirst ? FlowKey{a, b} : FlowKey{b, a};
}

void SegmentRouter::route(const TcpSegment &segment)
{
    int delivered = 0;
    bool young = true; // the claimed end has seen few segments yet
    const FlowKey outgoing{segment.source, segment.destination};
    if (auto it = m_flows.find(outgoing); it != m_flows.end()) {
        young = it->seen < kPendingPerFlow;
        delivered += deliver(outgoing, *it, segment, SegmentDirection::Outgoing) ? 1 : 0;
    }
    const FlowKey incoming{segment.destination, segment.source};
    if (auto it = m_flows.find(incoming); it != m_flows.end()) {
        young = it->seen < kPendingPerFlow;
        delivered += deliver(incoming, *it, segment, SegmentDirection::Incoming) ? 1 : 0;
    }
    // One end claimed: its other end may be in this process too and not
    // claimed yet (a client's trace is made after its connection is
    // accepted), so the start of the connection waits for it as well.
    if (delivered == 0 || (delivered == 1 && young))
        hold(segment);
}

bool SegmentRouter::deliver(const FlowKey &key, Flow &flow, TcpSegment segment,
                            SegmentDirection direction)
{
    if (flow.finished && SegmentAnalyzer::startsConnection(segment)) {
        // The same ports again, for a new connection: not this claim's.
        m_claims.remove(flow.id);
        m_flows.remove(key);
        return false;
    }
    segment.direction = direction;
    flow.analyzer.analyze(segment);
    ++flow.seen;
    // The receiver may release its claim: keep what is needed first.
    const Receiver receiver = flow.receiver;
    if (!flow.finished && flow.analyzer.isFinished()) {
        flow.finished = true;
        dropPending(unordered(key.local, key.peer));
        noteFinished(key);
    }
    receiver(segment);
    return true;
}

void SegmentRouter::hold(const TcpSegment &segment)
{
    const FlowKey key = unordered(segment.source, segment.destination);
    auto it = m_pending.find(key);
    if (it == m_pending.end()) {
        if (m_pending.size() >= kPendingFlows) {
            m_pending.remove(m_pendingOrder.front());
            m_pendingOrder.pop_front();
        }
        it = m_pending.insert(key, {});
        m_pendingOrder.push_back(key);
    }
    if (it->size() < kPendingPerFlow)
        it->append(segment);
}

void SegmentRouter::noteFinished(const FlowKey &key)
{
    m_finishedOrder.push_back(key);
    while (qsizetype(m_finishedOrder.size()) > kFinishedFlows) {
        const FlowKey oldest = m_finishedOrder.front();
        m_finishedOrder.pop_front();
        const auto it = m_flows.constFind(oldest);
        if (it != m_flows.cend() && it->finished) {
            m_claims.remove(it->id);
            m_flows.erase(it);
        }
    }
}

int SegmentRouter::claim(const TcpEndpoint &local, const TcpEndpoint &peer, Receiver receiver)
{
    const FlowKey key{local, peer};
    if (const auto old = m_flows.constFind(key); old != m_flows.cend())
        m_claims.remove(old->id);
    const int id = m_nextId++;
    Flow &flow = m_flows[key];
    flow = Flow{};
    flow.id = id;
    flow.receiver = std::move(receiver);
    m_claims.insert(id, key);

    // What was seen before the claim, in order. Once both ends are claimed
    // nobody else will want it.
    const FlowKey pendingKey = unordered(local, peer);
    const QList<TcpSegment> waiting = m_pending.value(pendingKey);
    if (m_flows.contains(FlowKey{peer, local}))
        dropPending(pendingKey);
    for (const TcpSegment &segment : waiting) {
        auto it = m_flows.find(key);
        if (it == m_flows.end() || it->id != id)
            break;
        const SegmentDirection direction =
            segment.source == local ? SegmentDirection::Outgoing : SegmentDirection::Incoming;
        deliver(key, *it, segment, direction);
    }
    return id;
}

void SegmentRouter::dropPending(const FlowKey &key)
{
    if (m_pending.remove(key) == 0)
        return;
    const auto order = std::find(m_pendingOrder.begin(), m_pendingOrder.end(), key);
    if (order != m_pendingOrder.end())
        m_pendingOrder.erase(order);
}

void SegmentRouter::release(int claimId)
{
    const auto it = m_claims.constFind(claimId);
    if (it == m_claims.cend())
        return;
    m_flows.remove(*it);
    m_claims.erase(it);
}

} // namespace synack::net
