// The TCP lab on real loopback connections: the kernel states of a close on
// each side, CLOSE_WAIT held, RST against FIN, half-close, frozen heartbeats,
// and the socket log of it all (issue: connection observability).

#include "net/connection.h"
#include "net/heartbeatsweeper.h"
#include "net/kernelwatch.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace synack;
using namespace synack::net;
using namespace std::chrono_literals;

namespace {

// Both ends of one connection, observed and recorded.
struct Pair
{
    Pair(ConnectionSettings serverSettings = settingsFor(protocol::Role::Server),
         ConnectionSettings clientSettings = settingsFor(protocol::Role::Client))
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return;
        client = std::make_unique<Connection>(new QTcpSocket, clientSettings);
        client->setRecording(true);
        client->setKernelWatch(&watch);
        track(client.get(), &clientEvents);
        client->connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
        if (!listener.waitForNewConnection(5000))
            return;
        server = std::make_unique<Connection>(listener.nextPendingConnection(), serverSettings);
        server->setRecording(true);
        server->setKernelWatch(&watch);
        track(server.get(), &serverEvents);
        QSignalSpy connected(client.get(), &Connection::connected);
        ready = client->isOpen() || connected.wait(5000);
    }

    static ConnectionSettings settingsFor(protocol::Role role)
    {
        ConnectionSettings s;
        s.role = role;
        s.heartbeatInterval = 100ms;
        s.heartbeatTimeout = 400ms;
        s.lingerTime = 1s;
        return s;
    }

    void track(Connection *c, QList<ConnectionEvent> *events)
    {
        QObject::connect(c, &Connection::eventRecorded, c,
                         [events](const ConnectionEvent &e) { events->append(e); });
    }

    // Kernel states seen for a handle, in order, kept past the Connection.
    QList<TcpState> statesOf(int handle) const { return kernelStates.value(handle); }
    bool sawKernelState(int handle, TcpState s) const { return statesOf(handle).contains(s); }

    static bool hasEvent(const QList<ConnectionEvent> &events, EventKind kind, const QString &type)
    {
        return std::any_of(events.begin(), events.end(), [&](const ConnectionEvent &e) {
            return e.kind == kind && e.type == type;
        });
    }

    QTcpServer listener;
    // The sockets the watch had to ask netlink about (what TCP_INFO on a held
    // descriptor could not tell).
    QList<SocketKey> netlinkLooks;
    KernelWatch watch{[this](const SocketKey &key) {
        netlinkLooks.append(key);
        return KernelProbe::lookup(key);
    }};
    std::unique_ptr<Connection> client;
    std::unique_ptr<Connection> server;
    QList<ConnectionEvent> clientEvents;
    QList<ConnectionEvent> serverEvents;
    QHash<int, QList<TcpState>> kernelStates;
    bool ready = false;

    struct Recorder
    {
        Recorder(Pair *pair)
        {
            QObject::connect(
                &pair->watch, &KernelWatch::stateChanged, &pair->watch,
                [pair](int handle, TcpState, TcpState to, const QList<TcpState> &passed, qint64) {
                    pair->kernelStates[handle] += passed;
                    pair->kernelStates[handle].append(to);
                });
        }
    } recorder{this};
};

} // namespace

class TestLab : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void activeCloserEndsInTimeWait();
    void passiveCloserEndsWhileItHoldsTheSocket();
    void holdCloseWaitUntilReleased();
    void abortSendsResetAndSkipsTimeWait();
    void halfCloseLetsThePeerSendOn();
    void frozenHeartbeatsGetDropped();
    void logRecordsFramesAndStates();
};

void TestLab::initTestCase()
{
    QString whyNot;
    if (!KernelProbe::isAvailable(&whyNot))
        QSKIP(qPrintable(QStringLiteral("kernel TCP states are not available here: ") + whyNot));
}

void TestLab::activeCloserEndsInTimeWait()
{
    Pair p;
    QVERIFY(p.ready);
    const int clientHandle = p.client->kernelHandle();
    QVERIFY(clientHandle > 0);
    QTRY_COMPARE(p.watch.state(clientHandle), TcpState::Established);

    QSignalSpy clientClosed(p.client.get(), &Connection::closed);
    p.client->closeWithBye(QStringLiteral("quit"));
    QVERIFY(clientClosed.wait(3000));
    // The descriptor is closed; the kernel still holds the socket.
    QCOMPARE(p.client->descriptor(), qintptr(-1));
    QTRY_COMPARE_WITH_TIMEOUT(p.watch.state(clientHandle), TcpState::TimeWait, 3000);
    const auto states = p.statesOf(clientHandle);
    QVERIFY(states.contains(TcpState::FinWait2) || states.contains(TcpState::FinWait1));
    const auto last = p.watch.lastState(clientHandle);
    QVERIFY(last && last->timerMs);
    QVERIFY2(*last->timerMs > 0 && *last->timerMs <= 60000,
             qPrintable(QString::number(*last->timerMs)));
    // The peer's FIN completed the close and was not mistaken for a reset
    // (this side's socket reads CLOSED once the kernel moved it to TIME_WAIT).
    QVERIFY(Pair::hasEvent(p.clientEvents, EventKind::Lifecycle, QStringLiteral("fin")));
    QVERIFY(!Pair::hasEvent(p.clientEvents, EventKind::Lifecycle, QStringLiteral("rst")));
    // The passive side went through CLOSE_WAIT and LAST_ACK to CLOSED.
    const int serverHandle = p.server->kernelHandle();
    QTRY_VERIFY_WITH_TIMEOUT(p.sawKernelState(serverHandle, TcpState::Closed), 3000);
    QVERIFY(p.sawKernelState(serverHandle, TcpState::CloseWait) ||
            p.sawKernelState(serverHandle, TcpState::LastAck));
}

// The peer's bye and FIN read in one turn while this side still has bytes
// queued for it: this side's FIN leaves before the descriptor is let go, so
// the end of a passive close (LAST_ACK, CLOSED) is read with TCP_INFO, and no
// netlink request is made for it.
void TestLab::passiveCloserEndsWhileItHoldsTheSocket()
{
    Pair p;
    QVERIFY(p.ready);
    const int serverHandle = p.server->kernelHandle();
    QVERIFY(serverHandle > 0);
    QTRY_COMPARE(p.watch.state(serverHandle), TcpState::Established);
    const quint16 serverPort = p.server->localPort();
    const quint16 clientPort = p.server->peerPort();

    // Something for the leaving peer is queued in the turn that reads its bye,
    // as a server's relay to a room would be; it waits for the turn's end.
    Connection *server = p.server.get();
    QObject::connect(server, &Connection::byeReceived, server,
                     [server] { server->send(protocol::Users{{QStringLiteral("late")}}); });
    QSignalSpy serverClosed(server, &Connection::closed);
    // The client's bye and FIN are out as this returns.
    p.client->closeWithBye(QStringLiteral("quit"));
    QVERIFY(serverClosed.wait(3000));
    QCOMPARE(serverClosed.first().at(0).value<CloseCause>(), CloseCause::PeerBye);
    QTRY_VERIFY_WITH_TIMEOUT(p.sawKernelState(serverHandle, TcpState::Closed), 3000);
    QVERIFY(p.sawKernelState(serverHandle, TcpState::CloseWait));
    const bool askedAboutServer =
        std::any_of(p.netlinkLooks.begin(), p.netlinkLooks.end(), [&](const SocketKey &key) {
            return key.localPort == serverPort && key.peerPort == clientPort;
        });
    QVERIFY(!askedAboutServer);
}

void TestLab::holdCloseWaitUntilReleased()
{
    Pair p;
    QVERIFY(p.ready);
    p.server->setHoldCloseWait(true);
    const int serverHandle = p.server->kernelHandle();
    const int clientHandle = p.client->kernelHandle();
    QSignalSpy serverClosing(p.server.get(), &Connection::closing);
    QSignalSpy serverClosed(p.server.get(), &Connection::closed);
    p.client->closeWithBye(QStringLiteral("quit"));
    QVERIFY(serverClosing.wait(3000));
    QTRY_VERIFY(p.server->isHoldingCloseWait());
    QTRY_COMPARE_WITH_TIMEOUT(p.watch.state(serverHandle), TcpState::CloseWait, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(p.watch.state(clientHandle), TcpState::FinWait2, 3000);
    // Held: past the client's linger, the server still sits in CLOSE_WAIT.
    QSignalSpy clientClosed(p.client.get(), &Connection::closed);
    QVERIFY(clientClosed.count() > 0 || clientClosed.wait(3000));
    QCOMPARE(p.watch.state(serverHandle), TcpState::CloseWait);
    QCOMPARE(serverClosed.count(), 0);

    p.server->releaseCloseWait();
    QCOMPARE(serverClosed.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(p.watch.state(serverHandle), TcpState::Unknown, 3000); // forgotten
    const auto states = p.statesOf(serverHandle);
    QCOMPARE(states.last(), TcpState::Closed);
    QVERIFY(states.contains(TcpState::LastAck) || states.contains(TcpState::Closed));
    QTRY_COMPARE_WITH_TIMEOUT(p.watch.state(clientHandle), TcpState::TimeWait, 3000);
    QVERIFY(Pair::hasEvent(p.serverEvents, EventKind::Lab, QStringLiteral("hold-close-wait")));
    QVERIFY(Pair::hasEvent(p.serverEvents, EventKind::Lab, QStringLiteral("release-close-wait")));
}

void TestLab::abortSendsResetAndSkipsTimeWait()
{
    Pair p;
    QVERIFY(p.ready);
    const int clientHandle = p.client->kernelHandle();
    QSignalSpy serverClosed(p.server.get(), &Connection::closed);
    p.client->abort();
    QVERIFY(serverClosed.wait(3000));
    QCOMPARE(serverClosed.first().first().value<CloseCause>(), CloseCause::PeerReset);
    QVERIFY(Pair::hasEvent(p.serverEvents, EventKind::Lifecycle, QStringLiteral("rst")));
    QVERIFY(Pair::hasEvent(p.clientEvents, EventKind::Lab, QStringLiteral("abort")));
    QTRY_VERIFY_WITH_TIMEOUT(p.sawKernelState(clientHandle, TcpState::Closed), 3000);
    QVERIFY(!p.sawKernelState(clientHandle, TcpState::TimeWait));
}

void TestLab::halfCloseLetsThePeerSendOn()
{
    auto serverSettings = Pair::settingsFor(protocol::Role::Server);
    serverSettings.halfCloseTolerant = true;
    Pair p(serverSettings);
    QVERIFY(p.ready);
    QSignalSpy peerHalfClosed(p.server.get(), &Connection::peerHalfClosed);
    p.client->halfClose();
    QVERIFY(peerHalfClosed.wait(3000));
    QVERIFY(p.server->isOpen());
    QVERIFY(p.server->isPeerHalfClosed());
    QTRY_COMPARE_WITH_TIMEOUT(p.watch.state(p.client->kernelHandle()), TcpState::FinWait2, 3000);
    QCOMPARE(p.watch.state(p.server->kernelHandle()), TcpState::CloseWait);

    // The half-closed side reads on: what the peer sends after the FIN arrives.
    QSignalSpy atClient(p.client.get(), &Connection::messageReceived);
    p.server->send(protocol::Join{QStringLiteral("after the FIN"), 1});
    QVERIFY(atClient.wait(3000));
    QCOMPARE(atClient.first().first().value<protocol::Envelope>().type, QStringLiteral("join"));
    QVERIFY(Pair::hasEvent(p.serverEvents, EventKind::Lifecycle, QStringLiteral("fin")));
}

void TestLab::frozenHeartbeatsGetDropped()
{
    Pair p;
    QVERIFY(p.ready);
    HeartbeatSweeper sweeper;
    sweeper.setResolution(20ms);
    sweeper.add(p.client.get());
    sweeper.add(p.server.get());
    p.client->setFrozen(true);
    QSignalSpy serverClosed(p.server.get(), &Connection::closed);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(serverClosed.wait(3000));
    QCOMPARE(serverClosed.first().first().value<CloseCause>(), CloseCause::Timeout);
    QVERIFY2(clock.elapsed() < 400 + 300, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(Pair::hasEvent(p.clientEvents, EventKind::Lab, QStringLiteral("freeze")));
}

void TestLab::logRecordsFramesAndStates()
{
    Pair p;
    QVERIFY(p.ready);
    QSignalSpy atServer(p.server.get(), &Connection::messageReceived);
    p.client->send(protocol::Say{QStringLiteral("hello lab"), {}, 7});
    QVERIFY(atServer.wait(3000));
    QVERIFY(Pair::hasEvent(p.clientEvents, EventKind::QtState, QStringLiteral("ConnectingState")));
    QVERIFY(Pair::hasEvent(p.clientEvents, EventKind::QtState, QStringLiteral("ConnectedState")));
    QVERIFY(Pair::hasEvent(p.clientEvents, EventKind::KernelState, QStringLiteral("ESTABLISHED")));
    const auto out = std::find_if(p.clientEvents.begin(), p.clientEvents.end(), [](const auto &e) {
        return e.kind == EventKind::Frame && e.direction == Direction::Out;
    });
    QVERIFY(out != p.clientEvents.end());
    QCOMPARE(out->type, QStringLiteral("say"));
    QCOMPARE(out->summary, QStringLiteral("say id=7 text=\"hello lab\""));
    QCOMPARE(out->raw,
             protocol::encodeMessageFrame(protocol::Say{QStringLiteral("hello lab"), {}, 7}));
    QCOMPARE(out->size, out->raw.size());
    QVERIFY(std::any_of(p.serverEvents.begin(), p.serverEvents.end(), [](const auto &e) {
        return e.kind == EventKind::Frame && e.direction == Direction::In &&
               e.type == QStringLiteral("say");
    }));
    // Time stamps never go backwards.
    for (qsizetype i = 1; i < p.clientEvents.size(); ++i)
        QVERIFY(p.clientEvents[i].monotonicUs >= p.clientEvents[i - 1].monotonicUs ||
                p.clientEvents[i].kind == EventKind::KernelState);
}

QTEST_MAIN(TestLab)
#include "tst_lab.moc"
