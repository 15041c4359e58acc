// The history on a real full disk: a 64 KiB tmpfs, mounted in a mount
// namespace of the test's own (root only; skipped otherwise), where the real
// server process runs and fills it. Every message whose msg with its id the
// sender got survives a restart; every other one got an error; the log says
// so once, and once more when there is room again (docs/protocol.md,
// "History on disk").

#include "serverprocess.h"
#include "testclient.h"

#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace synack;

class TestHistoryDisk : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void fullTmpfsLosesNoConfirmedMessage();

private:
    // Runs `command` (sh) inside the namespace that holds the tmpfs.
    bool inNamespace(const QString &command);
    QStringList launcher() const;

    QTemporaryDir m_dir;
    QString m_mountPoint;
    QProcess m_holder; // keeps the namespace, and so the tmpfs, alive
};

QStringList TestHistoryDisk::launcher() const
{
    return {QStringLiteral("nsenter"), QStringLiteral("--target"),
            QString::number(m_holder.processId()), QStringLiteral("--mount"), QStringLiteral("--")};
}

bool TestHistoryDisk::inNamespace(const QString &command)
{
    QProcess sh;
    sh.start(launcher().first(),
             launcher().mid(1) + QStringList{QStringLiteral("sh"), QStringLiteral("-c"), command});
    return sh.waitForFinished(10000) && sh.exitStatus() == QProcess::NormalExit &&
           sh.exitCode() == 0;
}

void TestHistoryDisk::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("mounting a tmpfs needs root (CI runs the tests as root)");
    if (QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("nsenter")).isEmpty())
        QSKIP("needs unshare and nsenter (util-linux)");
    QVERIFY(m_dir.isValid());
    m_mountPoint = m_dir.filePath(QStringLiteral("disk"));
    QVERIFY(QDir().mkpath(m_mountPoint));
    // 16 pages; 16 KiB of them taken by a file the test removes later, to
    // make room again. The holder waits on its stdin, so it ends with the
    // test even if the test crashes.
    const QString script =
        QStringLiteral("mount -t tmpfs -o size=64k synack-test '%1' && "
                       "head -c 16384 /dev/zero > '%1/filler' && echo ready && read _")
            .arg(m_mountPoint);
    m_holder.start(QStringLiteral("unshare"),
                   {QStringLiteral("--mount"), QStringLiteral("--propagation"),
                    QStringLiteral("private"), QStringLiteral("sh"), QStringLiteral("-c"), script});
    QVERIFY(m_holder.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_holder.canReadLine() || m_holder.state() == QProcess::NotRunning,
                             10000);
    if (!m_holder.readLine().startsWith("ready"))
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs in a mount namespace here: %1")
                             .arg(QString::fromLocal8Bit(m_holder.readAllStandardError()))));
}

void TestHistoryDisk::cleanupTestCase()
{
    if (m_holder.state() != QProcess::NotRunning) {
        m_holder.kill();
        m_holder.waitForFinished(5000);
    }
}

void TestHistoryDisk::fullTmpfsLosesNoConfirmedMessage()
{
    const QString history = m_mountPoint + QStringLiteral("/room.jsonl");
    ServerProcess server({QStringLiteral("--history"), history, QStringLiteral("--flood-rate"),
                          QStringLiteral("0"), QStringLiteral("--backlog"),
                          QStringLiteral("1000")});
    server.setLauncher(launcher());
    QVERIFY(server.start());

    TestClient alice;
    QVERIFY(alice.connectTo(server.port()));
    QVERIFY(alice.registerAs(QStringLiteral("alice")));
    QSet<quint64> confirmed;
    QSet<quint64> refused;
    const auto textOf = [](quint64 id) -> QString {
        return QStringLiteral("message %1 ").arg(id, 4, 10, QLatin1Char('0')) +
               QString(1000, QLatin1Char('x'));
    };
    // Sends one say and waits for its msg or its error.
    const auto say = [&](quint64 id) {
        alice.send(protocol::Say{textOf(id), {}, id});
        return alice.waitUntil([&] {
            for (const auto &msg : alice.liveMessages()) {
                if (msg.id == id)
                    confirmed.insert(id);
            }
            for (const auto &e : alice.all<protocol::Error>()) {
                if (e.id == id)
                    refused.insert(id);
            }
            return confirmed.contains(id) || refused.contains(id);
        });
    };
    const auto storeWarnings = [&](const QString &words) {
        int n = 0;
        for (const QJsonObject &e : server.events()) {
            n += e.value(QLatin1StringView("event")).toString() == QLatin1StringView("warning") &&
                 e.value(QLatin1StringView("text")).toString().contains(words);
        }
        return n;
    };

    // 48 KiB free: some forty lines of a kilobyte, then the disk is full.
    // Ten refusals in a row after that, within at most 100 messages.
    quint64 id = 1;
    for (; id <= 100 && refused.size() < 10; ++id)
        QVERIFY(say(id));
    QCOMPARE(refused.size(), 10);
    QVERIFY2(confirmed.size() >= 30, qPrintable(QString::number(confirmed.size())));
    for (const auto &e : alice.all<protocol::Error>()) {
        QCOMPARE(e.code, QStringLiteral("rate-limited"));
        QVERIFY(!e.fatal);
        QVERIFY2(e.text.contains(QStringLiteral("No space left on device")), qPrintable(e.text));
    }
    QTRY_COMPARE(storeWarnings(QStringLiteral("cannot store messages")), 1);

    // Room again: the next message is stored and confirmed, and the log says
    // it once.
    QVERIFY(inNamespace(QStringLiteral("rm '%1/filler'").arg(m_mountPoint)));
    QVERIFY(say(id));
    QVERIFY(confirmed.contains(id));
    QTRY_COMPARE(storeWarnings(QStringLiteral("takes messages again")), 1);
    QCOMPARE(storeWarnings(QStringLiteral("cannot store messages")), 1);

    // A hard kill and a restart: everything confirmed is replayed, nothing
    // refused, and the file has no torn or wrong line to skip.
    QVERIFY(server.restart());
    QCOMPARE(storeWarnings(QStringLiteral("skipped")), 0);
    TestClient bob;
    QVERIFY(bob.connectTo(server.port()));
    QVERIFY(bob.registerAs(QStringLiteral("bob")));
    QVERIFY(bob.waitUntil([&] { return bob.all<protocol::ChatMsg>().size() == confirmed.size(); }));
    QSet<quint64> replayed;
    quint64 seq = 0;
    for (const auto &msg : bob.all<protocol::ChatMsg>()) {
        replayed.insert(msg.text.mid(8, 4).toULongLong());
        QCOMPARE(msg.seq, std::optional<quint64>(++seq)); // no gap where refusals were
    }
    QCOMPARE(replayed, confirmed);
    qInfo("%lld confirmed and %lld refused before the disk had room again",
          qint64(confirmed.size() - 1), qint64(refused.size()));
}

QTEST_MAIN(TestHistoryDisk)
#include "tst_historydisk.moc"
