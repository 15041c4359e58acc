// The synack-server program: command line, signals, restarts.

#include "serverprocess.h"
#include "testclient.h"

#include "net/kernelprobe.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace synack;

class TestServerProcess : public QObject
{
    Q_OBJECT

private slots:
    void badValuesExitWithTwo_data();
    void badValuesExitWithTwo();
    void sigtermSaysShutdownAndExitsZero();
    void historySurvivesARestart();
    void jsonLogTellsTheStory();
    void jsonLogShowsKernelStatesOfADisconnectingClient();
};

void TestServerProcess::badValuesExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("port") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")}
                          << QStringLiteral("--port");
    QTest::newRow("max-clients") << QStringList{QStringLiteral("--max-clients"),
                                                QStringLiteral("-1")}
                                 << QStringLiteral("--max-clients");
    QTest::newRow("flood-rate") << QStringList{QStringLiteral("--flood-rate"),
                                               QStringLiteral("fast")}
                                << QStringLiteral("--flood-rate");
    QTest::newRow("bind") << QStringList{QStringLiteral("--bind"), QStringLiteral("not-an-ip")}
                          << QStringLiteral("--bind");
    QTest::newRow("log-format") << QStringList{QStringLiteral("--log-format"),
                                               QStringLiteral("xml")}
                                << QStringLiteral("--log-format");
    QTest::newRow("timeout below heartbeat")
        << QStringList{QStringLiteral("--heartbeat-ms"), QStringLiteral("500"),
                       QStringLiteral("--timeout-ms"), QStringLiteral("400")}
        << QStringLiteral("--timeout-ms");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--colour")} << QStringLiteral("colour");
}

void TestServerProcess::badValuesExitWithTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    QProcess p;
    p.start(ServerProcess::serverBinary(), QStringList{QStringLiteral("--headless")} + args);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(named), qPrintable(err));
}

void TestServerProcess::sigtermSaysShutdownAndExitsZero()
{
    ServerProcess server;
    QVERIFY(server.start());
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<TestClient>());
        QVERIFY(clients.back()->connectTo(server.port()));
        QVERIFY(clients.back()->registerAs(QStringLiteral("c%1").arg(i)));
    }
    server.terminate();
    for (auto &c : clients) {
        QVERIFY(c->waitForClose());
        QCOMPARE(c->all<protocol::Bye>().size(), 1);
        QCOMPARE(c->all<protocol::Bye>().first().reason, QStringLiteral("shutdown"));
    }
    QVERIFY(server.waitForExit());
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
}

void TestServerProcess::historySurvivesARestart()
{
    QTemporaryDir dir;
    ServerProcess server({QStringLiteral("--history"), dir.filePath(QStringLiteral("h.jsonl"))});
    QVERIFY(server.start());
    {
        TestClient alice;
        QVERIFY(alice.connectTo(server.port()));
        QVERIFY(alice.registerAs(QStringLiteral("alice")));
        for (int i = 1; i <= 5; ++i)
            alice.send(protocol::Say{QStringLiteral("m%1").arg(i), {}, quint64(i)});
        QVERIFY(alice.waitUntil([&] { return alice.liveMessages().size() == 5; }));
    }
    // A hard kill: only what was flushed before relaying can survive.
    QVERIFY(server.restart());
    TestClient bob;
    QVERIFY(bob.connectTo(server.port()));
    QVERIFY(bob.registerAs(QStringLiteral("bob")));
    QVERIFY(bob.waitUntil([&] { return bob.all<protocol::ChatMsg>().size() == 5; }));
    QCOMPARE(bob.all<protocol::ChatMsg>().last().seq, std::optional<quint64>(5));
    bob.send(protocol::Say{QStringLiteral("m6"), {}, 6});
    QVERIFY(bob.waitUntil([&] { return bob.liveMessages().size() == 1; }));
    QCOMPARE(bob.liveMessages().first().seq, std::optional<quint64>(6));
}

void TestServerProcess::jsonLogTellsTheStory()
{
    ServerProcess server;
    QVERIFY(server.start());
    TestClient alice;
    QVERIFY(alice.connectTo(server.port()));
    QVERIFY(alice.registerAs(QStringLiteral("alice")));
    QVERIFY(server.waitForEvent(QStringLiteral("registered"), 5000, [](const QJsonObject &e) {
        return e.value(QLatin1StringView("nick")).toString() == QLatin1StringView("alice");
    }));
    alice.send(protocol::Bye{QStringLiteral("quit"), {}});
    QVERIFY(server.waitForEvent(QStringLiteral("left"), 5000, [](const QJsonObject &e) {
        return e.value(QLatin1StringView("reason")).toString() == QLatin1StringView("quit");
    }));
    QVERIFY(server.waitForEvent(QStringLiteral("closed"), 5000));
    for (const QJsonObject &e : server.events())
        QVERIFY(e.contains(QLatin1StringView("ts")));
}

void TestServerProcess::jsonLogShowsKernelStatesOfADisconnectingClient()
{
    QString whyNot;
    if (!net::KernelProbe::isAvailable(&whyNot))
        QSKIP(qPrintable(QStringLiteral("kernel TCP states are not available here: ") + whyNot));
    ServerProcess server;
    QVERIFY(server.start());
    QVERIFY(server.waitForEvent(QStringLiteral("kernel-state"), 5000, [](const QJsonObject &e) {
        return e.value(QLatin1StringView("session")).toInt() == 0 &&
               e.value(QLatin1StringView("to")).toString() == QLatin1StringView("LISTEN");
    }));

    TestClient alice;
    QVERIFY(alice.connectTo(server.port()));
    QVERIFY(alice.registerAs(QStringLiteral("alice")));
    const qint64 session = qint64(alice.all<protocol::Welcome>().first().session);
    // As PROTOCOL.md section 7 has it: bye, then this side's FIN.
    alice.send(protocol::Bye{QStringLiteral("quit"), {}});
    alice.socket().disconnectFromHost();
    QVERIFY(alice.waitForClose());

    const auto ofSession = [session](const QJsonObject &e) {
        return e.value(QLatin1StringView("session")).toInteger() == session;
    };
    // The server is the passive closer (CLOSE_WAIT, LAST_ACK, CLOSED), unless
    // both FINs crossed on the wire (CLOSING, TIME_WAIT): both are textbook.
    const auto isEnd = [](const QJsonObject &e) {
        const QString to = e.value(QLatin1StringView("to")).toString();
        return to == QLatin1StringView("CLOSED") || to == QLatin1StringView("TIME_WAIT");
    };
    QVERIFY(server.waitForEvent(QStringLiteral("kernel-state"), 5000,
                                [&](const QJsonObject &e) { return ofSession(e) && isEnd(e); }));
    QStringList path;
    for (const QJsonObject &e : server.events()) {
        if (e.value(QLatin1StringView("event")).toString() != QLatin1StringView("kernel-state") ||
            !ofSession(e))
            continue;
        for (const QJsonValue &passed : e.value(QLatin1StringView("passed")).toArray())
            path.append(passed.toString());
        path.append(e.value(QLatin1StringView("to")).toString());
    }
    QVERIFY2(path.contains(QStringLiteral("ESTABLISHED")), qPrintable(path.join(u' ')));
    QVERIFY2(path.contains(QStringLiteral("LAST_ACK")) || path.contains(QStringLiteral("CLOSING")),
             qPrintable(path.join(u' ')));
    QVERIFY2(path.last() == QStringLiteral("CLOSED") || path.last() == QStringLiteral("TIME_WAIT"),
             qPrintable(path.join(u' ')));
}

QTEST_MAIN(TestServerProcess)
#include "tst_serverprocess.moc"
