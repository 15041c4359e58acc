// The kernel TCP state probe and tracker, on real loopback connections: the
// states are the kernel's, never simulated. The tracker's own logic is also
// driven by a scripted lookup, where the kernel's timing would get in the way.

#include "net/kernelprobe.h"
#include "net/kernelstatetracker.h"
#include "net/tcpstate.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <memory>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace synack::net;

namespace synack::net {
// QCOMPARE prints states by name.
char *toString(TcpState state)
{
    return qstrdup(tcpStateName(state).toLatin1().constData());
}
} // namespace synack::net

namespace {

// Every test that needs the kernel skips, with the reason, where it has none.
#define REQUIRE_KERNEL_PROBE()                                                                     \
    do {                                                                                           \
        QString whyNot;                                                                            \
        if (!KernelProbe::isAvailable(&whyNot))                                                    \
            QSKIP(whyNot.toLocal8Bit().constData());                                               \
    } while (false)

constexpr qint64 kTimeWaitMaxMs = 60000; // TCP_TIMEWAIT_LEN

// Declares a RawServer `server` listening on 127.0.0.1 and a Pair `pair`
// connected to it; the test ends there if either cannot be had.
#define LOOPBACK_PAIR(server, pair)                                                                \
    RawServer server;                                                                              \
    QVERIFY(server.listen(QHostAddress::LocalHost));                                               \
    Pair pair;                                                                                     \
    connectPair(server, pair, QHostAddress(QHostAddress::LocalHost));                              \
    if (QTest::currentTestFailed())                                                                \
    return

// Hands out accepted connections as bare fds, which Qt never reads: a peer's FIN
// then leaves them in CLOSE_WAIT for as long as the test likes.
class RawServer : public QTcpServer
{
public:
    ~RawServer() override
    {
        for (const qintptr fd : std::as_const(accepted))
            ::close(int(fd));
    }

    QList<qintptr> accepted;

protected:
    void incomingConnection(qintptr fd) override { accepted.append(fd); }
};

// A QTcpSocket client and the server's raw fd of the same connection.
struct Pair
{
    std::unique_ptr<QTcpSocket> client;
    qintptr serverFd = -1;

    Pair() = default;
    Pair(const Pair &) = delete;
    Pair &operator=(const Pair &) = delete;
    ~Pair() { closeServer(); }

    void closeServer()
    {
        if (serverFd >= 0)
            ::close(int(serverFd));
        serverFd = -1;
    }
};

std::optional<TcpState> stateOf(const std::optional<SocketKey> &key)
{
    if (!key)
        return std::nullopt;
    const auto state = KernelProbe::lookup(*key);
    return state ? std::optional(state->state) : std::nullopt;
}

TcpState lookedUp(const SocketKey &key)
{
    return stateOf(key).value_or(TcpState::Unknown);
}

// A lookup that answers what the test says, counting its calls.
struct ScriptedKernel
{
    std::optional<KernelSocketState> answer;
    int calls = 0;

    void set(TcpState state, std::optional<qint64> timerMs = std::nullopt)
    {
        KernelSocketState s;
        s.state = state;
        s.timerMs = timerMs;
        s.timerKind = timerMs ? KernelSocketState::TimeWaitTimer : KernelSocketState::NoTimer;
        answer = s;
    }
    KernelStateTracker::LookupFunction function()
    {
        return [this](const SocketKey &) {
            ++calls;
            return answer;
        };
    }
};

SocketKey someKey()
{
    return {QHostAddress(QHostAddress::LocalHost), 40000, QHostAddress(QHostAddress::LocalHost),
            40001, 0};
}

struct Change
{
    int handle;
    TcpState from;
    TcpState to;
    QList<TcpState> passed;
};

QList<Change> changes(const QSignalSpy &spy)
{
    QList<Change> list;
    for (const QList<QVariant> &arguments : spy) {
        list.append({arguments.at(0).toInt(), arguments.at(1).value<TcpState>(),
                     arguments.at(2).value<TcpState>(), arguments.at(3).value<QList<TcpState>>()});
    }
    return list;
}

} // namespace

class TestKernelProbe : public QObject
{
    Q_OBJECT

private slots:
    // Without the kernel.
    void stateNamesAndNumbers();
    void statesBetween_data();
    void statesBetween();
    void trackerReportsSkippedStates();
    void trackerPollsFastThenSlow();
    void trackerKeepsStateWhenProbeFails();
    void trackerFinWait2TimeoutSkipsTimeWait();
    void trackerUntrackFromSlot();
    void invalidFdsFailCleanly();

    // With the kernel.
    void cookieIsNonZeroAndStable();
    void establishedOnBothEnds();
    void dualStackMappedAddresses();
    void ipv6Loopback();
    void listenerFoundByDump();
    void activeCloserFinWait2ThenTimeWaitAfterFdClosed();
    void passiveCloseWaitThenLastAckWithTracker();
    void trackerFillsPassedNotObserved();
    void abortWithLingerZeroLeavesNoTimeWait();
    void tcpInfoCountsBytes();
    void unknownSocketIsClosed();
    void heldDescriptorAgreesWithNetlink();
    void trackerWithHeldDescriptorFindsTimeWait();
    void trackerEndsAPassiveCloseWithoutNetlink();

private:
    void connectPair(RawServer &server, Pair &pair, const QHostAddress &address);
};

void TestKernelProbe::connectPair(RawServer &server, Pair &pair, const QHostAddress &address)
{
    pair.client = std::make_unique<QTcpSocket>();
    pair.client->connectToHost(address, server.serverPort());
    QTRY_COMPARE(pair.client->state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(server.accepted.size(), 1);
    pair.serverFd = server.accepted.takeFirst();
}

void TestKernelProbe::stateNamesAndNumbers()
{
    QCOMPARE(tcpStateName(TcpState::Established), QStringLiteral("ESTABLISHED"));
    QCOMPARE(tcpStateName(TcpState::SynSent), QStringLiteral("SYN_SENT"));
    QCOMPARE(tcpStateName(TcpState::SynRecv), QStringLiteral("SYN_RECV"));
    QCOMPARE(tcpStateName(TcpState::FinWait1), QStringLiteral("FIN_WAIT_1"));
    QCOMPARE(tcpStateName(TcpState::FinWait2), QStringLiteral("FIN_WAIT_2"));
    QCOMPARE(tcpStateName(TcpState::TimeWait), QStringLiteral("TIME_WAIT"));
    QCOMPARE(tcpStateName(TcpState::Closed), QStringLiteral("CLOSED"));
    QCOMPARE(tcpStateName(TcpState::CloseWait), QStringLiteral("CLOSE_WAIT"));
    QCOMPARE(tcpStateName(TcpState::LastAck), QStringLiteral("LAST_ACK"));
    QCOMPARE(tcpStateName(TcpState::Listen), QStringLiteral("LISTEN"));
    QCOMPARE(tcpStateName(TcpState::Closing), QStringLiteral("CLOSING"));
    QCOMPARE(tcpStateName(TcpState::Unknown), QStringLiteral("UNKNOWN"));

    // include/net/tcp_states.h
    QCOMPARE(tcpStateFromKernel(1), TcpState::Established);
    QCOMPARE(tcpStateFromKernel(2), TcpState::SynSent);
    QCOMPARE(tcpStateFromKernel(3), TcpState::SynRecv);
    QCOMPARE(tcpStateFromKernel(4), TcpState::FinWait1);
    QCOMPARE(tcpStateFromKernel(5), TcpState::FinWait2);
    QCOMPARE(tcpStateFromKernel(6), TcpState::TimeWait);
    QCOMPARE(tcpStateFromKernel(7), TcpState::Closed);
    QCOMPARE(tcpStateFromKernel(8), TcpState::CloseWait);
    QCOMPARE(tcpStateFromKernel(9), TcpState::LastAck);
    QCOMPARE(tcpStateFromKernel(10), TcpState::Listen);
    QCOMPARE(tcpStateFromKernel(11), TcpState::Closing);
    QCOMPARE(tcpStateFromKernel(12), TcpState::SynRecv); // TCP_NEW_SYN_RECV
    QCOMPARE(tcpStateFromKernel(13), TcpState::Closed);  // TCP_BOUND_INACTIVE
    QCOMPARE(tcpStateFromKernel(0), TcpState::Unknown);
    QCOMPARE(tcpStateFromKernel(99), TcpState::Unknown);

    QVERIFY(isPassingState(TcpState::FinWait1));
    QVERIFY(isPassingState(TcpState::LastAck));
    QVERIFY(!isPassingState(TcpState::Established));
    QVERIFY(!isPassingState(TcpState::TimeWait));
    QVERIFY(!isPassingState(TcpState::CloseWait));
    QVERIFY(!isPassingState(TcpState::Listen));
}

void TestKernelProbe::statesBetween_data()
{
    using S = TcpState;
    using L = QList<TcpState>;
    QTest::addColumn<TcpState>("from");
    QTest::addColumn<TcpState>("to");
    QTest::addColumn<CloseKind>("how");
    QTest::addColumn<L>("expected");

    QTest::newRow("active close to TIME_WAIT")
        << S::Established << S::TimeWait << CloseKind::Unknown << L{S::FinWait1, S::FinWait2};
    QTest::newRow("active close, known")
        << S::Established << S::TimeWait << CloseKind::Active << L{S::FinWait1, S::FinWait2};
    QTest::newRow("active close to CLOSED") << S::Established << S::Closed << CloseKind::Active
                                            << L{S::FinWait1, S::FinWait2, S::TimeWait};
    QTest::newRow("passive close to CLOSED")
        << S::Established << S::Closed << CloseKind::Passive << L{S::CloseWait, S::LastAck};
    QTest::newRow("unknown close to CLOSED: shortest")
        << S::Established << S::Closed << CloseKind::Unknown << L{S::CloseWait, S::LastAck};
    QTest::newRow("reset to CLOSED") << S::Established << S::Closed << CloseKind::Reset << L{};
    QTest::newRow("reset elsewhere: as unknown")
        << S::Established << S::TimeWait << CloseKind::Reset << L{S::FinWait1, S::FinWait2};
    QTest::newRow("FIN_WAIT_1 to TIME_WAIT")
        << S::FinWait1 << S::TimeWait << CloseKind::Unknown << L{S::FinWait2};
    QTest::newRow("FIN_WAIT_1 to CLOSED")
        << S::FinWait1 << S::Closed << CloseKind::Unknown << L{S::FinWait2, S::TimeWait};
    QTest::newRow("FIN_WAIT_2 to CLOSED")
        << S::FinWait2 << S::Closed << CloseKind::Unknown << L{S::TimeWait};
    QTest::newRow("CLOSING to CLOSED")
        << S::Closing << S::Closed << CloseKind::Unknown << L{S::TimeWait};
    QTest::newRow("CLOSE_WAIT to CLOSED")
        << S::CloseWait << S::Closed << CloseKind::Unknown << L{S::LastAck};
    QTest::newRow("SYN_SENT to FIN_WAIT_2")
        << S::SynSent << S::FinWait2 << CloseKind::Unknown << L{S::Established, S::FinWait1};
    QTest::newRow("SYN_SENT to CLOSE_WAIT")
        << S::SynSent << S::CloseWait << CloseKind::Unknown << L{S::Established};
    QTest::newRow("SYN_SENT to CLOSED: direct")
        << S::SynSent << S::Closed << CloseKind::Unknown << L{};
    QTest::newRow("SYN_RECV to TIME_WAIT")
        << S::SynRecv << S::TimeWait << CloseKind::Unknown << L{S::FinWait1, S::FinWait2};
    QTest::newRow("LISTEN to ESTABLISHED")
        << S::Listen << S::Established << CloseKind::Unknown << L{S::SynRecv};
    QTest::newRow("CLOSED to ESTABLISHED")
        << S::Closed << S::Established << CloseKind::Unknown << L{S::SynSent};
    QTest::newRow("direct edge") << S::Established << S::CloseWait << CloseKind::Unknown << L{};
    QTest::newRow("same state") << S::TimeWait << S::TimeWait << CloseKind::Unknown << L{};
    QTest::newRow("from unknown") << S::Unknown << S::TimeWait << CloseKind::Unknown << L{};
    QTest::newRow("backwards: no path")
        << S::TimeWait << S::Established << CloseKind::Unknown << L{};
    QTest::newRow("not through CLOSED") << S::LastAck << S::SynSent << CloseKind::Unknown << L{};
    QTest::newRow("no path") << S::Established << S::SynSent << CloseKind::Unknown << L{};
    QTest::newRow("passive cannot reach TIME_WAIT")
        << S::Established << S::TimeWait << CloseKind::Passive << L{};
}

void TestKernelProbe::statesBetween()
{
    QFETCH(TcpState, from);
    QFETCH(TcpState, to);
    QFETCH(CloseKind, how);
    QFETCH(QList<TcpState>, expected);
    QCOMPARE(synack::net::statesBetween(from, to, how), expected);
}

void TestKernelProbe::trackerReportsSkippedStates()
{
    ScriptedKernel kernel;
    KernelStateTracker tracker(KernelStateTracker::Settings{}, kernel.function());
    QSignalSpy changed(&tracker, &KernelStateTracker::stateChanged);
    QSignalSpy timer(&tracker, &KernelStateTracker::timerUpdated);
    QSignalSpy finished(&tracker, &KernelStateTracker::finished);

    kernel.set(TcpState::Established);
    const int handle = tracker.track(someKey(), TcpState::Established);
    QCOMPARE(tracker.state(handle), TcpState::Established);
    QVERIFY(!tracker.lastState(handle));
    const qint64 before = KernelStateTracker::monotonicUs();
    tracker.checkNow(handle);
    QCOMPARE(changed.size(), 0); // as believed
    QVERIFY(tracker.lastState(handle));
    QVERIFY(tracker.lastObservedUs(handle) >= before);

    kernel.set(TcpState::TimeWait, 59000);
    tracker.checkNow(handle);
    QCOMPARE(changed.size(), 1);
    const Change change = changes(changed).at(0);
    QCOMPARE(change.handle, handle);
    QCOMPARE(change.from, TcpState::Established);
    QCOMPARE(change.to, TcpState::TimeWait);
    QCOMPARE(change.passed, (QList<TcpState>{TcpState::FinWait1, TcpState::FinWait2}));
    QVERIFY(changed.at(0).at(4).toLongLong() >= before);
    QCOMPARE(timer.size(), 1);
    QCOMPARE(timer.at(0).at(1).toLongLong(), 59000);

    // Active close known from TIME_WAIT; then the kernel forgets the socket.
    kernel.set(TcpState::Closed);
    tracker.checkNow(handle);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changes(changed).at(1).from, TcpState::TimeWait);
    QCOMPARE(changes(changed).at(1).to, TcpState::Closed);
    QCOMPARE(changes(changed).at(1).passed, QList<TcpState>{});
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toInt(), handle);
    QVERIFY(!tracker.isTracking(handle));
    QCOMPARE(tracker.trackedCount(), 0);

    // A socket first seen in CLOSED: reported from the believed state, then done.
    const int second = tracker.track(someKey());
    QVERIFY(second != handle);
    tracker.checkNow(second);
    QCOMPARE(changes(changed).at(2).from, TcpState::Unknown);
    QCOMPARE(changes(changed).at(2).to, TcpState::Closed);
    QCOMPARE(changes(changed).at(2).passed, QList<TcpState>{});
    QCOMPARE(finished.size(), 2);

    // The caller knows it aborted: nothing is invented on the way to CLOSED.
    kernel.set(TcpState::Established);
    const int third = tracker.track(someKey(), TcpState::Established);
    tracker.setCloseKind(third, CloseKind::Reset);
    kernel.set(TcpState::Closed);
    tracker.checkNow(third);
    QCOMPARE(changes(changed).at(3).passed, QList<TcpState>{});
}

void TestKernelProbe::trackerPollsFastThenSlow()
{
    ScriptedKernel kernel;
    KernelStateTracker::Settings settings;
    settings.fastInterval = std::chrono::milliseconds(2);
    settings.slowInterval = std::chrono::milliseconds(40);
    KernelStateTracker tracker(settings, kernel.function());
    QSignalSpy changed(&tracker, &KernelStateTracker::stateChanged);
    QCOMPARE(tracker.pollInterval(), settings.slowInterval); // nothing to follow

    kernel.set(TcpState::SynSent);
    const int handle = tracker.track(someKey());
    QCOMPARE(tracker.pollInterval(), settings.fastInterval); // not looked at yet
    QTRY_COMPARE(tracker.state(handle), TcpState::SynSent);
    QCOMPARE(tracker.pollInterval(), settings.fastInterval); // passing

    kernel.set(TcpState::Established);
    QTRY_COMPARE(tracker.state(handle), TcpState::Established);
    QCOMPARE(tracker.pollInterval(), settings.slowInterval); // resting

    // Found by the slow poll, without a checkNow().
    kernel.set(TcpState::FinWait1);
    QTRY_COMPARE(tracker.state(handle), TcpState::FinWait1);
    QCOMPARE(tracker.pollInterval(), settings.fastInterval);
    const int callsInFinWait1 = kernel.calls;
    QTRY_VERIFY(kernel.calls > callsInFinWait1 + 5); // keeps looking, fast

    const QList<Change> seen = changes(changed);
    QCOMPARE(seen.size(), 3);
    QCOMPARE(seen.at(0).from, TcpState::Unknown);
    QCOMPARE(seen.at(1).from, TcpState::SynSent);
    QCOMPARE(seen.at(2).to, TcpState::FinWait1);
    QCOMPARE(seen.at(2).passed, QList<TcpState>{});

    tracker.untrack(handle);
    QVERIFY(!tracker.isTracking(handle));
    QCOMPARE(tracker.pollInterval(), settings.slowInterval);
    QCOMPARE(tracker.checkCount(), quint64(kernel.calls));
}

void TestKernelProbe::trackerKeepsStateWhenProbeFails()
{
    ScriptedKernel kernel;
    KernelStateTracker tracker(KernelStateTracker::Settings{}, kernel.function());
    QSignalSpy changed(&tracker, &KernelStateTracker::stateChanged);
    QSignalSpy finished(&tracker, &KernelStateTracker::finished);
    kernel.answer.reset(); // the probe fails
    const int handle = tracker.track(someKey(), TcpState::Established);
    tracker.checkNow(handle);
    tracker.checkNow(handle);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(finished.size(), 0);
    QVERIFY(tracker.isTracking(handle));
    QCOMPARE(tracker.state(handle), TcpState::Established);
    QVERIFY(!tracker.lastState(handle));
}

void TestKernelProbe::trackerFinWait2TimeoutSkipsTimeWait()
{
    ScriptedKernel kernel;
    KernelStateTracker tracker(KernelStateTracker::Settings{}, kernel.function());
    QSignalSpy changed(&tracker, &KernelStateTracker::stateChanged);
    kernel.set(TcpState::FinWait2, 0); // an orphan whose timer ran out
    const int handle = tracker.track(someKey(), TcpState::FinWait2);
    tracker.checkNow(handle);
    kernel.set(TcpState::Closed);
    tracker.checkNow(handle);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changes(changed).at(0).passed, QList<TcpState>{});

    // With time left, the peer's FIN must have come: TIME_WAIT was passed.
    kernel.set(TcpState::FinWait2, 50000);
    const int other = tracker.track(someKey(), TcpState::FinWait2);
    tracker.checkNow(other);
    kernel.set(TcpState::Closed);
    tracker.checkNow(other);
    QCOMPARE(changes(changed).at(1).passed, QList<TcpState>{TcpState::TimeWait});
}

void TestKernelProbe::trackerUntrackFromSlot()
{
    ScriptedKernel kernel;
    KernelStateTracker tracker(KernelStateTracker::Settings{}, kernel.function());
    QSignalSpy finished(&tracker, &KernelStateTracker::finished);
    connect(&tracker, &KernelStateTracker::stateChanged, this,
            [&tracker](int handle) { tracker.untrack(handle); });
    kernel.set(TcpState::Closed);
    const int handle = tracker.track(someKey(), TcpState::Established);
    const int other = tracker.track(someKey(), TcpState::Established);
    tracker.checkNow(handle);
    QVERIFY(!tracker.isTracking(handle));
    QCOMPARE(finished.size(), 0);            // untracked before the kernel's verdict was final
    QTRY_VERIFY(!tracker.isTracking(other)); // by the timer, same path
    QCOMPARE(finished.size(), 0);
    QCOMPARE(tracker.trackedCount(), 0);
}

void TestKernelProbe::invalidFdsFailCleanly()
{
    QVERIFY(!KernelProbe::keyOf(-1));
    QVERIFY(!KernelProbe::socketCookie(-1));
    QVERIFY(!KernelProbe::tcpInfo(-1));
    QString whyNot;
    if (!KernelProbe::isAvailable(&whyNot))
        QVERIFY(!whyNot.isEmpty());
    else
        QVERIFY(whyNot.isEmpty());
}

void TestKernelProbe::cookieIsNonZeroAndStable()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);

    const auto cookie = KernelProbe::socketCookie(pair.client->socketDescriptor());
    QVERIFY(cookie);
    QVERIFY(*cookie != 0);
    QCOMPARE(KernelProbe::socketCookie(pair.client->socketDescriptor()), cookie);
    const auto serverCookie = KernelProbe::socketCookie(pair.serverFd);
    QVERIFY(serverCookie);
    QVERIFY(*serverCookie != *cookie);

    const auto clientKey = KernelProbe::keyOf(pair.client->socketDescriptor());
    const auto serverKey = KernelProbe::keyOf(pair.serverFd);
    QVERIFY(clientKey);
    QVERIFY(serverKey);
    QCOMPARE(clientKey->cookie, *cookie);
    QCOMPARE(serverKey->cookie, *serverCookie);
    QCOMPARE(clientKey->localPort, pair.client->localPort());
    QCOMPARE(clientKey->peerPort, server.serverPort());
    QCOMPARE(clientKey->peerAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(serverKey->localPort, server.serverPort());
    QCOMPARE(serverKey->peerPort, pair.client->localPort());
}

void TestKernelProbe::establishedOnBothEnds()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);

    auto clientKey = KernelProbe::keyOf(pair.client->socketDescriptor());
    const auto serverKey = KernelProbe::keyOf(pair.serverFd);
    QCOMPARE(stateOf(clientKey), TcpState::Established);
    QCOMPARE(stateOf(serverKey), TcpState::Established);
    const auto state = KernelProbe::lookup(*clientKey);
    QCOMPARE(state->recvQueue, 0u);
    QCOMPARE(state->sendQueue, 0u);
    clientKey->cookie = 0; // any socket with this 4-tuple
    QCOMPARE(stateOf(clientKey), TcpState::Established);
}

void TestKernelProbe::dualStackMappedAddresses()
{
    REQUIRE_KERNEL_PROBE();
    RawServer server;
    if (!server.listen(QHostAddress::Any))
        QSKIP("cannot listen on the dual-stack Any address here");
    Pair pair;
    connectPair(server, pair, QHostAddress(QHostAddress::LocalHost));
    if (QTest::currentTestFailed())
        return;

    const auto serverKey = KernelProbe::keyOf(pair.serverFd);
    QVERIFY(serverKey);
    // A dual-stack listener's IPv4 connection: the kernel gives IPv6 addresses.
    bool ok = false;
    QCOMPARE(serverKey->localAddress.toIPv4Address(&ok),
             QHostAddress(QHostAddress::LocalHost).toIPv4Address());
    QVERIFY(ok);
    if (serverKey->localAddress.protocol() != QAbstractSocket::IPv6Protocol)
        qInfo("the listener is IPv4 only: no mapped addresses to look up");
    QCOMPARE(stateOf(serverKey), TcpState::Established);
    QCOMPARE(stateOf(KernelProbe::keyOf(pair.client->socketDescriptor())), TcpState::Established);

    // Mixing the two spellings of one address still finds the connection.
    SocketKey mixed = *serverKey;
    mixed.peerAddress = QHostAddress(QHostAddress::LocalHost);
    QCOMPARE(lookedUp(mixed), TcpState::Established);

    const auto listeners = KernelProbe::dumpListening(server.serverPort());
    QCOMPARE(listeners.size(), 1);
    QCOMPARE(listeners.at(0).second.state, TcpState::Listen);
    QCOMPARE(lookedUp(listeners.at(0).first), TcpState::Listen);
}

void TestKernelProbe::ipv6Loopback()
{
    REQUIRE_KERNEL_PROBE();
    RawServer server;
    if (!server.listen(QHostAddress::LocalHostIPv6))
        QSKIP("no IPv6 loopback here");
    Pair pair;
    connectPair(server, pair, QHostAddress(QHostAddress::LocalHostIPv6));
    if (QTest::currentTestFailed())
        return;

    const auto clientKey = KernelProbe::keyOf(pair.client->socketDescriptor());
    QVERIFY(clientKey);
    QCOMPARE(clientKey->localAddress, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(stateOf(clientKey), TcpState::Established);
    QCOMPARE(stateOf(KernelProbe::keyOf(pair.serverFd)), TcpState::Established);
    QCOMPARE(stateOf(KernelProbe::keyOf(server.socketDescriptor())), TcpState::Listen);
}

void TestKernelProbe::listenerFoundByDump()
{
    REQUIRE_KERNEL_PROBE();
    RawServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const auto listeners = KernelProbe::dumpListening(server.serverPort());
    QCOMPARE(listeners.size(), 1);
    const auto &[key, state] = listeners.at(0);
    QCOMPARE(state.state, TcpState::Listen);
    QCOMPARE(key.localPort, server.serverPort());
    QCOMPARE(key.localAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(key.peerPort, quint16(0));
    QCOMPARE(key.cookie, KernelProbe::socketCookie(server.socketDescriptor()).value_or(0));
    QCOMPARE(KernelProbe::keyOf(server.socketDescriptor()), key);

    // Found exactly too, and gone once closed.
    QCOMPARE(lookedUp(key), TcpState::Listen);
    QVERIFY(!KernelProbe::dumpListening(0).isEmpty());
    server.close();
    QCOMPARE(lookedUp(key), TcpState::Closed);
    QVERIFY(KernelProbe::dumpListening(key.localPort).isEmpty());
}

void TestKernelProbe::activeCloserFinWait2ThenTimeWaitAfterFdClosed()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    const SocketKey clientKey = *KernelProbe::keyOf(pair.client->socketDescriptor());
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);

    // Nothing left to write: Qt sends the FIN and closes the fd at once.
    pair.client->disconnectFromHost();
    QCOMPARE(pair.client->socketDescriptor(), qintptr(-1));
    QTRY_COMPARE(lookedUp(clientKey), TcpState::FinWait2);
    const auto finWait2 = KernelProbe::lookup(clientKey);
    QVERIFY(finWait2->timerMs); // an orphan: the kernel gives it 60 s
    QVERIFY(*finWait2->timerMs > 0 && *finWait2->timerMs <= kTimeWaitMaxMs);
    QCOMPARE(lookedUp(serverKey), TcpState::CloseWait);

    pair.closeServer();
    const TcpState passive = lookedUp(serverKey);
    QVERIFY2(passive == TcpState::LastAck || passive == TcpState::Closed,
             qPrintable(tcpStateName(passive)));
    QTRY_COMPARE(lookedUp(serverKey), TcpState::Closed);
    QTRY_COMPARE(lookedUp(clientKey), TcpState::TimeWait);
    const auto timeWait = KernelProbe::lookup(clientKey);
    QCOMPARE(timeWait->timerKind, int(KernelSocketState::TimeWaitTimer));
    QVERIFY(timeWait->timerMs);
    QVERIFY2(*timeWait->timerMs > 0 && *timeWait->timerMs <= kTimeWaitMaxMs,
             qPrintable(QString::number(*timeWait->timerMs)));
}

void TestKernelProbe::passiveCloseWaitThenLastAckWithTracker()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    const SocketKey clientKey = *KernelProbe::keyOf(pair.client->socketDescriptor());
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);

    KernelStateTracker tracker;
    QSignalSpy changed(&tracker, &KernelStateTracker::stateChanged);
    QSignalSpy timer(&tracker, &KernelStateTracker::timerUpdated);
    QSignalSpy finished(&tracker, &KernelStateTracker::finished);
    const int client = tracker.track(clientKey, TcpState::Established);
    const int passive = tracker.track(serverKey, TcpState::Established);
    QTRY_COMPARE(tracker.pollInterval(), kSlowPollInterval);

    // The client sends its FIN but keeps its fd; the server holds its own.
    QCOMPARE(::shutdown(int(pair.client->socketDescriptor()), SHUT_WR), 0);
    QTRY_COMPARE(tracker.state(client), TcpState::FinWait2);
    QTRY_COMPARE(tracker.state(passive), TcpState::CloseWait);
    QCOMPARE(lookedUp(serverKey), TcpState::CloseWait);
    QCOMPARE(tracker.pollInterval(), kFastPollInterval); // FIN_WAIT_2 is passing

    pair.closeServer();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toInt(), passive);
    QVERIFY(!tracker.isTracking(passive));
    QTRY_COMPARE(tracker.state(client), TcpState::TimeWait);

    // Qt closes the client's fd on the server's FIN; make sure it is gone.
    pair.client->abort();
    QCOMPARE(pair.client->socketDescriptor(), qintptr(-1));
    tracker.checkNow(client);
    QCOMPARE(tracker.state(client), TcpState::TimeWait);
    QVERIFY(tracker.isTracking(client));
    const auto last = tracker.lastState(client);
    QVERIFY(last && last->timerMs);
    QVERIFY(*last->timerMs > 0 && *last->timerMs <= kTimeWaitMaxMs);
    QTRY_VERIFY(!timer.isEmpty());
    QCOMPARE(timer.last().at(0).toInt(), client);
    QVERIFY(timer.last().at(1).toLongLong() <= kTimeWaitMaxMs);

    // Every change: seen states in order, skipped ones only as passedNotObserved.
    TcpState clientWas = TcpState::Established;
    TcpState passiveWas = TcpState::Established;
    for (const Change &change : changes(changed)) {
        TcpState &was = change.handle == client ? clientWas : passiveWas;
        QCOMPARE(change.from, was);
        QVERIFY(!change.passed.contains(change.to));
        was = change.to;
    }
    QCOMPARE(clientWas, TcpState::TimeWait);
    QCOMPARE(passiveWas, TcpState::Closed);
    // The passive end went through CLOSE_WAIT (seen) and LAST_ACK (seen or not).
    bool lastAckAccounted = false;
    for (const Change &change : changes(changed)) {
        if (change.handle == passive &&
            (change.to == TcpState::LastAck || change.passed.contains(TcpState::LastAck)))
            lastAckAccounted = true;
    }
    QVERIFY(lastAckAccounted);
}

void TestKernelProbe::trackerFillsPassedNotObserved()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    const SocketKey clientKey = *KernelProbe::keyOf(pair.client->socketDescriptor());
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);

    // A tracker that only looks when asked.
    KernelStateTracker::Settings settings;
    settings.fastInterval = std::chrono::hours(1);
    settings.slowInterval = std::chrono::hours(1);
    KernelStateTracker tracker(settings, {});
    QSignalSpy changed(&tracker, &KernelStateTracker::stateChanged);
    const int client = tracker.track(clientKey);
    tracker.checkNow(client);
    QCOMPARE(tracker.state(client), TcpState::Established);
    QCOMPARE(changed.size(), 1); // UNKNOWN -> ESTABLISHED, nothing skipped
    QCOMPARE(changes(changed).at(0).passed, QList<TcpState>{});

    pair.client->disconnectFromHost();
    QTRY_COMPARE(lookedUp(serverKey), TcpState::CloseWait);
    pair.closeServer();
    QTRY_COMPARE(lookedUp(clientKey), TcpState::TimeWait);
    QCOMPARE(changed.size(), 1); // the tracker did not look meanwhile

    tracker.checkNow(client);
    QCOMPARE(changed.size(), 2);
    const Change change = changes(changed).at(1);
    QCOMPARE(change.from, TcpState::Established);
    QCOMPARE(change.to, TcpState::TimeWait);
    QCOMPARE(change.passed, (QList<TcpState>{TcpState::FinWait1, TcpState::FinWait2}));
}

void TestKernelProbe::abortWithLingerZeroLeavesNoTimeWait()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    SocketKey clientKey = *KernelProbe::keyOf(pair.client->socketDescriptor());
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);

    const linger abortive{1, 0};
    QCOMPARE(::setsockopt(int(pair.client->socketDescriptor()), SOL_SOCKET, SO_LINGER, &abortive,
                          sizeof abortive),
             0);
    pair.client->abort(); // close() with SO_LINGER {1, 0}: an RST, no FIN
    QCOMPARE(lookedUp(clientKey), TcpState::Closed);
    clientKey.cookie = 0; // no TIME_WAIT socket with this 4-tuple either
    QCOMPARE(lookedUp(clientKey), TcpState::Closed);

    QTRY_COMPARE(lookedUp(serverKey), TcpState::Closed);
    // The error is reported once (later reads see end of file), and QTRY_VERIFY
    // evaluates its condition again after it held: latch it.
    bool reset = false;
    const auto readGivesReset = [&reset, fd = int(pair.serverFd)] {
        char byte = 0;
        reset = reset || (::recv(fd, &byte, 1, MSG_DONTWAIT) < 0 && errno == ECONNRESET);
        return reset;
    };
    QTRY_VERIFY(readGivesReset());
}

void TestKernelProbe::tcpInfoCountsBytes()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);

    constexpr int kBytes = 20000;
    QCOMPARE(pair.client->write(QByteArray(kBytes, 'x')), qint64(kBytes));
    QTRY_COMPARE(KernelProbe::tcpInfo(pair.serverFd)->bytesReceived, quint64(kBytes));
    // The kernel counts the SYN's sequence number as acknowledged too.
    QTRY_COMPARE(KernelProbe::tcpInfo(pair.client->socketDescriptor())->bytesAcked,
                 quint64(kBytes) + 1);
    const auto info = KernelProbe::tcpInfo(pair.client->socketDescriptor());
    QVERIFY(info);
    QVERIFY(info->rttUs > 0);
    QVERIFY(info->sndCwnd > 0);
    QVERIFY(info->bytesSent >= quint64(kBytes));
    QCOMPARE(info->bytesReceived, quint64(0));
    QCOMPARE(tcpStateFromKernel(int(info->state)), TcpState::Established);
}

void TestKernelProbe::unknownSocketIsClosed()
{
    REQUIRE_KERNEL_PROBE();
    RawServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    SocketKey key = *KernelProbe::keyOf(server.socketDescriptor());
    key.peerAddress = QHostAddress(QHostAddress::LocalHost);
    key.peerPort = 9; // no such connection, but a listener on the local port
    key.cookie = 0;
    QCOMPARE(lookedUp(key), TcpState::Closed);
    key.cookie = 12345; // a cookie the listener does not have
    QCOMPARE(lookedUp(key), TcpState::Closed);
    // Addresses of two families cannot be one connection: the probe fails.
    key.peerAddress = QHostAddress(QHostAddress::LocalHostIPv6);
    QVERIFY(!KernelProbe::lookup(key));
}

// getsockopt(TCP_INFO) on a descriptor the program holds answers like netlink
// while the socket has a state of its own, and refuses when it cannot be sure.
void TestKernelProbe::heldDescriptorAgreesWithNetlink()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);
    const auto held = [&] {
        const auto state = KernelProbe::lookupHeld(pair.serverFd);
        return state ? state->state : TcpState::Unknown;
    };
    QCOMPARE(held(), TcpState::Established);
    QCOMPARE(held(), lookedUp(serverKey));

    QCOMPARE(::shutdown(int(pair.client->socketDescriptor()), SHUT_WR), 0);
    QTRY_COMPARE(held(), TcpState::CloseWait);
    QCOMPARE(lookedUp(serverKey), TcpState::CloseWait);

    // A closed descriptor: only netlink can tell.
    const qintptr closedFd = pair.serverFd;
    pair.closeServer();
    QVERIFY(!KernelProbe::lookupHeld(closedFd));
}

// The active closer's socket has no state of its own once the connection is
// in TIME_WAIT, even while its descriptor is open: the tracker must ask netlink
// then, and see TIME_WAIT, not CLOSED.
void TestKernelProbe::trackerWithHeldDescriptorFindsTimeWait()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);
    KernelStateTracker tracker;
    const int handle = tracker.track(serverKey, TcpState::Established, pair.serverFd);
    tracker.checkNow(handle);
    QCOMPARE(tracker.state(handle), TcpState::Established);

    // The server sends its FIN first and keeps its descriptor open; the
    // client (a QTcpSocket) closes when it reads that FIN.
    QCOMPARE(::shutdown(int(pair.serverFd), SHUT_WR), 0);
    QTRY_COMPARE(tracker.state(handle), TcpState::TimeWait);
    // TCP_INFO alone says CLOSED.
    QCOMPARE(KernelProbe::lookupHeld(pair.serverFd)->state, TcpState::Closed);
    const auto last = tracker.lastState(handle);
    QVERIFY(last && last->timerMs); // netlink's answer, with the 2MSL timer
    QVERIFY(*last->timerMs > 0 && *last->timerMs <= kTimeWaitMaxMs);

    tracker.setHeldDescriptor(handle, -1);
    pair.closeServer();
    tracker.checkNow(handle);
    QCOMPARE(tracker.state(handle), TcpState::TimeWait);
}

// The passive closer (CLOSE_WAIT, then its own FIN) never enters TIME_WAIT:
// once its held socket says CLOSED, the tracker believes it without netlink.
void TestKernelProbe::trackerEndsAPassiveCloseWithoutNetlink()
{
    REQUIRE_KERNEL_PROBE();
    LOOPBACK_PAIR(server, pair);
    const SocketKey serverKey = *KernelProbe::keyOf(pair.serverFd);
    int netlinkLooks = 0;
    KernelStateTracker tracker(KernelStateTracker::Settings{},
                               [&netlinkLooks](const SocketKey &key) {
                                   ++netlinkLooks;
                                   return KernelProbe::lookup(key);
                               });
    const int handle = tracker.track(serverKey, TcpState::Established, pair.serverFd);
    QSignalSpy changes(&tracker, &KernelStateTracker::stateChanged);
    QSignalSpy finished(&tracker, &KernelStateTracker::finished);
    const auto lookNow = [&] {
        tracker.checkNow(handle);
        return changes.isEmpty() ? TcpState::Unknown : changes.last().at(2).value<TcpState>();
    };

    QCOMPARE(::shutdown(int(pair.client->socketDescriptor()), SHUT_WR), 0);
    QTRY_COMPARE(lookNow(), TcpState::CloseWait);
    QCOMPARE(::shutdown(int(pair.serverFd), SHUT_WR), 0);
    QTRY_COMPARE(lookNow(), TcpState::Closed);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(netlinkLooks, 0);
}

QTEST_GUILESS_MAIN(TestKernelProbe)
#include "tst_kernelprobe.moc"
