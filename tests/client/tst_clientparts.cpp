// The client core's small pure parts: no sockets, no event loop.

#include "commandparser.h"
#include "pendingmessages.h"
#include "reconnectbackoff.h"
#include "roomsequence.h"
#include "roundtripstats.h"
#include "userlist.h"

#include <QTest>

using namespace synack::client;
using namespace std::chrono_literals;
using us = std::chrono::microseconds;

class TestClientParts : public QObject
{
    Q_OBJECT

private slots:
    void pendingMessagesLeaveOnceInOrder();
    void roundTripStatsOverASlidingWindow();
    void backoffDoublesToTheCap();
    void backoffJitterStaysInBounds();
    void userListIsCaseInsensitive();
    void roomSequenceFindsGapsAndRepeats();
    void parseCommands_data();
    void parseCommands();
};

void TestClientParts::pendingMessagesLeaveOnceInOrder()
{
    PendingMessages pending;
    for (quint64 id : {3, 1, 2})
        pending.add({id, QStringLiteral("text %1").arg(id), std::nullopt});
    pending.add({4, QStringLiteral("private"), QStringLiteral("bob")});
    QCOMPARE(pending.count(), 4);

    const auto two = pending.take(2);
    QVERIFY(two);
    QCOMPARE(two->text, QStringLiteral("text 2"));
    QVERIFY(!pending.take(2)); // only once
    QVERIFY(!pending.take(99));
    QVERIFY(!pending.contains(2));

    const auto rest = pending.takeAll();
    QCOMPARE(rest.size(), 3);
    QCOMPARE(rest.at(0).id, 1u); // oldest first
    QCOMPARE(rest.at(1).id, 3u);
    QCOMPARE(rest.at(2).to, QStringLiteral("bob"));
    QVERIFY(pending.isEmpty());
}

void TestClientParts::roundTripStatsOverASlidingWindow()
{
    RoundTripStats stats(4);
    QVERIFY(stats.isEmpty());
    QCOMPARE(stats.average(), us(0));
    QCOMPARE(stats.jitter(), us(0));

    stats.add(us(1000));
    QCOMPARE(stats.last(), us(1000));
    QCOMPARE(stats.jitter(), us(0)); // one sample has no jitter
    for (int sample : {3000, 2000, 6000})
        stats.add(us(sample));
    QCOMPARE(stats.count(), 4);
    QCOMPARE(stats.average(), us(3000));
    QCOMPARE(stats.jitter(), us((2000 + 1000 + 4000) / 3));
    QCOMPARE(stats.min(), us(1000));
    QCOMPARE(stats.max(), us(6000));

    stats.add(us(6000)); // the 1000 falls out of the window
    QCOMPARE(stats.count(), 4);
    QCOMPARE(stats.min(), us(2000));
    QCOMPARE(stats.average(), us((3000 + 2000 + 6000 + 6000) / 4));
    QCOMPARE(stats.jitter(), us((1000 + 4000 + 0) / 3));
    QCOMPARE(stats.last(), us(6000));
}

void TestClientParts::backoffDoublesToTheCap()
{
    ReconnectBackoff backoff(1s, 30s, [] { return 0.5; }); // 0.5: no jitter
    QList<qint64> delays;
    for (int i = 0; i < 8; ++i)
        delays.append(backoff.next().count());
    QCOMPARE(delays, (QList<qint64>{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
    backoff.reset();
    QCOMPARE(backoff.next(), 1000ms);

    // Many failures in a row never overflow.
    for (int i = 0; i < 10000; ++i)
        backoff.next();
    QCOMPARE(backoff.next(), 30000ms);
}

void TestClientParts::backoffJitterStaysInBounds()
{
    double r = 0.0;
    ReconnectBackoff backoff(100ms, 1000ms, [&r] { return r; });
    r = 0.0; // lowest: -20%, but never below the base
    QCOMPARE(backoff.next(), 100ms);
    r = 0.0;
    QCOMPARE(backoff.next(), 160ms); // 200 * 0.8
    r = 0.999999;
    QCOMPARE(backoff.next(), 480ms); // 400 * 1.2
    r = 0.999999;
    for (int i = 0; i < 5; ++i)
        QVERIFY(backoff.next() <= 1000ms); // never above the cap

    // With the real random source, every delay is within [base, max].
    ReconnectBackoff real(1s, 30s);
    for (int i = 0; i < 50; ++i) {
        const auto delay = real.next();
        QVERIFY(delay >= 1s && delay <= 30s);
    }
}

void TestClientParts::userListIsCaseInsensitive()
{
    UserList users;
    users.reset({QStringLiteral("bob"), QStringLiteral("Alice"), QStringLiteral("小明")});
    QCOMPARE(users.nicks(),
             (QStringList{QStringLiteral("Alice"), QStringLiteral("bob"), QStringLiteral("小明")}));
    QVERIFY(users.contains(QStringLiteral("ALICE")));
    QVERIFY(!users.add(QStringLiteral("bob")));
    QVERIFY(users.add(QStringLiteral("carol")));
    QVERIFY(users.remove(QStringLiteral("BOB")));
    QVERIFY(!users.remove(QStringLiteral("bob")));
    QVERIFY(users.rename(QStringLiteral("alice"), QStringLiteral("ALICE"))); // case only
    QCOMPARE(users.nicks(), (QStringList{QStringLiteral("ALICE"), QStringLiteral("carol"),
                                         QStringLiteral("小明")}));
    QVERIFY(users.rename(QStringLiteral("carol"), QStringLiteral("caro")));
    QVERIFY(!users.contains(QStringLiteral("carol")));
    QCOMPARE(users.count(), 3);
}

void TestClientParts::roomSequenceFindsGapsAndRepeats()
{
    const auto from = QStringLiteral("bob");
    RoomSequence sequence;
    QVERIFY(!sequence.accept(10, from, QStringLiteral("a"), 1, true).missedFrom); // first: any seq
    QVERIFY(!sequence.accept(11, from, QStringLiteral("b"), 2, false).missedFrom);
    const auto gap = sequence.accept(14, from, QStringLiteral("c"), 3, false);
    QCOMPARE(gap.missedFrom, 12u);
    QVERIFY(!gap.duplicate);

    // A reconnect replays history: what we saw is a repeat, the rest is new.
    QVERIFY(sequence.accept(11, from, QStringLiteral("b"), 2, true).duplicate);
    QVERIFY(sequence.accept(14, from, QStringLiteral("c"), 3, true).duplicate);
    const auto fresh = sequence.accept(15, from, QStringLiteral("d"), 4, true);
    QVERIFY(!fresh.duplicate && !fresh.missedFrom);

    // A live message is never dropped, and a server that lost its history
    // starts a new numbering without a false gap.
    const auto restarted = sequence.accept(1, from, QStringLiteral("new"), 9, true);
    QVERIFY(!restarted.duplicate && !restarted.missedFrom);
    QCOMPARE(sequence.expected(), 2u);
}

void TestClientParts::parseCommands_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("text");
    using K = Command::Kind;
    const auto row = [](const char *name, const QString &line, K kind, const QString &target,
                        const QString &text) {
        QTest::newRow(name) << line << int(kind) << target << text;
    };
    const QString none;
    row("text", QStringLiteral("hello  there "), K::Say, none, QStringLiteral("hello  there "));
    row("blank", QStringLiteral("   "), K::Empty, none, none);
    row("slash text", QStringLiteral("//etc/hosts"), K::Say, none, QStringLiteral("/etc/hosts"));
    row("lone slash", QStringLiteral("/"), K::Say, none, QStringLiteral("/"));
    row("msg", QStringLiteral("/msg bob  hi there"), K::Private, QStringLiteral("bob"),
        QStringLiteral("hi there"));
    row("msg upper", QStringLiteral("/MSG bob x"), K::Private, QStringLiteral("bob"),
        QStringLiteral("x"));
    row("msg no text", QStringLiteral("/msg bob"), K::Invalid, none, none);
    row("nick", QStringLiteral("/nick 小明"), K::Nick, QStringLiteral("小明"), none);
    row("nick two words", QStringLiteral("/nick a b"), K::Invalid, none, none);
    row("nick none", QStringLiteral("/nick"), K::Invalid, none, none);
    row("who", QStringLiteral("/who"), K::Who, none, none);
    row("quit", QStringLiteral("/quit"), K::Quit, none, none);
    row("quit reason", QStringLiteral("/quit gone fishing"), K::Quit, none,
        QStringLiteral("gone fishing"));
    row("unknown", QStringLiteral("/dance"), K::Invalid, none, none);
}

void TestClientParts::parseCommands()
{
    QFETCH(QString, line);
    QFETCH(int, kind);
    QFETCH(QString, target);
    QFETCH(QString, text);
    const Command command = parseCommand(line);
    QCOMPARE(int(command.kind), kind);
    QCOMPARE(command.target, target);
    if (command.kind == Command::Kind::Invalid)
        QVERIFY(!command.error.isEmpty());
    else
        QCOMPARE(command.text, text);
}

QTEST_APPLESS_MAIN(TestClientParts)
#include "tst_clientparts.moc"
