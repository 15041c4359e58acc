// Chat: relay, private messages, nick, who, backlog, kicks (PROTOCOL.md section 5).

#include "serverfixture.h"

using namespace synack;
using namespace std::chrono_literals;

class TestChat : public QObject
{
    Q_OBJECT

private slots:
    void everyoneGetsEveryMessageInSeqOrder();
    void privateMessagesReachOnlyTargetAndSender();
    void unknownUserAndTextSizeAreRejectedWithId();
    void renameGoesToEveryone();
    void nickErrorsAreNotFatal();
    void whoListsTheRoom();
    void backlogReplaysRoomMessagesOnly();
    void backlogFollowsTheRoomBetweenJoins();
    void backlogReplayIsBoundedInBytes();
    void rateLimitRejectsWithId();
    void leaveReasons();
    void kickSaysByeAndTellsTheRoom();
    void shutdownSaysByeToEveryone();
};

void TestChat::everyoneGetsEveryMessageInSeqOrder()
{
    auto config = testConfig();
    config.floodRate = 0;
    RunningServer s(config);
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 5; ++i) {
        clients.push_back(s.join(QStringLiteral("user%1").arg(i)));
        QVERIFY(clients.back());
    }
    constexpr int kEach = 50;
    for (int m = 0; m < kEach; ++m) {
        for (int i = 0; i < 5; ++i)
            clients[i]->send(
                protocol::Say{QStringLiteral("%1/%2").arg(i).arg(m), {}, quint64(m + 1)});
    }
    for (auto &c : clients)
        QVERIFY(c->waitUntil([&] { return c->liveMessages().size() == 5 * kEach; }, 10000));

    const auto reference = clients[0]->liveMessages();
    for (int i = 0; i < 5; ++i) {
        const auto got = clients[i]->liveMessages();
        const QString me = QStringLiteral("user%1").arg(i);
        int ownIds = 0;
        for (int k = 0; k < got.size(); ++k) {
            QCOMPARE(got[k].seq, std::optional<quint64>(quint64(k + 1))); // no gaps, same order
            QCOMPARE(got[k].text, reference[k].text);
            QCOMPARE(got[k].from, reference[k].from);
            QVERIFY(!got[k].to);
            // Only the sender's copy carries the id, and it is the say's own.
            if (got[k].from == me) {
                QVERIFY(got[k].id.has_value());
                QCOMPARE(got[k].text.section(u'/', 1).toULongLong() + 1, *got[k].id);
                ++ownIds;
            } else {
                QVERIFY(!got[k].id.has_value());
            }
        }
        QCOMPARE(ownIds, kEach);
        // Each sender's messages keep their own order.
        int last = -1;
        for (const auto &msg : got) {
            if (msg.from == me) {
                const int n = msg.text.section(u'/', 1).toInt();
                QCOMPARE(n, last + 1);
                last = n;
            }
        }
    }
}

void TestChat::privateMessagesReachOnlyTargetAndSender()
{
    RunningServer s;
    auto alice = s.join(QStringLiteral("alice"));
    auto bob = s.join(QStringLiteral("Bob"));
    auto carol = s.join(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);

    alice->send(protocol::Say{QStringLiteral("psst"), QStringLiteral("BOB"), 5});
    alice->send(protocol::Say{QStringLiteral("note to self"), QStringLiteral("alice"), 6});
    alice->send(protocol::Say{QStringLiteral("room"), {}, 7}); // marks the end
    for (auto *c : {alice.get(), bob.get(), carol.get()})
        QVERIFY(c->waitUntil([&] {
            const auto msgs = c->liveMessages();
            return !msgs.isEmpty() && msgs.last().text == QStringLiteral("room");
        }));

    const auto atBob = bob->liveMessages();
    QCOMPARE(atBob.size(), 2);
    QCOMPARE(atBob[0].text, QStringLiteral("psst"));
    QCOMPARE(atBob[0].from, QStringLiteral("alice"));
    QCOMPARE(atBob[0].to, std::optional<QString>(QStringLiteral("Bob"))); // the registered nick
    QVERIFY(!atBob[0].seq && !atBob[0].id);

    const auto atAlice = alice->liveMessages();
    QCOMPARE(atAlice.size(), 3); // her copy of psst, the note to herself once, the room message
    QCOMPARE(atAlice[0].id, std::optional<quint64>(5));
    QCOMPARE(atAlice[0].to, std::optional<QString>(QStringLiteral("Bob")));
    QCOMPARE(atAlice[1].text, QStringLiteral("note to self"));
    QCOMPARE(atAlice[1].id, std::optional<quint64>(6));

    const auto atCarol = carol->liveMessages();
    QCOMPARE(atCarol.size(), 1);
    QCOMPARE(atCarol[0].text, QStringLiteral("room"));
}

void TestChat::unknownUserAndTextSizeAreRejectedWithId()
{
    auto config = testConfig();
    config.maxText = 10;
    RunningServer s(config);
    auto alice = s.join(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->send(protocol::Say{QStringLiteral("hi"), QStringLiteral("nobody"), 1});
    alice->send(protocol::Say{QString(), {}, 2});
    alice->send(protocol::Say{QStringLiteral("你好你好"), {}, 3}); // 12 bytes of UTF-8
    alice->send(protocol::Say{QStringLiteral("0123456789"), {}, 4});
    QVERIFY(alice->waitUntil([&] {
        return alice->all<protocol::Error>().size() == 3 && alice->liveMessages().size() == 1;
    }));
    const auto errors = alice->all<protocol::Error>();
    QCOMPARE(errors[0].code, QStringLiteral("unknown-user"));
    QCOMPARE(errors[0].id, std::optional<quint64>(1));
    QCOMPARE(errors[1].code, QStringLiteral("text-size"));
    QCOMPARE(errors[1].id, std::optional<quint64>(2));
    QCOMPARE(errors[2].code, QStringLiteral("text-size"));
    QCOMPARE(errors[2].id, std::optional<quint64>(3));
    for (const auto &e : errors)
        QVERIFY(!e.fatal);
    QCOMPARE(alice->liveMessages().first().id, std::optional<quint64>(4));
}

void TestChat::renameGoesToEveryone()
{
    RunningServer s;
    auto alice = s.join(QStringLiteral("alice"));
    auto bob = s.join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->send(protocol::NickChange{QStringLiteral("alicia")});
    for (auto *c : {alice.get(), bob.get()}) {
        QVERIFY(c->waitUntil([&] { return !c->all<protocol::Rename>().isEmpty(); }));
        QCOMPARE(c->all<protocol::Rename>().first().from, QStringLiteral("alice"));
        QCOMPARE(c->all<protocol::Rename>().first().to, QStringLiteral("alicia"));
    }
    bob->send(protocol::Say{QStringLiteral("hi"), QStringLiteral("ALICIA"), 1});
    QVERIFY(alice->waitUntil([&] { return !alice->liveMessages().isEmpty(); }));
    // The old nick is free again.
    auto other = s.join(QStringLiteral("Alice"));
    QVERIFY(other);
}

void TestChat::nickErrorsAreNotFatal()
{
    RunningServer s;
    auto alice = s.join(QStringLiteral("alice"));
    auto bob = s.join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->send(protocol::NickChange{QStringLiteral("BOB")});
    alice->send(protocol::NickChange{QStringLiteral("not valid")});
    QVERIFY(alice->waitUntil([&] { return alice->all<protocol::Error>().size() == 2; }));
    QCOMPARE(alice->all<protocol::Error>()[0].code, QStringLiteral("nick-taken"));
    QCOMPARE(alice->all<protocol::Error>()[1].code, QStringLiteral("nick-invalid"));
    QVERIFY(!alice->all<protocol::Error>()[0].fatal && !alice->all<protocol::Error>()[1].fatal);
    QVERIFY(alice->isConnected());
}

void TestChat::whoListsTheRoom()
{
    RunningServer s;
    auto alice = s.join(QStringLiteral("alice"));
    auto bob = s.join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    TestClient unregistered;
    QVERIFY(unregistered.connectTo(s.server->port()));
    alice->send(protocol::Who{});
    QVERIFY(alice->waitUntil([&] { return !alice->all<protocol::Users>().isEmpty(); }));
    QCOMPARE(alice->all<protocol::Users>().first().users,
             QStringList({QStringLiteral("alice"), QStringLiteral("bob")}));
}

void TestChat::backlogReplaysRoomMessagesOnly()
{
    auto config = testConfig();
    config.backlog = 3;
    RunningServer s(config);
    auto alice = s.join(QStringLiteral("alice"));
    auto bob = s.join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    for (int i = 1; i <= 5; ++i)
        alice->send(protocol::Say{QStringLiteral("m%1").arg(i), {}, quint64(i)});
    alice->send(protocol::Say{QStringLiteral("secret"), QStringLiteral("bob"), 9});
    QVERIFY(bob->waitUntil([&] { return bob->liveMessages().size() == 6; }));

    auto carol = s.join(QStringLiteral("carol"));
    QVERIFY(carol);
    QVERIFY(carol->waitUntil([&] { return carol->all<protocol::ChatMsg>().size() == 3; }));
    const auto replay = carol->all<protocol::ChatMsg>();
    QCOMPARE(replay[0].text, QStringLiteral("m3")); // oldest first
    QCOMPARE(replay[2].text, QStringLiteral("m5"));
    QCOMPARE(replay[2].seq, std::optional<quint64>(5));
    for (const auto &m : replay) {
        QCOMPARE(m.backlog, std::optional<bool>(true));
        QVERIFY(!m.id);
    }
    // The welcome comes first, the replay after it.
    QVERIFY(std::holds_alternative<protocol::Welcome>(carol->received().first()));
}

// The replay a newcomer gets is the room's last messages at that moment,
// however the messages and joins interleave (the server keeps the joined
// backlog and only adds and cuts frames at its ends between joins).
void TestChat::backlogFollowsTheRoomBetweenJoins()
{
    auto config = testConfig();
    config.backlog = 3;
    RunningServer s(config);
    auto alice = s.join(QStringLiteral("alice"));
    QVERIFY(alice);
    quint64 id = 0;
    const auto say = [&](int count) {
        for (int i = 0; i < count; ++i) {
            ++id;
            alice->send(protocol::Say{QStringLiteral("m%1").arg(id), {}, id});
        }
        return alice->waitUntil([&] { return quint64(alice->liveMessages().size()) == id; });
    };
    const auto replayOf = [&](const QString &nick) {
        QStringList texts;
        auto newcomer = s.join(nick);
        if (newcomer && newcomer->waitUntil([&] {
                return newcomer->all<protocol::ChatMsg>().size() ==
                       qsizetype(std::min<quint64>(id, 3));
            })) {
            for (const auto &m : newcomer->all<protocol::ChatMsg>())
                texts.append(m.text);
        }
        return texts;
    };
    const auto texts = [](std::initializer_list<const char *> list) {
        QStringList out;
        for (const char *text : list)
            out.append(QString::fromLatin1(text));
        return out;
    };
    QVERIFY(say(2));
    QCOMPARE(replayOf(QStringLiteral("b1")), texts({"m1", "m2"}));
    QVERIFY(say(1));
    QCOMPARE(replayOf(QStringLiteral("b2")), texts({"m1", "m2", "m3"}));
    QVERIFY(say(1)); // m1 falls off the front
    QCOMPARE(replayOf(QStringLiteral("b3")), texts({"m2", "m3", "m4"}));
    QCOMPARE(replayOf(QStringLiteral("b4")), texts({"m2", "m3", "m4"}));
    QVERIFY(say(5)); // more than the backlog between two joins
    QCOMPARE(replayOf(QStringLiteral("b5")), texts({"m7", "m8", "m9"}));
}

// Issue: a 30-byte hello bought the whole backlog, 800 KB with a hundred
// messages of 8 KiB. A newcomer now gets the newest that fit in 64 KiB.
void TestChat::backlogReplayIsBoundedInBytes()
{
    auto config = testConfig();
    config.floodRate = 0;
    RunningServer s(config);
    auto alice = s.join(QStringLiteral("alice"));
    QVERIFY(alice);
    const QString text(8000, QLatin1Char('x'));
    for (quint64 id = 1; id <= 100; ++id)
        alice->send(protocol::Say{text, {}, id});
    QVERIFY(alice->waitUntil([&] { return alice->liveMessages().size() == 100; }));

    auto carol = s.join(QStringLiteral("carol"));
    QVERIFY(carol);
    alice->send(protocol::Say{QStringLiteral("live"), {}, 101}); // comes after the replay
    QVERIFY(carol->waitUntil([&] { return !carol->liveMessages().isEmpty(); }));
    QList<protocol::ChatMsg> replay;
    qsizetype replayBytes = 0;
    for (const auto &m : carol->all<protocol::ChatMsg>()) {
        if (m.backlog.value_or(false)) {
            replay.append(m);
            replayBytes += protocol::encodeMessageFrame(m).size();
        }
    }
    QVERIFY2(replayBytes <= config.backlogBytes, qPrintable(QString::number(replayBytes)));
    QCOMPARE(replay.size(), 8);                   // 8,033 bytes each
    for (qsizetype i = 0; i < replay.size(); ++i) // the newest, oldest first
        QCOMPARE(replay[i].seq, std::optional<quint64>(100 - replay.size() + 1 + i));
    QCOMPARE(carol->liveMessages().first().text, QStringLiteral("live"));
}

void TestChat::rateLimitRejectsWithId()
{
    auto config = testConfig();
    config.floodRate = 1;
    config.floodBurst = 3;
    RunningServer s(config);
    auto alice = s.join(QStringLiteral("alice"));
    QVERIFY(alice);
    for (quint64 id = 1; id <= 6; ++id)
        alice->send(protocol::Say{QStringLiteral("x"), {}, id});
    QVERIFY(alice->waitUntil(
        [&] { return alice->liveMessages().size() + alice->all<protocol::Error>().size() == 6; }));
    QCOMPARE(alice->liveMessages().size(), 3);
    const auto errors = alice->all<protocol::Error>();
    QCOMPARE(errors.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(errors[i].code, QStringLiteral("rate-limited"));
        QCOMPARE(errors[i].id, std::optional<quint64>(quint64(4 + i)));
        QVERIFY(!errors[i].fatal);
    }
    // Pings do not count: the connection stays up and answers them.
    alice->send(protocol::Ping{1, 1});
    QVERIFY(alice->waitUntil([&] { return !alice->all<protocol::Pong>().isEmpty(); }));
}

void TestChat::leaveReasons()
{
    RunningServer s;
    auto watcher = s.join(QStringLiteral("watcher"));
    auto quitter = s.join(QStringLiteral("quitter"));
    auto dropper = s.join(QStringLiteral("dropper"));
    QVERIFY(watcher && quitter && dropper);
    quitter->send(protocol::Bye{QStringLiteral("quit"), {}});
    QVERIFY(quitter->waitForClose());
    dropper->socket().abort();
    QVERIFY(watcher->waitUntil([&] { return watcher->all<protocol::Leave>().size() == 2; }));
    const auto leaves = watcher->all<protocol::Leave>();
    QCOMPARE(leaves[0].nick, QStringLiteral("quitter"));
    QCOMPARE(leaves[0].reason, QStringLiteral("quit"));
    QCOMPARE(leaves[1].nick, QStringLiteral("dropper"));
    QCOMPARE(leaves[1].reason, QStringLiteral("closed"));
    QVERIFY(quitter->all<protocol::Leave>().isEmpty()); // no leave of its own
}

void TestChat::kickSaysByeAndTellsTheRoom()
{
    RunningServer s;
    auto watcher = s.join(QStringLiteral("watcher"));
    auto troll = s.join(QStringLiteral("troll"));
    QVERIFY(watcher && troll);
    const quint64 id = troll->all<protocol::Welcome>().first().session;
    s.server->kick(id, QStringLiteral("spam"));
    QVERIFY(troll->waitForClose());
    const auto bye = troll->all<protocol::Bye>();
    QCOMPARE(bye.size(), 1);
    QCOMPARE(bye.first().reason, QStringLiteral("kicked"));
    QCOMPARE(bye.first().text, std::optional<QString>(QStringLiteral("spam")));
    QVERIFY(watcher->waitUntil([&] { return !watcher->all<protocol::Leave>().isEmpty(); }));
    QCOMPARE(watcher->all<protocol::Leave>().first().reason, QStringLiteral("kicked"));
}

void TestChat::shutdownSaysByeToEveryone()
{
    RunningServer s;
    auto a = s.join(QStringLiteral("a"));
    auto b = s.join(QStringLiteral("b"));
    QVERIFY(a && b);
    QSignalSpy finished(s.server.get(), &server::ChatServer::shutdownFinished);
    s.server->shutdown();
    for (auto *c : {a.get(), b.get()}) {
        QVERIFY(c->waitForClose());
        QCOMPARE(c->all<protocol::Bye>().size(), 1);
        QCOMPARE(c->all<protocol::Bye>().first().reason, QStringLiteral("shutdown"));
        QVERIFY(c->all<protocol::Leave>().isEmpty());
    }
    QVERIFY(finished.count() == 1 || finished.wait(3000));
    QVERIFY(!s.server->isListening());
}

QTEST_MAIN(TestChat)
#include "tst_chat.moc"
