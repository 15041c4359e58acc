// ConnectionTrace: scripted lives (open, chat, close by either side, abort,
// half-close), the segments inferred from them alone and with the peer's
// trace, and a live trace of a real loopback pair.

#include "net/connection.h"
#include "net/connectiontrace.h"
#include "net/heartbeatsweeper.h"
#include "net/kernelwatch.h"
#include "scriptedlives.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace synack;
using namespace synack::net;
using namespace synack::test;
using namespace std::chrono_literals;

namespace {

QStringList statesOf(const QList<ConnectionTrace::Transition> &transitions)
{
    QStringList out;
    for (const auto &t : transitions)
        out.append(t.observed ? t.state : t.state + QStringLiteral("?"));
    return out;
}

// "c>SYN" the client sent a SYN, "s>ACK" the server an ACK; from the
// client's side when `clientLocal`.
QStringList namesOf(const QList<LadderSegment> &segments, bool clientLocal = true)
{
    QStringList out;
    for (const LadderSegment &s : segments) {
        const bool byClient = s.fromLocal == clientLocal;
        out.append((byClient ? QStringLiteral("c>") : QStringLiteral("s>")) + s.label);
    }
    return out;
}

QStringList split(const char *names)
{
    return QString::fromLatin1(names).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

bool sortedByTime(const QList<LadderSegment> &segments)
{
    for (qsizetype i = 1; i < segments.size(); ++i) {
        if (segments[i].monotonicUs < segments[i - 1].monotonicUs)
            return false;
    }
    return true;
}

ConnectionSettings settingsFor(protocol::Role role)
{
    ConnectionSettings s;
    s.role = role;
    s.heartbeatInterval = 100ms;
    s.heartbeatTimeout = 2s;
    s.lingerTime = 1s;
    return s;
}

} // namespace

class TestConnectionTrace : public QObject
{
    Q_OBJECT

private slots:
    void scriptedOpenRecordsBothLanes();
    void activeCloseEndsInTimeWaitCountingDown();
    void passiveCloseEndsClosed();
    void abortIsReset();
    void resetDropsGuessedStates();
    void halfClose();
    void changedIsEmittedPerChange();
    void roundTripsAreBounded();
    void peerPairingIsMutual();
    void segmentsOfEachLife_data();
    void segmentsOfEachLife();
    void mergedSegmentsHaveNoDuplicates_data();
    void mergedSegmentsHaveNoDuplicates();
    void liveTraceOfALoopbackPair();
    void liveTraceOfAnAbort();
};

void TestConnectionTrace::scriptedOpenRecordsBothLanes()
{
    const auto p = scriptedLife(Life::Chatting);
    const ConnectionTrace &c = *p->client;
    QCOMPARE(statesOf(c.qtTransitions()),
             split("UnconnectedState HostLookupState ConnectingState ConnectedState"));
    QCOMPARE(statesOf(c.kernelTransitions()), split("CLOSED SYN_SENT ESTABLISHED"));
    QCOMPARE(c.kernelState(), TcpState::Established);
    QVERIFY(c.isLocalActiveOpener());
    QVERIFY(!c.isClosed());
    QVERIFY(!c.timerLeftMs());
    QCOMPARE(c.roundTrips().size(), 12);
    QVERIFY(c.lastTcpInfo());
    QCOMPARE(c.lastTcpInfo()->rttUs, 52u);
    QCOMPARE(c.startUs(), p->t0);

    // The server's passed SYN_RECV sits between LISTEN and ESTABLISHED.
    const ConnectionTrace &s = *p->server;
    QCOMPARE(statesOf(s.kernelTransitions()), split("LISTEN SYN_RECV? ESTABLISHED"));
    const auto k = s.kernelTransitions();
    QVERIFY(k[0].monotonicUs < k[1].monotonicUs && k[1].monotonicUs < k[2].monotonicUs);
    QVERIFY(!s.isLocalActiveOpener());
}

void TestConnectionTrace::activeCloseEndsInTimeWaitCountingDown()
{
    const auto p = scriptedLife(Life::ClientCloses);
    const ConnectionTrace &c = *p->client;
    QCOMPARE(statesOf(c.kernelTransitions()),
             split("CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT"));
    QCOMPARE(c.kernelState(), TcpState::TimeWait);
    QVERIFY(c.isClosed());
    QVERIFY(!c.isKernelFinished());
    const auto left = c.timerLeftMs();
    QVERIFY(left);
    QVERIFY2(*left <= 59000 && *left > 50000, qPrintable(QString::number(*left)));
    // It counts down by itself between the kernel's figures.
    const qint64 now = ConnectionTrace::nowUs();
    QCOMPARE(*c.timerLeftMsAt(now + 10 * kS), std::max<qint64>(0, *c.timerLeftMsAt(now) - 10000));
    QCOMPARE(*c.timerLeftMsAt(now + 100 * kS), 0);

    const auto finished = scriptedLife(Life::ClientCloseFinished);
    QCOMPARE(finished->client->kernelState(), TcpState::Closed);
    QVERIFY(finished->client->isKernelFinished());
    QVERIFY(!finished->client->timerLeftMs());
}

void TestConnectionTrace::passiveCloseEndsClosed()
{
    const auto p = scriptedLife(Life::ClientCloses);
    const ConnectionTrace &s = *p->server;
    QCOMPARE(statesOf(s.kernelTransitions()),
             split("LISTEN SYN_RECV? ESTABLISHED CLOSE_WAIT LAST_ACK? CLOSED"));
    QVERIFY(s.isClosed());
    QVERIFY(s.isKernelFinished());
    QVERIFY(!s.sawReset());
    QCOMPARE(s.closeDetail(), QStringLiteral("the peer sent bye"));
}

void TestConnectionTrace::abortIsReset()
{
    const auto p = scriptedLife(Life::ClientAborts);
    QVERIFY(p->client->sawReset());
    QVERIFY(p->client->resetSentByLocal());
    QVERIFY(p->server->sawReset());
    QVERIFY(!p->server->resetSentByLocal());
    QCOMPARE(statesOf(p->client->kernelTransitions()), split("CLOSED SYN_SENT ESTABLISHED CLOSED"));
    QVERIFY(!p->client->timerLeftMs());
}

void TestConnectionTrace::resetDropsGuessedStates()
{
    // The tracker saw ESTABLISHED, then CLOSED, and guessed the passive close
    // in between; the RST, known before or after, says there was none.
    for (const bool resetFirst : {true, false}) {
        ConnectionTrace t;
        t.addKernelState(10, TcpState::Established, {});
        if (resetFirst)
            t.markReset(false);
        t.addKernelState(20, TcpState::Closed, {TcpState::CloseWait, TcpState::LastAck});
        if (!resetFirst)
            t.markReset(false);
        QCOMPARE(statesOf(t.kernelTransitions()), split("ESTABLISHED CLOSED"));
        QCOMPARE(namesOf(inferSegments(t), false), split("c>RST"));
    }
}

void TestConnectionTrace::halfClose()
{
    const auto p = scriptedLife(Life::ClientHalfCloses);
    QVERIFY(p->client->labFlags().halfClosed);
    QVERIFY(p->server->labFlags().peerHalfClosed);
    QCOMPARE(p->client->kernelState(), TcpState::FinWait2);
    QCOMPARE(p->server->kernelState(), TcpState::CloseWait);
    QVERIFY(!p->client->isClosed());
    QVERIFY(!p->server->isClosed());
}

void TestConnectionTrace::changedIsEmittedPerChange()
{
    ConnectionTrace t;
    QSignalSpy changed(&t, &ConnectionTrace::changed);
    t.addKernelState(10, TcpState::Established, {});
    t.addKernelState(20, TcpState::Established, {}); // no change
    t.addQtState(10, QStringLiteral("ConnectedState"));
    t.addQtState(11, QStringLiteral("ConnectedState")); // no change
    t.setLabFlags({});                                  // no change
    t.addRoundTrip(30, 100);
    QCOMPARE(changed.count(), 3);
}

void TestConnectionTrace::roundTripsAreBounded()
{
    ConnectionTrace t;
    for (qint64 i = 0; i < ConnectionTrace::kMaxRoundTrips + 50; ++i)
        t.addRoundTrip(i, 100 + i);
    QCOMPARE(t.roundTrips().size(), ConnectionTrace::kMaxRoundTrips);
    QCOMPARE(t.roundTrips().first().first, 50);
}

void TestConnectionTrace::peerPairingIsMutual()
{
    auto a = std::make_unique<ConnectionTrace>();
    auto b = std::make_unique<ConnectionTrace>();
    a->setPeerTrace(b.get());
    QCOMPARE(b->peerTrace(), a.get());
    QCOMPARE(a->peerTrace(), b.get());
    b.reset();
    QCOMPARE(a->peerTrace(), nullptr);
    ConnectionTrace c;
    ConnectionTrace d;
    a->setPeerTrace(&c);
    a->setPeerTrace(&d);
    QCOMPARE(c.peerTrace(), nullptr);
    QCOMPARE(d.peerTrace(), a.get());
    a->setPeerTrace(nullptr);
    QCOMPARE(d.peerTrace(), nullptr);
}

void TestConnectionTrace::segmentsOfEachLife_data()
{
    QTest::addColumn<int>("life");
    QTest::addColumn<bool>("fromClient");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("chat, client") << int(Life::Chatting) << true << split("c>SYN s>SYN+ACK c>ACK");
    QTest::newRow("chat, server") << int(Life::Chatting) << false << split("c>SYN s>SYN+ACK c>ACK");
    QTest::newRow("client closes, client")
        << int(Life::ClientCloses) << true
        << split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK s>FIN c>ACK");
    QTest::newRow("client closes, server")
        << int(Life::ClientCloses) << false
        << split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK s>FIN c>ACK");
    QTest::newRow("server closes, client")
        << int(Life::ServerCloses) << true
        << split("c>SYN s>SYN+ACK c>ACK s>FIN c>ACK c>FIN s>ACK");
    QTest::newRow("client aborts, client")
        << int(Life::ClientAborts) << true << split("c>SYN s>SYN+ACK c>ACK c>RST");
    QTest::newRow("client aborts, server")
        << int(Life::ClientAborts) << false << split("c>SYN s>SYN+ACK c>ACK c>RST");
    QTest::newRow("client half-closes, client")
        << int(Life::ClientHalfCloses) << true << split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK");
    QTest::newRow("client half-closes, server")
        << int(Life::ClientHalfCloses) << false << split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK");
}

void TestConnectionTrace::segmentsOfEachLife()
{
    QFETCH(int, life);
    QFETCH(bool, fromClient);
    QFETCH(QStringList, expected);
    const auto p = scriptedLife(Life(life));
    const ConnectionTrace &local = fromClient ? *p->client : *p->server;
    const QList<LadderSegment> segments = inferSegments(local);
    QCOMPARE(namesOf(segments, fromClient), expected);
    QVERIFY(sortedByTime(segments));
    for (const LadderSegment &s : segments)
        QVERIFY(s.inferred);
}

void TestConnectionTrace::mergedSegmentsHaveNoDuplicates_data()
{
    QTest::addColumn<int>("life");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("chat") << int(Life::Chatting) << split("c>SYN s>SYN+ACK c>ACK");
    QTest::newRow("client closes")
        << int(Life::ClientCloses) << split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK s>FIN c>ACK");
    QTest::newRow("server closes")
        << int(Life::ServerCloses) << split("c>SYN s>SYN+ACK c>ACK s>FIN c>ACK c>FIN s>ACK");
    QTest::newRow("client aborts")
        << int(Life::ClientAborts) << split("c>SYN s>SYN+ACK c>ACK c>RST");
    QTest::newRow("client half-closes")
        << int(Life::ClientHalfCloses) << split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK");
}

void TestConnectionTrace::mergedSegmentsHaveNoDuplicates()
{
    QFETCH(int, life);
    QFETCH(QStringList, expected);
    const auto p = scriptedLife(Life(life));
    p->client->setPeerTrace(p->server.get());
    const QList<LadderSegment> fromClient = inferSegments(*p->client, p->server.get());
    QCOMPARE(namesOf(fromClient, true), expected);
    QVERIFY(sortedByTime(fromClient));
    // The same ladder from the other end, mirrored.
    const QList<LadderSegment> fromServer = inferSegments(*p->server, p->client.get());
    QCOMPARE(namesOf(fromServer, false), expected);
    // A segment is kept at its earlier sighting: the sender's.
    QCOMPARE(fromClient.first().monotonicUs, p->client->kernelTransitions()[1].monotonicUs);
}

void TestConnectionTrace::liveTraceOfALoopbackPair()
{
    QString whyNot;
    if (!KernelProbe::isAvailable(&whyNot))
        QSKIP(qPrintable(QStringLiteral("kernel TCP states are not available here: ") + whyNot));

    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    KernelWatch watch;
    Connection client(new QTcpSocket, settingsFor(protocol::Role::Client));
    client.setKernelWatch(&watch);
    ConnectionTrace clientTrace(&client, &watch);
    QCOMPARE(clientTrace.connectionId(), client.id());
    QVERIFY(clientTrace.isLocalActiveOpener());
    client.connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
    QVERIFY(listener.waitForNewConnection(5000));
    auto server = std::make_unique<Connection>(listener.nextPendingConnection(),
                                               settingsFor(protocol::Role::Server));
    server->setKernelWatch(&watch);
    ConnectionTrace serverTrace(server.get(), &watch);
    QVERIFY(!serverTrace.isLocalActiveOpener());
    HeartbeatSweeper sweeper;
    sweeper.setResolution(20ms);
    sweeper.add(&client);
    clientTrace.setPeerTrace(&serverTrace);

    QTRY_COMPARE_WITH_TIMEOUT(clientTrace.kernelState(), TcpState::Established, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(serverTrace.kernelState(), TcpState::Established, 5000);
    // Qt states come from the socket even though nothing records the log.
    QVERIFY(!client.isRecording());
    QVERIFY(statesOf(clientTrace.qtTransitions()).contains(QStringLiteral("ConnectingState")));
    QTRY_VERIFY(statesOf(clientTrace.qtTransitions()).contains(QStringLiteral("ConnectedState")));
    QCOMPARE(clientTrace.kernelTransitions().first().state, QStringLiteral("CLOSED"));
    QCOMPARE(serverTrace.kernelTransitions().first().state, QStringLiteral("LISTEN"));
    // Heartbeats every 100 ms; TCP_INFO once a second.
    QTRY_VERIFY_WITH_TIMEOUT(clientTrace.roundTrips().size() >= 2, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(clientTrace.lastTcpInfo().has_value(), 5000);
    QCOMPARE(namesOf(inferSegments(clientTrace, &serverTrace)), split("c>SYN s>SYN+ACK c>ACK"));

    // The client closes: TIME_WAIT on its side, counting down after the
    // Connection is gone; CLOSED on the server's, until the kernel forgets.
    client.closeWithBye(QStringLiteral("quit"));
    QTRY_VERIFY_WITH_TIMEOUT(clientTrace.isClosed(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(clientTrace.kernelState(), TcpState::TimeWait, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(clientTrace.timerLeftMs().has_value(), 5000);
    QVERIFY(*clientTrace.timerLeftMs() > 0 && *clientTrace.timerLeftMs() <= 60000);
    QTRY_VERIFY_WITH_TIMEOUT(serverTrace.isKernelFinished(), 5000);
    QVERIFY(serverTrace.isClosed());
    server.reset(); // the trace outlives its Connection
    QCOMPARE(serverTrace.kernelState(), TcpState::Closed);
    QCOMPARE(namesOf(inferSegments(clientTrace, &serverTrace)),
             split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK s>FIN c>ACK"));
    QVERIFY(!clientTrace.isKernelFinished()); // TIME_WAIT lasts a minute
}

void TestConnectionTrace::liveTraceOfAnAbort()
{
    QString whyNot;
    if (!KernelProbe::isAvailable(&whyNot))
        QSKIP(qPrintable(QStringLiteral("kernel TCP states are not available here: ") + whyNot));

    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    KernelWatch watch;
    Connection client(new QTcpSocket, settingsFor(protocol::Role::Client));
    client.setKernelWatch(&watch);
    ConnectionTrace clientTrace(&client, &watch);
    client.connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
    QVERIFY(listener.waitForNewConnection(5000));
    Connection server(listener.nextPendingConnection(), settingsFor(protocol::Role::Server));
    server.setKernelWatch(&watch);
    ConnectionTrace serverTrace(&server, &watch);
    QTRY_COMPARE_WITH_TIMEOUT(clientTrace.kernelState(), TcpState::Established, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(serverTrace.kernelState(), TcpState::Established, 5000);

    client.abort();
    QTRY_VERIFY_WITH_TIMEOUT(serverTrace.isClosed(), 5000);
    QVERIFY(clientTrace.sawReset() && clientTrace.resetSentByLocal());
    QVERIFY(serverTrace.sawReset() && !serverTrace.resetSentByLocal());
    QTRY_VERIFY_WITH_TIMEOUT(clientTrace.isKernelFinished(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(serverTrace.isKernelFinished(), 5000);
    QVERIFY(!statesOf(clientTrace.kernelTransitions()).contains(QStringLiteral("TIME_WAIT")));
    const QStringList names = namesOf(inferSegments(clientTrace, &serverTrace));
    QVERIFY2(names == split("c>SYN s>SYN+ACK c>ACK c>RST"),
             qPrintable(names.join(QLatin1Char(' ')) + QStringLiteral(" / ") +
                        statesOf(clientTrace.kernelTransitions()).join(QLatin1Char(' ')) +
                        QStringLiteral(" / ") +
                        statesOf(serverTrace.kernelTransitions()).join(QLatin1Char(' '))));
}

QTEST_GUILESS_MAIN(TestConnectionTrace)
#include "tst_connectiontrace.moc"
