// Connection: framing, heartbeat and closing over real loopback sockets.

#include "net/connection.h"
#include "net/heartbeatsweeper.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>
#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace synack;
using namespace synack::net;
using namespace std::chrono_literals;

namespace {

// A listening socket on 127.0.0.1 and the server-side sockets it accepts.
class Listener
{
public:
    Listener() { QVERIFY(m_server.listen(QHostAddress::LocalHost, 0)); }
    quint16 port() const { return m_server.serverPort(); }
    QTcpSocket *accept()
    {
        if (!m_server.hasPendingConnections() && !m_server.waitForNewConnection(5000))
            return nullptr;
        return m_server.nextPendingConnection();
    }

private:
    QTcpServer m_server;
};

ConnectionSettings fastSettings(protocol::Role role)
{
    ConnectionSettings s;
    s.role = role;
    s.heartbeatInterval = 100ms;
    s.heartbeatTimeout = 300ms;
    s.lingerTime = 500ms;
    return s;
}

// A client Connection and the server-side Connection it reached.
struct ConnectedPair
{
    Listener listener;
    std::unique_ptr<Connection> client;
    std::unique_ptr<Connection> server;

    // True once both ends are open.
    bool open(const ConnectionSettings &serverSettings = fastSettings(protocol::Role::Server))
    {
        client = std::make_unique<Connection>(new QTcpSocket, fastSettings(protocol::Role::Client));
        QSignalSpy connected(client.get(), &Connection::connected);
        client->connectToHost(QStringLiteral("127.0.0.1"), listener.port());
        QTcpSocket *accepted = listener.accept();
        if (!accepted)
            return false;
        server = std::make_unique<Connection>(accepted, serverSettings);
        return (!connected.isEmpty() || connected.wait()) && client->isOpen() && server->isOpen();
    }
};

// Reads whole frames from a raw socket, for checking what a Connection sent.
QList<protocol::Message> readMessages(QTcpSocket *raw, protocol::Role role)
{
    QList<protocol::Message> out;
    protocol::FrameDecoder decoder(protocol::kClientMaxFrame);
    decoder.append(raw->readAll());
    while (decoder.hasFrame()) {
        auto result = protocol::decodePayload(decoder.takeFrame(), role);
        if (result.message)
            out.append(*result.message);
    }
    return out;
}

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT

private slots:
    void messagesFlowBothWaysInOrder();
    void framesSentInOnePieceCountAndLogOneByOne_data();
    void framesSentInOnePieceCountAndLogOneByOne();
    void heartbeatMeasuresRoundTrip();
    void silentPeerTimesOut();
    void anyFrameIsASignOfLife();
    void oversizedLengthIsFatal();
    void garbagePayloadIsFatal();
    void byeClosesBothSidesOnce();
    void peerCloseWithoutBye();
    void lingerEndsACloseThePeerNeverAnswers();
    void sweeperForgetsWhatClosesOrGoes();
    void refusedConnectFails();
    void slowReaderExceedsSendQueue();
    void throttledPeerLosesNoFrame();
};

void TestConnection::messagesFlowBothWaysInOrder()
{
    ConnectedPair pair;
    QVERIFY(pair.open());
    Connection &client = *pair.client;
    Connection &server = *pair.server;

    QSignalSpy atServer(&server, &Connection::messageReceived);
    QSignalSpy atClient(&client, &Connection::messageReceived);
    for (int i = 0; i < 100; ++i)
        client.send(protocol::Say{QString::number(i), {}, quint64(i)});
    server.send(protocol::Join{QStringLiteral("bob"), 1});
    QTRY_COMPARE(atServer.count(), 100);
    QTRY_COMPARE(atClient.count(), 1);
    for (int i = 0; i < 100; ++i) {
        const auto envelope = atServer.at(i).at(0).value<protocol::Envelope>();
        const auto say = std::get<protocol::Say>(
            *protocol::decodeMessage(envelope, protocol::Role::Server).message);
        QCOMPARE(say.text, QString::number(i));
    }
    QCOMPARE(atClient.at(0).at(0).value<protocol::Envelope>().type, QStringLiteral("join"));
}

void TestConnection::framesSentInOnePieceCountAndLogOneByOne_data()
{
    QTest::addColumn<bool>("recordFrames");
    QTest::newRow("not recording") << false;
    QTest::newRow("recording frames") << true;
}

// A newcomer's backlog goes out as one piece; it is still three frames to the
// peer, to the counters and to the socket log.
void TestConnection::framesSentInOnePieceCountAndLogOneByOne()
{
    QFETCH(bool, recordFrames);
    ConnectedPair pair;
    QVERIFY(pair.open());
    Connection &client = *pair.client;
    Connection &server = *pair.server;
    server.setRecording(recordFrames ? Connection::Recording::Full : Connection::Recording::Off);
    QSignalSpy logged(&server, &Connection::eventRecorded);

    QByteArray backlog;
    for (int i = 1; i <= 3; ++i) {
        protocol::ChatMsg past;
        past.seq = quint64(i);
        past.from = QStringLiteral("ann");
        past.text = QString::number(i);
        past.ts = 1;
        past.backlog = true;
        backlog += protocol::encodeMessageFrame(past);
    }
    QSignalSpy atClient(&client, &Connection::messageReceived);
    server.sendFrames(backlog);
    QTRY_COMPARE(atClient.count(), 3);
    for (int i = 0; i < 3; ++i) {
        const auto msg = std::get<protocol::ChatMsg>(
            *protocol::decodeMessage(atClient.at(i).at(0).value<protocol::Envelope>(),
                                     protocol::Role::Client)
                 .message);
        QCOMPARE(msg.text, QString::number(i + 1));
        QVERIFY(msg.backlog.value_or(false));
    }
    QCOMPARE(server.framesSent(), 3);
    QCOMPARE(server.bytesSent(), backlog.size());
    int framesLogged = 0;
    for (const QList<QVariant> &event : std::as_const(logged))
        framesLogged += event.at(0).value<ConnectionEvent>().kind == EventKind::Frame;
    QCOMPARE(framesLogged, recordFrames ? 3 : 0);
}

void TestConnection::heartbeatMeasuresRoundTrip()
{
    ConnectedPair pair;
    QVERIFY(pair.open());
    Connection &client = *pair.client;
    Connection &server = *pair.server;
    HeartbeatSweeper sweeper;
    sweeper.setResolution(20ms);
    sweeper.add(&client);
    sweeper.add(&server);

    QSignalSpy clientRtt(&client, &Connection::roundTripMeasured);
    QSignalSpy serverRtt(&server, &Connection::roundTripMeasured);
    QVERIFY(clientRtt.wait(2000));
    QVERIFY(serverRtt.count() > 0 || serverRtt.wait(2000));
    const auto rtt = clientRtt.first().first().value<std::chrono::microseconds>();
    QVERIFY(rtt.count() >= 0 && rtt < 1s);
    // Both sides keep each other alive well past the timeout.
    QSignalSpy closed(&client, &Connection::closed);
    QVERIFY(!closed.wait(1000));
    QVERIFY(client.isOpen() && server.isOpen());
}

void TestConnection::silentPeerTimesOut()
{
    Listener listener;
    QTcpSocket raw; // connects and then says nothing at all
    raw.connectToHost(QHostAddress::LocalHost, listener.port());
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    Connection server(accepted, fastSettings(protocol::Role::Server));
    HeartbeatSweeper sweeper;
    sweeper.setResolution(20ms);
    sweeper.add(&server);

    QSignalSpy closed(&server, &Connection::closed);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(closed.wait(3000));
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.first().first().value<CloseCause>(), CloseCause::Timeout);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));

    // The silent peer was told why: pings, then bye with reason timeout.
    QTRY_VERIFY(raw.state() == QAbstractSocket::UnconnectedState || raw.bytesAvailable() > 0);
    QTRY_COMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    const auto messages = readMessages(&raw, protocol::Role::Client);
    QVERIFY(!messages.isEmpty());
    const auto *bye = std::get_if<protocol::Bye>(&messages.last());
    QVERIFY(bye);
    QCOMPARE(bye->reason, QStringLiteral("timeout"));
}

void TestConnection::anyFrameIsASignOfLife()
{
    Listener listener;
    QTcpSocket raw; // never answers pings, but keeps talking
    raw.connectToHost(QHostAddress::LocalHost, listener.port());
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    Connection server(accepted, fastSettings(protocol::Role::Server));
    HeartbeatSweeper sweeper;
    sweeper.setResolution(20ms);
    sweeper.add(&server);
    QVERIFY(raw.waitForConnected(2000));

    QTimer chatter;
    connect(&chatter, &QTimer::timeout, &raw,
            [&raw] { raw.write(protocol::encodeMessageFrame(protocol::Who{})); });
    chatter.start(50);
    QSignalSpy received(&server, &Connection::messageReceived);
    QSignalSpy closed(&server, &Connection::closed);
    // Three timeouts' worth of frames that are not pongs: still open.
    QTRY_VERIFY_WITH_TIMEOUT(received.count() >= 18, 5000);
    QCOMPARE(closed.count(), 0);
    QVERIFY(server.isOpen());
}

void TestConnection::oversizedLengthIsFatal()
{
    Listener listener;
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, listener.port());
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    Connection server(accepted, fastSettings(protocol::Role::Server));
    QVERIFY(raw.waitForConnected(2000));

    QSignalSpy closed(&server, &Connection::closed);
    raw.write(QByteArray::fromHex("ffffffff"));
    QVERIFY(closed.wait(3000));
    QCOMPARE(closed.first().first().value<CloseCause>(), CloseCause::ProtocolError);
    QTRY_COMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    const auto messages = readMessages(&raw, protocol::Role::Client);
    QCOMPARE(messages.size(), 1);
    const auto &error = std::get<protocol::Error>(messages.first());
    QCOMPARE(error.code, QStringLiteral("frame-size"));
    QVERIFY(error.fatal);
}

void TestConnection::garbagePayloadIsFatal()
{
    Listener listener;
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, listener.port());
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    Connection server(accepted, fastSettings(protocol::Role::Server));
    QVERIFY(raw.waitForConnected(2000));

    QSignalSpy received(&server, &Connection::messageReceived);
    QSignalSpy closed(&server, &Connection::closed);
    // A good frame, then one that is not CBOR: the first is delivered.
    raw.write(protocol::encodeMessageFrame(protocol::Who{}) + protocol::encodeFrame("\xff\xfe"));
    QVERIFY(closed.wait(3000));
    QCOMPARE(received.count(), 1);
    QTRY_COMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    const auto messages = readMessages(&raw, protocol::Role::Client);
    QCOMPARE(messages.size(), 1);
    QCOMPARE(std::get<protocol::Error>(messages.first()).code, QStringLiteral("bad-payload"));
}

void TestConnection::byeClosesBothSidesOnce()
{
    ConnectedPair pair;
    QVERIFY(pair.open());
    Connection &client = *pair.client;
    Connection &server = *pair.server;

    QSignalSpy serverBye(&server, &Connection::byeReceived);
    QSignalSpy serverClosed(&server, &Connection::closed);
    QSignalSpy clientClosed(&client, &Connection::closed);
    client.send(protocol::Say{QStringLiteral("last words"), {}, 1});
    QSignalSpy lastWords(&server, &Connection::messageReceived);
    client.closeWithBye(QStringLiteral("quit"), QStringLiteral("bye all"));
    QVERIFY(!client.isOpen());
    client.send(protocol::Say{QStringLiteral("never sent"), {}, 2});

    QTRY_COMPARE(serverClosed.count(), 1);
    QTRY_COMPARE(clientClosed.count(), 1);
    QCOMPARE(lastWords.count(), 1);
    QCOMPARE(serverBye.count(), 1);
    QCOMPARE(serverBye.first().at(0).toString(), QStringLiteral("quit"));
    QCOMPARE(serverClosed.first().first().value<CloseCause>(), CloseCause::PeerBye);
    QCOMPARE(clientClosed.first().first().value<CloseCause>(), CloseCause::LocalClose);
    // Exactly once, even as late socket signals arrive.
    QVERIFY(!clientClosed.wait(200));
    QCOMPARE(clientClosed.count(), 1);
    QCOMPARE(server.state(), Connection::State::Closed);
}

void TestConnection::peerCloseWithoutBye()
{
    Listener listener;
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, listener.port());
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    Connection server(accepted, fastSettings(protocol::Role::Server));
    QVERIFY(raw.waitForConnected(2000));
    QSignalSpy closed(&server, &Connection::closed);
    raw.disconnectFromHost();
    QVERIFY(closed.wait(3000));
    QCOMPARE(closed.first().first().value<CloseCause>(), CloseCause::PeerClosed);
}

// PROTOCOL.md section 7: after its bye this side reads on until the peer's
// FIN, or for the linger time at most. A peer that neither reads nor closes
// (a plain descriptor nobody looks at) gets the whole linger, then the close.
void TestConnection::lingerEndsACloseThePeerNeverAnswers()
{
    Listener listener;
    const int peer = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(peer >= 0);
    const auto closePeer = qScopeGuard([peer] { ::close(peer); });
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = qToBigEndian(listener.port());
    address.sin_addr.s_addr = qToBigEndian(quint32(INADDR_LOOPBACK));
    QCOMPARE(::connect(peer, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    Connection server(accepted, fastSettings(protocol::Role::Server));
    QVERIFY(server.isOpen());

    QSignalSpy closed(&server, &Connection::closed);
    QElapsedTimer clock;
    clock.start();
    server.closeWithBye(QStringLiteral("kicked"), QStringLiteral("linger test"));
    QCOMPARE(server.state(), Connection::State::Closing);
    QVERIFY(closed.wait(3000));
    const qint64 waited = clock.elapsed();
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.first().first().value<CloseCause>(), CloseCause::LocalClose);
    // The linger of fastSettings() is 500 ms: not cut short, not forgotten.
    QVERIFY2(waited >= 450 && waited < 2000, qPrintable(QString::number(waited)));
    QVERIFY(!closed.wait(700)); // and once only
}

// The heartbeat sweeper hears from each connection itself when it closes or
// is destroyed, and a connection outliving its sweeper is told so.
void TestConnection::sweeperForgetsWhatClosesOrGoes()
{
    ConnectedPair pair;
    QVERIFY(pair.open());
    auto sweeper = std::make_unique<HeartbeatSweeper>();
    sweeper->add(pair.client.get());
    sweeper->add(pair.server.get());
    QCOMPARE(sweeper->count(), 2);

    QSignalSpy clientClosed(pair.client.get(), &Connection::closed);
    QSignalSpy serverClosed(pair.server.get(), &Connection::closed);
    pair.client->closeWithBye(QStringLiteral("quit"));
    QTRY_COMPARE(serverClosed.count() + clientClosed.count(), 2);
    QCOMPARE(sweeper->count(), 0);

    ConnectedPair second;
    QVERIFY(second.open());
    sweeper->add(second.client.get());
    sweeper->add(second.server.get());
    second.client.reset(); // destroyed while open
    QCOMPARE(sweeper->count(), 1);
    sweeper.reset(); // the server's connection outlives the sweeper...
    second.server->closeWithBye(QStringLiteral("quit")); // ...and closes without it
    second.server.reset();
}

void TestConnection::refusedConnectFails()
{
    quint16 unusedPort = 0;
    {
        QTcpServer probe; // a port that was free a moment ago and is closed now
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        unusedPort = probe.serverPort();
    }
    Connection client(new QTcpSocket, fastSettings(protocol::Role::Client));
    QSignalSpy closed(&client, &Connection::closed);
    client.connectToHost(QStringLiteral("127.0.0.1"), unusedPort);
    QVERIFY(closed.wait(5000));
    QCOMPARE(closed.first().first().value<CloseCause>(), CloseCause::ConnectFailed);
    QVERIFY(!closed.first().at(1).toString().isEmpty());
}

void TestConnection::slowReaderExceedsSendQueue()
{
    Listener listener;
    QTcpSocket raw; // never reads
    raw.setReadBufferSize(1);
    raw.connectToHost(QHostAddress::LocalHost, listener.port());
    QTcpSocket *accepted = listener.accept();
    QVERIFY(accepted);
    ConnectionSettings settings = fastSettings(protocol::Role::Server);
    settings.maxSendQueue = 256 * 1024;
    Connection server(accepted, settings);
    QSignalSpy exceeded(&server, &Connection::sendQueueExceeded);

    const QByteArray frame = protocol::encodeMessageFrame(
        protocol::ChatMsg{1, QStringLiteral("a"), QString(1000, QChar(u'x')), 0, {}, {}, {}});
    QTimer flood; // writes from the event loop, so the kernel buffers fill first
    connect(&flood, &QTimer::timeout, &server, [&] {
        for (int i = 0; i < 200; ++i)
            server.sendFrame(frame);
    });
    flood.start(1);
    QTRY_VERIFY_WITH_TIMEOUT(exceeded.count() == 1, 10000);
    flood.stop();
    QVERIFY(exceeded.first().first().toLongLong() > settings.maxSendQueue);
}

QTEST_MAIN(TestConnection)
#include "tst_connection.moc"

// A peer over its input budget waits its turn (docs/protocol.md,
// "Protection"): every frame still arrives, in order, only later.
void TestConnection::throttledPeerLosesNoFrame()
{
    ConnectionSettings tight = fastSettings(protocol::Role::Server);
    tight.heartbeatTimeout = 10s; // the throttled peer is not silent, only slowed
    tight.inputWorkPerSecond = 10ms;
    tight.inputWorkBurst = 1ms;
    ConnectedPair pair;
    QVERIFY(pair.open(tight));
    QSignalSpy atServer(pair.server.get(), &Connection::messageReceived);
    constexpr int kFrames = 200; // 5 us each at least: the burst is gone within 200
    const QString text(4096, QLatin1Char('x'));
    for (int i = 0; i < kFrames; ++i)
        pair.client->send(protocol::Say{text + QString::number(i), {}, quint64(i)});
    QTRY_COMPARE_WITH_TIMEOUT(atServer.count(), kFrames, 20000);
    QVERIFY(pair.server->inputThrottles() > 0);
    for (int i = 0; i < kFrames; ++i) {
        const auto envelope = atServer.at(i).at(0).value<protocol::Envelope>();
        QCOMPARE(envelope.field(QLatin1StringView("id"))->toUInt(), std::optional<quint64>(i));
    }
    QVERIFY(pair.server->isOpen());
}
