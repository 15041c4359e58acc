// The client window against an in-process ChatServer, driven with keys and
// clicks as a person drives it (offscreen).

#include "chatview.h"
#include "clientstatusbar.h"
#include "connectionpanel.h"
#include "serverfixture.h"
#include "userlistpanel.h"
#include "windowdriver.h"

#include "net/connectiontrace.h"
#include "net/eventlog.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QSettings>
#include <QStandardPaths>
#include <QToolButton>

using namespace synack;
using namespace synack::client;
using namespace synack::test;
using namespace std::chrono_literals;

namespace {

// Short waits: the tests run a server and two clients in one process.
ChatClient::ConnectOptions quickTimings()
{
    ChatClient::ConnectOptions options;
    options.connectTimeout = 3s;
    options.reconnectBase = 1s; // long enough to read the countdown
    options.reconnectMax = 2s;
    return options;
}

void clearSettings()
{
    QSettings(QStringLiteral("SynAck"), QStringLiteral("synack-client")).clear();
}

} // namespace

class TestClientWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void typedLineIsMarkedDelivered();
    void othersMessagesShowTheirNick();
    void userListFollowsJoinsAndLeaves();
    void serverStopShowsCountdownAndLosesMessages();
    void errorsAppearNextToTheirField();
    void wrongPasswordIsShownAtThePasswordField();
    void commandsWorkAsOnTheCommandLine();
    void doubleClickingAUserStartsAPrivateMessage();
    void abortIsFollowedByAReconnect();
    void disconnectKeepsTheClosingTrace();
    void socketLogFillsUp();
    void unreadCountInTheTitle();
    void settingsAreRemembered();
    void turningAutoReconnectOffEndsTheWait();
    void halfCloseToleranceReachesTheConnection();
};

void TestClientWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestClientWindow::init()
{
    clearSettings();
}

void TestClientWindow::typedLineIsMarkedDelivered()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.setOptionsTemplate(quickTimings());
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    QCOMPARE(window.connectPanel()->connectButton()->text(), QStringLiteral("Disconnect"));
    QVERIFY(window.clientStatusBar()->stateText().contains(QStringLiteral("Online as alice")));
    QVERIFY(window.windowTitle().contains(QStringLiteral("alice")));

    typeLine(window, QStringLiteral("hello, room"));
    QCOMPARE(window.composeBox()->input()->text(), QString()); // sent and cleared
    const ChatModel &model = *window.chatModel();
    QVERIFY(rowWithText(model, QStringLiteral("hello, room")) >= 0);
    QCOMPARE(roleOf(model, QStringLiteral("hello, room"), ChatModel::OwnRole).toBool(), true);
    QTRY_COMPARE(statusOf(model, QStringLiteral("hello, room")), DeliveryStatus::Delivered);
    // The echo updated the row rather than adding one.
    int copies = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        copies += model.index(row).data(ChatModel::TextRole) == QStringLiteral("hello, room");
    QCOMPARE(copies, 1);

    // Shift+Enter breaks the line; Enter sends both lines as one message.
    MessageInput *input = window.composeBox()->input();
    QTest::keyClicks(input, QStringLiteral("one"));
    QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(input, QStringLiteral("two"));
    QCOMPARE(input->text(), QStringLiteral("one\ntwo"));
    QTest::keyClick(input, Qt::Key_Return);
    QTRY_COMPARE(statusOf(model, QStringLiteral("one\ntwo")), DeliveryStatus::Delivered);

    // Up recalls the lines sent, newest first; Down comes back to the draft.
    QTest::keyClicks(input, QStringLiteral("draft"));
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("one\ntwo"));
    QTest::keyClick(input, Qt::Key_Up); // the cursor is on the last line: up to "one"
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("hello, room"));
    QTest::keyClick(input, Qt::Key_Down);
    QTest::keyClick(input, Qt::Key_Down);
    QCOMPARE(input->text(), QStringLiteral("draft"));
}

void TestClientWindow::othersMessagesShowTheirNick()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());

    auto bob = running.join(QStringLiteral("bob"));
    QVERIFY(bob);
    bob->send(protocol::Say{QStringLiteral("hi alice, 你好 👋"), std::nullopt, 1});
    const ChatModel &model = *window.chatModel();
    QTRY_VERIFY(rowWithText(model, QStringLiteral("hi alice, 你好 👋")) >= 0);
    QCOMPARE(roleOf(model, QStringLiteral("hi alice, 你好 👋"), ChatModel::NickRole).toString(),
             QStringLiteral("bob"));
    QCOMPARE(roleOf(model, QStringLiteral("hi alice, 你好 👋"), ChatModel::OwnRole).toBool(), false);
    QVERIFY(!statusOf(model, QStringLiteral("hi alice, 你好 👋")));

    // A private message is set apart.
    bob->send(protocol::Say{QStringLiteral("just you"), QStringLiteral("alice"), 2});
    QTRY_VERIFY(rowWithText(model, QStringLiteral("just you")) >= 0);
    QVERIFY(roleOf(model, QStringLiteral("just you"), ChatModel::PrivateRole).toBool());
    QCOMPARE(roleOf(model, QStringLiteral("just you"), ChatModel::PeerRole).toString(),
             QStringLiteral("bob"));
}

void TestClientWindow::userListFollowsJoinsAndLeaves()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    UserListPanel *users = window.userList();
    QCOMPARE(users->users(), QStringList{QStringLiteral("alice")});
    QVERIFY(users->countLabel()->text().contains(u'1'));

    auto bob = running.join(QStringLiteral("bob"));
    QVERIFY(bob);
    QTRY_COMPARE(users->users(), (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY(users->countLabel()->text().contains(u'2'));
    QVERIFY(hasSystemLine(*window.chatModel(), QStringLiteral("bob joined")));

    bob->send(protocol::Bye{QStringLiteral("quit"), std::nullopt});
    QTRY_COMPARE(users->users(), QStringList{QStringLiteral("alice")});
    QVERIFY(users->countLabel()->text().contains(u'1'));
    QVERIFY(hasSystemLine(*window.chatModel(), QStringLiteral("bob left (quit)")));
}

void TestClientWindow::serverStopShowsCountdownAndLosesMessages()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.setOptionsTemplate(quickTimings());
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    const ChatModel &model = *window.chatModel();

    // Sent, and the server stops before reading it: never delivered.
    typeLine(window, QStringLiteral("are you there?"));
    QCOMPARE(statusOf(model, QStringLiteral("are you there?")), DeliveryStatus::Pending);
    running.server->shutdown();
    QTRY_COMPARE(statusOf(model, QStringLiteral("are you there?")), DeliveryStatus::NotDelivered);
    QVERIFY(!roleOf(model, QStringLiteral("are you there?"), ChatModel::ReasonRole)
                 .toString()
                 .isEmpty());

    ClientStatusBar *status = window.clientStatusBar();
    QTRY_VERIFY2(status->stateText().contains(QStringLiteral("reconnecting in")),
                 qPrintable(status->stateText()));
    QVERIFY(status->reconnectNowButton()->isVisible());
    QVERIFY(hasSystemLine(model, QStringLiteral("shut down")));
    QCOMPARE(window.userList()->count(), 0);

    // Typed while the server is gone: reported at once, not kept for later.
    typeLine(window, QStringLiteral("anyone?"));
    QTRY_COMPARE(statusOf(model, QStringLiteral("anyone?")), DeliveryStatus::NotDelivered);
    QCOMPARE(roleOf(model, QStringLiteral("anyone?"), ChatModel::ReasonRole).toString(),
             QStringLiteral("not connected"));
    QVERIFY(window.client()->state() != ChatClient::State::Online);
}

void TestClientWindow::errorsAppearNextToTheirField()
{
    RunningServer running;
    QVERIFY(running.started);
    auto bob = running.join(QStringLiteral("bob"));
    QVERIFY(bob);
    ClientWindow window;
    window.setOptionsTemplate(quickTimings());
    window.show();
    ConnectPanel *panel = window.connectPanel();

    // Checked before connecting.
    fillConnectBar(window, running.server->port(), QStringLiteral("two words"));
    clickConnect(window);
    QVERIFY(!panel->errorText(ConnectPanel::Field::Nick).isEmpty());
    QCOMPARE(window.client()->state(), ChatClient::State::Disconnected);
    panel->hostBox()->setEditText(QString());
    clickConnect(window);
    QVERIFY(!panel->errorText(ConnectPanel::Field::Host).isEmpty());

    // The server's answer: the nick is taken (final at the first hello).
    fillConnectBar(window, running.server->port(), QStringLiteral("Bob"));
    clickConnect(window);
    QTRY_VERIFY(!panel->errorText(ConnectPanel::Field::Nick).isEmpty());
    QVERIFY2(panel->errorText(ConnectPanel::Field::Nick).contains(QStringLiteral("nick")),
             qPrintable(panel->errorText(ConnectPanel::Field::Nick)));
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Disconnected);
    QCOMPARE(panel->mode(), ConnectPanel::Mode::Idle);
    QVERIFY(panel->errorText(ConnectPanel::Field::Host).isEmpty());

    // Typing in the field clears its error.
    QTest::keyClick(panel->nickEdit(), Qt::Key_Backspace);
    QVERIFY(panel->errorText(ConnectPanel::Field::Nick).isEmpty());

    // Nothing listens: refused, shown at the host, and retried.
    quint16 closedPort = running.server->port();
    running.server.reset();
    fillConnectBar(window, closedPort, QStringLiteral("carol"));
    clickConnect(window);
    QTRY_VERIFY(!panel->errorText(ConnectPanel::Field::Host).isEmpty());
    QVERIFY2(panel->errorText(ConnectPanel::Field::Host).contains(QStringLiteral("Refused")),
             qPrintable(panel->errorText(ConnectPanel::Field::Host)));
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Reconnecting);
    QCOMPARE(panel->connectButton()->text(), QStringLiteral("Cancel"));
    QTest::mouseClick(panel->connectButton(), Qt::LeftButton);
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Disconnected);
}

void TestClientWindow::wrongPasswordIsShownAtThePasswordField()
{
    auto config = testConfig();
    config.password = QStringLiteral("sesame");
    RunningServer running(config);
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"),
                   QStringLiteral("guess"));
    clickConnect(window);
    ConnectPanel *panel = window.connectPanel();
    QTRY_VERIFY(!panel->errorText(ConnectPanel::Field::Password).isEmpty());
    QCOMPARE(panel->errorText(ConnectPanel::Field::Password), QStringLiteral("Wrong password."));
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Disconnected);

    panel->passwordEdit()->setText(QStringLiteral("sesame"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    QVERIFY(panel->errorText(ConnectPanel::Field::Password).isEmpty());
}

void TestClientWindow::commandsWorkAsOnTheCommandLine()
{
    RunningServer running;
    QVERIFY(running.started);
    auto bob = running.join(QStringLiteral("bob"));
    QVERIFY(bob);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    const ChatModel &model = *window.chatModel();

    typeLine(window, QStringLiteral("/msg bob psst"));
    QTRY_COMPARE(statusOf(model, QStringLiteral("psst")), DeliveryStatus::Delivered);
    QVERIFY(roleOf(model, QStringLiteral("psst"), ChatModel::PrivateRole).toBool());
    QCOMPARE(roleOf(model, QStringLiteral("psst"), ChatModel::PeerRole).toString(),
             QStringLiteral("bob"));
    QVERIFY(bob->waitUntil([&] {
        const auto live = bob->liveMessages();
        return !live.isEmpty() && live.last().text == QStringLiteral("psst");
    }));

    typeLine(window, QStringLiteral("/msg nobody hello"));
    QTRY_COMPARE(statusOf(model, QStringLiteral("hello")), DeliveryStatus::Rejected);

    typeLine(window, QStringLiteral("/who"));
    QTRY_VERIFY(hasSystemLine(model, QStringLiteral("alice, bob")));

    typeLine(window, QStringLiteral("/nick alicia"));
    QTRY_COMPARE(window.client()->nick(), QStringLiteral("alicia"));
    QCOMPARE(window.connectPanel()->nick(), QStringLiteral("alicia"));
    QVERIFY(hasSystemLine(model, QStringLiteral("You are now alicia")));
    QTRY_VERIFY(window.userList()->users().contains(QStringLiteral("alicia")));

    typeLine(window, QStringLiteral("/bogus"));
    QCOMPARE(window.composeBox()->input()->text(), QStringLiteral("/bogus")); // kept, to fix
    window.composeBox()->input()->clear();

    typeLine(window, QStringLiteral("/quit see you"));
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Disconnected);
    QVERIFY(bob->waitUntil([&] { return !bob->all<protocol::Leave>().isEmpty(); }));
    QCOMPARE(bob->all<protocol::Leave>().last().nick, QStringLiteral("alicia"));
    QCOMPARE(window.connectPanel()->connectButton()->text(), QStringLiteral("Connect"));
}

void TestClientWindow::doubleClickingAUserStartsAPrivateMessage()
{
    RunningServer running;
    QVERIFY(running.started);
    auto bob = running.join(QStringLiteral("bob"));
    QVERIFY(bob);
    ClientWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_COMPARE(window.userList()->count(), 2);
    QListView *list = window.userList()->listView();
    const QModelIndex bobRow = list->model()->index(1, 0);
    QCOMPARE(bobRow.data(UserListPanel::NickRole).toString(), QStringLiteral("bob"));
    const QPoint at = list->visualRect(bobRow).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(window.composeBox()->input()->text(), QStringLiteral("/msg bob "));
    QTest::keyClicks(window.composeBox()->input(), QStringLiteral("over here"));
    QTest::keyClick(window.composeBox()->input(), Qt::Key_Return);
    QTRY_COMPARE(statusOf(*window.chatModel(), QStringLiteral("over here")),
                 DeliveryStatus::Delivered);
}

void TestClientWindow::abortIsFollowedByAReconnect()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.setOptionsTemplate(quickTimings());
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    ConnectionPanel *panel = window.connectionPanel();
    QVERIFY(panel->abortButton()->isEnabled());
    net::ConnectionTrace *first = panel->shownTrace();
    QVERIFY(first);

    QTest::mouseClick(panel->abortButton(), Qt::LeftButton);
    QTRY_VERIFY(first->isClosed());
    QVERIFY(first->sawReset() && first->resetSentByLocal());
    QVERIFY(hasSystemLine(*window.chatModel(), QStringLiteral("RST")));
    // A lab abort is a drop like any other: auto-reconnect follows.
    QTRY_VERIFY_WITH_TIMEOUT(window.client()->isOnline(), 10000);
    QVERIFY(hasSystemLine(*window.chatModel(), QStringLiteral("Reconnected as alice")));
    QCOMPARE(panel->traces().size(), 2);
    QVERIFY(panel->shownTrace() != first);
    QCOMPARE(panel->traceChooser()->count(), 2);
}

void TestClientWindow::disconnectKeepsTheClosingTrace()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    ConnectionPanel *panel = window.connectionPanel();
    net::ConnectionTrace *trace = panel->shownTrace();
    QVERIFY(trace);

    QTest::mouseClick(panel->disconnectButton(), Qt::LeftButton);
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Disconnected);
    QTRY_VERIFY(trace->isClosed());
    QCOMPARE(panel->shownTrace(), trace); // still shown after the connection is gone
    QVERIFY(!panel->abortButton()->isEnabled());
    QVERIFY(!panel->disconnectButton()->isEnabled());
    QString whyNot;
    if (net::KernelProbe::isAvailable(&whyNot)) {
        // We closed first: this side waits in TIME_WAIT, and the panel says so.
        QTRY_COMPARE(trace->kernelState(), net::TcpState::TimeWait);
        QTRY_VERIFY2(panel->traceChooser()->itemText(0).contains(QStringLiteral("TIME_WAIT")) &&
                         panel->traceChooser()->itemText(0).contains(QStringLiteral("s left")),
                     qPrintable(panel->traceChooser()->itemText(0)));
    } else {
        qInfo("kernel probe not available: %s", qPrintable(whyNot));
    }
}

void TestClientWindow::socketLogFillsUp()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    net::EventLog *log = window.eventLog();
    QTRY_VERIFY(log->rowCount() > 0);
    bool sawHello = false;
    for (int row = 0; row < log->rowCount(); ++row)
        sawHello = sawHello || (log->event(row).kind == net::EventKind::Frame &&
                                log->event(row).type == QStringLiteral("hello"));
    QVERIFY(sawHello);
    QVERIFY(window.socketLogDock()->toggleViewAction());
}

void TestClientWindow::unreadCountInTheTitle()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    QWidget other;
    other.show();
    other.activateWindow();
    QTRY_VERIFY(!window.isActiveWindow());

    auto bob = running.join(QStringLiteral("bob"));
    QVERIFY(bob);
    bob->send(protocol::Say{QStringLiteral("one"), std::nullopt, 1});
    bob->send(protocol::Say{QStringLiteral("two"), std::nullopt, 2});
    QTRY_COMPARE(window.unreadCount(), 2);
    QVERIFY2(window.windowTitle().startsWith(QStringLiteral("(2) ")),
             qPrintable(window.windowTitle()));

    window.activateWindow();
    QTRY_COMPARE(window.unreadCount(), 0);
    QVERIFY(!window.windowTitle().startsWith(u'('));
}

void TestClientWindow::settingsAreRemembered()
{
    RunningServer running;
    QVERIFY(running.started);
    {
        ClientWindow window;
        window.show();
        fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
        window.connectPanel()->autoReconnectBox()->setChecked(false);
        clickConnect(window);
        QTRY_VERIFY(window.client()->isOnline());
        window.close();
    }
    ClientWindow again;
    ConnectPanel *panel = again.connectPanel();
    QCOMPARE(panel->nick(), QStringLiteral("alice"));
    QCOMPARE(panel->host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(panel->port(), running.server->port());
    QVERIFY(!panel->autoReconnect());
    QCOMPARE(panel->recentHosts().size(), 1);
    QCOMPARE(panel->recentHosts().first().port, running.server->port());
    QVERIFY(panel->password().isEmpty()); // never remembered
}

void TestClientWindow::turningAutoReconnectOffEndsTheWait()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.setOptionsTemplate(quickTimings());
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    running.server->shutdown();
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Reconnecting);

    QTest::mouseClick(window.connectPanel()->autoReconnectBox(), Qt::LeftButton);
    QVERIFY(!window.connectPanel()->autoReconnect());
    QCOMPARE(window.client()->state(), ChatClient::State::Disconnected);
    QCOMPARE(window.connectPanel()->connectButton()->text(), QStringLiteral("Connect"));
    QVERIFY(window.clientStatusBar()->stateText().contains(QStringLiteral("Not connected")));
}

void TestClientWindow::halfCloseToleranceReachesTheConnection()
{
    RunningServer running;
    QVERIFY(running.started);
    ClientWindow window;
    window.show();
    fillConnectBar(window, running.server->port(), QStringLiteral("alice"));
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    QVERIFY(!window.client()->connection()->settings().halfCloseTolerant);
    QTest::mouseClick(window.connectPanel()->connectButton(), Qt::LeftButton); // Disconnect
    QTRY_COMPARE(window.client()->state(), ChatClient::State::Disconnected);

    window.connectionPanel()->tolerateHalfCloseBox()->setChecked(true);
    clickConnect(window);
    QTRY_VERIFY(window.client()->isOnline());
    QVERIFY(window.client()->connection()->settings().halfCloseTolerant);
}

QTEST_MAIN(TestClientWindow)
#include "tst_clientwindow.moc"
