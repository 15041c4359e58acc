// ChatClient's messages and room against a FakeServer scripted by each test.

#include "chatclient.h"
#include "fakeserver.h"
#include "testoptions.h"

#include <QSignalSpy>
#include <QTest>

using namespace synack;
using namespace synack::client;
using namespace std::chrono_literals;
using test::FakeServer;
using test::optionsFor;

namespace {

protocol::ChatMsg echo(const protocol::Say &say, const QString &from, std::optional<quint64> seq)
{
    return protocol::ChatMsg{seq, from, say.text, 1700000000000, say.to, say.id, std::nullopt};
}

DeliveryStatus statusAt(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(1).value<DeliveryStatus>();
}

} // namespace

class TestChatClient : public QObject
{
    Q_OBJECT

private slots:
    void registersAndGoesOnline();
    void messageIsDeliveredByItsEcho();
    void messageIsRejectedByAnErrorWithItsId();
    void privateMessageNamesItsTarget();
    void sendingWhileOfflineIsNotDelivered();
    void userListFollowsTheRoom();
    void replayedBacklogIsNotShownTwice();
    void seqGapIsReported();
};

void TestChatClient::registersAndGoesOnline()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy states(&client, &ChatClient::stateChanged);
    QSignalSpy status(&client, &ChatClient::statusMessage);
    auto options = optionsFor(server.port());
    options.password = QStringLiteral("s3cret");
    client.connectToServer(options);
    QCOMPARE(client.state(), ChatClient::State::Connecting);
    QVERIFY(server.nextClient());
    const auto hello = server.acceptHello({QStringLiteral("bob")});
    QVERIFY(hello);
    QCOMPARE(hello->nick, QStringLiteral("ann"));
    QCOMPARE(hello->version, 1u);
    QCOMPARE(hello->pass, QStringLiteral("s3cret"));
    QTRY_COMPARE(client.state(), ChatClient::State::Online);

    QCOMPARE(states.at(0).at(0).value<ChatClient::State>(), ChatClient::State::Connecting);
    QCOMPARE(states.at(1).at(0).value<ChatClient::State>(), ChatClient::State::Registering);
    QCOMPARE(states.at(2).at(0).value<ChatClient::State>(), ChatClient::State::Online);
    QStringList said;
    for (const auto &args : status)
        said.append(args.at(0).toString());
    QVERIFY2(said.join(u'|').contains(QStringLiteral("connecting to 127.0.0.1:")),
             qPrintable(said.join(u'|')));
    QVERIFY(said.join(u'|').contains(QStringLiteral("registering as ann")));
    QVERIFY(said.last().startsWith(
        QStringLiteral("connected to 127.0.0.1:%1 as ann").arg(server.port())));
    QCOMPARE(client.users(), (QStringList{QStringLiteral("ann"), QStringLiteral("bob")}));
    QCOMPARE(client.serverName(), QStringLiteral("fake"));
    QCOMPARE(client.welcome()->maxText, 8192u);
}

void TestChatClient::messageIsDeliveredByItsEcho()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    QSignalSpy statuses(&client, &ChatClient::messageStatusChanged);
    QSignalSpy lines(&client, &ChatClient::messageReceived);
    const quint64 id = client.sendMessage(QStringLiteral("hello room"));
    QCOMPARE(client.pendingCount(), 1);
    const auto say = server.next<protocol::Say>();
    QVERIFY(say);
    QCOMPARE(say->id, id);
    QCOMPARE(say->text, QStringLiteral("hello room"));
    QVERIFY(!say->to);
    server.send(echo(*say, QStringLiteral("ann"), 7));

    QTRY_COMPARE(statuses.count(), 1);
    QCOMPARE(statuses.first().at(0).toULongLong(), id);
    QCOMPARE(statusAt(statuses, 0), DeliveryStatus::Delivered);
    QCOMPARE(statuses.first().at(3).value<std::optional<quint64>>(), std::optional<quint64>(7));
    QCOMPARE(lines.count(), 1);
    const auto line = lines.first().first().value<ChatLine>();
    QVERIFY(line.isOwn);
    QCOMPARE(line.localId, id);
    QCOMPARE(line.seq, 7u);
    QCOMPARE(client.pendingCount(), 0);
}

void TestChatClient::messageIsRejectedByAnErrorWithItsId()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    QTRY_VERIFY(client.isOnline());

    QSignalSpy statuses(&client, &ChatClient::messageStatusChanged);
    QSignalSpy errors(&client, &ChatClient::errorOccurred);
    const quint64 id = client.sendMessage(QStringLiteral("too long, say"));
    const auto say = server.next<protocol::Say>();
    QVERIFY(say);
    server.send(protocol::Error{QStringLiteral("text-size"),
                                QStringLiteral("The text is too long."), false, id});
    QTRY_COMPARE(statuses.count(), 1);
    QCOMPARE(statusAt(statuses, 0), DeliveryStatus::Rejected);
    QVERIFY(statuses.first().at(2).toString().contains(QStringLiteral("text-size")));
    QCOMPARE(errors.count(), 0); // the status says it all
    QVERIFY(client.isOnline());
}

void TestChatClient::privateMessageNamesItsTarget()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello({QStringLiteral("Bob")}));
    QTRY_VERIFY(client.isOnline());

    QSignalSpy statuses(&client, &ChatClient::messageStatusChanged);
    QSignalSpy lines(&client, &ChatClient::messageReceived);
    client.sendMessage(QStringLiteral("psst"), QStringLiteral("bob"));
    const auto say = server.next<protocol::Say>();
    QVERIFY(say);
    QCOMPARE(say->to, QStringLiteral("bob"));
    auto reply = echo(*say, QStringLiteral("ann"), std::nullopt);
    reply.to = QStringLiteral("Bob"); // the registered spelling
    server.send(reply);
    // And one for us from Bob.
    server.send(protocol::ChatMsg{std::nullopt, QStringLiteral("Bob"), QStringLiteral("hi ann"), 1,
                                  QStringLiteral("ann"), std::nullopt, std::nullopt});
    QTRY_COMPARE(lines.count(), 2);
    QCOMPARE(statusAt(statuses, 0), DeliveryStatus::Delivered);
    QCOMPARE(statuses.first().at(3).value<std::optional<quint64>>(), std::nullopt);
    const auto mine = lines.at(0).first().value<ChatLine>();
    const auto theirs = lines.at(1).first().value<ChatLine>();
    QVERIFY(mine.isPrivate() && mine.isOwn);
    QCOMPARE(*mine.to, QStringLiteral("Bob"));
    QVERIFY(theirs.isPrivate() && !theirs.isOwn);
    QCOMPARE(theirs.from, QStringLiteral("Bob"));
}

void TestChatClient::sendingWhileOfflineIsNotDelivered()
{
    ChatClient client;
    QSignalSpy statuses(&client, &ChatClient::messageStatusChanged);
    const quint64 id = client.sendMessage(QStringLiteral("anyone?"));
    QCOMPARE(statuses.count(), 0); // reported from the event loop, after the id is known
    QTRY_COMPARE(statuses.count(), 1);
    QCOMPARE(statuses.first().at(0).toULongLong(), id);
    QCOMPARE(statusAt(statuses, 0), DeliveryStatus::NotDelivered);
    QCOMPARE(client.pendingCount(), 0);
}

void TestChatClient::userListFollowsTheRoom()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello({QStringLiteral("bob")}));
    QTRY_VERIFY(client.isOnline());

    QSignalSpy joined(&client, &ChatClient::userJoined);
    QSignalSpy left(&client, &ChatClient::userLeft);
    QSignalSpy renamed(&client, &ChatClient::userRenamed);
    QSignalSpy listed(&client, &ChatClient::usersListed);
    server.send(protocol::Join{QStringLiteral("carol"), 1});
    server.send(protocol::Leave{QStringLiteral("BOB"), 2, QStringLiteral("timeout")});
    server.send(protocol::Rename{QStringLiteral("carol"), QStringLiteral("caro"), 3});
    QTRY_COMPARE(renamed.count(), 1);
    QCOMPARE(joined.first().first().toString(), QStringLiteral("carol"));
    QCOMPARE(left.first().at(0).toString(), QStringLiteral("BOB"));
    QCOMPARE(left.first().at(1).toString(), QStringLiteral("timeout"));
    QCOMPARE(client.users(), (QStringList{QStringLiteral("ann"), QStringLiteral("caro")}));

    client.requestUsers();
    QVERIFY(server.next<protocol::Who>());
    server.send(
        protocol::Users{{QStringLiteral("ann"), QStringLiteral("caro"), QStringLiteral("dan")}});
    QTRY_COMPARE(listed.count(), 1);
    QCOMPARE(client.users().size(), 3);
}

void TestChatClient::replayedBacklogIsNotShownTwice()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy lines(&client, &ChatClient::messageReceived);
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    const auto msg = [](quint64 seq, bool backlog) {
        return protocol::ChatMsg{seq,
                                 QStringLiteral("bob"),
                                 QStringLiteral("line %1").arg(seq),
                                 qint64(1000 + seq),
                                 std::nullopt,
                                 std::nullopt,
                                 backlog ? std::optional(true) : std::nullopt};
    };
    server.send(msg(1, true));
    server.send(msg(2, false));
    QTRY_COMPARE(lines.count(), 2);

    server.drop();
    QVERIFY(server.nextClient() && server.acceptHello());
    for (quint64 seq = 1; seq <= 3; ++seq)
        server.send(msg(seq, true)); // 1 and 2 we have; 3 came while we were away
    server.send(msg(4, false));
    QTRY_COMPARE(lines.count(), 4);
    QCOMPARE(lines.at(2).first().value<ChatLine>().seq, 3u);
    QVERIFY(lines.at(2).first().value<ChatLine>().backlog);
    QCOMPARE(lines.at(3).first().value<ChatLine>().seq, 4u);
}

void TestChatClient::seqGapIsReported()
{
    FakeServer server;
    QVERIFY(server.listen());
    ChatClient client;
    QSignalSpy gaps(&client, &ChatClient::seqGap);
    QSignalSpy lines(&client, &ChatClient::messageReceived);
    client.connectToServer(optionsFor(server.port()));
    QVERIFY(server.nextClient() && server.acceptHello());
    for (const quint64 seq : {1, 2, 5}) {
        server.send(protocol::ChatMsg{seq, QStringLiteral("bob"), QStringLiteral("x"), 1,
                                      std::nullopt, std::nullopt, std::nullopt});
    }
    QTRY_COMPARE(lines.count(), 3);
    QCOMPARE(gaps.count(), 1);
    QCOMPARE(gaps.first().at(0).toULongLong(), 3u);
    QCOMPARE(gaps.first().at(1).toULongLong(), 5u);
}

QTEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"
