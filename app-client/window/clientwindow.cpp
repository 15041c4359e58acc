#include "clientwindow.h"

#include "chatmodel.h"
#include "chatview.h"
#include "clientstatusbar.h"
#include "commandparser.h"
#include "composebox.h"
#include "connectionpanel.h"
#include "connectpanel.h"
#include "hostlistmodel.h"
#include "messageinput.h"
#include "userlistpanel.h"

#include "net/eventlog.h"
#include "net/kernelwatch.h"
#include "protocol/nick.h"
#include "ui/connectioninspector.h"
#include "ui/socketlogview.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace synack::client {

namespace {

using namespace std::chrono_literals;

constexpr auto kSayDelay = 300ms;

// Which field of the connect bar an error concerns, if any.
std::optional<ConnectPanel::Field> fieldOf(ClientError kind)
{
    switch (kind) {
    case ClientError::NickTaken:
    case ClientError::NickInvalid:
        return ConnectPanel::Field::Nick;
    case ClientError::WrongPassword:
        return ConnectPanel::Field::Password;
    case ClientError::HostNotFound:
    case ClientError::Refused:
    case ClientError::TimedOut:
    case ClientError::Unreachable:
        return ConnectPanel::Field::Host;
    case ClientError::ServerFull:
    case ClientError::VersionMismatch:
        return ConnectPanel::Field::Connection;
    case ClientError::ProtocolError:
    case ClientError::ConnectionLost:
    case ClientError::Kicked:
    case ClientError::Rejected:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

ClientWindow::ClientWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_client(new ChatClient(this))
    , m_watch(new net::KernelWatch(this))
    , m_log(new net::EventLog(this))
    , m_model(new ChatModel(this))
    , m_connectPanel(new ConnectPanel(this))
    , m_chatView(new ChatView(this))
    , m_compose(new ComposeBox(this))
    , m_users(new UserListPanel(this))
    , m_connectionPanel(new ConnectionPanel(m_client, m_watch, m_log, this))
    , m_connectionDock(new QDockWidget(tr("Connection"), this))
    , m_logView(new ui::SocketLogView(m_log, this))
    , m_logDock(new QDockWidget(tr("Socket log"), this))
    , m_statusBar(new ClientStatusBar(m_client, this))
{
    m_model->follow(m_client);
    m_chatView->setChatModel(m_model);
    m_client->setConnectionPreparer(
        [this](net::Connection *connection) { prepareConnection(connection); });

    // Middle: the conversation and the message box, then the people.
    auto *chat = new QWidget(this);
    auto *chatLayout = new QVBoxLayout(chat);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->addWidget(m_chatView, 1);
    chatLayout->addWidget(m_compose);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("chatSplitter"));
    splitter->addWidget(chat);
    splitter->addWidget(m_users);
    splitter->setStretchFactor(0, 1);
    splitter->setSizes({600, 150});
    splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(4, 4, 4, 4);
    centralLayout->addWidget(splitter, 1);
    setCentralWidget(central);

    // The connect bar spans the window, over the connection panel too.
    auto *connectBar = new QToolBar(tr("Connect"), this);
    connectBar->setObjectName(QStringLiteral("connectBar"));
    connectBar->setMovable(false);
    connectBar->setFloatable(false);
    connectBar->toggleViewAction()->setVisible(false); // never hidden
    connectBar->addWidget(m_connectPanel);
    addToolBar(Qt::TopToolBarArea, connectBar);

    m_connectionDock->setObjectName(QStringLiteral("connectionDock"));
    m_connectionDock->setWidget(m_connectionPanel);
    m_connectionDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                                  QDockWidget::DockWidgetFloatable);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea); // the panel gets the full height
    addDockWidget(Qt::RightDockWidgetArea, m_connectionDock);
    m_logDock->setObjectName(QStringLiteral("socketLogDock"));
    m_logDock->setWidget(m_logView);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logView->setFollow(true);
    setStatusBar(m_statusBar);
    buildMenus();
    setTabOrder(m_compose->input(), m_compose->sendButton());

    connect(m_connectPanel, &ConnectPanel::connectRequested, this, &ClientWindow::connectToServer);
    connect(m_connectPanel, &ConnectPanel::disconnectRequested, this,
            [this] { m_client->disconnectFromServer(); });
    connect(m_connectPanel, &ConnectPanel::autoReconnectChanged, this, [this](bool on) {
        m_settings.setAutoReconnect(on);
        m_client->setAutoReconnect(on); // the session under way too
    });
    connect(m_compose, &ComposeBox::submitted, this, &ClientWindow::onLine);
    connect(m_users, &UserListPanel::privateMessageRequested, this, [this](const QString &nick) {
        m_compose->input()->setText(QStringLiteral("/msg %1 ").arg(nick));
        m_compose->input()->setFocus();
    });
    connect(m_chatView, &ChatView::nickActivated, m_users, &UserListPanel::privateMessageRequested);
    connect(m_connectionPanel, &ConnectionPanel::labAction, this,
            [this](const QString &text) { m_model->addSystem(text); });

    connect(m_client, &ChatClient::stateChanged, this, &ClientWindow::onState);
    connect(m_client, &ChatClient::errorOccurred, this, &ClientWindow::onError);
    connect(m_client, &ChatClient::messageReceived, this, &ClientWindow::onMessage);
    connect(m_client, &ChatClient::usersChanged, this,
            [this](const QStringList &users) { m_users->setUsers(users, m_client->nick()); });
    connect(m_client, &ChatClient::userRenamed, this, [this](const QString &, const QString &to) {
        if (protocol::sameNick(to, m_client->nick())) {
            m_connectPanel->setNick(to);
            m_settings.setNick(to);
            updateTitle();
        }
    });
    connect(m_client, &ChatClient::reconnectScheduled, this,
            [this](std::chrono::milliseconds delay) {
                const int seconds = int((delay.count() + 999) / 1000);
                if (!m_repeatedFailure)
                    m_model->addSystem(tr("Reconnecting in %n s...", nullptr, seconds));
            });

    restoreSettings();
    onState(m_client->state());
    m_compose->input()->setFocus();
}

ClientWindow::~ClientWindow()
{
    // The client's last signals must not reach half-destroyed parts.
    m_client->disconnect(this);
    m_client->setConnectionPreparer({});
}

void ClientWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Chat"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *connection = m_connectionDock->toggleViewAction();
    connection->setText(tr("&Connection panel"));
    view->addAction(connection);
    QAction *log = m_logDock->toggleViewAction();
    log->setText(tr("&Socket log"));
    view->addAction(log);
}

void ClientWindow::restoreSettings()
{
    m_connectPanel->setRecentHosts(m_settings.recentHosts());
    const QList<HostAndPort> recent = m_settings.recentHosts();
    if (!recent.isEmpty())
        m_connectPanel->setHost(recent.first().host);
    m_connectPanel->setPort(recent.isEmpty() ? m_settings.port() : recent.first().port);
    m_connectPanel->setNick(m_settings.nick());
    m_connectPanel->setAutoReconnect(m_settings.autoReconnect());
    if (!restoreGeometry(m_settings.geometry())) {
        const QSize available = screen() ? screen()->availableSize() : QSize(1280, 800);
        resize(std::min(1280, available.width()), std::min(820, available.height()));
    }
    m_layoutDocks = !restoreState(m_settings.windowState()); // first run: see showEvent
}

void ClientWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_layoutDocks)
        return;
    m_layoutDocks = false;
    // Once the window has its size: the connection panel takes a bit less than half.
    QTimer::singleShot(0, this, [this] {
        const int inspector = m_connectionPanel->inspector()->minimumSizeHint().width() + 40;
        resizeDocks(
            {m_connectionDock},
            {std::clamp(width() * 45 / 100, std::min(inspector, width() / 2), width() * 6 / 10)},
            Qt::Horizontal);
        resizeDocks({m_logDock}, {std::min(220, height() / 4)}, Qt::Vertical);
    });
}

void ClientWindow::saveSettings()
{
    m_settings.setNick(m_connectPanel->nick());
    m_settings.setPort(m_connectPanel->port());
    m_settings.setAutoReconnect(m_connectPanel->autoReconnect());
    m_settings.setGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    m_settings.sync();
}

void ClientWindow::start(const StartOptions &options)
{
    if (options.host)
        m_connectPanel->setHost(*options.host);
    if (options.port)
        m_connectPanel->setPort(*options.port);
    if (options.nick)
        m_connectPanel->setNick(*options.nick);
    if (options.password)
        m_connectPanel->setPassword(*options.password);
    m_sayWhenOnline = options.sayWhenOnline;
    if (options.connectNow)
        m_connectPanel->requestConnect();
}

void ClientWindow::prepareConnection(net::Connection *connection)
{
    if (m_watch->isAvailable())
        connection->setKernelWatch(m_watch); // from SYN_SENT on
    connection->setRecording(net::Connection::Recording::Full);
    m_log->setConnectionLabel(
        connection->id(),
        tr("#%1 %2 to %3").arg(connection->id()).arg(m_client->nick(), m_client->endpoint()));
    connect(connection, &net::Connection::eventRecorded, m_log, &net::EventLog::append);
}

void ClientWindow::connectToServer()
{
    ChatClient::ConnectOptions options = m_template;
    options.host = m_connectPanel->host();
    options.port = m_connectPanel->port();
    options.nick = m_connectPanel->nick();
    options.password = m_connectPanel->password();
    options.autoReconnect = m_connectPanel->autoReconnect();
    options.halfCloseTolerant =
        m_template.halfCloseTolerant || m_connectionPanel->tolerateHalfClose();
    m_wasOnline = false;
    m_lastFailure.clear();
    m_settings.setNick(options.nick);
    m_settings.setPort(options.port);
    m_client->connectToServer(options);
}

void ClientWindow::onLine(const QString &line)
{
    MessageInput *input = m_compose->input();
    const Command command = parseCommand(line);
    switch (command.kind) {
    case Command::Kind::Empty:
        return;
    case Command::Kind::Invalid:
        m_model->addSystem(command.error, ChatModel::Kind::Warning);
        return; // the line stays, to be corrected
    case Command::Kind::Say:
    case Command::Kind::Private: {
        const std::optional<QString> to =
            command.kind == Command::Kind::Private ? std::optional(command.target) : std::nullopt;
        const quint64 id = m_client->sendMessage(command.text, to);
        m_model->addOwn(id, m_client->nick(), command.text, to);
        break;
    }
    case Command::Kind::Nick:
        m_client->changeNick(command.target);
        break;
    case Command::Kind::Who:
        m_client->requestUsers();
        break;
    case Command::Kind::Quit:
        m_client->disconnectFromServer(command.text);
        break;
    }
    input->addToHistory(line);
    input->clear();
}

void ClientWindow::onState(ChatClient::State state)
{
    const ChatClient::State previous = m_lastState;
    m_lastState = state;
    switch (state) {
    case ChatClient::State::Disconnected:
        m_connectPanel->setMode(ConnectPanel::Mode::Idle);
        if (previous != ChatClient::State::Disconnected)
            m_model->addSystem(tr("Disconnected."));
        break;
    case ChatClient::State::Connecting:
    case ChatClient::State::Registering:
        m_connectPanel->setMode(ConnectPanel::Mode::Connecting);
        if (previous == ChatClient::State::Disconnected)
            m_model->addSystem(tr("Connecting to %1...").arg(m_client->endpoint()));
        break;
    case ChatClient::State::Reconnecting:
        m_connectPanel->setMode(ConnectPanel::Mode::Connecting);
        break;
    case ChatClient::State::Online: {
        m_connectPanel->setMode(ConnectPanel::Mode::Connected);
        m_connectPanel->clearErrors();
        m_lastFailure.clear();
        const auto &welcome = m_client->welcome();
        if (welcome)
            m_compose->setMaxBytes(qsizetype(welcome->maxText));
        if (m_wasOnline) {
            m_model->addSystem(tr("Reconnected as %1.").arg(m_client->nick()));
        } else {
            m_model->addSystem(
                tr("Connected to %1 (server \"%2\") as %3.")
                    .arg(m_client->endpoint(), m_client->serverName(), m_client->nick()));
            if (welcome && welcome->motd && !welcome->motd->isEmpty())
                m_model->addSystem(tr("Message of the day: %1").arg(*welcome->motd));
        }
        m_wasOnline = true;
        m_settings.addRecentHost({m_client->options().host, m_client->options().port});
        m_connectPanel->setRecentHosts(m_settings.recentHosts());
        // After the backlog that follows welcome, so the lines come in order.
        if (!m_sayWhenOnline.isEmpty())
            QTimer::singleShot(kSayDelay, this, [this] {
                const QStringList say = std::exchange(m_sayWhenOnline, {});
                for (const QString &text : say)
                    onLine(text);
            });
        break;
    }
    }
    updateTitle();
}

void ClientWindow::onError(ClientError kind, const QString &message, bool fatal)
{
    const bool connecting = !m_wasOnline;
    // Trying again and failing the same way says nothing new: once is enough.
    const QString said = message.isEmpty() ? message : message.at(0).toUpper() + message.mid(1);
    m_repeatedFailure = !fatal && kind != ClientError::Rejected && said == m_lastFailure;
    if (!m_repeatedFailure)
        m_model->addSystem(said, ChatModel::Kind::Warning);
    if (kind != ClientError::Rejected)
        m_lastFailure = said;

    const auto field = fieldOf(kind);
    if (!field || (!connecting && !fatal))
        return;
    QString text;
    switch (kind) {
    case ClientError::NickTaken:
        text = tr("Someone in the room already has this nick: choose another.");
        break;
    case ClientError::NickInvalid:
        text = tr("The server does not accept this nick.");
        break;
    case ClientError::WrongPassword:
        text = m_connectPanel->password().isEmpty() ? tr("This server needs a password.")
                                                    : tr("Wrong password.");
        break;
    case ClientError::HostNotFound:
        text = tr("No host by this name: check the spelling, or use an IP address.");
        break;
    case ClientError::Refused:
        text = tr("Refused: nothing listens on port %1 there. Is the server running?")
                   .arg(m_client->options().port);
        break;
    case ClientError::TimedOut:
        text = tr("No answer: check the address, or a firewall in the way.");
        break;
    case ClientError::Unreachable:
        text = tr("Cannot reach this address from here.");
        break;
    case ClientError::ServerFull:
        text = tr("The server is full: try again later.");
        break;
    case ClientError::VersionMismatch:
        text = tr("This server speaks another version of the protocol.");
        break;
    default:
        text = said;
        break;
    }
    m_connectPanel->showError(*field, text);
}

void ClientWindow::onMessage(const ChatLine &line)
{
    if (line.isOwn || line.backlog || isActiveWindow())
        return;
    ++m_unread;
    updateTitle();
}

void ClientWindow::updateTitle()
{
    QString title;
    if (m_client->state() == ChatClient::State::Online)
        title = tr("%1 at %2 - SynAck").arg(m_client->nick(), m_client->endpoint());
    else
        title = tr("SynAck chat");
    if (m_unread > 0)
        title = tr("(%1) %2").arg(m_unread).arg(title);
    setWindowTitle(title);
}

void ClientWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && m_unread > 0) {
        m_unread = 0;
        updateTitle();
    }
    QMainWindow::changeEvent(event);
}

void ClientWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_client->state() != ChatClient::State::Disconnected)
        m_client->disconnectFromServer();
    event->accept();
}

} // namespace synack::client
