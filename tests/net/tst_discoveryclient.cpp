// DiscoveryClient against a responder scripted here, on 127.0.0.1.

#include "net/discoveryclient.h"
#include "protocol/codec.h"

#include <QCborMap>
#include <QNetworkDatagram>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

using namespace synack;
using namespace synack::net;
using namespace std::chrono_literals;

namespace {

// Answers each `discover` with what the test put in `answers`, in order.
class Responder : public QObject
{
public:
    Responder()
    {
        QVERIFY(m_socket.bind(QHostAddress::LocalHost, 0));
        connect(&m_socket, &QUdpSocket::readyRead, this, [this] {
            while (m_socket.hasPendingDatagrams()) {
                const QNetworkDatagram question = m_socket.receiveDatagram();
                questions.append(question.data());
                for (const QByteArray &answer : std::as_const(answers))
                    m_socket.writeDatagram(question.makeReply(answer));
            }
        });
    }
    quint16 port() const { return m_socket.localPort(); }

    QList<QByteArray> answers;
    QList<QByteArray> questions;

private:
    QUdpSocket m_socket;
};

QByteArray here(const QString &name, quint64 port, quint64 users, bool pass)
{
    return protocol::encodePayload(protocol::Here{1, name, port, users, pass});
}

// A valid `here` padded with an unknown key to 600 bytes and more.
QByteArray oversizedHere()
{
    QCborMap map;
    map.insert(QStringLiteral("t"), QStringLiteral("here"));
    map.insert(QStringLiteral("v"), 1);
    map.insert(QStringLiteral("name"), QStringLiteral("Big"));
    map.insert(QStringLiteral("port"), 1);
    map.insert(QStringLiteral("users"), 0);
    map.insert(QStringLiteral("pass"), false);
    map.insert(QStringLiteral("pad"), QString(600, QLatin1Char('x')));
    return map.toCborValue().toCbor();
}

} // namespace

class TestDiscoveryClient : public QObject
{
    Q_OBJECT

private slots:
    void findsAServerOnce();
    void ignoresJunkAndOversizedAnswers();
    void finishesEmptyWhenNobodyAnswers();
    void broadcastTargetsEndWithTheLimitedBroadcast();
};

void TestDiscoveryClient::findsAServerOnce()
{
    Responder responder;
    responder.answers = {here(QStringLiteral("Lab"), 9527, 3, true),
                         here(QStringLiteral("Lab"), 9527, 3, true)}; // said twice
    DiscoveryClient discovery;
    QSignalSpy found(&discovery, &DiscoveryClient::serverFound);
    QSignalSpy finished(&discovery, &DiscoveryClient::finished);
    discovery.start(300ms, responder.port(), {QHostAddress(QHostAddress::LocalHost)});
    QVERIFY(discovery.isRunning());
    QVERIFY(finished.wait(3000));

    QCOMPARE(responder.questions.size(), 1);
    const auto question =
        protocol::decodePayload(responder.questions.first(), protocol::Role::Discovery);
    QVERIFY(question.message && std::holds_alternative<protocol::Discover>(*question.message));
    QCOMPARE(found.count(), 1);
    const auto servers = finished.first().first().value<QList<DiscoveredServer>>();
    QCOMPARE(servers.size(), 1);
    QCOMPARE(servers.first().name, QStringLiteral("Lab"));
    QCOMPARE(servers.first().address, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(servers.first().port, 9527);
    QCOMPARE(servers.first().users, 3u);
    QVERIFY(servers.first().passwordRequired);
    QVERIFY(!discovery.isRunning());
}

void TestDiscoveryClient::ignoresJunkAndOversizedAnswers()
{
    Responder responder;
    responder.answers = {
        QByteArray("not cbor at all"),
        oversizedHere(),                               // would decode, but is over 512 bytes
        protocol::encodePayload(protocol::Discover{}), // the wrong message
        here(QStringLiteral("Real"), 4000, 0, false),
    };
    DiscoveryClient discovery;
    QSignalSpy finished(&discovery, &DiscoveryClient::finished);
    discovery.start(300ms, responder.port(), {QHostAddress(QHostAddress::LocalHost)});
    QVERIFY(finished.wait(3000));
    const auto servers = finished.first().first().value<QList<DiscoveredServer>>();
    QCOMPARE(servers.size(), 1);
    QCOMPARE(servers.first().name, QStringLiteral("Real"));
    QCOMPARE(servers.first().port, 4000);
    QVERIFY(!servers.first().passwordRequired);
}

void TestDiscoveryClient::finishesEmptyWhenNobodyAnswers()
{
    Responder responder; // says nothing
    DiscoveryClient discovery;
    QSignalSpy finished(&discovery, &DiscoveryClient::finished);
    QElapsedTimer clock;
    clock.start();
    discovery.start(150ms, responder.port(), {QHostAddress(QHostAddress::LocalHost)});
    QVERIFY(finished.wait(3000));
    QVERIFY(clock.elapsed() >= 140);
    QVERIFY(finished.first().first().value<QList<DiscoveredServer>>().isEmpty());
    QCOMPARE(responder.questions.size(), 1);
}

void TestDiscoveryClient::broadcastTargetsEndWithTheLimitedBroadcast()
{
    const auto targets = DiscoveryClient::broadcastTargets();
    QVERIFY(!targets.isEmpty());
    QCOMPARE(targets.last(), QHostAddress(QHostAddress::Broadcast));
    for (const QHostAddress &target : targets)
        QCOMPARE(target.protocol(), QAbstractSocket::IPv4Protocol);
}

QTEST_GUILESS_MAIN(TestDiscoveryClient)
#include "tst_discoveryclient.moc"
