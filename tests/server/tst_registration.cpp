// Sessions and registration: PROTOCOL.md sections 3, 5 and 8.

#include "serverfixture.h"

#include <QSignalSpy>

using namespace synack;
using namespace std::chrono_literals;

class TestRegistration : public QObject
{
    Q_OBJECT

private slots:
    void welcomeListsUsersAndSettings();
    void joinGoesToOthersOnly();
    void helloErrorsAreFatal_data();
    void helloErrorsAreFatal();
    void wrongOrMissingPassword();
    void serverFull();
    void messageBeforeHelloIsFatal();
    void pingBeforeHelloIsAnswered();
    void byeBeforeHelloClosesQuietly();
    void secondHelloIsNotFatal();
    void checkOrderRegistrationBeforeKeys();
    void unknownTypeIsNotFatal();
    void badKeysAreFatal();
    void helloTimeout();
};

void TestRegistration::welcomeListsUsersAndSettings()
{
    auto config = testConfig();
    config.motd = QStringLiteral("be kind");
    RunningServer s(config);
    QVERIFY(s.started);
    auto alice = s.join(QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = s.join(QStringLiteral("小明"));
    QVERIFY(bob);
    const auto welcome = bob->all<protocol::Welcome>().first();
    QCOMPARE(welcome.version, 1u);
    QCOMPARE(welcome.nick, QStringLiteral("小明"));
    QCOMPARE(welcome.server, QStringLiteral("test-server"));
    QCOMPARE(welcome.heartbeatMs, 1000u);
    QCOMPARE(welcome.timeoutMs, 3000u);
    QCOMPARE(welcome.maxFrame, 65536u);
    QCOMPARE(welcome.maxText, 8192u);
    QCOMPARE(welcome.users, QStringList({QStringLiteral("alice"), QStringLiteral("小明")}));
    QCOMPARE(welcome.motd, std::optional<QString>(QStringLiteral("be kind")));
    QVERIFY(welcome.session != alice->all<protocol::Welcome>().first().session);
}

void TestRegistration::joinGoesToOthersOnly()
{
    RunningServer s;
    auto alice = s.join(QStringLiteral("alice"));
    auto bob = s.join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(alice->waitUntil([&] { return !alice->all<protocol::Join>().isEmpty(); }));
    QCOMPARE(alice->all<protocol::Join>().first().nick, QStringLiteral("bob"));
    // Give bob's own join every chance to (wrongly) arrive: a who round trip.
    bob->send(protocol::Who{});
    QVERIFY(bob->waitUntil([&] { return !bob->all<protocol::Users>().isEmpty(); }));
    QVERIFY(bob->all<protocol::Join>().isEmpty());
}

void TestRegistration::helloErrorsAreFatal_data()
{
    QTest::addColumn<quint64>("version");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QString>("code");
    QTest::newRow("version 2") << quint64(2) << QStringLiteral("carol")
                               << QStringLiteral("version");
    QTest::newRow("nick with a space")
        << quint64(1) << QStringLiteral("a b") << QStringLiteral("nick-invalid");
    QTest::newRow("empty nick") << quint64(1) << QString() << QStringLiteral("nick-invalid");
    QTest::newRow("33 code points")
        << quint64(1) << QString(33, QChar(u'x')) << QStringLiteral("nick-invalid");
    QTest::newRow("taken, other case")
        << quint64(1) << QStringLiteral("ALICE") << QStringLiteral("nick-taken");
    // Issue: `alice` with a Cyrillic а, `bob` plus U+034F: "bob, bob" in the room.
    QTest::newRow("looks like alice (Cyrillic a)")
        << quint64(1) << QStringLiteral("\u0430lice") << QStringLiteral("nick-taken");
    QTest::newRow("looks like alice (fullwidth)")
        << quint64(1) << QStringLiteral("\uFF41lice") << QStringLiteral("nick-taken");
    QTest::newRow("invisible mark")
        << quint64(1) << QStringLiteral("alice\u034F") << QStringLiteral("nick-invalid");
}

void TestRegistration::helloErrorsAreFatal()
{
    QFETCH(quint64, version);
    QFETCH(QString, nick);
    QFETCH(QString, code);
    RunningServer s;
    auto alice = s.join(QStringLiteral("alice"));
    QVERIFY(alice);
    TestClient c;
    QVERIFY(c.connectTo(s.server->port()));
    c.send(protocol::Hello{version, nick, {}, {}});
    QVERIFY(c.waitForClose());
    QVERIFY(c.lastError());
    QCOMPARE(c.lastError()->code, code);
    QVERIFY(c.lastError()->fatal);
    QVERIFY(!c.lastError()->text.isEmpty());
    QVERIFY(c.all<protocol::Welcome>().isEmpty());
    QCOMPARE(s.server->room().size(), 1);
}

void TestRegistration::wrongOrMissingPassword()
{
    auto config = testConfig();
    config.password = QStringLiteral("s3cret");
    RunningServer s(config);
    for (const std::optional<QString> &pass :
         {std::optional<QString>(), std::optional<QString>(QStringLiteral("guess"))}) {
        TestClient c;
        QVERIFY(c.connectTo(s.server->port()));
        QVERIFY(!c.registerAs(QStringLiteral("eve"), pass));
        QVERIFY(c.waitForClose());
        QCOMPARE(c.lastError()->code, QStringLiteral("auth"));
    }
    TestClient ok;
    QVERIFY(ok.connectTo(s.server->port()));
    QVERIFY(ok.registerAs(QStringLiteral("eve"), QStringLiteral("s3cret")));
}

void TestRegistration::serverFull()
{
    auto config = testConfig();
    config.maxClients = 2;
    RunningServer s(config);
    auto a = s.join(QStringLiteral("a"));
    auto b = s.join(QStringLiteral("b"));
    QVERIFY(a && b);
    TestClient c;
    QVERIFY(c.connectTo(s.server->port()));
    QVERIFY(!c.registerAs(QStringLiteral("c")));
    QCOMPARE(c.lastError()->code, QStringLiteral("server-full"));
    QVERIFY(c.waitForClose());
}

void TestRegistration::messageBeforeHelloIsFatal()
{
    RunningServer s;
    TestClient c;
    QVERIFY(c.connectTo(s.server->port()));
    c.send(protocol::Say{QStringLiteral("hi"), {}, 1});
    QVERIFY(c.waitForClose());
    QCOMPARE(c.lastError()->code, QStringLiteral("not-registered"));
    QVERIFY(c.lastError()->fatal);
}

void TestRegistration::pingBeforeHelloIsAnswered()
{
    RunningServer s;
    TestClient c;
    QVERIFY(c.connectTo(s.server->port()));
    c.send(protocol::Ping{77, 1234});
    c.send(protocol::Pong{1, 1}); // ignored
    QVERIFY(c.waitUntil([&] { return !c.all<protocol::Pong>().isEmpty(); }));
    QCOMPARE(c.all<protocol::Pong>().first().seq, 77u);
    QCOMPARE(c.all<protocol::Pong>().first().ts, 1234);
    QVERIFY(c.registerAs(QStringLiteral("late")));
}

void TestRegistration::byeBeforeHelloClosesQuietly()
{
    RunningServer s;
    TestClient c;
    QVERIFY(c.connectTo(s.server->port()));
    c.send(protocol::Bye{QStringLiteral("quit"), {}});
    QVERIFY(c.waitForClose());
    QVERIFY(c.all<protocol::Error>().isEmpty());
}

void TestRegistration::secondHelloIsNotFatal()
{
    RunningServer s;
    auto c = s.join(QStringLiteral("alice"));
    QVERIFY(c);
    c->send(protocol::Hello{1, QStringLiteral("alice2"), {}, {}});
    QVERIFY(c->waitUntil([&] { return c->lastError().has_value(); }));
    QCOMPARE(c->lastError()->code, QStringLiteral("already-registered"));
    QVERIFY(!c->lastError()->fatal);
    c->send(protocol::Who{});
    QVERIFY(c->waitUntil([&] { return !c->all<protocol::Users>().isEmpty(); }));
    QVERIFY(c->isConnected());
}

void TestRegistration::checkOrderRegistrationBeforeKeys()
{
    // A say with a wrong key type before hello: step 3 (not-registered)
    // comes before step 5 (bad-message).
    RunningServer s;
    TestClient c;
    QVERIFY(c.connectTo(s.server->port()));
    c.sendRaw(protocol::encodeFrame(QByteArray::fromHex("a2617463736179647465787405")));
    QVERIFY(c.waitForClose());
    QCOMPARE(c.lastError()->code, QStringLiteral("not-registered"));
}

void TestRegistration::unknownTypeIsNotFatal()
{
    RunningServer s;
    auto c = s.join(QStringLiteral("alice"));
    QVERIFY(c);
    c->sendRaw(protocol::encodeFrame(QByteArray::fromHex("a16174646a756d70"))); // {t: "jump"}
    QVERIFY(c->waitUntil([&] { return c->lastError().has_value(); }));
    QCOMPARE(c->lastError()->code, QStringLiteral("unknown-type"));
    QVERIFY(!c->lastError()->fatal);
    QVERIFY(c->isConnected());
}

void TestRegistration::badKeysAreFatal()
{
    RunningServer s;
    auto c = s.join(QStringLiteral("alice"));
    auto other = s.join(QStringLiteral("bob"));
    QVERIFY(c && other);
    c->sendRaw(protocol::encodeFrame(QByteArray::fromHex("a2617463736179647465787405")));
    QVERIFY(c->waitForClose());
    QCOMPARE(c->lastError()->code, QStringLiteral("bad-message"));
    QVERIFY(other->waitUntil([&] { return !other->all<protocol::Leave>().isEmpty(); }));
    QCOMPARE(other->all<protocol::Leave>().first().reason, QStringLiteral("error"));
}

void TestRegistration::helloTimeout()
{
    auto config = testConfig();
    config.helloTimeout = 300ms;
    RunningServer s(config);
    TestClient idle; // connects, answers pings, never says hello
    QVERIFY(idle.connectTo(s.server->port()));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(idle.waitForClose(3000));
    QVERIFY(clock.elapsed() >= 250);
    QCOMPARE(idle.lastError()->code, QStringLiteral("hello-timeout"));
    QVERIFY(idle.lastError()->fatal);
    QTRY_VERIFY(s.server->sessions().isEmpty());
}

QTEST_MAIN(TestRegistration)
#include "tst_registration.moc"
