#pragma once

// The client's window: the connect bar on top, the conversation with the
// message box and the people in the room in the middle, the connection
// panel (inspector and lab buttons) on the right, the socket log in a dock
// below, and the status bar. It wires the ChatClient to these parts and
// does nothing itself but run the commands typed.

#include "chatclient.h"
#include "clientsettings.h"

#include <QMainWindow>
#include <optional>

class QDockWidget;

namespace synack::net {
class EventLog;
class KernelWatch;
} // namespace synack::net

namespace synack::ui {
class SocketLogView;
} // namespace synack::ui

namespace synack::client {

class ChatModel;
class ChatView;
class ClientStatusBar;
class ComposeBox;
class ConnectPanel;
class ConnectionPanel;
class UserListPanel;

class ClientWindow : public QMainWindow
{
    Q_OBJECT

public:
    // Values from the command line: they win over the remembered ones.
    struct StartOptions
    {
        std::optional<QString> host;
        std::optional<quint16> port;
        std::optional<QString> nick;
        std::optional<QString> password;
        bool connectNow = false;
        QStringList sayWhenOnline; // sent once, when first online (the demo)
    };

    explicit ClientWindow(QWidget *parent = nullptr);
    ~ClientWindow() override;

    void start(const StartOptions &options);
    // Everything but host, port, nick, password and auto-reconnect (which
    // come from the connect bar): timeouts, backoff, half-close tolerance.
    void setOptionsTemplate(const ChatClient::ConnectOptions &options) { m_template = options; }

    ChatClient *client() const { return m_client; }
    ChatModel *chatModel() const { return m_model; }
    ChatView *chatView() const { return m_chatView; }
    ComposeBox *composeBox() const { return m_compose; }
    ConnectPanel *connectPanel() const { return m_connectPanel; }
    UserListPanel *userList() const { return m_users; }
    ConnectionPanel *connectionPanel() const { return m_connectionPanel; }
    ClientStatusBar *clientStatusBar() const { return m_statusBar; }
    ui::SocketLogView *socketLogView() const { return m_logView; }
    QDockWidget *socketLogDock() const { return m_logDock; }
    QDockWidget *connectionDock() const { return m_connectionDock; }
    net::EventLog *eventLog() const { return m_log; }
    int unreadCount() const { return m_unread; }

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    void restoreSettings();
    void saveSettings();
    void prepareConnection(net::Connection *connection);
    void connectToServer();
    void onLine(const QString &line);
    void onState(ChatClient::State state);
    void onError(ClientError kind, const QString &message, bool fatal);
    void onMessage(const ChatLine &line);
    void updateTitle();

    ClientSettings m_settings;
    ChatClient *m_client;
    net::KernelWatch *m_watch;
    net::EventLog *m_log;
    ChatModel *m_model;
    ConnectPanel *m_connectPanel;
    ChatView *m_chatView;
    ComposeBox *m_compose;
    UserListPanel *m_users;
    ConnectionPanel *m_connectionPanel;
    QDockWidget *m_connectionDock;
    ui::SocketLogView *m_logView;
    QDockWidget *m_logDock;
    ClientStatusBar *m_statusBar;
    ChatClient::ConnectOptions m_template;
    QStringList m_sayWhenOnline;
    ChatClient::State m_lastState = ChatClient::State::Disconnected;
    bool m_wasOnline = false;       // in this session: "reconnected" rather than "connected"
    QString m_lastFailure;          // the last failure said in the conversation
    bool m_repeatedFailure = false; // ... and the newest one was the same
    int m_unread = 0;
    bool m_layoutDocks = false; // no layout remembered: size the docks when shown
};

} // namespace synack::client
