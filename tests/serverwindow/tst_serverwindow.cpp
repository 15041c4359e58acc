// The server window, offscreen, with real clients on loopback: the clients
// table, Disconnect (bye + FIN: the server's side closes first and goes
// through FIN_WAIT to TIME_WAIT), Abort (RST: the client sees a reset), Hold
// CLOSE_WAIT, the room view, the recording levels of the selection, listen
// errors in plain words, and the remembered settings (in Qt's test
// location, never the user's).

#include "core/chatserver.h"
#include "core/clientsmodel.h"
#include "core/session.h"
#include "filesizelimit.h"
#include "testclient.h"
#include "window/clientactions.h"
#include "window/clientsview.h"
#include "window/listenpanel.h"
#include "window/roomview.h"
#include "window/serverwindow.h"

#include "net/connection.h"
#include "net/connectiontrace.h"
#include "net/eventlog.h"
#include "net/kernelprobe.h"
#include "ui/connectioninspector.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace synack;
using namespace synack::server;
using namespace std::chrono_literals;

namespace {

ServerWindowOptions testOptions()
{
    ServerWindowOptions o;
    o.config.bindAddress = QHostAddress::LocalHost;
    o.config.port = 0;
    o.config.name = QStringLiteral("window-test");
    o.config.discovery = false;
    o.config.heartbeatInterval = 1s;
    o.config.heartbeatTimeout = 5s;
    o.restoreSettings = false;
    o.autoStart = false;
    return o;
}

// A client on net::Connection, which tells a peer's RST from its FIN.
struct ConnectionClient
{
    bool connectAndRegister(quint16 port, const QString &nick)
    {
        net::ConnectionSettings settings;
        settings.role = protocol::Role::Client;
        settings.maxFrame = protocol::kClientMaxFrame;
        connection = std::make_unique<net::Connection>(new QTcpSocket, settings);
        QObject::connect(connection.get(), &net::Connection::messageReceived, connection.get(),
                         [this](const protocol::Envelope &e) { types.append(e.type); });
        QSignalSpy connected(connection.get(), &net::Connection::connected);
        connection->connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!connected.wait(5000))
            return false;
        connection->send(protocol::Hello{protocol::kProtocolVersion, nick, {}, {}});
        return QTest::qWaitFor([this] { return types.contains(QStringLiteral("welcome")); });
    }

    std::unique_ptr<net::Connection> connection;
    QStringList types;
};

QString cell(const ServerWindow &w, quint64 sessionId, int column, int role = Qt::DisplayRole)
{
    const ClientsModel *model = w.clientsModel();
    const int row = model->rowOfSession(sessionId);
    return row < 0 ? QString() : model->index(row, column).data(role).toString();
}

quint64 sessionOf(const ServerWindow &w, const QString &nick)
{
    for (const Session *s : w.server()->sessions()) {
        if (s->nick() == nick)
            return s->id();
    }
    return 0;
}

QStringList kernelPath(const net::ConnectionTrace *trace)
{
    QStringList out;
    for (const auto &t : trace->kernelTransitions())
        out << t.state;
    return out;
}

} // namespace

class TestServerWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void disconnectAndAbort();
    void holdCloseWait();
    void roomAndStatus();
    void selectionRecordsFrames();
    void listenErrorInPlainWords();
    void settingsAreRemembered();
    void stopSaysByeToEveryone();
    void statusSaysWhileTheHistoryCannotStore();
};

void TestServerWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SynAck"));
    QCoreApplication::setApplicationName(QStringLiteral("synack-server-test"));
    QSettings().clear();
}

void TestServerWindow::disconnectAndAbort()
{
    const bool kernel = net::KernelProbe::isAvailable();
    ServerWindow w(testOptions());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.startServer());
    const quint16 port = w.server()->port();
    QVERIFY(port != 0);
    QVERIFY(w.listenPanel()->shownAddresses().contains(QStringLiteral("127.0.0.1:%1").arg(port)));

    TestClient alice;
    QVERIFY(alice.connectTo(port));
    QVERIFY(alice.registerAs(QStringLiteral("alice")));
    ConnectionClient bob;
    QVERIFY(bob.connectAndRegister(port, QStringLiteral("bob")));

    // The table: one row each, with nick and peer.
    ClientsModel *model = w.clientsModel();
    QTRY_COMPARE(model->rowCount(), 2);
    const quint64 aliceId = sessionOf(w, QStringLiteral("alice"));
    const quint64 bobId = sessionOf(w, QStringLiteral("bob"));
    QVERIFY(aliceId && bobId);
    QTRY_COMPARE(cell(w, aliceId, ClientsModel::NickColumn), QStringLiteral("alice"));
    QTRY_COMPARE(cell(w, bobId, ClientsModel::NickColumn), QStringLiteral("bob"));
    QCOMPARE(cell(w, aliceId, ClientsModel::PeerColumn),
             QStringLiteral("127.0.0.1:%1").arg(alice.socket().localPort()));
    QCOMPARE(cell(w, bobId, ClientsModel::PeerColumn),
             QStringLiteral("127.0.0.1:%1").arg(bob.connection->localPort()));
    QTRY_COMPARE(cell(w, aliceId, ClientsModel::QtStateColumn), QStringLiteral("Connected"));
    if (kernel)
        QTRY_COMPARE(cell(w, aliceId, ClientsModel::KernelStateColumn),
                     QStringLiteral("ESTABLISHED"));

    // Select alice and press Delete in the table: Disconnect.
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QVERIFY(w.selectNick(QStringLiteral("alice")));
    QCOMPARE(w.clientActions()->selection(), QList<quint64>{aliceId});
    QVERIFY(w.clientActions()->disconnectAction()->isEnabled());
    QCOMPARE(w.inspector()->trace(), model->trace(aliceId));
    QTest::keyClick(w.clientsView(), Qt::Key_Delete);

    // alice hears bye (kicked) and the connection closes; bob hears she left.
    QVERIFY(alice.waitForClose());
    const auto byes = alice.all<protocol::Bye>();
    QCOMPARE(byes.size(), 1);
    QCOMPARE(byes.first().reason, QStringLiteral("kicked"));
    QTRY_VERIFY(bob.types.contains(QStringLiteral("leave")));

    // Her row stays, closed; the server closed first, so its side goes
    // FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT (or on to CLOSED).
    QTRY_VERIFY(
        model->index(model->rowOfSession(aliceId), 0).data(ClientsModel::ClosedRole).toBool());
    QTRY_COMPARE(cell(w, aliceId, ClientsModel::QtStateColumn), QStringLiteral("Unconnected"));
    if (kernel) {
        QTRY_VERIFY(cell(w, aliceId, ClientsModel::KernelStateColumn)
                        .startsWith(QStringLiteral("TIME_WAIT")) ||
                    cell(w, aliceId, ClientsModel::KernelStateColumn) == QStringLiteral("CLOSED"));
        const QStringList path = kernelPath(model->trace(aliceId));
        QVERIFY2(path.contains(QStringLiteral("FIN_WAIT_1")), qPrintable(path.join(u' ')));
        QVERIFY2(path.contains(QStringLiteral("TIME_WAIT")), qPrintable(path.join(u' ')));
        if (path.last() == QStringLiteral("TIME_WAIT"))
            QVERIFY(cell(w, aliceId, ClientsModel::KernelStateColumn)
                        .contains(QStringLiteral("s left")));
    }

    // Abort bob (Ctrl+R): he sees a reset, not a bye.
    QVERIFY(w.selectNick(QStringLiteral("bob")));
    QSignalSpy bobClosed(bob.connection.get(), &net::Connection::closed);
    QTest::keyClick(w.clientsView(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(bobClosed.count() > 0 || bobClosed.wait(5000));
    QCOMPARE(bobClosed.first().first().value<net::CloseCause>(), net::CloseCause::PeerReset);
    QVERIFY(!bob.types.contains(QStringLiteral("bye")));
    const net::ConnectionTrace *bobTrace = model->trace(bobId);
    QTRY_VERIFY(bobTrace->sawReset() && bobTrace->resetSentByLocal());
    QTRY_VERIFY(
        model->index(model->rowOfSession(bobId), 0).data(ClientsModel::ClosedRole).toBool());
    if (!kernel)
        QSKIP("the kernel's TCP states cannot be read here (no NETLINK_SOCK_DIAG)");
    // The server's side skips TIME_WAIT: gone at once.
    QTRY_COMPARE(cell(w, bobId, ClientsModel::KernelStateColumn).section(u' ', 0, 0),
                 QStringLiteral("CLOSED"));
    QVERIFY(!kernelPath(bobTrace).contains(QStringLiteral("TIME_WAIT")));

    // Clear closed takes bob's row (forgotten), not alice's (TIME_WAIT).
    const bool aliceForgotten =
        cell(w, aliceId, ClientsModel::KernelStateColumn) == QStringLiteral("CLOSED");
    w.clearClosedAction()->trigger();
    QCOMPARE(model->rowOfSession(bobId), -1);
    QCOMPARE(model->rowOfSession(aliceId) >= 0, !aliceForgotten);
}

void TestServerWindow::holdCloseWait()
{
    if (!net::KernelProbe::isAvailable())
        QSKIP("the kernel's TCP states cannot be read here (no NETLINK_SOCK_DIAG)");
    ServerWindow w(testOptions());
    QVERIFY(w.startServer());
    TestClient carol;
    QVERIFY(carol.connectTo(w.server()->port()));
    QVERIFY(carol.registerAs(QStringLiteral("carol")));
    const quint64 id = sessionOf(w, QStringLiteral("carol"));
    QVERIFY(w.selectNick(QStringLiteral("carol")));
    QAction *hold = w.clientActions()->holdCloseWaitAction();
    QVERIFY(hold->isEnabled());
    hold->trigger();
    QVERIFY(hold->isChecked());

    // carol closes; the server's side stays in CLOSE_WAIT ...
    carol.socket().disconnectFromHost();
    QTRY_COMPARE(cell(w, id, ClientsModel::KernelStateColumn).section(u' ', 0, 0),
                 QStringLiteral("CLOSE_WAIT"));
    QVERIFY(cell(w, id, ClientsModel::KernelStateColumn).contains(QStringLiteral("holding")));
    QVERIFY(hold->isEnabled());
    // ... until released: LAST_ACK, then CLOSED.
    hold->trigger();
    QTRY_COMPARE(cell(w, id, ClientsModel::KernelStateColumn).section(u' ', 0, 0),
                 QStringLiteral("CLOSED"));
    QVERIFY(kernelPath(w.clientsModel()->trace(id)).contains(QStringLiteral("LAST_ACK")));
}

void TestServerWindow::roomAndStatus()
{
    ServerWindow w(testOptions());
    QVERIFY(w.startServer());
    TestClient alice;
    TestClient bob;
    QVERIFY(alice.connectTo(w.server()->port()) && alice.registerAs(QStringLiteral("alice")));
    QVERIFY(bob.connectTo(w.server()->port()) && bob.registerAs(QStringLiteral("bob")));
    alice.send(protocol::Say{QStringLiteral("hello room"), {}, 1});
    QVERIFY(bob.waitUntil([&] { return !bob.liveMessages().isEmpty(); }));

    QTRY_COMPARE(w.roomView()->users(),
                 (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}));
    QTRY_VERIFY(w.roomView()->messagesText().contains(QStringLiteral("<alice> hello room")));
    QVERIFY(w.roomView()->messagesText().contains(QStringLiteral("bob joined")));
    QTRY_VERIFY(w.statusText().contains(QStringLiteral("Clients: 2 connected, 2 in the room")));
    QTRY_VERIFY(w.clientsModel()->totals().messagesIn >= 3); // two hellos and a say
    const quint64 aliceId = sessionOf(w, QStringLiteral("alice"));
    QTRY_COMPARE(cell(w, aliceId, ClientsModel::MessagesInColumn), QStringLiteral("2"));
}

void TestServerWindow::selectionRecordsFrames()
{
    ServerWindow w(testOptions());
    QVERIFY(w.startServer());
    TestClient alice;
    TestClient bob;
    QVERIFY(alice.connectTo(w.server()->port()) && alice.registerAs(QStringLiteral("alice")));
    QVERIFY(bob.connectTo(w.server()->port()) && bob.registerAs(QStringLiteral("bob")));
    const net::Connection *aliceConnection =
        w.server()->session(sessionOf(w, QStringLiteral("alice")))->connection();
    const net::Connection *bobConnection =
        w.server()->session(sessionOf(w, QStringLiteral("bob")))->connection();
    QCOMPARE(aliceConnection->recording(), net::Connection::Recording::Lifecycle);

    QVERIFY(w.selectNick(QStringLiteral("alice")));
    QCOMPARE(aliceConnection->recording(), net::Connection::Recording::Full);
    QCOMPARE(bobConnection->recording(), net::Connection::Recording::Lifecycle);
    QVERIFY(w.selectNick(QStringLiteral("bob")));
    QCOMPARE(aliceConnection->recording(), net::Connection::Recording::Lifecycle);
    QCOMPARE(bobConnection->recording(), net::Connection::Recording::Full);

    // Frames of the selected one reach the log, labelled with its nick.
    alice.send(protocol::Say{QStringLiteral("not recorded"), {}, 1});
    bob.send(protocol::Say{QStringLiteral("recorded"), {}, 2});
    QVERIFY(bob.waitUntil([&] { return bob.liveMessages().size() >= 2; }));
    net::EventLog *log = w.eventLog();
    log->flush();
    int bobFrames = 0;
    int aliceFrames = 0;
    for (int row = 0; row < log->rowCount(); ++row) {
        const net::ConnectionEvent &e = log->event(row);
        if (e.kind != net::EventKind::Frame || e.direction != net::Direction::In)
            continue;
        (e.connectionId == bobConnection->id() ? bobFrames : aliceFrames)++;
    }
    QCOMPARE(aliceFrames, 0);
    QVERIFY(bobFrames >= 1);
    QCOMPARE(log->connectionLabel(bobConnection->id()),
             QStringLiteral("bob (127.0.0.1:%1)").arg(bob.socket().localPort()));
}

void TestServerWindow::listenErrorInPlainWords()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    ServerWindowOptions options = testOptions();
    options.config.port = squatter.serverPort();
    ServerWindow w(options);
    QVERIFY(!w.startServer());
    QVERIFY(!w.server());
    QVERIFY2(w.listenPanel()->errorText().contains(QStringLiteral("already in use")),
             qPrintable(w.listenPanel()->errorText()));
    // Another port clears it.
    w.listenPanel()->setPort(0);
    QVERIFY(w.listenPanel()->errorText().isEmpty());
    QVERIFY(w.startServer());
}

void TestServerWindow::settingsAreRemembered()
{
    QSettings().clear();
    {
        ServerWindowOptions options = testOptions();
        options.config.name = QStringLiteral("remembered");
        ServerWindow w(options);
        QVERIFY(w.startServer());
    }
    QCOMPARE(QSettings().value(QStringLiteral("listen/name")).toString(),
             QStringLiteral("remembered"));
    ServerWindowOptions options = testOptions();
    options.restoreSettings = true;
    options.config.name = QStringLiteral("default");
    {
        ServerWindow w(options);
        QCOMPARE(w.listenPanel()->serverName(), QStringLiteral("remembered"));
        QCOMPARE(w.listenPanel()->bindAddress(), QHostAddress(QHostAddress::LocalHost));
    }
    options.nameGiven = true; // --name wins
    ServerWindow w(options);
    QCOMPARE(w.listenPanel()->serverName(), QStringLiteral("default"));
}

void TestServerWindow::stopSaysByeToEveryone()
{
    ServerWindow w(testOptions());
    QVERIFY(w.startServer());
    TestClient alice;
    QVERIFY(alice.connectTo(w.server()->port()) && alice.registerAs(QStringLiteral("alice")));
    QTRY_COMPARE(w.clientsModel()->rowCount(), 1);
    QSignalSpy stopped(&w, &ServerWindow::serverStopped);
    w.listenPanel()->stopButton()->click();
    QVERIFY(stopped.wait(5000));
    QVERIFY(!w.server());
    QVERIFY(alice.waitForClose());
    const auto byes = alice.all<protocol::Bye>();
    QCOMPARE(byes.size(), 1);
    QCOMPARE(byes.first().reason, QStringLiteral("shutdown"));
    // The row stays, closed, and Start is offered again.
    QCOMPARE(w.clientsModel()->rowCount(), 1);
    QTRY_VERIFY(w.clientsModel()->index(0, 0).data(ClientsModel::ClosedRole).toBool());
    QVERIFY(w.listenPanel()->startButton()->isEnabled());
    QVERIFY(w.startServer());
    QCOMPARE(w.clientsModel()->rowCount(), 0);
}

// docs/protocol.md, "History on disk": while the disk refuses room messages
// the status line says so, and stops saying it once they are stored again.
void TestServerWindow::statusSaysWhileTheHistoryCannotStore()
{
    QTemporaryDir dir;
    ServerWindowOptions options = testOptions();
    options.config.historyFile = dir.filePath(QStringLiteral("room.jsonl"));
    ServerWindow w(options);
    QVERIFY(w.startServer());
    TestClient alice;
    QVERIFY(alice.connectTo(w.server()->port()) && alice.registerAs(QStringLiteral("alice")));
    alice.send(protocol::Say{QStringLiteral("stored"), {}, 1});
    QVERIFY(alice.waitUntil([&] { return alice.liveMessages().size() == 1; }));
    const QString refusing = QStringLiteral("room messages refused");
    QVERIFY(!w.statusText().contains(refusing));
    {
        FileSizeLimit full(QFileInfo(options.config.historyFile).size());
        alice.send(protocol::Say{QStringLiteral("not stored"), {}, 2});
        QVERIFY(alice.waitUntil([&] { return alice.lastError().has_value(); }));
        QVERIFY2(w.statusText().contains(refusing), qPrintable(w.statusText()));
    }
    alice.send(protocol::Say{QStringLiteral("stored again"), {}, 3});
    QVERIFY(alice.waitUntil([&] { return alice.liveMessages().size() == 2; }));
    QVERIFY2(!w.statusText().contains(refusing), qPrintable(w.statusText()));
}

QTEST_MAIN(TestServerWindow)
#include "tst_serverwindow.moc"
