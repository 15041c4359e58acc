#pragma once

// What one connection's history says about each of its segments, in capture
// order: sequence and acknowledgement numbers relative to each side's initial
// sequence number, the window scaled by the shift its sender announced, and
// the marks Wireshark's TCP analysis gives, simplified:
//
// - retransmission: the segment takes sequence space (data, SYN or FIN) and
//   starts before the next sequence number its sender was expected to use;
// - keep-alive: at most one byte, one before that next number, no SYN, FIN or
//   RST (marked as such, not as a retransmission);
// - duplicate ACK: no data, no SYN, FIN or RST, and the same ACK number, the
//   same non-zero window and the next expected sequence number as its
//   sender's last ACK; numbered from 1 until the ACK number moves;
// - zero window: a window of 0 without SYN, FIN or RST;
// - window update: no data, no SYN, FIN or RST, the same ACK and sequence
//   numbers as before, and another non-zero window.
//
// The first ACK after a side's SYN is compared with nothing (a SYN's window
// is not scaled).
//
// Wireshark's other marks (lost segment, out of order, spurious
// retransmission, ...) need the round trip time and are left out. Sequence
// numbers compare modulo 2^32 (RFC 9293 3.4). A connection seen from its
// middle has no SYN: its first sequence number seen stands for the initial
// one, as in Wireshark, and the window scale stays unknown.
//
// Pure: no capture, no clock. The caller sets each segment's direction.

#include "net/capture/tcpsegment.h"

namespace synack::net {

class SegmentAnalyzer
{
public:
    // Fills relativeSeq, relativeAck, scaledWindow, windowScaleKnown, marks and
    // duplicateAckNumber of `segment`, whose direction must be set.
    void analyze(TcpSegment &segment);

    // Both FINs sent and acknowledged, or an RST seen: the connection is over.
    bool isFinished() const { return m_reset || (m_out.finAcked && m_in.finAcked); }
    // A SYN from the opener again on the same addresses and ports: a new
    // connection, to be analysed from scratch.
    static bool startsConnection(const TcpSegment &segment)
    {
        return segment.has(tcpflag::Syn) && !segment.has(tcpflag::Ack);
    }

private:
    struct Side
    {
        bool baseKnown = false;
        quint32 base = 0; // the initial sequence number
        bool synSeen = false;
        std::optional<quint8> windowScale;
        bool nextKnown = false;
        quint32 nextSeq = 0; // one past the highest sequence number sent
        bool ackKnown = false;
        quint32 lastAck = 0;
        quint16 lastWindow = 0; // raw, of the last segment with ACK
        quint32 duplicateAcks = 0;
        bool finSent = false;
        quint32 finSeq = 0;
        bool finAcked = false; // by the other side
    };

    Side m_out; // the local end's
    Side m_in;  // the peer's
    bool m_reset = false;
};

} // namespace synack::net
