// synack-client --cli processes against a real synack-server process, on
// 127.0.0.1: what a person at two terminals would see.

#include "clientprocess.h"
#include "fakeserver.h"
#include "serverprocess.h"

#include <QElapsedTimer>
#include <QTest>
#include <QUdpSocket>

using namespace synack;
using synack::test::ClientProcess;
using synack::test::FakeServer;

namespace {

// Short heartbeats so that a frozen server is found out in well under a second.
const QStringList kFastServer{QStringLiteral("--heartbeat-ms"), QStringLiteral("100"),
                              QStringLiteral("--timeout-ms"), QStringLiteral("500")};

QStringList clientArgs(quint16 port, const QString &nick)
{
    return {QStringLiteral("--cli"),
            QStringLiteral("--host"),
            QStringLiteral("127.0.0.1"),
            QStringLiteral("--port"),
            QString::number(port),
            QStringLiteral("--nick"),
            nick,
            QStringLiteral("--reconnect-base-ms"),
            QStringLiteral("100"),
            QStringLiteral("--reconnect-max-ms"),
            QStringLiteral("400")};
}

QString connectedAs(const QString &nick)
{
    return QStringLiteral(R"(^\[\d\d:\d\d:\d\d\] -- connected to 127\.0\.0\.1:\d+ as %1 )")
        .arg(nick);
}

// "<nick> text" lines, in the order this client printed them.
QStringList roomLines(ClientProcess &client)
{
    QStringList out;
    static const QRegularExpression room(QStringLiteral(R"(^\[\d\d:\d\d:\d\d\] (<[^>]+> .*)$)"));
    for (const QString &line : client.lines()) {
        if (const auto match = room.match(line); match.hasMatch())
            out.append(match.captured(1));
    }
    return out;
}

} // namespace

class TestCliProcess : public QObject
{
    Q_OBJECT

private slots:
    void clientsChatInOrderAndPrivately();
    void endOfInputSaysByeOnceDelivered();
    void reconnectsAfterServerRestart();
    void frozenServerIsDeclaredDead();
    void messageWhileDisconnectedIsNotDelivered();
    void fatalErrorsExitNonZero();
    void serverTextOnStderrIsShownNotObeyed_data();
    void serverTextOnStderrIsShownNotObeyed();
    void chatTextCannotReorderOrPassForAnotherLine();
    void badOptionExitsTwo();
    void discoveryFindsLoopbackServer();
};

void TestCliProcess::clientsChatInOrderAndPrivately()
{
    ServerProcess server;
    QVERIFY(server.start());
    ClientProcess alice(clientArgs(server.port(), QStringLiteral("alice")));
    ClientProcess bob(clientArgs(server.port(), QStringLiteral("bob")));
    ClientProcess carol(clientArgs(server.port(), QStringLiteral("carol")));
    QVERIFY(alice.start());
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());
    QVERIFY(bob.start());
    QVERIFY(!bob.waitForLine(connectedAs(QStringLiteral("bob"))).isNull());
    QVERIFY(!alice.waitForLine(QStringLiteral("-- bob joined$")).isNull());
    QVERIFY(carol.start());
    QVERIFY(!carol.waitForLine(connectedAs(QStringLiteral("carol"))).isNull());

    // Both talk at once: each one's lines keep their order, and everyone
    // sees the same room order.
    for (int i = 1; i <= 3; ++i) {
        alice.writeLine(QStringLiteral("a%1 from alice").arg(i));
        bob.writeLine(QStringLiteral("b%1 from bob").arg(i));
    }
    for (ClientProcess *client : {&alice, &bob, &carol})
        QTRY_COMPARE_WITH_TIMEOUT(roomLines(*client).size(), 6, 5000);
    const QStringList order = roomLines(alice);
    QCOMPARE(roomLines(bob), order);
    QCOMPARE(roomLines(carol), order);
    QStringList fromAlice = order.filter(QStringLiteral("<alice>"));
    QCOMPARE(fromAlice, (QStringList{QStringLiteral("<alice> a1 from alice"),
                                     QStringLiteral("<alice> a2 from alice"),
                                     QStringLiteral("<alice> a3 from alice")}));
    QCOMPARE(order.filter(QStringLiteral("<bob>")),
             (QStringList{QStringLiteral("<bob> b1 from bob"), QStringLiteral("<bob> b2 from bob"),
                          QStringLiteral("<bob> b3 from bob")}));

    // A private message reaches bob (and alice's own copy), never carol;
    // carol has seen everything the server sent before "after".
    alice.writeLine(QStringLiteral("/msg bob the secret"));
    alice.writeLine(QStringLiteral("after"));
    QVERIFY(!bob.waitForLine(QStringLiteral(R"(\] \*alice\* -> you: the secret$)")).isNull());
    QVERIFY(!alice.waitForLine(QStringLiteral(R"(\] you -> \*bob\*: the secret$)")).isNull());
    QVERIFY(!carol.waitForLine(QStringLiteral("<alice> after$")).isNull());
    QVERIFY(!carol.hasLine(QRegularExpression(QStringLiteral("secret"))));

    // Leaving with /quit and a reason: the others see who left and why.
    carol.writeLine(QStringLiteral("/quit see you"));
    QVERIFY(carol.waitForExit());
    QCOMPARE(carol.exitCode(), 0);
    QVERIFY(!bob.waitForLine(QStringLiteral("-- carol left \\(quit\\)$")).isNull());

    bob.writeLine(QStringLiteral("/who"));
    QVERIFY(!bob.waitForLine(QStringLiteral("-- 2 online: alice, bob$")).isNull());
}

void TestCliProcess::endOfInputSaysByeOnceDelivered()
{
    ServerProcess server;
    QVERIFY(server.start());
    ClientProcess watcher(clientArgs(server.port(), QStringLiteral("watcher")));
    QVERIFY(watcher.start());
    QVERIFY(!watcher.waitForLine(connectedAs(QStringLiteral("watcher"))).isNull());

    // A pipe that is written and closed at once: nothing is lost to the
    // connect, and the last line is delivered before the bye.
    ClientProcess piped(clientArgs(server.port(), QStringLiteral("piped")));
    QVERIFY(piped.start());
    for (int i = 1; i <= 20; ++i)
        piped.writeLine(QStringLiteral("line %1").arg(i));
    piped.closeInput();
    QVERIFY(piped.waitForExit());
    QCOMPARE(piped.exitCode(), 0);
    QCOMPARE(roomLines(piped).size(), 20);
    for (int i = 1; i <= 20; ++i)
        QVERIFY(!watcher.waitForLine(QStringLiteral("<piped> line %1$").arg(i)).isNull());
    QVERIFY(!watcher.waitForLine(QStringLiteral("-- piped left \\(quit\\)$")).isNull());
}

void TestCliProcess::reconnectsAfterServerRestart()
{
    ServerProcess server(kFastServer);
    QVERIFY(server.start());
    ClientProcess alice(clientArgs(server.port(), QStringLiteral("alice")));
    QVERIFY(alice.start());
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());

    server.kill();
    QVERIFY(!alice.waitForLine(QStringLiteral("-- connection to 127.0.0.1:\\d+ lost")).isNull());
    QVERIFY(!alice.waitForLine(QStringLiteral("-- reconnecting in 1 s$")).isNull());
    QVERIFY(server.restart());
    // Within the backoff (100 ms doubling to 400 ms) and with the same nick.
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice")), 3000).isNull());
    alice.writeLine(QStringLiteral("still here"));
    QVERIFY(!alice.waitForLine(QStringLiteral("<alice> still here$")).isNull());
}

void TestCliProcess::frozenServerIsDeclaredDead()
{
    ServerProcess server(kFastServer);
    QVERIFY(server.start());
    ClientProcess alice(clientArgs(server.port(), QStringLiteral("alice")));
    QVERIFY(alice.start());
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());

    QElapsedTimer frozen;
    frozen.start();
    server.stop(); // SIGSTOP: its sockets stay open, it just never answers
    QVERIFY(!alice.waitForLine(QStringLiteral("went silent .*: declared dead$"), 3000).isNull());
    // The timeout is 500 ms; the sweep and a loaded machine add a little.
    QVERIFY2(frozen.elapsed() < 1500, qPrintable(QString::number(frozen.elapsed())));
    QVERIFY(!alice.waitForLine(QStringLiteral("-- reconnecting in 1 s$")).isNull());

    server.cont();
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice")), 5000).isNull());
    alice.writeLine(QStringLiteral("back"));
    QVERIFY(!alice.waitForLine(QStringLiteral("<alice> back$")).isNull());
}

void TestCliProcess::messageWhileDisconnectedIsNotDelivered()
{
    ServerProcess server(kFastServer);
    QVERIFY(server.start());
    ClientProcess alice(clientArgs(server.port(), QStringLiteral("alice")));
    QVERIFY(alice.start());
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());

    server.kill();
    QVERIFY(!alice.waitForLine(QStringLiteral("-- reconnecting in")).isNull());
    alice.writeLine(QStringLiteral("into the void"));
    QVERIFY(!alice
                 .waitForLine(QStringLiteral(
                     R"(-- message \d+ not delivered \("into the void"\): not connected$)"))
                 .isNull());
    // Ending now is clean: nothing is left waiting.
    alice.closeInput();
    QVERIFY(alice.waitForExit());
    QCOMPARE(alice.exitCode(), 0);
}

void TestCliProcess::fatalErrorsExitNonZero()
{
    ServerProcess server({QStringLiteral("--password"), QStringLiteral("open sesame")});
    QVERIFY(server.start());

    ClientProcess noPassword(clientArgs(server.port(), QStringLiteral("alice")));
    QVERIFY(noPassword.start());
    QVERIFY(noPassword.waitForExit());
    QCOMPARE(noPassword.exitCode(), 1);
    QVERIFY2(noPassword.standardError().contains(QStringLiteral("needs a password")),
             qPrintable(noPassword.standardError()));

    QStringList args = clientArgs(server.port(), QStringLiteral("alice"));
    args << QStringLiteral("--password") << QStringLiteral("open sesame");
    ClientProcess first(args);
    QVERIFY(first.start());
    QVERIFY(!first.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());
    args[args.indexOf(QStringLiteral("alice"))] = QStringLiteral("ALICE");
    ClientProcess second(args);
    QVERIFY(second.start());
    QVERIFY(second.waitForExit());
    QCOMPARE(second.exitCode(), 1);
    QVERIFY2(second.standardError().contains(QStringLiteral("nick ALICE is already taken")),
             qPrintable(second.standardError()));

    ClientProcess refused({QStringLiteral("--cli"), QStringLiteral("--host"),
                           QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                           QString::number(server.port()), QStringLiteral("--nick"),
                           QStringLiteral("x"), QStringLiteral("--no-reconnect")});
    server.kill();
    QVERIFY(refused.start());
    QVERIFY(refused.waitForExit());
    QCOMPARE(refused.exitCode(), 1);
    QVERIFY(refused.standardError().contains(QStringLiteral("connection refused")));
}

// A hostile server's last words (a fatal error's text, a bye's reason and
// text) reach stderr as one line that shows its escapes and newlines.
void TestCliProcess::serverTextOnStderrIsShownNotObeyed_data()
{
    QTest::addColumn<bool>("error");
    QTest::addColumn<QString>("reason");
    const QString forged = QStringLiteral("\x1b]0;owned\x07\x1b[2J\r\nsynack-client: forged");
    QTest::newRow("fatal error") << true << forged;
    QTest::newRow("kicked") << false << QStringLiteral("kicked");
    QTest::newRow("bye reason") << false << forged;
}

void TestCliProcess::serverTextOnStderrIsShownNotObeyed()
{
    QFETCH(bool, error);
    QFETCH(QString, reason);
    FakeServer server;
    QVERIFY(server.listen());
    ClientProcess alice(clientArgs(server.port(), QStringLiteral("alice"))
                        << QStringLiteral("--no-reconnect"));
    QVERIFY(alice.start());
    QVERIFY(server.nextClient() && server.acceptHello());
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());

    const QString text = QStringLiteral("\u202Eevil\x1b[31m\nsynack-client: forged too");
    if (error)
        server.current()->closeWithError(protocol::ErrorCode::Version, text);
    else
        server.current()->closeWithBye(reason, text);
    QVERIFY(alice.waitForExit());
    QCOMPARE(alice.exitCode(), 1);
    const QString said = alice.standardError();
    QVERIFY2(said.endsWith(u'\n') && said.count(u'\n') == 1, qPrintable(said));
    QVERIFY2(!said.contains(u'\x1b') && !said.contains(u'\r') && !said.contains(u'\x07') &&
                 !said.contains(u'\u202E'),
             qPrintable(said));
    QVERIFY2(
        said.contains(QStringLiteral("<U+202E>evil<U+001B>[31m\u21B5synack-client: forged too")),
        qPrintable(said));
}

// A chat line with bidi controls and a tail padded to wrap onto a line of
// its own: the controls show as marks and the padding as a count, so the
// tail cannot pass for a line from bob.
void TestCliProcess::chatTextCannotReorderOrPassForAnotherLine()
{
    FakeServer server;
    QVERIFY(server.listen());
    ClientProcess alice(clientArgs(server.port(), QStringLiteral("alice")));
    QVERIFY(alice.start());
    QVERIFY(server.nextClient() && server.acceptHello({QStringLiteral("mallory")}));
    QVERIFY(!alice.waitForLine(connectedAs(QStringLiteral("alice"))).isNull());

    protocol::ChatMsg msg;
    msg.seq = 1;
    msg.from = QStringLiteral("mallory");
    msg.text = QStringLiteral("pay \u202E01$\u202C\u2066x\u2069\u2028\u200F\u061C") +
               QString(200, u' ') +
               QStringLiteral("[12:00:00] <bob> I agree\u3000\u3000\u3000\u3000!");
    server.send(msg);
    const QString line = alice.waitForLine(QStringLiteral("<mallory> pay "));
    QVERIFY(!line.isNull());
    QCOMPARE(line.mid(line.indexOf(u'<')),
             QStringLiteral("<mallory> pay <U+202E>01$<U+202C><U+2066>x<U+2069><U+2028><U+200F>"
                            "<U+061C><200 spaces>[12:00:00] <bob> I agree<4 spaces>!"));
}

void TestCliProcess::badOptionExitsTwo()
{
    ClientProcess client({QStringLiteral("--cli"), QStringLiteral("--host"),
                          QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                          QStringLiteral("seventy"), QStringLiteral("--nick"),
                          QStringLiteral("a")});
    QVERIFY(client.start());
    QVERIFY(client.waitForExit());
    QCOMPARE(client.exitCode(), 2);
    QVERIFY(client.standardError().contains(QStringLiteral("--port")));
}

void TestCliProcess::discoveryFindsLoopbackServer()
{
    quint16 discoveryPort = 0;
    {
        QUdpSocket probe; // a UDP port free a moment ago
        QVERIFY(probe.bind(QHostAddress::LocalHost, 0));
        discoveryPort = probe.localPort();
    }
    ServerProcess server({QStringLiteral("--discovery-port"), QString::number(discoveryPort),
                          QStringLiteral("--name"), QStringLiteral("Loop room")});
    QVERIFY(server.start());

    ClientProcess discover({QStringLiteral("--cli"), QStringLiteral("--discover"),
                            QStringLiteral("--discovery-port"), QString::number(discoveryPort),
                            QStringLiteral("--discovery-target"), QStringLiteral("127.0.0.1"),
                            QStringLiteral("--discovery-time-ms"), QStringLiteral("500")});
    QVERIFY(discover.start());
    QVERIFY(!discover
                 .waitForLine(QStringLiteral(R"(^"Loop room" 127\.0\.0\.1:%1 users=0 password=no$)")
                                  .arg(server.port()))
                 .isNull());
    QVERIFY(!discover.waitForLine(QStringLiteral("^-- 1 server\\(s\\) found$")).isNull());
    QVERIFY(discover.waitForExit());
    QCOMPARE(discover.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestCliProcess)
#include "tst_cliprocess.moc"
