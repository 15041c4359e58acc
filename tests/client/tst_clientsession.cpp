// ChatClient's session: connecting, failing, reconnecting, heartbeat, leaving;
// against a FakeServer scripted by each test.

#include "chatclient.h"
#include "fakeserver.h"
#include "testoptions.h"

#include "protocol/codec.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <limits>

using namespace synack;
using namespace synack::client;
using namespace std::chrono_literals;
using test::FakeServer;
using test::optionsFor;

namespace {

DeliveryStatus statusAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(1).value<DeliveryStatus>();
}

} // namespace

class TestClientSession : public QObject
{
    Q_OBJECT

private slots:
    void dropMakesPendingNotDeliveredAndReconnects();
    void sendingFromASlotDuringTheDropIsSafe();
    void reconnectKeepsTheRenamedNick();
    void nickTakenAtFirstHelloIsFatal();
    void nickTakenAfterReconnectIsRetried();
    void wrongPasswordIsFatal();
    void refusedIsRetriedOrFatal();
    void silentServerIsDeclaredDead();
    void heartbeatFollowsWelcome();
    void ownDisconnectNeverReconnects();
    void kickIsFinal();
    void preparerSeesEachConnectionBeforeItConnects();
    void autoReconnectOffEndsTheWait();
    void noWelcomeTimesOutAndIsRetried();
    void serverThatDoesNotReadIsDropped();
    void welcomeHeartbeatIsClamped_data();
    void welcomeHeartbeatIsClamped();
    void usersWithInvalidNicksAreRefused_data();
    void usersWithInvalidNicksAreRefused();
};

void TestClientSession::dropMakesPendingNotDeliveredAndReconnects()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    QSignalSpy statuses(&client, &ChatClient::messageStatusChanged);
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
    const quint64 first = client.sendMessage(QStringLiteral("one"));
    const quint64 second = client.sendMessage(QStringLiteral("two"));
    QVERIFY(server.next<protocol::Say>() && server.next<protocol::Say>());
    server.drop();

    QTRY_COMPARE(statuses.count(), 2);
    QCOMPARE(statuses.at(0).at(0).toULongLong(), first);
    QCOMPARE(statuses.at(1).at(0).toULongLong(), second);
    QCOMPARE(statusAt(statuses, 0), DeliveryStatus::NotDelivered);
    QCOMPARE(statusAt(statuses, 1), DeliveryStatus::NotDelivered);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::ConnectionLost);
    QCOMPARE(errors.first().at(2).toBool(), false);
    QCOMPARE(scheduled.count(), 1);
    QVERIFY(scheduled.first().first().value<std::chrono::milliseconds>() <= 100ms);
    QVERIFY(client.users().isEmpty());

    QVERIFY(server.nextClient());
    const auto hello = server.acceptHello();
    QVERIFY(hello);
    QCOMPARE(hello->nick, QStringLiteral("ann"));
    QTRY_VERIFY(client.isOnline());
}

void TestClientSession::sendingFromASlotDuringTheDropIsSafe()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    // A face that answers a lost message by sending again, while the session
    // is still ending: the new one is not delivered either, and nothing breaks.
    QList<quint64> retries;
    connect(&client, &ChatClient::messageStatusChanged, &client,
            [&](quint64, DeliveryStatus status) {
                if (status == DeliveryStatus::NotDelivered && retries.isEmpty())
                    retries.append(client.sendMessage(QStringLiteral("again")));
            });
    QSignalSpy statuses(&client, &ChatClient::messageStatusChanged);
    client.sendMessage(QStringLiteral("first"));
    QVERIFY(server.next<protocol::Say>());
    server.drop();
    QTRY_COMPARE(statuses.count(), 2);
    QCOMPARE(statuses.at(1).at(0).toULongLong(), retries.value(0));
    QCOMPARE(statusAt(statuses, 1), DeliveryStatus::NotDelivered);
}

void TestClientSession::reconnectKeepsTheRenamedNick()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    QSignalSpy renamed(&client, &ChatClient::userRenamed);
    client.changeNick(QStringLiteral("anna"));
    const auto change = server.next<protocol::NickChange>();
    QVERIFY(change);
    server.send(protocol::Rename{QStringLiteral("ann"), change->nick, 1});
    QTRY_COMPARE(renamed.count(), 1);
    QCOMPARE(client.nick(), QStringLiteral("anna"));
    QCOMPARE(client.users(), QStringList{QStringLiteral("anna")});

    server.drop();
    QVERIFY(server.nextClient());
    const auto hello = server.acceptHello();
    QVERIFY(hello);
    QCOMPARE(hello->nick, QStringLiteral("anna"));
}

void TestClientSession::nickTakenAtFirstHelloIsFatal()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient());
    QVERIFY(server.next<protocol::Hello>());
    server.current()->closeWithError(protocol::ErrorCode::NickTaken, QStringLiteral("in use"));

    QTRY_COMPARE(client.state(), ChatClient::State::Disconnected);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::NickTaken);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("ann")));
    QCOMPARE(errors.first().at(2).toBool(), true);
}

void TestClientSession::nickTakenAfterReconnectIsRetried()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    // The server has not noticed yet that our old session is gone.
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    server.drop();
    QVERIFY(server.nextClient());
    QVERIFY(server.next<protocol::Hello>());
    server.current()->closeWithError(protocol::ErrorCode::NickTaken, QStringLiteral("in use"));
    QTRY_COMPARE(errors.count(), 2);
    QCOMPARE(errors.at(1).at(0).value<ClientError>(), ClientError::NickTaken);
    QCOMPARE(errors.at(1).at(2).toBool(), false);

    QVERIFY(server.nextClient());
    const auto hello = server.acceptHello();
    QVERIFY(hello);
    QCOMPARE(hello->nick, QStringLiteral("ann"));
    QTRY_VERIFY(client.isOnline());
}

void TestClientSession::wrongPasswordIsFatal()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    auto options = optionsFor(server.port());
    options.password = QStringLiteral("guess");
    client.connectToServer(options);
    QVERIFY(server.nextClient());
    QVERIFY(server.next<protocol::Hello>());
    server.current()->closeWithError(protocol::ErrorCode::Auth, QStringLiteral("wrong"));

    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::WrongPassword);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("wrong password")));
    QCOMPARE(errors.first().at(2).toBool(), true);
    QCOMPARE(client.state(), ChatClient::State::Disconnected);
}

void TestClientSession::refusedIsRetriedOrFatal()
{
    quint16 closedPort = 0;
    {
        FakeServer probe; // a port that was free a moment ago and is closed now
        QVERIFY(probe.listen());
        closedPort = probe.port();
    }
    ChatClient client;
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    ChatClient::ConnectOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = closedPort;
    options.nick = QStringLiteral("ann");
    options.autoReconnect = false;
    client.connectToServer(options);
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::Refused);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("refused")));
    QCOMPARE(errors.first().at(2).toBool(), true);
    QCOMPARE(client.state(), ChatClient::State::Disconnected);

    // With auto-reconnect the same is a reason to wait and try again.
    options.autoReconnect = true;
    options.reconnectBase = 20ms;
    options.reconnectMax = 40ms;
    QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
    client.connectToServer(options);
    QTRY_VERIFY(scheduled.count() >= 2);
    QCOMPARE(errors.at(1).at(2).toBool(), false);
    client.disconnectFromServer();
    QCOMPARE(client.state(), ChatClient::State::Disconnected);
}

void TestClientSession::silentServerIsDeclaredDead()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello({}, 100, 300));
    QTRY_VERIFY(client.isOnline());

    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
    QElapsedTimer clock;
    clock.start();
    server.mute();
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 3000);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::TimedOut);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("declared dead")));
    QCOMPARE(errors.first().at(2).toBool(), false);
    QCOMPARE(scheduled.count(), 1);
    QVERIFY(server.nextClient()); // and it comes back
}

void TestClientSession::heartbeatFollowsWelcome()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello({}, 100, 1000));
    QSignalSpy rtt(&client, &ChatClient::roundTripUpdated);
    // At the default 5 s this would not come; at 100 ms it comes many times.
    QTRY_VERIFY_WITH_TIMEOUT(rtt.count() >= 3, 2000);
    QCOMPARE(client.roundTrip().count(), rtt.count());
    QVERIFY(client.roundTrip().max() < 1s);
}

void TestClientSession::ownDisconnectNeverReconnects()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    QSignalSpy states(&client, &ChatClient::stateChanged);
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    client.disconnectFromServer(QStringLiteral("lunch"));
    const auto bye = server.next<protocol::Bye>();
    QVERIFY(bye);
    QCOMPARE(bye->reason, QStringLiteral("quit"));
    QCOMPARE(bye->text, QStringLiteral("lunch"));
    QTRY_COMPARE(client.state(), ChatClient::State::Disconnected);
    QCOMPARE(errors.count(), 0);
    for (const auto &args : states)
        QVERIFY(args.first().value<ChatClient::State>() != ChatClient::State::Reconnecting);
    QCOMPARE(server.accepted(), 1);
}

void TestClientSession::kickIsFinal()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    server.current()->closeWithBye(QStringLiteral("kicked"), QStringLiteral("be nice"));
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::Kicked);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("be nice")));
    QCOMPARE(errors.first().at(2).toBool(), true);
    QCOMPARE(client.state(), ChatClient::State::Disconnected);
}

void TestClientSession::preparerSeesEachConnectionBeforeItConnects()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    struct Seen
    {
        net::Connection *connection;
        QAbstractSocket::SocketState socketState;
        bool halfCloseTolerant;
        bool announced; // connectionChanged already said it
    };
    QList<Seen> seen;
    QList<net::Connection *> announced;
    connect(&client, &ChatClient::connectionChanged, this,
            [&](net::Connection *connection) { announced.append(connection); });
    client.setConnectionPreparer([&](net::Connection *connection) {
        connection->setRecording(net::Connection::Recording::Full);
        seen.append({connection, connection->socketState(),
                     connection->settings().halfCloseTolerant, announced.contains(connection)});
    });
    auto options = optionsFor(server.port());
    options.halfCloseTolerant = true;
    client.connectToServer(options);
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.at(0).connection, client.connection());
    QCOMPARE(seen.at(0).socketState, QAbstractSocket::UnconnectedState);
    QVERIFY(seen.at(0).halfCloseTolerant);
    QVERIFY(!seen.at(0).announced);
    QCOMPARE(client.connection()->recording(), net::Connection::Recording::Full);
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    // A reconnect makes a new connection, prepared the same way.
    server.drop();
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());
    QCOMPARE(seen.size(), 2);
    QVERIFY(seen.at(1).connection != nullptr);
    QCOMPARE(seen.at(1).connection, client.connection());
    QCOMPARE(seen.at(1).socketState, QAbstractSocket::UnconnectedState);
    QVERIFY(seen.at(1).halfCloseTolerant);

    // Without a preparer, connections keep the defaults (the command line).
    client.setConnectionPreparer({});
    client.connectToServer(optionsFor(server.port()));
    QCOMPARE(seen.size(), 2);
    QCOMPARE(client.connection()->recording(), net::Connection::Recording::Off);
    QVERIFY(!client.connection()->settings().halfCloseTolerant);
}

void TestClientSession::autoReconnectOffEndsTheWait()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port())); // reconnects after 20 ms
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    // Turned off as soon as the wait begins: the wait ends, no attempt follows.
    connect(&client, &ChatClient::stateChanged, this, [&](ChatClient::State state) {
        if (state == ChatClient::State::Reconnecting)
            client.setAutoReconnect(false);
    });
    QSignalSpy states(&client, &ChatClient::stateChanged);
    server.drop();
    QTRY_COMPARE(client.state(), ChatClient::State::Disconnected);
    QVERIFY(!client.options().autoReconnect);
    QVERIFY(!server.nextClient(300));
    QCOMPARE(server.accepted(), 1);
    client.disconnect(this);

    // Off, then on again while online: the next drop is followed by a reconnect.
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());
    client.setAutoReconnect(false);
    client.setAutoReconnect(true);
    server.drop();
    QVERIFY(server.nextClient());
}

// A server that answers pings but never sends welcome: the client does not
// wait "registering" for ever; it says why and tries again.
void TestClientSession::noWelcomeTimesOutAndIsRetried()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
    auto options = optionsFor(server.port());
    options.registrationTimeout = 300ms;
    client.connectToServer(options);
    QVERIFY(server.nextClient() && server.next<protocol::Hello>());
    QTRY_COMPARE(client.state(), ChatClient::State::Registering);

    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 3000);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::TimedOut);
    QVERIFY2(errors.first().at(1).toString().contains(QStringLiteral("no welcome within 0.3 s")),
             qPrintable(errors.first().at(1).toString()));
    QCOMPARE(errors.first().at(2).toBool(), false);
    const auto bye = server.next<protocol::Bye>();
    QVERIFY(bye);
    QCOMPARE(bye->reason, QStringLiteral("timeout"));
    QCOMPARE(scheduled.count(), 1);
    QVERIFY(server.nextClient() && server.acceptHello()); // the retry, and this time a welcome
    QTRY_VERIFY(client.isOnline());
}

// A server that floods pings and never reads the pongs: the client's queue
// stops at its limit, and the client says why it dropped the server. Bounded:
// at most 600,000 pings (about 20 MB).
void TestClientSession::serverThatDoesNotReadIsDropped()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    ChatClient client;
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    QSignalSpy scheduled(&client, &ChatClient::reconnectScheduled);
    auto options = optionsFor(listener.serverPort());
    options.maxSendQueue = 64 * 1024;
    client.connectToServer(options);
    QVERIFY(listener.waitForNewConnection(5000));
    QTcpSocket *server = listener.nextPendingConnection();
    QVERIFY(server);
    server->setReadBufferSize(1); // takes a byte, then leaves the rest in the kernel
    server->write(protocol::encodeMessageFrame(
        FakeServer::welcomeFor(QStringLiteral("ann"), {QStringLiteral("ann")})));
    QTRY_VERIFY(client.isOnline());

    quint64 seq = 0;
    QElapsedTimer clock;
    clock.start();
    while (errors.isEmpty() && seq < 600000 && clock.elapsed() < 20000) {
        QByteArray burst;
        for (int i = 0; i < 2000; ++i)
            burst += protocol::encodeMessageFrame(protocol::Ping{++seq, 1});
        server->write(burst);
        // The client reads the pings and queues its pongs; our own writes go out.
        QCoreApplication::processEvents();
    }
    QCOMPARE(errors.count(), 1);
    const QString message = errors.first().at(1).toString();
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::ConnectionLost);
    QVERIFY2(message.contains(QStringLiteral("does not read what we send")) &&
                 message.contains(QStringLiteral("the limit is 65536")),
             qPrintable(message));
    QCOMPARE(errors.first().at(2).toBool(), false);
    QTRY_COMPARE(scheduled.count(), 1);
    qInfo("dropped after %llu pings, %lld ms", seq, clock.elapsed());
}

void TestClientSession::welcomeHeartbeatIsClamped_data()
{
    constexpr quint64 kHuge = std::numeric_limits<quint64>::max();
    QTest::addColumn<quint64>("hb");
    QTest::addColumn<quint64>("timeout");
    QTest::addColumn<quint64>("usedHb");
    QTest::addColumn<quint64>("usedTimeout");
    QTest::newRow("both 2^64-1") << kHuge << kHuge << quint64(600000) << quint64(3600000);
    QTest::newRow("hb 1 ms") << quint64(1) << kHuge << quint64(100) << quint64(3600000);
    QTest::newRow("timeout below 2 hb")
        << quint64(1000) << quint64(1000) << quint64(1000) << quint64(2000);
}

// hb or timeout of 2^64-1 overflowed: the client declared the server dead at
// once, or pinged every 10 ms. It holds them to sane ranges, and says so.
void TestClientSession::welcomeHeartbeatIsClamped()
{
    QFETCH(quint64, hb);
    QFETCH(quint64, timeout);
    QFETCH(quint64, usedHb);
    QFETCH(quint64, usedTimeout);
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy status(&client, &ChatClient::statusMessage);
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello({}, hb, timeout));
    QTRY_VERIFY(client.isOnline());
    QCOMPARE(client.welcome()->heartbeatMs, usedHb);
    QCOMPARE(client.welcome()->timeoutMs, usedTimeout);
    const QString said = QStringLiteral("out of range: using hb %1 ms and timeout %2 ms")
                             .arg(usedHb)
                             .arg(usedTimeout);
    bool told = false;
    for (const auto &args : status)
        told = told || args.first().toString().contains(said);
    QVERIFY2(told, qPrintable(said));
    // Still online a round trip of chat later, and no more pings than hb allows.
    client.sendMessage(QStringLiteral("still here"));
    QVERIFY(server.next<protocol::Say>());
    QVERIFY(!errors.wait(300));
    QVERIFY(client.isOnline());
}

void TestClientSession::usersWithInvalidNicksAreRefused_data()
{
    QTest::addColumn<bool>("inWelcome");
    QTest::addColumn<QString>("nick");
    QTest::newRow("welcome, empty") << true << QString();
    QTest::newRow("users, empty") << false << QString();
    QTest::newRow("users, bidi") << false << QStringLiteral("bob\u202E");
}

// A users list is a room of valid nicks: one holding an empty or a junk nick
// is a malformed message, not thousands of phantom users.
void TestClientSession::usersWithInvalidNicksAreRefused()
{
    QFETCH(bool, inWelcome);
    QFETCH(QString, nick);
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    QSignalSpy listed(&client, &ChatClient::usersListed);
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient());
    if (inWelcome) {
        QVERIFY(server.acceptHello({QStringLiteral("bob"), nick}));
    } else {
        QVERIFY(server.acceptHello({QStringLiteral("bob")}));
        QTRY_VERIFY(client.isOnline());
        server.send(protocol::Users{{QStringLiteral("ann"), nick, QStringLiteral("bob")}});
    }
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.first().at(0).value<ClientError>(), ClientError::ProtocolError);
    QVERIFY2(errors.first().at(1).toString().contains(QStringLiteral("not a valid nick")),
             qPrintable(errors.first().at(1).toString()));
    QCOMPARE(listed.count(), 0);
    QVERIFY(client.users().isEmpty());
    const auto bye = server.next<protocol::Bye>();
    QVERIFY(bye);
    QCOMPARE(bye->reason, QStringLiteral("error"));
}

QTEST_GUILESS_MAIN(TestClientSession)
#include "tst_clientsession.moc"
