#include "serverwindow.h"

#include "clientactions.h"
#include "clientsview.h"
#include "listenpanel.h"
#include "roomview.h"

#include "core/chatserver.h"
#include "core/clientsmodel.h"
#include "core/session.h"

#include "net/connection.h"
#include "net/eventlog.h"
#include "net/kernelwatch.h"
#include "ui/connectioninspector.h"
#include "ui/socketlogview.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFrame>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace synack::server {

namespace {

using namespace std::chrono_literals;

const QString kBindKey = QStringLiteral("listen/bind");
const QString kPortKey = QStringLiteral("listen/port");
const QString kNameKey = QStringLiteral("listen/name");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");

QString rate(qint64 delta, qint64 ms)
{
    return ms > 0 ? QLocale().toString(double(std::max<qint64>(0, delta)) * 1000.0 / double(ms),
                                       'f', 0)
                  : QStringLiteral("0");
}

QString byteRate(qint64 delta, qint64 ms)
{
    const qint64 perSecond = ms > 0 ? std::max<qint64>(0, delta) * 1000 / ms : 0;
    return ServerWindow::tr("%1/s").arg(
        QLocale().formattedDataSize(perSecond, 1, QLocale::DataSizeIecFormat));
}

} // namespace

ServerWindow::ServerWindow(const ServerWindowOptions &options, QWidget *parent)
    : QMainWindow(parent)
    , m_baseConfig(options.config)
    , m_model(new ClientsModel(this))
    , m_log(new net::EventLog(this))
    , m_listen(new ListenPanel(this))
    , m_table(new ClientsView(m_model, this))
    , m_actions(new ClientActions(this))
    , m_clearClosed(new QAction(tr("C&lear closed"), this))
    , m_selectedLogOnly(new QAction(tr("Socket log of the &selected clients only"), this))
    , m_room(new RoomView(this))
    , m_inspector(new ui::ConnectionInspector(this))
    , m_logView(new ui::SocketLogView(m_log, this))
    , m_listeningLabel(new QLabel(this))
    , m_clientsLabel(new QLabel(this))
    , m_messagesLabel(new QLabel(this))
    , m_bytesLabel(new QLabel(this))
{
    setWindowTitle(tr("SynAck server"));
    setObjectName(QStringLiteral("ServerWindow"));

    m_clearClosed->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_clearClosed->setToolTip(
        tr("Removes the rows of connections the kernel has forgotten (shown as CLOSED) (%1).")
            .arg(m_clearClosed->shortcut().toString(QKeySequence::NativeText)));
    m_clearClosed->setStatusTip(m_clearClosed->toolTip());
    m_selectedLogOnly->setCheckable(true);
    m_selectedLogOnly->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_selectedLogOnly->setToolTip(
        tr("Show only the socket log of the clients selected in the table, with their frames."));

    // The central area: where the server listens, then its clients.
    auto *listenBox = new QGroupBox(tr("Listening"), this);
    auto *listenLayout = new QVBoxLayout(listenBox);
    listenLayout->addWidget(m_listen);

    auto *toolbar = new QToolBar(tr("Client actions"), this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addWidget(new QLabel(tr("Selected clients:"), toolbar));
    for (QAction *action : m_actions->actions()) {
        if (action)
            toolbar->addAction(action);
        else
            toolbar->addSeparator();
    }
    toolbar->addSeparator();
    toolbar->addAction(m_clearClosed);

    for (QAction *action : m_actions->actions()) {
        if (action) {
            m_table->addAction(action);
        } else {
            auto *separator = new QAction(m_table);
            separator->setSeparator(true);
            m_table->addAction(separator);
        }
    }
    auto *separator = new QAction(m_table);
    separator->setSeparator(true);
    m_table->addAction(separator);
    m_table->addAction(m_clearClosed);

    auto *clientsBox = new QGroupBox(tr("Clients"), this);
    auto *clientsLayout = new QVBoxLayout(clientsBox);
    clientsLayout->addWidget(toolbar);
    clientsLayout->addWidget(m_table);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->addWidget(listenBox);
    centralLayout->addWidget(clientsBox, 1);
    setCentralWidget(central);

    buildDocks();
    buildMenus();

    for (QLabel *label : {m_listeningLabel, m_clientsLabel, m_messagesLabel, m_bytesLabel}) {
        if (label != m_listeningLabel) {
            auto *line = new QFrame(this);
            line->setFrameShape(QFrame::VLine);
            line->setFrameShadow(QFrame::Sunken);
            statusBar()->addPermanentWidget(line);
        }
        label->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(label);
    }
    m_clientsLabel->setToolTip(tr("Clients connected now, and how many of them are in the room."));
    m_messagesLabel->setToolTip(tr("Protocol messages a second, from clients and to them."));
    m_bytesLabel->setToolTip(tr("Bytes a second on all connections, received and sent."));

    connect(m_listen, &ListenPanel::startRequested, this, &ServerWindow::startServer);
    connect(m_listen, &ListenPanel::stopRequested, this, &ServerWindow::stopServer);
    connect(m_listen, &ListenPanel::addressCopied, this, [this](const QString &address) {
        statusBar()->showMessage(tr("Copied %1 to the clipboard.").arg(address), 5000);
    });
    connect(m_table, &ClientsView::sessionSelectionChanged, this,
            &ServerWindow::onSelectionChanged);
    connect(m_model, &ClientsModel::refreshed, m_actions, &ClientActions::updateState);
    connect(m_clearClosed, &QAction::triggered, m_model, &ClientsModel::clearClosed);
    connect(m_selectedLogOnly, &QAction::toggled, this, &ServerWindow::updateLogFilter);

    setTabOrder(m_listen->stopButton(), m_table);
    m_statusTimer.setInterval(1s);
    connect(&m_statusTimer, &QTimer::timeout, this, &ServerWindow::updateStatus);
    m_statusTimer.start();

    restoreSettings(options);
    updateStatus();
    if (options.autoStart)
        QTimer::singleShot(0, this, &ServerWindow::startServer);
}

ServerWindow::~ServerWindow()
{
    // Sessions first, while the views that follow them are still here.
    delete m_server;
    delete m_retired;
}

ChatServer *ServerWindow::server() const
{
    return m_server;
}

void ServerWindow::buildDocks()
{
    const auto dock = [this](const QString &title, const QString &name, QWidget *content) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                       QDockWidget::DockWidgetClosable);
        return d;
    };

    // Right of everything, full height, the selected connection; below the
    // table, the room and the socket log as tabs (the log's rows are long).
    m_inspectorDock = dock(tr("Selected connection"), QStringLiteral("inspectorDock"), m_inspector);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    m_roomDock = dock(tr("Room"), QStringLiteral("roomDock"), m_room);
    addDockWidget(Qt::BottomDockWidgetArea, m_roomDock);

    auto *logBox = new QWidget(this);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    m_selectedOnlyBox = new QCheckBox(tr("Only the &selected clients (with their frames)"), logBox);
    m_selectedOnlyBox->setToolTip(m_selectedLogOnly->toolTip());
    connect(m_selectedOnlyBox, &QCheckBox::toggled, m_selectedLogOnly, &QAction::setChecked);
    connect(m_selectedLogOnly, &QAction::toggled, m_selectedOnlyBox, &QCheckBox::setChecked);
    logLayout->addWidget(m_selectedOnlyBox);
    logLayout->addWidget(m_logView, 1);
    m_logDock = dock(tr("Socket log"), QStringLiteral("socketLogDock"), logBox);
    tabifyDockWidget(m_roomDock, m_logDock);
    m_roomDock->raise();
}

void ServerWindow::showDock(const QString &name)
{
    for (QDockWidget *d : {m_inspectorDock, m_roomDock, m_logDock}) {
        if (d->objectName().startsWith(name)) {
            d->show();
            d->raise();
        }
    }
}

void ServerWindow::applyDefaultLayout()
{
    resizeDocks({m_inspectorDock}, {width() * 2 / 5}, Qt::Horizontal);
    resizeDocks({m_roomDock}, {height() * 2 / 5}, Qt::Vertical);
}

void ServerWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes mean something only once the window has its size.
    if (m_defaultLayoutPending) {
        m_defaultLayoutPending = false;
        applyDefaultLayout();
        QTimer::singleShot(0, this, &ServerWindow::applyDefaultLayout);
    }
}

void ServerWindow::buildMenus()
{
    QMenu *serverMenu = menuBar()->addMenu(tr("&Server"));
    m_startAction = serverMenu->addAction(tr("&Start listening"), this, &ServerWindow::startServer);
    m_startAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_stopAction = serverMenu->addAction(tr("S&top"), this, &ServerWindow::stopServer);
    m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    serverMenu->addSeparator();
    QAction *quit = serverMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *clientsMenu = menuBar()->addMenu(tr("&Clients"));
    clientsMenu->setToolTipsVisible(true);
    for (QAction *action : m_actions->actions()) {
        if (action)
            clientsMenu->addAction(action);
        else
            clientsMenu->addSeparator();
    }
    clientsMenu->addSeparator();
    clientsMenu->addAction(m_clearClosed);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(m_selectedLogOnly);
    viewMenu->addSeparator();
    viewMenu->addAction(m_inspectorDock->toggleViewAction());
    viewMenu->addAction(m_roomDock->toggleViewAction());
    viewMenu->addAction(m_logDock->toggleViewAction());
    viewMenu->addSeparator();
    const auto goTo = [this, viewMenu](const QString &text, int key, QDockWidget *dockWidget,
                                       QWidget *target) {
        QAction *action = viewMenu->addAction(text, this, [dockWidget, target] {
            if (dockWidget) {
                dockWidget->show();
                dockWidget->raise();
            }
            target->setFocus(Qt::ShortcutFocusReason);
        });
        action->setShortcut(QKeySequence(Qt::CTRL | key));
    };
    goTo(tr("Go to the &clients table"), Qt::Key_1, nullptr, m_table);
    goTo(tr("Go to the &inspector"), Qt::Key_2, m_inspectorDock, m_inspector);
    goTo(tr("Go to the &room"), Qt::Key_3, m_roomDock, m_room->messagesView());
    goTo(tr("Go to the socket &log"), Qt::Key_4, m_logDock, m_logView);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&What am I looking at?"), this, [this] {
        QMessageBox::about(
            this, tr("The SynAck server window"),
            tr("<p>This window runs a SynAck chat server and shows its TCP connections as "
               "the kernel sees them.</p>"
               "<p><b>Listening</b>: where clients connect; give them one of the addresses "
               "shown.</p>"
               "<p><b>Clients</b>: one row per connection. A closed connection stays, greyed, "
               "while the kernel still holds its socket (TIME_WAIT, CLOSE_WAIT...), then shows "
               "CLOSED. Select rows and try the actions: each button's tooltip says what the "
               "textbook will show.</p>"
               "<p><b>Selected connection</b>: the state diagram, the ladder of segments, the "
               "timeline, round trips and TCP_INFO of the selected row.</p>"
               "<p><b>Room</b> and <b>Socket log</b>: what the room sees, and every event of "
               "every connection (frames for the selected ones).</p>"));
    });
}

void ServerWindow::restoreSettings(const ServerWindowOptions &options)
{
    const ServerConfig &c = options.config;
    m_listen->setBindAddress(c.bindAddress);
    m_listen->setPort(c.port);
    m_listen->setServerName(c.name);
    m_listen->setPassword(c.password);
    // A first run fills most of the screen; later ones restore what was left.
    const QSize available = screen() ? screen()->availableSize() : QSize(1600, 1000);
    resize(std::min(1800, available.width() * 95 / 100),
           std::min(1000, available.height() * 95 / 100));
    if (!options.restoreSettings)
        return;
    const QSettings settings;
    if (!options.bindGiven && settings.contains(kBindKey))
        m_listen->setBindAddress(QHostAddress(settings.value(kBindKey).toString()));
    if (!options.portGiven && settings.contains(kPortKey))
        m_listen->setPort(quint16(settings.value(kPortKey).toUInt()));
    if (!options.nameGiven && settings.contains(kNameKey))
        m_listen->setServerName(settings.value(kNameKey).toString());
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    if (restoreState(settings.value(kStateKey).toByteArray()))
        m_defaultLayoutPending = false;
}

void ServerWindow::saveListenSettings() const
{
    QSettings settings;
    settings.setValue(kBindKey, m_listen->bindAddress().toString());
    settings.setValue(kPortKey, m_listen->port());
    settings.setValue(kNameKey, m_listen->serverName());
}

void ServerWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
}

QString ServerWindow::plainListenError(const QString &error) const
{
    const quint16 port = m_listen->port();
    if (error.contains(QLatin1StringView("already in use"), Qt::CaseInsensitive))
        return tr("port %1 is already in use, perhaps by another SynAck server. Choose another "
                  "port, or \"any free\".")
            .arg(port);
    if (error.contains(QLatin1StringView("not available"), Qt::CaseInsensitive))
        return tr("%1 is not an address of this machine now. Choose another bind address.")
            .arg(m_listen->bindAddress().toString());
    if (error.contains(QLatin1StringView("permission"), Qt::CaseInsensitive) ||
        error.contains(QLatin1StringView("access"), Qt::CaseInsensitive))
        return tr("the system does not let this program use port %1 (ports below 1024 need "
                  "administrator rights). Choose a port from 1024 up.")
            .arg(port);
    return error;
}

bool ServerWindow::startServer()
{
    if (m_server)
        return true;
    dropRetired();

    ServerConfig config = m_baseConfig;
    config.bindAddress = m_listen->bindAddress();
    config.port = m_listen->port();
    config.name = m_listen->serverName();
    config.password = m_listen->password();
    // The lab's view: every connection's lifecycle in the log, and a FIN
    // without bye taken as a half-close.
    config.recordConnections = true;
    config.halfCloseTolerant = true;

    auto *server = new ChatServer(config, this);
    m_room->setServer(server);
    connect(server, &ChatServer::warning, this, [this](const QString &text) {
        statusBar()->showMessage(text, 15000);
        updateStatus(); // a history that stops (or starts again) storing shows at once
    });
    QString error;
    if (!server->start(&error)) {
        m_room->setServer(nullptr);
        delete server;
        m_listen->showError(plainListenError(error));
        updateStatus();
        return false;
    }
    m_server = server;
    m_log->clear();
    m_fullRecording.clear();
    wireServer(server);
    m_listen->showListening(server->address(), server->port());
    setWindowTitle(tr("SynAck server \"%1\" on port %2").arg(server->name()).arg(server->port()));
    saveListenSettings();
    m_lastSample = {};
    updateStatus();
    emit serverStarted();
    return true;
}

void ServerWindow::wireServer(ChatServer *server)
{
    m_model->setServer(server);
    m_actions->setServer(server);
    m_inspector->setTrace(nullptr);
    m_table->setEmptyHint(
        tr("No clients yet. Run synack-client on a machine of the LAN and connect to one of "
           "the addresses above."));

    connect(server, &ChatServer::sessionAccepted, this,
            [this, server](quint64 id, const QString &peer) {
                const Session *session = server->session(id);
                if (!session)
                    return;
                const net::Connection *connection = session->connection();
                connect(connection, &net::Connection::eventRecorded, m_log, &net::EventLog::append);
                m_log->setConnectionLabel(connection->id(), peer);
            });
    const auto relabel = [this, server](quint64 id, const QString &nick) {
        if (const Session *session = server->session(id))
            m_log->setConnectionLabel(session->connection()->id(),
                                      tr("%1 (%2)").arg(nick, session->peer()));
    };
    connect(server, &ChatServer::sessionRegistered, this, relabel);
    connect(server, &ChatServer::sessionRenamed, this,
            [relabel](quint64 id, const QString &, const QString &to) { relabel(id, to); });
    connect(server, &ChatServer::sessionClosed, this,
            [this](quint64 id) { m_fullRecording.remove(id); });
    connect(server, &ChatServer::shutdownFinished, this, &ServerWindow::onShutdownFinished);
}

void ServerWindow::stopServer()
{
    if (!m_server || m_stopping)
        return;
    m_stopping = true;
    m_listen->showStopping();
    updateStatus();
    m_server->shutdown();
}

void ServerWindow::onShutdownFinished()
{
    m_stopping = false;
    retireServer();
    m_listen->showStopped();
    m_table->setEmptyHint(tr("Not listening: press Start above to let clients in."));
    setWindowTitle(tr("SynAck server"));
    updateStatus();
    emit serverStopped();
    if (m_closeWhenStopped)
        close();
}

void ServerWindow::retireServer()
{
    if (!m_server)
        return;
    m_retired = m_server;
    m_server = nullptr;
    m_actions->setServer(nullptr);
    m_room->setServer(nullptr);
    m_fullRecording.clear();
}

void ServerWindow::dropRetired()
{
    delete m_retired;
}

void ServerWindow::onSelectionChanged()
{
    const QList<quint64> ids = m_table->selectedSessionIds();
    m_actions->setSelection(ids);
    applyRecording(ids);
    m_inspector->setTrace(ids.isEmpty() ? nullptr : m_model->trace(ids.first()));
    updateLogFilter();
}

void ServerWindow::applyRecording(const QList<quint64> &selected)
{
    if (!m_server)
        return;
    const QSet<quint64> wanted(selected.cbegin(), selected.cend());
    for (quint64 id : std::as_const(m_fullRecording)) {
        if (wanted.contains(id))
            continue;
        if (const Session *session = m_server->session(id))
            session->connection()->setRecording(net::Connection::Recording::Lifecycle);
    }
    m_fullRecording.clear();
    for (quint64 id : wanted) {
        if (const Session *session = m_server->session(id)) {
            session->connection()->setRecording(net::Connection::Recording::Full);
            m_fullRecording.insert(id);
        }
    }
}

void ServerWindow::updateLogFilter()
{
    if (!m_selectedLogOnly->isChecked()) {
        m_logView->setConnectionFilter({});
        return;
    }
    QSet<quint64> connections;
    for (quint64 id : m_table->selectedSessionIds()) {
        if (const quint64 connection = m_model->connectionIdOf(id))
            connections.insert(connection);
    }
    // An empty filter lets every connection through; no connection has id 0.
    if (connections.isEmpty())
        connections.insert(0);
    m_logView->setConnectionFilter(connections);
}

bool ServerWindow::selectNick(const QString &nick)
{
    m_model->refresh(); // the row may still be waiting for the next batch
    // The open connection of `nick`, else its latest closed one.
    quint64 chosen = 0;
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        const quint64 id = m_model->sessionIdAt(row);
        if (m_model->nickOf(id).compare(nick, Qt::CaseInsensitive) != 0)
            continue;
        if (m_model->isOpen(id)) {
            chosen = id;
            break;
        }
        if (!chosen)
            chosen = id;
    }
    if (!chosen)
        return false;
    m_table->selectSessions({chosen});
    m_table->setFocus();
    return m_table->selectedSessionIds() == QList<quint64>{chosen};
}

void ServerWindow::updateStatus()
{
    if (m_server && !m_stopping && !m_server->historyProblem().isEmpty())
        m_listeningLabel->setText(
            tr("Listening on port %1; room messages refused, the history file cannot store them "
               "(%2)")
                .arg(m_server->port())
                .arg(m_server->historyProblem()));
    else if (m_server)
        m_listeningLabel->setText(m_stopping ? tr("Stopping...")
                                             : tr("Listening on port %1").arg(m_server->port()));
    else
        m_listeningLabel->setText(tr("Not listening"));
    m_startAction->setEnabled(!m_server);
    m_stopAction->setEnabled(m_server && !m_stopping);

    const qsizetype inRoom = m_server ? m_server->room().size() : 0;
    m_clientsLabel->setText(
        tr("Clients: %1 connected, %2 in the room").arg(m_model->openCount()).arg(inRoom));

    const ClientsModel::Totals totals = m_model->totals();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 ms = m_lastSample.atMs ? now - m_lastSample.atMs : 0;
    m_messagesLabel->setText(tr("Messages: %1/s in, %2/s out")
                                 .arg(rate(totals.messagesIn - m_lastSample.messagesIn, ms),
                                      rate(totals.messagesOut - m_lastSample.messagesOut, ms)));
    m_bytesLabel->setText(tr("Traffic: %1 in, %2 out")
                              .arg(byteRate(totals.bytesIn - m_lastSample.bytesIn, ms),
                                   byteRate(totals.bytesOut - m_lastSample.bytesOut, ms)));
    m_lastSample = {now, totals.messagesIn, totals.messagesOut, totals.bytesIn, totals.bytesOut};

    // A stopped server goes once the kernel has forgotten its last sockets.
    if (m_retired) {
        const net::KernelWatch *watch = m_retired->kernelWatch();
        if (m_retired->sessions().isEmpty() && (!watch || watch->watchedCount() == 0))
            dropRetired();
    }
}

QString ServerWindow::statusText() const
{
    return QStringList{m_listeningLabel->text(), m_clientsLabel->text(), m_messagesLabel->text(),
                       m_bytesLabel->text()}
        .join(QStringLiteral(" | "));
}

void ServerWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    if (m_server) {
        // Say bye to everyone first; close() again once they are gone.
        m_closeWhenStopped = true;
        stopServer();
        event->ignore();
        return;
    }
    event->accept();
}

} // namespace synack::server
