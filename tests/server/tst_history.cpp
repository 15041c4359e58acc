// History on disk: JSON Lines that survive restarts and torn writes.

#include "serverfixture.h"

#include "core/historystore.h"

#include <QTemporaryDir>

using namespace synack;

class TestHistory : public QObject
{
    Q_OBJECT

private slots:
    void restartContinuesSeqAndBacklog();
    void tornLastLineIsSkipped();
    void unreadableFileStopsTheStart();
};

void TestHistory::restartContinuesSeqAndBacklog()
{
    QTemporaryDir dir;
    auto config = testConfig();
    config.historyFile = dir.filePath(QStringLiteral("room.jsonl"));
    config.backlog = 2;
    {
        RunningServer s(config);
        QVERIFY(s.started);
        auto alice = s.join(QStringLiteral("alice"));
        QVERIFY(alice);
        for (int i = 1; i <= 3; ++i)
            alice->send(protocol::Say{QStringLiteral("before %1").arg(i), {}, quint64(i)});
        alice->send(protocol::Say{QStringLiteral("private"), QStringLiteral("alice"), 9});
        QVERIFY(alice->waitUntil([&] { return alice->liveMessages().size() == 4; }));
    }
    QFile file(config.historyFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 3); // room messages only

    RunningServer again(config);
    QVERIFY(again.started);
    auto bob = again.join(QStringLiteral("bob"));
    QVERIFY(bob);
    QVERIFY(bob->waitUntil([&] { return bob->all<protocol::ChatMsg>().size() == 2; }));
    const auto replay = bob->all<protocol::ChatMsg>();
    QCOMPARE(replay[0].text, QStringLiteral("before 2"));
    QCOMPARE(replay[1].seq, std::optional<quint64>(3));
    QCOMPARE(replay[1].from, QStringLiteral("alice"));
    bob->send(protocol::Say{QStringLiteral("after"), {}, 1});
    QVERIFY(bob->waitUntil([&] { return bob->liveMessages().size() == 1; }));
    QCOMPARE(bob->liveMessages().first().seq, std::optional<quint64>(4));
}

void TestHistory::tornLastLineIsSkipped()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("torn.jsonl"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"seq\":1,\"from\":\"a\",\"text\":\"one\",\"ts\":1}\n"
                   "{\"seq\":2,\"from\":\"a\",\"text\":\"two\",\"ts\":2}\n"
                   "{\"seq\":3,\"from\":\"a\",\"te"); // the power went out here
    }
    server::HistoryStore store;
    server::HistoryStore::LoadResult loaded;
    QString error;
    QVERIFY(store.open(path, 100, &loaded, &error));
    QCOMPARE(loaded.lastSeq, 2u);
    QCOMPARE(loaded.lastMessages.size(), 2);
    QCOMPARE(loaded.warnings.size(), 1);
    QVERIFY(loaded.warnings.first().contains(QStringLiteral("torn")));

    protocol::ChatMsg next;
    next.seq = 3;
    next.from = QStringLiteral("b");
    next.text = QStringLiteral("three");
    next.ts = 3;
    QVERIFY(store.append(next));

    server::HistoryStore reread;
    server::HistoryStore::LoadResult again;
    QVERIFY(reread.open(path, 100, &again, &error));
    QCOMPARE(again.lastSeq, 3u); // the new line did not fuse with the torn one
    QCOMPARE(again.lastMessages.last().text, QStringLiteral("three"));
}

void TestHistory::unreadableFileStopsTheStart()
{
    auto config = testConfig();
    config.historyFile = QStringLiteral("/nonexistent-dir/history.jsonl");
    server::ChatServer server(config);
    QString error;
    QVERIFY(!server.start(&error));
    QVERIFY(error.contains(QStringLiteral("history")));
}

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
