#pragma once

// The server's window: wiring only. The listen panel starts and stops a
// ChatServer; the clients table (ClientsModel) shows its sessions; the
// actions act on the selected ones; the inspector shows the current one's
// ConnectionTrace; the room view and the socket log (one EventLog fed by
// every connection) show the rest; the status bar counts. It never touches a
// socket or a frame itself.
//
// Recording: every connection records its lifecycle; the selected ones also
// record their frames (Connection::Recording::Full), and drop back when
// deselected, so a thousand clients cost the log almost nothing.

#include "core/serverconfig.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QAction;
class QCheckBox;
class QDockWidget;
class QLabel;

namespace synack::net {
class EventLog;
} // namespace synack::net

namespace synack::ui {
class ConnectionInspector;
class SocketLogView;
} // namespace synack::ui

namespace synack::server {

class ChatServer;
class ClientActions;
class ClientsModel;
class ClientsView;
class ListenPanel;
class RoomView;

struct ServerWindowOptions
{
    // Everything the listen panel does not edit comes from here (timers,
    // limits, discovery, history); its bind address, port and name are the
    // panel's first values unless remembered settings replace them.
    ServerConfig config;
    // Take the last bind address, port and name from the settings, each one
    // unless the command line gave it.
    bool restoreSettings = true;
    bool bindGiven = false;
    bool portGiven = false;
    bool nameGiven = false;
    // Start listening as soon as the window is shown.
    bool autoStart = true;
};

class ServerWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit ServerWindow(const ServerWindowOptions &options, QWidget *parent = nullptr);
    ~ServerWindow() override;

    // With the panel's values; false (and the reason beside the port) when
    // the server cannot listen.
    bool startServer();
    // Says bye to every client; serverStopped() when they are gone.
    void stopServer();
    // Null while stopped.
    ChatServer *server() const;

    ListenPanel *listenPanel() const { return m_listen; }
    ClientsModel *clientsModel() const { return m_model; }
    ClientsView *clientsView() const { return m_table; }
    ClientActions *clientActions() const { return m_actions; }
    QAction *clearClosedAction() const { return m_clearClosed; }
    QAction *selectedLogOnlyAction() const { return m_selectedLogOnly; }
    RoomView *roomView() const { return m_room; }
    ui::ConnectionInspector *inspector() const { return m_inspector; }
    ui::SocketLogView *socketLog() const { return m_logView; }
    net::EventLog *eventLog() const { return m_log; }
    QString statusText() const;

    // Shows and raises a dock: "inspector", "room" or "socketLog".
    void showDock(const QString &name);
    // Selects the open connection of `nick`, else its latest closed one (the
    // screenshot script, tests); false if there is none.
    bool selectNick(const QString &nick);

signals:
    void serverStarted();
    void serverStopped();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    void buildDocks();
    void applyDefaultLayout();
    void wireServer(ChatServer *server);
    void onShutdownFinished();
    void onSelectionChanged();
    void applyRecording(const QList<quint64> &selected);
    void updateLogFilter();
    void updateStatus();
    void retireServer();
    void dropRetired();
    void restoreSettings(const ServerWindowOptions &options);
    void saveListenSettings() const;
    void saveLayout() const;
    QString plainListenError(const QString &error) const;

    ServerConfig m_baseConfig;
    QPointer<ChatServer> m_server;
    // A stopped server kept until the kernel forgets its sockets, so that
    // the rows of its last clients count TIME_WAIT down to CLOSED.
    QPointer<ChatServer> m_retired;
    bool m_stopping = false;
    bool m_closeWhenStopped = false;
    bool m_defaultLayoutPending = true;

    ClientsModel *m_model;
    net::EventLog *m_log;
    ListenPanel *m_listen;
    ClientsView *m_table;
    ClientActions *m_actions;
    QAction *m_clearClosed;
    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_selectedLogOnly;
    RoomView *m_room;
    ui::ConnectionInspector *m_inspector;
    ui::SocketLogView *m_logView;
    QDockWidget *m_inspectorDock = nullptr;
    QDockWidget *m_roomDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QCheckBox *m_selectedOnlyBox = nullptr;
    QLabel *m_listeningLabel;
    QLabel *m_clientsLabel;
    QLabel *m_messagesLabel;
    QLabel *m_bytesLabel;

    // Connections recording their frames: the selected ones.
    QSet<quint64> m_fullRecording;
    QTimer m_statusTimer;
    struct Sample
    {
        qint64 atMs = 0;
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
    } m_lastSample;
};

} // namespace synack::server
