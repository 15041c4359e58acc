// SegmentDecoder and SegmentAnalyzer on hand-made bytes: the headers'
// fields and a SYN's options, the link layers, and the marks of the TCP
// analysis (retransmission, duplicate ACK, zero window, window update,
// keep-alive) with the relative numbers and the scaled window; the router
// that hands segments to their connection, and the trace's bound.

#include "net/capture/segmentanalyzer.h"
#include "net/capture/segmentdecoder.h"
#include "net/capture/segmentrouter.h"
#include "net/connectiontrace.h"

#include <QSignalSpy>
#include <QTest>

using namespace synack::net;

namespace {

// One IPv4 + TCP packet, as a capture would hold it.
struct Packet
{
    quint32 src = 0x7f000001; // 127.0.0.1
    quint32 dst = 0x7f000001;
    quint16 srcPort = 40000;
    quint16 dstPort = 9527;
    quint32 seq = 0;
    quint32 ack = 0;
    quint8 flags = tcpflag::Ack;
    quint16 window = 512;
    QByteArray options{};
    int payload = 0;

    QByteArray bytes() const
    {
        QByteArray tcpOptions = options;
        while (tcpOptions.size() % 4)
            tcpOptions.append(char(1)); // NOP
        const int tcpLength = 20 + int(tcpOptions.size());
        const int total = 20 + tcpLength + payload;
        QByteArray p(20 + tcpLength, '\0');
        auto *b = reinterpret_cast<uchar *>(p.data());
        b[0] = 0x45;
        b[2] = uchar(total >> 8);
        b[3] = uchar(total);
        b[6] = 0x40; // DF
        b[8] = 64;
        b[9] = 6;
        put32(b + 12, src);
        put32(b + 16, dst);
        uchar *t = b + 20;
        t[0] = uchar(srcPort >> 8);
        t[1] = uchar(srcPort);
        t[2] = uchar(dstPort >> 8);
        t[3] = uchar(dstPort);
        put32(t + 4, seq);
        put32(t + 8, ack);
        t[12] = uchar((tcpLength / 4) << 4);
        t[13] = flags;
        t[14] = uchar(window >> 8);
        t[15] = uchar(window);
        std::memcpy(t + 20, tcpOptions.constData(), size_t(tcpOptions.size()));
        return p; // the payload itself is beyond the snap length
    }

    static void put32(uchar *p, quint32 v)
    {
        p[0] = uchar(v >> 24);
        p[1] = uchar(v >> 16);
        p[2] = uchar(v >> 8);
        p[3] = uchar(v);
    }
};

QByteArray synOptions()
{
    // MSS 65495, SACK permitted, timestamps 1000/0, NOP, window scale 7.
    return QByteArray::fromHex("0204ffd7"
                               "0402"
                               "080a000003e800000000"
                               "01"
                               "030307");
}

TcpSegment decoded(const Packet &p, SegmentDirection direction = SegmentDirection::Outgoing)
{
    const QByteArray bytes = p.bytes();
    std::optional<TcpSegment> s = SegmentDecoder::decode(bytes, quint32(bytes.size() + p.payload));
    if (!s)
        return {};
    s->direction = direction;
    return *s;
}

// A client at 40000 with ISN 1000 opens to a server at 9527 with ISN 5000;
// both announce window scale 7 (the client) and 2 (the server).
struct Handshake
{
    SegmentAnalyzer analyzer;
    Packet out{.seq = 1000};
    Packet in{.src = 0x7f000001, .srcPort = 9527, .dstPort = 40000, .seq = 5000};

    Handshake()
    {
        Packet syn = out;
        syn.flags = tcpflag::Syn;
        syn.window = 65495;
        syn.options = synOptions();
        feed(syn, SegmentDirection::Outgoing);
        Packet synAck = in;
        synAck.flags = tcpflag::Syn | tcpflag::Ack;
        synAck.ack = 1001;
        synAck.window = 65483;
        synAck.options = QByteArray::fromHex("0204ffd7"
                                             "030302");
        feed(synAck, SegmentDirection::Incoming);
        out.seq = 1001;
        out.ack = 5001;
        in.seq = 5001;
        in.ack = 1001;
        feed(out, SegmentDirection::Outgoing);
    }

    TcpSegment feed(const Packet &p, SegmentDirection direction)
    {
        TcpSegment s = decoded(p, direction);
        analyzer.analyze(s);
        return s;
    }
};

} // namespace

class TestSegmentAnalysis : public QObject
{
    Q_OBJECT

private slots:
    void decodesHeaderFields();
    void decodesSynOptions();
    void decodesIpv6();
    void rejectsWhatIsNotAWholeTcpHeader();
    void findsTheIpHeaderBehindEachLinkLayer();
    void handshakeNumbersAreRelativeToEachSidesIsn();
    void windowIsScaledOnlyAfterBothSyns();
    void marksRetransmission();
    void marksDuplicateAcks();
    void marksZeroWindowAndWindowUpdate();
    void marksKeepAlive();
    void finishesOnBothFinsAckedOrReset();
    void namesFlagsAsTheTextbookDoes();
    void routerHandsOverWhatCameBeforeTheClaim();
    void routerGivesBothEndsTheirDirection();
    void routerLetsAFinishedConnectionsPortsGo();
    void traceKeepsTheLastSegments();
};

void TestSegmentAnalysis::decodesHeaderFields()
{
    Packet p{.src = 0x0a000001,
             .dst = 0x0a000002,
             .srcPort = 1234,
             .dstPort = 80,
             .seq = 0xfffffff0,
             .ack = 77,
             .flags = tcpflag::Psh | tcpflag::Ack,
             .window = 300,
             .payload = 42};
    const QByteArray bytes = p.bytes();
    const std::optional<TcpSegment> s = SegmentDecoder::decode(bytes, 82);
    QVERIFY(s);
    QCOMPARE(s->source.toString(), QStringLiteral("10.0.0.1:1234"));
    QCOMPARE(s->destination.toString(), QStringLiteral("10.0.0.2:80"));
    QCOMPARE(s->seq, 0xfffffff0u);
    QCOMPARE(s->ack, 77u);
    QCOMPARE(s->flags, quint8(tcpflag::Psh | tcpflag::Ack));
    QCOMPARE(s->window, quint16(300));
    QCOMPARE(s->payloadLength, 42u);
    QCOMPARE(s->headers, bytes);
    QCOMPARE(s->wireLength, 82u);
    QVERIFY(!s->hasTimestamps);
}

void TestSegmentAnalysis::decodesSynOptions()
{
    Packet p{.flags = tcpflag::Syn, .options = synOptions()};
    const std::optional<TcpSegment> s = SegmentDecoder::decode(p.bytes(), 60);
    QVERIFY(s);
    QCOMPARE(s->options.mss, std::optional<quint16>(65495));
    QCOMPARE(s->options.windowScale, std::optional<quint8>(7));
    QVERIFY(s->options.sackPermitted);
    QVERIFY(s->hasTimestamps);
    QCOMPARE(s->options.timestampValue, std::optional<quint32>(1000));
    QCOMPARE(s->options.timestampEcho, std::optional<quint32>(0));
    QCOMPARE(s->payloadLength, 0u);
}

void TestSegmentAnalysis::decodesIpv6()
{
    // ::1 -> ::1, a hop-by-hop header (8 bytes) before a bare 20-byte TCP header.
    QByteArray ip(40 + 8 + 20, '\0');
    auto *b = reinterpret_cast<uchar *>(ip.data());
    b[0] = 0x60;
    b[5] = 8 + 20 + 5; // payload length: extension, TCP header, 5 bytes of data
    b[6] = 0;          // hop-by-hop
    b[23] = 1;
    b[39] = 1;
    b[40] = 6; // then TCP
    uchar *t = b + 48;
    t[0] = 0x9c;
    t[1] = 0x40; // 40000
    t[2] = 0x25;
    t[3] = 0x37; // 9527
    t[7] = 9;    // seq 9
    t[12] = 5 << 4;
    t[13] = tcpflag::Fin | tcpflag::Ack;
    const std::optional<TcpSegment> s = SegmentDecoder::decode(ip, quint32(ip.size() + 5));
    QVERIFY(s);
    QCOMPARE(s->source.toString(), QStringLiteral("[::1]:40000"));
    QCOMPARE(s->destination.port, quint16(9527));
    QCOMPARE(s->seq, 9u);
    QCOMPARE(s->payloadLength, 5u);
    QCOMPARE(s->sequenceLength(), 6u); // the FIN takes one more
}

void TestSegmentAnalysis::rejectsWhatIsNotAWholeTcpHeader()
{
    QByteArray bytes = Packet{}.bytes();
    QVERIFY(!SegmentDecoder::decode(bytes.left(30), 40)); // TCP header cut short
    QByteArray udp = bytes;
    udp[9] = 17;
    QVERIFY(!SegmentDecoder::decode(udp, 40));
    QByteArray fragment = bytes;
    fragment[7] = 1; // fragment offset 8 bytes
    QVERIFY(!SegmentDecoder::decode(fragment, 40));
    QVERIFY(!SegmentDecoder::decode({}, 0));
}

void TestSegmentAnalysis::findsTheIpHeaderBehindEachLinkLayer()
{
    const QByteArray ip = Packet{.seq = 4242}.bytes();
    QByteArray ethernet(12, '\0');
    ethernet += QByteArray::fromHex("0800") + ip;
    QByteArray vlan(12, '\0');
    vlan += QByteArray::fromHex("810000050800") + ip;
    QByteArray sll(14, '\0');
    sll += QByteArray::fromHex("0800") + ip;
    QByteArray sll2 = QByteArray::fromHex("0800") + QByteArray(18, '\0') + ip;
    const std::pair<int, QByteArray> frames[] = {
        {SegmentDecoder::LinkEthernet, ethernet},
        {SegmentDecoder::LinkEthernet, vlan},
        {SegmentDecoder::LinkLinuxSll, sll},
        {SegmentDecoder::LinkLinuxSll2, sll2},
        {SegmentDecoder::LinkRaw, ip},
    };
    for (const auto &[link, frame] : frames) {
        const auto s = SegmentDecoder::decodeFrame(link, frame, quint32(frame.size()));
        QVERIFY2(s, qPrintable(QString::number(link)));
        QCOMPARE(s->seq, 4242u);
        QCOMPARE(s->wireLength, quint32(ip.size()));
        QCOMPARE(s->headers, ip);
    }
    QByteArray arp(12, '\0');
    arp += QByteArray::fromHex("0806") + ip;
    QVERIFY(!SegmentDecoder::decodeFrame(SegmentDecoder::LinkEthernet, arp, 60));
}

void TestSegmentAnalysis::handshakeNumbersAreRelativeToEachSidesIsn()
{
    SegmentAnalyzer analyzer;
    Packet syn{.seq = 1000, .flags = tcpflag::Syn};
    TcpSegment s = decoded(syn);
    analyzer.analyze(s);
    QCOMPARE(s.relativeSeq, 0u);
    Packet synAck{.srcPort = 9527,
                  .dstPort = 40000,
                  .seq = 0xfffffffe,
                  .ack = 1001,
                  .flags = tcpflag::Syn | tcpflag::Ack};
    s = decoded(synAck, SegmentDirection::Incoming);
    analyzer.analyze(s);
    QCOMPARE(s.relativeSeq, 0u);
    QCOMPARE(s.relativeAck, 1u);
    Packet ack{.seq = 1001, .ack = 0xffffffff}; // one past the peer's ISN
    s = decoded(ack);
    analyzer.analyze(s);
    QCOMPARE(s.relativeSeq, 1u);
    QCOMPARE(s.relativeAck, 1u);
    // The peer's numbers wrap past 2^32: still relative to its ISN.
    Packet data{.srcPort = 9527, .dstPort = 40000, .seq = 0xffffffff, .ack = 1001, .payload = 10};
    s = decoded(data, SegmentDirection::Incoming);
    analyzer.analyze(s);
    QCOMPARE(s.relativeSeq, 1u);
    QCOMPARE(s.marks, quint8(0));
    Packet more = data;
    more.seq = 9; // 0xffffffff + 10
    s = decoded(more, SegmentDirection::Incoming);
    analyzer.analyze(s);
    QCOMPARE(s.relativeSeq, 11u);
    QCOMPARE(s.marks, quint8(0)); // not a retransmission across the wrap
}

void TestSegmentAnalysis::windowIsScaledOnlyAfterBothSyns()
{
    Handshake h;
    Packet p = h.out;
    p.window = 512;
    TcpSegment s = h.feed(p, SegmentDirection::Outgoing);
    QVERIFY(s.windowScaleKnown);
    QCOMPARE(s.scaledWindow, 512u << 7);
    p = h.in;
    p.window = 512;
    s = h.feed(p, SegmentDirection::Incoming);
    QCOMPARE(s.scaledWindow, 512u << 2);

    // Seen from the middle: no SYN, no scale.
    SegmentAnalyzer middle;
    s = decoded(Packet{.seq = 7, .ack = 9, .window = 512});
    middle.analyze(s);
    QVERIFY(!s.windowScaleKnown);
    QCOMPARE(s.scaledWindow, 512u);
    QCOMPARE(s.relativeSeq, 0u);
    QCOMPARE(s.relativeAck, 0u);
}

void TestSegmentAnalysis::marksRetransmission()
{
    Handshake h;
    Packet data = h.out;
    data.flags = tcpflag::Psh | tcpflag::Ack;
    data.payload = 100;
    TcpSegment first = h.feed(data, SegmentDirection::Outgoing);
    QCOMPARE(first.marks, quint8(0));
    QCOMPARE(first.relativeSeq, 1u);
    TcpSegment again = h.feed(data, SegmentDirection::Outgoing);
    QVERIFY(again.isMarked(segmentmark::Retransmission));
    QCOMPARE(again.markNames(), QStringLiteral("retransmission"));
    // The next segment is new data again.
    data.seq += 100;
    QCOMPARE(h.feed(data, SegmentDirection::Outgoing).marks, quint8(0));
    // A FIN sent twice: the second one is a retransmission too.
    Packet fin = h.out;
    fin.seq = data.seq + 100;
    fin.flags = tcpflag::Fin | tcpflag::Ack;
    QCOMPARE(h.feed(fin, SegmentDirection::Outgoing).marks, quint8(0));
    QVERIFY(h.feed(fin, SegmentDirection::Outgoing).isMarked(segmentmark::Retransmission));
}

void TestSegmentAnalysis::marksDuplicateAcks()
{
    Handshake h;
    Packet ack = h.in; // the peer acknowledges 1001 again and again
    ack.window = 512;
    QCOMPARE(h.feed(ack, SegmentDirection::Incoming).marks, quint8(0));
    const TcpSegment dup1 = h.feed(ack, SegmentDirection::Incoming);
    QVERIFY(dup1.isMarked(segmentmark::DuplicateAck));
    QCOMPARE(dup1.duplicateAckNumber, 1u);
    const TcpSegment dup2 = h.feed(ack, SegmentDirection::Incoming);
    QCOMPARE(dup2.duplicateAckNumber, 2u);
    QCOMPARE(dup2.markNames(), QStringLiteral("dup ACK #2"));
    // The ACK number moves on: not a duplicate, and the count starts again.
    ack.ack = 1101;
    QCOMPARE(h.feed(ack, SegmentDirection::Incoming).marks, quint8(0));
    QCOMPARE(h.feed(ack, SegmentDirection::Incoming).duplicateAckNumber, 1u);
    // The same ACK with data is not a duplicate ACK.
    Packet data = ack;
    data.payload = 10;
    QCOMPARE(h.feed(data, SegmentDirection::Incoming).marks, quint8(0));
}

void TestSegmentAnalysis::marksZeroWindowAndWindowUpdate()
{
    Handshake h;
    Packet ack = h.in;
    ack.window = 512;
    h.feed(ack, SegmentDirection::Incoming);
    ack.window = 0;
    const TcpSegment zero = h.feed(ack, SegmentDirection::Incoming);
    QVERIFY(zero.isMarked(segmentmark::ZeroWindow));
    QVERIFY(!zero.isMarked(segmentmark::DuplicateAck));
    QVERIFY(!zero.isMarked(segmentmark::WindowUpdate));
    ack.window = 1024;
    const TcpSegment update = h.feed(ack, SegmentDirection::Incoming);
    QCOMPARE(update.marks, quint8(segmentmark::WindowUpdate));
    QCOMPARE(update.scaledWindow, 1024u << 2);
    QCOMPARE(update.markNames(), QStringLiteral("window update"));
    // A SYN's window of 0 is not a zero window.
    SegmentAnalyzer fresh;
    TcpSegment syn = decoded(Packet{.flags = tcpflag::Syn, .window = 0});
    fresh.analyze(syn);
    QCOMPARE(syn.marks, quint8(0));
}

void TestSegmentAnalysis::marksKeepAlive()
{
    Handshake h;
    Packet probe = h.out;
    probe.seq = 1000; // one before the next sequence number
    const TcpSegment s = h.feed(probe, SegmentDirection::Outgoing);
    QCOMPARE(s.marks, quint8(segmentmark::KeepAlive));
}

void TestSegmentAnalysis::finishesOnBothFinsAckedOrReset()
{
    Handshake h;
    QVERIFY(!h.analyzer.isFinished());
    Packet fin = h.out;
    fin.flags = tcpflag::Fin | tcpflag::Ack;
    h.feed(fin, SegmentDirection::Outgoing);
    Packet finAck = h.in;
    finAck.flags = tcpflag::Fin | tcpflag::Ack;
    finAck.ack = 1002; // the FIN took one sequence number
    const TcpSegment theirs = h.feed(finAck, SegmentDirection::Incoming);
    QCOMPARE(theirs.relativeAck, 2u);
    QVERIFY(!h.analyzer.isFinished());
    Packet last = h.out;
    last.seq = 1002;
    last.ack = 5002;
    const TcpSegment lastAck = h.feed(last, SegmentDirection::Outgoing);
    QCOMPARE(lastAck.relativeSeq, 2u);
    QCOMPARE(lastAck.relativeAck, 2u);
    QVERIFY(h.analyzer.isFinished());

    Handshake aborted;
    Packet rst = aborted.out;
    rst.flags = tcpflag::Rst | tcpflag::Ack;
    aborted.feed(rst, SegmentDirection::Outgoing);
    QVERIFY(aborted.analyzer.isFinished());
    QVERIFY(SegmentAnalyzer::startsConnection(decoded(Packet{.flags = tcpflag::Syn})));
}

void TestSegmentAnalysis::namesFlagsAsTheTextbookDoes()
{
    TcpSegment s;
    s.flags = tcpflag::Syn | tcpflag::Ack;
    QCOMPARE(s.flagNames(), QStringLiteral("SYN+ACK"));
    s.flags = tcpflag::Fin | tcpflag::Psh | tcpflag::Ack;
    QCOMPARE(s.flagNames(), QStringLiteral("FIN+PSH+ACK"));
    s.flags = tcpflag::Ack | tcpflag::Ece | tcpflag::Cwr;
    QCOMPARE(s.flagNames(), QStringLiteral("ACK+ECE+CWR"));
    s.flags = tcpflag::Syn | tcpflag::Ack;
    s.relativeAck = 1;
    s.scaledWindow = 65483;
    s.options.mss = 65495;
    s.options.windowScale = 7;
    s.options.sackPermitted = true;
    s.hasTimestamps = true;
    QCOMPARE(s.summary(),
             QStringLiteral("SYN+ACK seq=0 ack=1 len=0 win=65483 mss=65495 ws=7 sack ts"));
}

namespace {

const TcpEndpoint kClient = TcpEndpoint::fromIpv4(0x7f000001, 40000);
const TcpEndpoint kServer = TcpEndpoint::fromIpv4(0x7f000001, 9527);

TcpSegment between(const TcpEndpoint &from, const TcpEndpoint &to, quint8 flags, quint32 seq,
                   quint32 ack = 0)
{
    TcpSegment s;
    s.source = from;
    s.destination = to;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    return s;
}

} // namespace

void TestSegmentAnalysis::routerHandsOverWhatCameBeforeTheClaim()
{
    SegmentRouter router;
    router.route(between(kClient, kServer, tcpflag::Syn, 100));
    router.route(between(kServer, kClient, tcpflag::Syn | tcpflag::Ack, 700, 101));
    QCOMPARE(router.pendingFlowCount(), 1);
    QList<TcpSegment> got;
    router.claim(kServer, kClient, [&got](const TcpSegment &s) { got.append(s); });
    QCOMPARE(got.size(), 2);
    QCOMPARE(got[0].direction, SegmentDirection::Incoming);
    QCOMPARE(got[1].direction, SegmentDirection::Outgoing);
    QCOMPARE(got[1].relativeAck, 1u);
    router.route(between(kClient, kServer, tcpflag::Ack, 101, 701));
    QCOMPARE(got.size(), 3);
    QCOMPARE(got[2].relativeSeq, 1u);
    // Another connection's segments are not this claim's.
    router.route(between(TcpEndpoint::fromIpv4(0x7f000001, 40001), kServer, tcpflag::Syn, 5));
    QCOMPARE(got.size(), 3);
}

void TestSegmentAnalysis::routerGivesBothEndsTheirDirection()
{
    SegmentRouter router;
    QList<TcpSegment> server;
    QList<TcpSegment> client;
    router.route(between(kClient, kServer, tcpflag::Syn, 100));
    router.claim(kServer, kClient, [&server](const TcpSegment &s) { server.append(s); });
    router.route(between(kServer, kClient, tcpflag::Syn | tcpflag::Ack, 700, 101));
    // The client's end is claimed later, in the same process: it gets both.
    const int claim =
        router.claim(kClient, kServer, [&client](const TcpSegment &s) { client.append(s); });
    QCOMPARE(client.size(), 2);
    QCOMPARE(client[0].direction, SegmentDirection::Outgoing);
    QCOMPARE(client[1].direction, SegmentDirection::Incoming);
    router.route(between(kClient, kServer, tcpflag::Ack, 101, 701));
    QCOMPARE(server.size(), 3);
    QCOMPARE(client.size(), 3);
    QCOMPARE(server[2].direction, SegmentDirection::Incoming);
    QCOMPARE(client[2].direction, SegmentDirection::Outgoing);
    router.release(claim);
    router.route(between(kServer, kClient, tcpflag::Ack, 701, 101));
    QCOMPARE(client.size(), 3);
    QCOMPARE(server.size(), 4);
}

void TestSegmentAnalysis::routerLetsAFinishedConnectionsPortsGo()
{
    SegmentRouter router;
    QList<TcpSegment> got;
    router.claim(kServer, kClient, [&got](const TcpSegment &s) { got.append(s); });
    router.route(between(kClient, kServer, tcpflag::Syn, 100));
    router.route(between(kServer, kClient, tcpflag::Syn | tcpflag::Ack, 700, 101));
    router.route(between(kClient, kServer, tcpflag::Rst, 101));
    QCOMPARE(got.size(), 3);
    // The same ports again: a new connection, waiting for its own claim.
    router.route(between(kClient, kServer, tcpflag::Syn, 9000));
    QCOMPARE(got.size(), 3);
    QCOMPARE(router.claimCount(), 0);
    QCOMPARE(router.pendingFlowCount(), 1);
}

void TestSegmentAnalysis::traceKeepsTheLastSegments()
{
    ConnectionTrace trace;
    QSignalSpy added(&trace, &ConnectionTrace::segmentAdded);
    const qsizetype total = ConnectionTrace::kMaxSegments + 5;
    for (qsizetype i = 0; i < total; ++i) {
        TcpSegment s;
        s.monotonicUs = 1000 + i;
        s.seq = quint32(i);
        trace.addSegment(s);
    }
    QCOMPARE(added.size(), total);
    QCOMPARE(trace.segments().size(), ConnectionTrace::kMaxSegments);
    QCOMPARE(trace.droppedSegmentCount(), 5);
    QCOMPARE(trace.segments().constFirst().seq, 5u);
    QCOMPARE(trace.segments().constLast().seq, quint32(total - 1));
    QVERIFY(trace.isCaptured());
    QCOMPARE(trace.lastUs(), 1000 + total - 1);
}

QTEST_GUILESS_MAIN(TestSegmentAnalysis)
#include "tst_segmentanalysis.moc"
