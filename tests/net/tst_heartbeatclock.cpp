// HeartbeatClock with a clock the test moves by hand: when a ping is due,
// when a silent peer is dead, and which round trips are known.

#include "net/heartbeatclock.h"

#include <QTest>

using namespace synack::net;
using namespace std::chrono_literals;

namespace {

const HeartbeatClock::Clock::time_point t0 = HeartbeatClock::Clock::now();

} // namespace

class TestHeartbeatClock : public QObject
{
    Q_OBJECT

private slots:
    void pingDueAfterTheInterval();
    void silentPeerIsDeadAtTheTimeout();
    void anythingHeardPutsTheTimeoutOff();
    void roundTripOfOurPings();
    void oldPingsAreForgotten();
    void pingAtOnceAfterAThaw();
    void newIntervalsApplyAtOnce();
};

void TestHeartbeatClock::pingDueAfterTheInterval()
{
    HeartbeatClock clock(5s, 15s);
    clock.start(t0);
    QVERIFY(!clock.pingDue(t0));
    QVERIFY(!clock.pingDue(t0 + 4999ms));
    QVERIFY(clock.pingDue(t0 + 5s));
    QCOMPARE(clock.pingSent(t0 + 5s), quint64(1));
    QVERIFY(!clock.pingDue(t0 + 9s));
    QVERIFY(clock.pingDue(t0 + 10s));
    QCOMPARE(clock.pingSent(t0 + 10s), quint64(2));
}

void TestHeartbeatClock::silentPeerIsDeadAtTheTimeout()
{
    HeartbeatClock clock(5s, 15s);
    clock.start(t0);
    QVERIFY(!clock.silentTooLong(t0 + 14999ms));
    QCOMPARE(clock.silentTooLong(t0 + 15s), std::optional(15000ms));
    QCOMPARE(clock.silentTooLong(t0 + 20s), std::optional(20000ms));
}

void TestHeartbeatClock::anythingHeardPutsTheTimeoutOff()
{
    HeartbeatClock clock(5s, 15s);
    clock.start(t0);
    clock.heard(t0 + 10s);
    QCOMPARE(clock.lastHeard(), t0 + 10s);
    QVERIFY(!clock.silentTooLong(t0 + 24s));
    QVERIFY(clock.silentTooLong(t0 + 25s));
}

void TestHeartbeatClock::roundTripOfOurPings()
{
    HeartbeatClock clock(1s, 3s);
    clock.start(t0);
    const quint64 first = clock.pingSent(t0 + 1s);
    const quint64 second = clock.pingSent(t0 + 2s);
    QCOMPARE(clock.pongReceived(second, t0 + 2s + 250us), std::optional(250us));
    QCOMPARE(clock.pongReceived(first, t0 + 2s + 1ms), std::optional(1001000us));
    QVERIFY(!clock.pongReceived(99, t0 + 3s)); // never sent
}

void TestHeartbeatClock::oldPingsAreForgotten()
{
    HeartbeatClock clock(1s, 3s);
    clock.start(t0);
    const quint64 oldest = clock.pingSent(t0);
    for (std::size_t i = 0; i < HeartbeatClock::kMaxPingsInFlight; ++i)
        clock.pingSent(t0 + 1s);
    QVERIFY(!clock.pongReceived(oldest, t0 + 2s));
    QVERIFY(clock.pongReceived(oldest + 1, t0 + 2s));
}

void TestHeartbeatClock::pingAtOnceAfterAThaw()
{
    HeartbeatClock clock(5s, 15s);
    clock.start(t0);
    clock.pingSent(t0 + 1s);
    QVERIFY(!clock.pingDue(t0 + 2s));
    clock.pingAtOnce();
    QVERIFY(clock.pingDue(t0 + 2s));
}

void TestHeartbeatClock::newIntervalsApplyAtOnce()
{
    HeartbeatClock clock(5s, 15s);
    clock.start(t0);
    clock.setIntervals(1s, 3s); // the client adopts the server's welcome
    QVERIFY(clock.pingDue(t0 + 1s));
    QVERIFY(clock.silentTooLong(t0 + 3s));
}

QTEST_APPLESS_MAIN(TestHeartbeatClock)
#include "tst_heartbeatclock.moc"
