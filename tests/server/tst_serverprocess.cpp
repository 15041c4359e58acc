// The synack-server program: command line, signals, restarts.

#include "serverprocess.h"
#include "testclient.h"

#include "net/kernelprobe.h"

#include <QCborMap>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/resource.h>
#endif

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
    void textLogStampsLinesWithLocalTime();
    void textLogTellsAConnectionsStory();
    void logShowsWhatPeersChoseAsOneLineEach_data();
    void logShowsWhatPeersChoseAsOneLineEach();
    void outOfDescriptorsTheServerWaitsThenServesAgain();
    void hangupRereadsMotdAndPasswordKeepingClients();
};

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(content) == content.size();
}

} // namespace

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
    // Who closes first is a race between alice's FIN and the server's answer
    // to her bye; each outcome is textbook: the server closes passively
    // (CLOSE_WAIT, LAST_ACK, CLOSED), both FINs cross (CLOSING, TIME_WAIT), or
    // the server's FIN wins (FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT).
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
    const bool passive =
        path.contains(QStringLiteral("LAST_ACK")) && path.last() == QStringLiteral("CLOSED");
    const bool crossed =
        path.contains(QStringLiteral("CLOSING")) && path.last() == QStringLiteral("TIME_WAIT");
    const bool active =
        path.contains(QStringLiteral("FIN_WAIT_2")) && path.last() == QStringLiteral("TIME_WAIT");
    QVERIFY2(passive || crossed || active, qPrintable(path.join(u' ')));
}

// The text log's "[HH:mm:ss.zzz]" is the server's local time, written by hand
// (not by QDateTime): check it against a zone with a known offset, UTC+8 in
// POSIX form, which needs no time-zone database.
void TestServerProcess::textLogStampsLinesWithLocalTime()
{
    QProcess server;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TZ"), QStringLiteral("SYNACK-8"));
    server.setProcessEnvironment(environment);
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(8 * 3600);
    server.start(ServerProcess::serverBinary(),
                 {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                  QStringLiteral("--no-discovery")});
    QVERIFY(server.waitForStarted());
    QTRY_VERIFY(server.canReadLine());
    const QString line = QString::fromUtf8(server.readLine());
    const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(8 * 3600);
    server.terminate();
    QVERIFY(server.waitForFinished());

    static const QRegularExpression stamp(
        QStringLiteral("^\\[(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d\\d\\d)\\] listening on "));
    const QRegularExpressionMatch match = stamp.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    const QTime shown(match.captured(1).toInt(), match.captured(2).toInt(),
                      match.captured(3).toInt(), match.captured(4).toInt());
    QVERIFY(shown.isValid());
    // Within the start and the first line, allowing for a midnight in between.
    const auto inRange = [&](const QTime &t) {
        const QTime from = before.time().addMSecs(-1);
        const QTime to = after.time().addMSecs(1);
        return from <= to ? from <= t && t <= to : from <= t || t <= to;
    };
    QVERIFY2(inRange(shown), qPrintable(QStringLiteral("%1 not within %2 .. %3")
                                            .arg(shown.toString(u"HH:mm:ss.zzz"),
                                                 before.time().toString(u"HH:mm:ss.zzz"),
                                                 after.time().toString(u"HH:mm:ss.zzz"))));
}

// Peers with no login choose a message type, a nick at hello and a bye's
// reason and text full of escapes, newlines, bidi controls and padding, each
// one trying to forge a line. The text log shows them escaped, one line per
// event; the JSON log keeps them exact, one valid object a line.
void TestServerProcess::logShowsWhatPeersChoseAsOneLineEach_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("text") << QStringLiteral("text");
    QTest::newRow("json") << QStringLiteral("json");
}

void TestServerProcess::logShowsWhatPeersChoseAsOneLineEach()
{
    QFETCH(QString, format);
    QProcess server;
    server.start(ServerProcess::serverBinary(),
                 {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                  QStringLiteral("--no-discovery"), QStringLiteral("--log-format"), format});
    QVERIFY(server.waitForStarted());
    const auto stopServer = qScopeGuard([&server] {
        server.terminate();
        server.waitForFinished();
    });
    QByteArray log;
    const auto logged = [&](const QByteArray &part) {
        log += server.readAll();
        return log.count(part);
    };
    static const QRegularExpression listening(QStringLiteral("listening on [^ ]+:(\\d+) |"
                                                             "\"port\":(\\d+)"));
    QTRY_VERIFY(logged("\n") >= 1);
    const QRegularExpressionMatch match = listening.match(QString::fromUtf8(log));
    QVERIFY2(match.hasMatch(), log.constData());
    const quint16 port = quint16(match.captured(match.lastCapturedIndex()).toUInt());

    const QString forged = QStringLiteral("\n[00:00:00.000] #99 registered as admin");
    const QString type = QStringLiteral("\x1b[2J") + forged;
    const QString nick = QStringLiteral("x\u202Enimda") + forged;
    const QString reason = QStringLiteral("quit\r") + forged;
    const QString byeText = QStringLiteral("ok") + QString(100, u' ') + QStringLiteral("\u2066") +
                            QStringLiteral("[00:00:00.000] #99 registered as root\u2028");
    TestClient typed, named, leaving;
    QVERIFY(typed.connectTo(port) && named.connectTo(port) && leaving.connectTo(port));
    typed.sendRaw(
        protocol::encodeFrame(QCborMap{{QStringLiteral("t"), type}}.toCborValue().toCbor()));
    named.send(protocol::Hello{protocol::kProtocolVersion, nick, {}, {}});
    leaving.send(protocol::Bye{reason, byeText});
    QVERIFY(typed.waitForClose() && named.waitForClose() && leaving.waitForClose());
    const QByteArray closed = format == QLatin1StringView("json") ? QByteArrayLiteral("\"closed\"")
                                                                  : QByteArrayLiteral(" closed\n");
    QTRY_COMPARE(logged(closed), 3);

    const QList<QByteArray> lines = log.chopped(1).split('\n');
    QVERIFY2(log.endsWith('\n'), log.constData());
    if (format == QLatin1StringView("json")) {
        QStringList seen;
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(doc.isObject(),
                     qPrintable(error.errorString() + u": " + QString::fromUtf8(line)));
            for (const char *key : {"text", "detail", "reason"})
                seen += doc.object().value(QLatin1StringView(key)).toString();
        }
        const QString all = seen.join(u'|');
        QVERIFY2(all.contains(type), qPrintable(all)); // exact, as the peer chose it
        QVERIFY2(all.contains(nick), qPrintable(all));
        QVERIFY2(all.contains(reason), qPrintable(all));
        QVERIFY2(all.contains(byeText), qPrintable(all));
        return;
    }
    static const QRegularExpression stamped(
        QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] "));
    for (const QByteArray &line : lines) {
        const QString text = QString::fromUtf8(line);
        QVERIFY2(stamped.match(text).hasMatch(), qPrintable(QString::fromUtf8(log)));
        QVERIFY2(!text.startsWith(QStringLiteral("[00:00:00.000] #99")), qPrintable(text));
        for (const QChar c : text)
            QVERIFY2(c.unicode() >= 0x20 && c != u'\u202E' && c != u'\u2066' && c != u'\u2028',
                     qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("    ")), qPrintable(text));
    }
    QCOMPARE(lines.count(QByteArray()), 0);
    const QString text = QString::fromUtf8(log);
    QVERIFY2(text.contains(QStringLiteral("\"<U+001B>[2J\u21B5[00:00:00.000] #99 registered as "
                                          "admin\" before hello")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("x<U+202E>nimda\u21B5[00:00:00.000]")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("peer said bye (quit<U+000D>\u21B5[00:00:00.000] #99 "
                                          "registered as admin): ok<100 spaces><U+2066>"
                                          "[00:00:00.000] #99 registered as root<U+2028>\n")),
             qPrintable(text));
}

// A server with few descriptors: the connection it cannot take waits in the
// kernel's queue, the log says why, the room goes on, and once descriptors
// are free again the waiting client is served.
// The text log names a session "#id" on every line of its story: accepted,
// registered, left with its reason, closed, and the kernel's states.
void TestServerProcess::textLogTellsAConnectionsStory()
{
    QProcess server;
    server.start(ServerProcess::serverBinary(),
                 {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                  QStringLiteral("--no-discovery")});
    QVERIFY(server.waitForStarted());
    const auto stopServer = qScopeGuard([&server] {
        server.terminate();
        server.waitForFinished();
    });
    QString log;
    const auto lineMatching = [&](const QRegularExpression &pattern) {
        log += QString::fromUtf8(server.readAll());
        return pattern.match(log);
    };
    static const QRegularExpression listening(QStringLiteral(" listening on [^ ]+:(\\d+) "));
    QTRY_VERIFY(lineMatching(listening).hasMatch());
    const quint16 port = quint16(lineMatching(listening).captured(1).toUInt());

    TestClient alice;
    QVERIFY(alice.connectTo(port));
    QVERIFY(alice.registerAs(QStringLiteral("alice")));
    const QString tag = QStringLiteral("#%1").arg(alice.all<protocol::Welcome>().first().session);
    alice.send(protocol::Bye{QStringLiteral("quit"), {}});
    alice.socket().disconnectFromHost();
    QVERIFY(alice.waitForClose());

    const auto line = [&](const QString &rest) {
        return QRegularExpression(QStringLiteral("\\] ") + QRegularExpression::escape(tag) + rest);
    };
    QTRY_VERIFY(lineMatching(line(QStringLiteral(" connection closed\n"))).hasMatch());
    QVERIFY2(lineMatching(line(QStringLiteral(" accepted from 127\\.0\\.0\\.1:\\d+\n"))).hasMatch(),
             qPrintable(log));
    QVERIFY2(lineMatching(line(QStringLiteral(" registered as alice\n"))).hasMatch(),
             qPrintable(log));
    QVERIFY2(lineMatching(line(QStringLiteral(" alice left \\(quit\\): .+\n"))).hasMatch(),
             qPrintable(log));
    QString whyNot;
    if (net::KernelProbe::isAvailable(&whyNot)) {
        QTRY_VERIFY2(lineMatching(line(QStringLiteral(" 127\\.0\\.0\\.1:\\d+ kernel TCP state "
                                                      "[A-Z_0-9]+ -> (CLOSED|TIME_WAIT)"
                                                      "( \\(passed, not observed: [A-Z_, 0-9]+\\))?"
                                                      "(, timer \\d+ ms)?\n")))
                         .hasMatch(),
                     qPrintable(log));
        QVERIFY2(lineMatching(line(QStringLiteral(" 127\\.0\\.0\\.1:\\d+ kernel TCP state "
                                                  "LISTEN -> ESTABLISHED \\(passed, not observed: "
                                                  "SYN_RECV\\)\n")))
                     .hasMatch(),
                 qPrintable(log));
    }
}

void TestServerProcess::outOfDescriptorsTheServerWaitsThenServesAgain()
{
#if !defined(Q_OS_UNIX)
    QSKIP("descriptor limits are set with setrlimit on Unix");
#elif defined(SYNACK_SANITIZED)
    QSKIP("the sanitizers cannot run without descriptors; the default build runs this test");
#else
    ServerProcess server;
    server.process().setChildProcessModifier([] {
        const rlimit few{48, 48}; // the server raises its soft limit up to the hard one
        ::setrlimit(RLIMIT_NOFILE, &few);
    });
    QVERIFY(server.start());
    const auto warned = [&] {
        for (const QJsonObject &e : server.events()) {
            if (e.value(QLatin1StringView("event")).toString() == QLatin1StringView("warning") &&
                e.value(QLatin1StringView("text"))
                    .toString()
                    .contains(QLatin1StringView("cannot accept connections")))
                return true;
        }
        return false;
    };
    const auto welcomed = [](TestClient &client) {
        return !client.all<protocol::Welcome>().isEmpty();
    };

    std::vector<std::unique_ptr<TestClient>> clients;
    while (!warned() && clients.size() < 64) {
        clients.push_back(std::make_unique<TestClient>());
        TestClient &client = *clients.back();
        QVERIFY(client.connectTo(server.port()));
        client.send(protocol::Hello{
            protocol::kProtocolVersion, QStringLiteral("c%1").arg(clients.size()), {}, {}});
        QVERIFY(client.waitUntil([&] { return welcomed(client) || warned(); }));
    }
    QVERIFY2(warned(), "the server never ran out of descriptors");
    TestClient &waiting = *clients.back();
    QVERIFY(!welcomed(waiting));
    QVERIFY(clients.size() >= 3);

    // Those already in the room still chat.
    TestClient &first = *clients.at(0);
    TestClient &second = *clients.at(1);
    first.send(protocol::Say{QStringLiteral("still here"), {}, 1});
    QVERIFY(second.waitUntil([&] { return !second.liveMessages().isEmpty(); }));
    QVERIFY(!welcomed(waiting));

    // Two leave: their descriptors come back, and the waiting client is in.
    second.send(protocol::Bye{QStringLiteral("quit"), {}});
    clients.at(2)->send(protocol::Bye{QStringLiteral("quit"), {}});
    QVERIFY(second.waitForClose());
    QVERIFY(waiting.waitUntil([&] { return welcomed(waiting); }));
    QVERIFY(server.process().state() == QProcess::Running);
#endif
}

// SIGHUP (systemctl reload) reads the --config file again: the next hellos
// get the new message of the day and need the new password, and the clients
// already there stay.
void TestServerProcess::hangupRereadsMotdAndPasswordKeepingClients()
{
#ifndef Q_OS_UNIX
    QSKIP("SIGHUP is Unix's");
#else
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("synack-server.conf"));
    QVERIFY(writeFile(config, "# before\nmotd=first words\n"));
    ServerProcess server({QStringLiteral("--config"), config});
    QVERIFY(server.start());
    TestClient alice;
    QVERIFY(alice.connectTo(server.port()));
    QVERIFY(alice.registerAs(QStringLiteral("alice")));
    QCOMPARE(alice.all<protocol::Welcome>().first().motd, QStringLiteral("first words"));

    QVERIFY(writeFile(config, "motd=second words\npassword=sesame\n"));
    const auto hangup = [&] { ::kill(pid_t(server.process().processId()), SIGHUP); };
    const auto reloads = [&] {
        int n = 0;
        for (const QJsonObject &e : server.events())
            n += e.value(QLatin1StringView("event")).toString() == QLatin1StringView("reloaded");
        return n;
    };
    hangup();
    QVERIFY(server.waitForEvent(QStringLiteral("reloaded"), 5000));
    const QJsonObject reloaded = [&] {
        for (const QJsonObject &e : server.events()) {
            if (e.value(QLatin1StringView("event")).toString() == QLatin1StringView("reloaded"))
                return e;
        }
        return QJsonObject();
    }();
    QCOMPARE(reloaded.value(QLatin1StringView("motd_changed")).toBool(), true);
    QCOMPARE(reloaded.value(QLatin1StringView("password_changed")).toBool(), true);

    TestClient stranger;
    QVERIFY(stranger.connectTo(server.port()));
    QVERIFY(!stranger.registerAs(QStringLiteral("stranger")));
    QCOMPARE(stranger.lastError()->code, QStringLiteral("auth"));
    TestClient bob;
    QVERIFY(bob.connectTo(server.port()));
    QVERIFY(bob.registerAs(QStringLiteral("bob"), QStringLiteral("sesame")));
    QCOMPARE(bob.all<protocol::Welcome>().first().motd, QStringLiteral("second words"));

    // Alice never left, and talks to bob.
    alice.send(protocol::Say{QStringLiteral("still here"), {}, 1});
    QVERIFY(bob.waitUntil([&] { return bob.liveMessages().size() == 1; }));
    QCOMPARE(bob.liveMessages().first().from, QStringLiteral("alice"));
    QVERIFY(alice.isConnected());
    QVERIFY(alice.all<protocol::Bye>().isEmpty());

    // A file that does not parse keeps the options as they were; and every
    // SIGHUP is a reload, not only the first.
    QVERIFY(writeFile(config, "--motd=broken\n"));
    hangup();
    QVERIFY(server.waitForEvent(QStringLiteral("warning"), 5000, [](const QJsonObject &e) {
        return e.value(QLatin1StringView("text"))
            .toString()
            .contains(QStringLiteral("reload refused"));
    }));
    QVERIFY(writeFile(config, "motd=third words\npassword=sesame\n"));
    hangup();
    QTRY_COMPARE_WITH_TIMEOUT(reloads(), 2, 5000);
    TestClient carol;
    QVERIFY(carol.connectTo(server.port()));
    QVERIFY(carol.registerAs(QStringLiteral("carol"), QStringLiteral("sesame")));
    QCOMPARE(carol.all<protocol::Welcome>().first().motd, QStringLiteral("third words"));
    QCOMPARE(server.process().state(), QProcess::Running);
    QVERIFY(alice.isConnected());
#endif
}

QTEST_MAIN(TestServerProcess)
#include "tst_serverprocess.moc"
