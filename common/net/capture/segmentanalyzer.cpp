#include "net/capture/segmentanalyzer.h"

namespace synack::net {

namespace {

// a < b in sequence space (RFC 9293 3.4).
bool seqBefore(quint32 a, quint32 b)
{
    return qint32(a - b) < 0;
}

} // namespace

void SegmentAnalyzer::analyze(TcpSegment &s)
{
    const bool outgoing = s.direction != SegmentDirection::Incoming;
    Side &self = outgoing ? m_out : m_in;
    Side &other = outgoing ? m_in : m_out;
    const bool syn = s.has(tcpflag::Syn);
    const bool fin = s.has(tcpflag::Fin);
    const bool rst = s.has(tcpflag::Rst);
    const bool ack = s.has(tcpflag::Ack);
    const bool control = syn || fin || rst;

    if (syn) {
        self.base = s.seq;
        self.baseKnown = true;
        self.synSeen = true;
        self.windowScale = s.options.windowScale;
    } else if (!self.baseKnown) {
        self.base = s.seq;
        self.baseKnown = true;
    }
    if (ack && !other.baseKnown) {
        // Seen from the middle: the other side's first number is what this
        // side acknowledges now.
        other.base = s.ack;
        other.baseKnown = true;
    }

    s.relativeSeq = s.seq - self.base;
    s.relativeAck = ack ? s.ack - other.base : 0;

    // RFC 7323 2.3: the window of a SYN is never scaled; the others by the
    // sender's shift, if both SYNs carried the option.
    s.marks = 0;
    s.duplicateAckNumber = 0;
    s.windowScaleKnown = syn || (self.synSeen && other.synSeen);
    if (!syn && s.windowScaleKnown && self.windowScale && other.windowScale)
        s.scaledWindow = quint32(s.window) << std::min<quint8>(*self.windowScale, 14);
    else
        s.scaledWindow = s.window;

    const quint32 length = s.sequenceLength();
    if (self.nextKnown) {
        const bool keepAlive = !control && s.payloadLength <= 1 && s.seq == self.nextSeq - 1;
        if (keepAlive)
            s.marks |= segmentmark::KeepAlive;
        else if (length > 0 && seqBefore(s.seq, self.nextSeq))
            s.marks |= segmentmark::Retransmission;
    }
    if (s.window == 0 && !control)
        s.marks |= segmentmark::ZeroWindow;
    const bool bare = s.payloadLength == 0 && !control && ack;
    if (bare && self.ackKnown && self.nextKnown && s.seq == self.nextSeq && s.ack == self.lastAck) {
        if (s.window == self.lastWindow && s.window != 0) {
            s.marks |= segmentmark::DuplicateAck;
            s.duplicateAckNumber = ++self.duplicateAcks;
        } else if (s.window != self.lastWindow && s.window != 0) {
            s.marks |= segmentmark::WindowUpdate;
        }
    }

    const quint32 end = s.seq + length;
    if (!self.nextKnown || seqBefore(self.nextSeq, end)) {
        self.nextSeq = end;
        self.nextKnown = true;
    }
    if (fin && !self.finSent) {
        self.finSent = true;
        self.finSeq = s.seq + s.payloadLength + (syn ? 1 : 0);
    }
    if (ack) {
        if (!self.ackKnown || s.ack != self.lastAck)
            self.duplicateAcks = 0;
        self.lastAck = s.ack;
        // A SYN's window is not scaled: the first ACK after it is compared
        // with nothing, or every connection would open with a window update.
        self.ackKnown = !syn;
        self.lastWindow = s.window;
        if (other.finSent && !seqBefore(s.ack, other.finSeq + 1))
            other.finAcked = true;
    }
    if (rst)
        m_reset = true;
}

} // namespace synack::net
