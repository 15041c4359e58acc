// The ladder of a real session's captured segments, in a network namespace
// the test makes itself (tests/net/netnamespace.h): one arrow per segment,
// numbered as the textbook numbers them, the close in three segments with
// the note why, the kernel states beside the lines; the marks in colour with
// their explanation; the inferred ladder still labelled as such. Each picture
// is rendered offscreen to PNG in SYNACK_UI_ARTEFACTS for a person to look at.

#include "../net/netnamespace.h"
#include "net/capture/packetcapture.h"
#include "net/capture/segmentanalyzer.h"
#include "net/capture/segmentrouter.h"
#include "net/connection.h"
#include "net/connectiontrace.h"
#include "net/kernelwatch.h"
#include "ui/ladderwidget.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace synack;
using namespace synack::net;
using namespace std::chrono_literals;

namespace {

QString g_skipReason;

ConnectionSettings settingsFor(protocol::Role role)
{
    ConnectionSettings s;
    s.role = role;
    s.heartbeatInterval = 60s; // no pings in the picture
    s.heartbeatTimeout = 120s;
    return s;
}

void save(QWidget &widget, const QString &name)
{
    const QString dir = QStringLiteral(SYNACK_UI_ARTEFACTS);
    QDir().mkpath(dir);
    widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

bool closeCaptured(const ConnectionTrace &trace)
{
    SegmentAnalyzer replay;
    for (TcpSegment s : trace.segments())
        replay.analyze(s);
    return replay.isFinished();
}

} // namespace

class TestCapturedLadder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void drawsARealSessionsSegments();
    void marksStandOutAndExplainThemselves();
};

void TestCapturedLadder::initTestCase()
{
    if (!g_skipReason.isEmpty())
        QSKIP(qPrintable(g_skipReason));
}

void TestCapturedLadder::drawsARealSessionsSegments()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    PacketCapture capture;
    QString error;
    QVERIFY2(capture.open(
                 QHostAddress::LocalHost,
                 PacketCapture::filterForListener(QHostAddress::LocalHost, listener.serverPort()),
                 &error),
             qPrintable(error));
    SegmentRouter router;
    router.setCapture(&capture);
    KernelWatch watch;

    Connection client(new QTcpSocket, settingsFor(protocol::Role::Client));
    client.setKernelWatch(&watch);
    ConnectionTrace clientTrace(&client, &watch);
    clientTrace.captureFrom(&router);
    client.connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
    QVERIFY(listener.waitForNewConnection(5000));
    Connection server(listener.nextPendingConnection(), settingsFor(protocol::Role::Server));
    server.setKernelWatch(&watch);
    ConnectionTrace serverTrace(&server, &watch);
    serverTrace.captureFrom(&router);
    clientTrace.setPeerTrace(&serverTrace);
    QSignalSpy connected(&client, &Connection::connected);
    QVERIFY(client.isOpen() || connected.wait(5000));

    QSignalSpy received(&server, &Connection::messageReceived);
    protocol::Say say;
    say.text = QStringLiteral("hello, wire");
    client.send(say);
    QVERIFY(received.wait(3000));
    QSignalSpy closed(&server, &Connection::closed);
    client.closeWithBye(QStringLiteral("quit"));
    QVERIFY(closed.wait(3000));
    QTRY_VERIFY(closeCaptured(clientTrace));
    QTRY_COMPARE_WITH_TIMEOUT(clientTrace.kernelState(), TcpState::TimeWait, 3000);

    ui::LadderWidget ladder;
    ladder.setTrace(&clientTrace);
    ladder.refreshNow();
    QVERIFY(ladder.isCaptured());
    const QList<LadderSegment> arrows = ladder.segments();
    QCOMPARE(arrows.size(), clientTrace.segments().size());
    QCOMPARE(arrows[0].label, QStringLiteral("SYN"));
    QCOMPARE(ladder.numbersOf(arrows[0]), QStringLiteral("seq=0 len=0"));
    QCOMPARE(arrows[1].label, QStringLiteral("SYN+ACK"));
    QVERIFY(!arrows[1].fromLocal);
    QCOMPARE(ladder.numbersOf(arrows[1]), QStringLiteral("seq=0 ack=1 len=0"));
    QCOMPARE(arrows[2].label, QStringLiteral("ACK"));
    QCOMPARE(ladder.numbersOf(arrows[2]), QStringLiteral("seq=1 ack=1 len=0"));
    // The close on loopback: three segments, the server's FIN carrying the
    // ACK of the client's.
    const qsizetype n = arrows.size();
    QCOMPARE(arrows[n - 3].label, QStringLiteral("FIN+ACK"));
    QVERIFY(!arrows[n - 3].finCarriesAck);
    QCOMPARE(arrows[n - 2].label, QStringLiteral("FIN+ACK"));
    QVERIFY(arrows[n - 2].finCarriesAck);
    QCOMPARE(arrows[n - 1].label, QStringLiteral("ACK"));
    // Kernel states beside the lines: this side's TIME_WAIT at the end.
    QStringList localStates;
    for (const LadderSegment &a : arrows)
        localStates << (a.fromLocal ? a.senderState : a.receiverState);
    QVERIFY2(localStates.contains(QStringLiteral("TIME_WAIT")), qPrintable(localStates.join(u' ')));
    QVERIFY2(localStates.contains(QStringLiteral("ESTABLISHED")),
             qPrintable(localStates.join(u' ')));

    ladder.resize(640, 700);
    save(ladder, QStringLiteral("ladder-captured"));
    ladder.setAbsoluteNumbers(true);
    const TcpSegment &synAck = arrows[1].captured;
    QCOMPARE(ladder.numbersOf(arrows[1]),
             QStringLiteral("seq=%1 ack=%2 len=0").arg(synAck.seq).arg(synAck.ack));

    // The same connection without capture: inferred, and said so.
    ConnectionTrace inferredOnly;
    inferredOnly.addKernelState(1, TcpState::Closed, {});
    inferredOnly.addKernelState(2, TcpState::SynSent, {});
    inferredOnly.addKernelState(3, TcpState::Established, {});
    ladder.setTrace(&inferredOnly);
    ladder.refreshNow();
    QVERIFY(!ladder.isCaptured());
    QVERIFY(!ladder.segments().isEmpty());
    QVERIFY(ladder.segments().first().inferred);
}

void TestCapturedLadder::marksStandOutAndExplainThemselves()
{
    // A scripted trace: data sent twice, the peer's duplicate ACK, its zero
    // window, then its window update.
    ConnectionTrace trace;
    trace.setLocalActiveOpener(true);
    const auto add = [&trace](qint64 us, bool out, quint8 flags, quint32 seq, quint32 ack,
                              quint32 len, quint16 window, quint8 marks = 0) {
        TcpSegment s;
        s.monotonicUs = us;
        s.direction = out ? SegmentDirection::Outgoing : SegmentDirection::Incoming;
        s.flags = flags;
        s.seq = s.relativeSeq = seq;
        s.ack = s.relativeAck = ack;
        s.payloadLength = len;
        s.window = window;
        s.scaledWindow = window;
        s.marks = marks;
        s.duplicateAckNumber = (marks & segmentmark::DuplicateAck) ? 1 : 0;
        trace.addSegment(s);
    };
    using namespace tcpflag;
    add(1000, true, Psh | Ack, 1, 1, 100, 512);
    add(1100, true, Psh | Ack, 101, 1, 100, 512);
    add(1200, false, Ack, 1, 101, 0, 512);
    add(1300, false, Ack, 1, 101, 0, 512, segmentmark::DuplicateAck);
    add(1400, true, Psh | Ack, 101, 1, 100, 512, segmentmark::Retransmission);
    add(1500, false, Ack, 1, 201, 0, 0, segmentmark::ZeroWindow);
    add(1600, false, Ack, 1, 201, 0, 512, segmentmark::WindowUpdate);

    ui::LadderWidget ladder;
    ladder.setTrace(&trace);
    ladder.refreshNow();
    const QList<LadderSegment> arrows = ladder.segments();
    QCOMPARE(arrows.size(), 7);
    QCOMPARE(ui::LadderWidget::markWord(arrows[3].captured), QStringLiteral("dup ACK #1"));
    QCOMPARE(ui::LadderWidget::markWord(arrows[4].captured), QStringLiteral("retransmission"));
    QCOMPARE(ui::LadderWidget::markWord(arrows[5].captured), QStringLiteral("zero window"));
    for (qsizetype i = 3; i < 7; ++i)
        QVERIFY(!ui::LadderWidget::markExplanation(arrows[i].captured).isEmpty());
    QVERIFY(ui::LadderWidget::markExplanation(arrows[0].captured).isEmpty());
    ladder.resize(640, 480);
    save(ladder, QStringLiteral("ladder-marks"));
}

int main(int argc, char *argv[])
{
    return test::runInOwnNetworkNamespace(argc, argv, [&](const QString &skipReason) {
        QApplication app(argc, argv);
        g_skipReason = skipReason;
        TestCapturedLadder test;
        return QTest::qExec(&test, argc, argv);
    });
}

#include "tst_capturedladder.moc"
