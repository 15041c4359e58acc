// History on disk: JSON Lines that survive restarts, torn writes, a full
// disk, and lines that parse but are wrong.

#include "serverfixture.h"

#include "core/historystore.h"
#include "filesizelimit.h"

#include <QTemporaryDir>

using namespace synack;

class TestHistory : public QObject
{
    Q_OBJECT

private slots:
    void restartContinuesSeqAndBacklog();
    void tornLastLineIsSkipped();
    void unreadableFileStopsTheStart();
    void wrongLinesAreRefusedAtLoad_data();
    void wrongLinesAreRefusedAtLoad();
    void failedWriteLeavesTheFileAsItWas();
    void tornEndOnAFullDiskGetsItsNewlineLater();
    void fullDiskLosesNoConfirmedMessage();
};

namespace {

protocol::ChatMsg roomMessage(quint64 seq, const QString &text)
{
    protocol::ChatMsg msg;
    msg.seq = seq;
    msg.from = QStringLiteral("alice");
    msg.text = text;
    msg.ts = 1700000000000;
    return msg;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString numberedText(quint64 id)
{
    return QStringLiteral("message %1 ").arg(id, 3, 10, QLatin1Char('0')) +
           QString(300, QLatin1Char('x'));
}

} // namespace

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
    QVERIFY(store.open(path, 100, 8192, &loaded, &error));
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
    QVERIFY(reread.open(path, 100, 8192, &again, &error));
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

void TestHistory::wrongLinesAreRefusedAtLoad_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason");
    // Each row is the third line, after seq 1 and 2; the line after it is a
    // good seq 3 (taken when the wrong line did not hold seq 3's place).
    QTest::newRow("seq jumps by 10^15")
        << QByteArray(R"({"seq":1000000000000003,"from":"a","text":"x","ts":3})")
        << QStringLiteral("does not follow 2");
    QTest::newRow("seq repeated") << QByteArray(R"({"seq":2,"from":"a","text":"x","ts":3})")
                                  << QStringLiteral("does not follow 2");
    QTest::newRow("seq goes back") << QByteArray(R"({"seq":1,"from":"a","text":"x","ts":3})")
                                   << QStringLiteral("does not follow 2");
    QTest::newRow("seq fractional") << QByteArray(R"({"seq":3.5,"from":"a","text":"x","ts":3})")
                                    << QStringLiteral("not a whole number");
    QTest::newRow("seq negative") << QByteArray(R"({"seq":-3,"from":"a","text":"x","ts":3})")
                                  << QStringLiteral("not a whole number");
    QTest::newRow("seq past 2^53")
        << QByteArray(R"({"seq":18446744073709551615,"from":"a","text":"x","ts":3})")
        << QStringLiteral("not a whole number");
    QTest::newRow("nick with a space") << QByteArray(R"({"seq":3,"from":"a b","text":"x","ts":3})")
                                       << QStringLiteral("not a valid nickname");
    QTest::newRow("nick with a control character")
        << QByteArray(R"({"seq":3,"from":"a\u0007","text":"x","ts":3})")
        << QStringLiteral("not a valid nickname");
    QTest::newRow("nick empty") << QByteArray(R"({"seq":3,"from":"","text":"x","ts":3})")
                                << QStringLiteral("not a valid nickname");
    QTest::newRow("text empty") << QByteArray(R"({"seq":3,"from":"a","text":"","ts":3})")
                                << QStringLiteral("text of 0 bytes");
    QTest::newRow("text over max_text") << (QByteArray(R"({"seq":3,"from":"a","text":")") +
                                            QByteArray(65, 'x') + QByteArray(R"(","ts":3})"))
                                        << QStringLiteral("text of 65 bytes");
    QTest::newRow("text with a lone surrogate")
        << QByteArray(R"({"seq":3,"from":"a","text":"\ud800","ts":3})")
        << QStringLiteral("bytes of UTF-8");
    QTest::newRow("ts fractional") << QByteArray(R"({"seq":3,"from":"a","text":"x","ts":3.5})")
                                   << QStringLiteral("ts is not a whole number");
}

void TestHistory::wrongLinesAreRefusedAtLoad()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("wrong.jsonl"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"seq":1,"from":"a","text":"one","ts":1})"
                   "\n"
                   R"({"seq":2,"from":"a","text":"two","ts":2})"
                   "\n" +
                   line +
                   "\n"
                   R"({"seq":3,"from":"a","text":"three","ts":4})"
                   "\n");
    }
    server::HistoryStore store;
    server::HistoryStore::LoadResult loaded;
    QString error;
    QVERIFY(store.open(path, 100, 64, &loaded, &error));
    // A wrong line whose seq is in order holds its place, so the good seq 3
    // after it is then a repeat, refused too: nothing wrong is replayed.
    const bool heldThree = line.contains(R"("seq":3,)");
    QCOMPARE(loaded.warnings.size(), heldThree ? 2 : 1);
    QVERIFY2(loaded.warnings.first().startsWith(path + QStringLiteral(":3: skipped a wrong line")),
             qPrintable(loaded.warnings.first()));
    QVERIFY2(loaded.warnings.first().contains(reason), qPrintable(loaded.warnings.first()));
    QStringList texts;
    for (const auto &msg : std::as_const(loaded.lastMessages))
        texts << msg.text;
    QStringList expected{QStringLiteral("one"), QStringLiteral("two")};
    if (!heldThree)
        expected << QStringLiteral("three");
    QCOMPARE(texts, expected);
    QCOMPARE(loaded.lastSeq, 3u); // the room goes on from seq 4 either way
}

void TestHistory::failedWriteLeavesTheFileAsItWas()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("full.jsonl"));
    server::HistoryStore store;
    server::HistoryStore::LoadResult loaded;
    QString error;
    QVERIFY(store.open(path, 100, 8192, &loaded, &error));
    const QString text(200, QLatin1Char('x'));
    QVERIFY(store.append(roomMessage(1, text)));
    const qint64 lineLength = QFileInfo(path).size();

    {
        // Room for two more lines and half of a third.
        FileSizeLimit limit(lineLength * 3 + lineLength / 2);
        QVERIFY(store.append(roomMessage(2, text)));
        QVERIFY(store.append(roomMessage(3, text)));
        QString problem;
        QVERIFY(!store.append(roomMessage(4, text), &problem)); // half of it fits
        QVERIFY(!problem.isEmpty());
        QCOMPARE(QFileInfo(path).size(), lineLength * 3); // and is cut off again
        QVERIFY(!store.append(roomMessage(4, text)));
        QCOMPARE(QFileInfo(path).size(), lineLength * 3);
    }
    // Once there is room again, the next line starts where the failed one did.
    QVERIFY(store.append(roomMessage(4, text)));
    QCOMPARE(readAll(path).count('\n'), 4);
    server::HistoryStore reread;
    server::HistoryStore::LoadResult again;
    QVERIFY(reread.open(path, 100, 8192, &again, &error));
    QCOMPARE(again.warnings, QStringList());
    QCOMPARE(again.lastSeq, 4u);
    QCOMPARE(again.lastMessages.size(), 4);
}

// A torn last line whose newline the full disk refuses at start: the first
// line stored later brings the newline, so it does not fuse with the torn one.
void TestHistory::tornEndOnAFullDiskGetsItsNewlineLater()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("torn.jsonl"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"seq\":1,\"from\":\"a\",\"text\":\"one\",\"ts\":1}\n{\"seq\":2,\"fr");
    }
    server::HistoryStore store;
    server::HistoryStore::LoadResult loaded;
    QString error;
    {
        FileSizeLimit full(QFileInfo(path).size());
        QVERIFY(store.open(path, 100, 8192, &loaded, &error));
        QVERIFY(!store.append(roomMessage(2, QStringLiteral("two"))));
    }
    QVERIFY(store.append(roomMessage(2, QStringLiteral("two"))));
    server::HistoryStore reread;
    server::HistoryStore::LoadResult again;
    QVERIFY(reread.open(path, 100, 8192, &again, &error));
    QCOMPARE(again.lastSeq, 2u);
    QCOMPARE(again.lastMessages.last().text, QStringLiteral("two"));
    QCOMPARE(again.warnings.size(), 1); // the torn line, and only it
}

// docs/protocol.md, "History on disk": a room message is relayed and
// confirmed only once it is stored; one the disk refused is an error to its
// sender, unseen by the room, and said once in the log.
void TestHistory::fullDiskLosesNoConfirmedMessage()
{
    QTemporaryDir dir;
    auto config = testConfig();
    config.historyFile = dir.filePath(QStringLiteral("room.jsonl"));
    config.floodRate = 0;
    QSet<quint64> confirmed;
    QSet<quint64> refused;
    QStringList warnings;
    {
        RunningServer s(config);
        QVERIFY(s.started);
        QObject::connect(s.server.get(), &server::ChatServer::warning,
                         [&](const QString &text) { warnings << text; });
        auto alice = s.join(QStringLiteral("alice"));
        auto bob = s.join(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        // Sends one say and waits for its answer: its msg or its error.
        const auto say = [&](quint64 id) {
            alice->send(protocol::Say{numberedText(id), {}, id});
            const auto answered = [&] {
                for (const auto &msg : alice->liveMessages()) {
                    if (msg.id == id)
                        confirmed.insert(id);
                }
                for (const auto &e : alice->all<protocol::Error>()) {
                    if (e.id == id)
                        refused.insert(id);
                }
                return confirmed.contains(id) || refused.contains(id);
            };
            return alice->waitUntil(answered);
        };
        QVERIFY(say(1));
        QVERIFY(say(2));
        const qint64 twoLines = QFileInfo(config.historyFile).size();
        quint64 id = 3;
        {
            // The disk fills up after the tenth message, in the middle of the
            // eleventh; twenty are refused while it stays full.
            FileSizeLimit full(twoLines * 5 + twoLines / 4);
            for (; id <= 30; ++id)
                QVERIFY(say(id));
        }
        // Room again: the next messages are stored and confirmed.
        for (; id <= 35; ++id)
            QVERIFY(say(id));

        QCOMPARE(confirmed.size() + refused.size(), 35);
        QCOMPARE(refused.size(), 20);
        QVERIFY(!refused.contains(10) && refused.contains(11) && refused.contains(30));
        for (const auto &e : alice->all<protocol::Error>()) {
            QCOMPARE(e.code, QStringLiteral("rate-limited"));
            QVERIFY(!e.fatal);
            QVERIFY2(e.text.contains(QStringLiteral("could not store")), qPrintable(e.text));
        }
        // Said once when it failed, once when it worked again.
        QCOMPARE(warnings.size(), 2);
        QVERIFY2(warnings[0].contains(QStringLiteral("cannot store messages")),
                 qPrintable(warnings[0]));
        QVERIFY2(warnings[1].contains(QStringLiteral("takes messages again")),
                 qPrintable(warnings[1]));
        // The room saw exactly the confirmed ones, their seqs without gaps.
        QVERIFY(bob->waitUntil([&] { return bob->liveMessages().size() == confirmed.size(); }));
        const auto seen = bob->liveMessages();
        for (int i = 0; i < seen.size(); ++i)
            QCOMPARE(seen[i].seq, std::optional<quint64>(i + 1));
    }

    // After a restart every confirmed message is there, and no refused one.
    RunningServer again(config);
    QVERIFY(again.started);
    auto carol = again.join(QStringLiteral("carol"));
    QVERIFY(carol);
    QVERIFY(carol->waitUntil(
        [&] { return carol->all<protocol::ChatMsg>().size() == confirmed.size(); }));
    QSet<quint64> replayed;
    for (const auto &msg : carol->all<protocol::ChatMsg>())
        replayed.insert(msg.text.mid(8, 3).toULongLong());
    QCOMPARE(replayed, confirmed);
    const QByteArray file = readAll(config.historyFile);
    QCOMPARE(file.count('\n'), confirmed.size());
    for (const quint64 id : std::as_const(refused))
        QVERIFY(!file.contains(numberedText(id).left(12).toUtf8()));
}

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
