#pragma once

// What the operator can do to the selected clients, as QActions for the
// buttons, the menu and the table's context menu: the graceful ways out
// (Disconnect, Kick), the abrupt one (Abort: RST) and the lab's switches
// (Half-close, Hold CLOSE_WAIT, Freeze heartbeats). Each tooltip says in one
// sentence what the textbook will show.

#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace synack::server {

class ChatServer;
class Session;

class ClientActions : public QObject
{
    Q_OBJECT

public:
    // `dialogParent` parents the kick reason dialog.
    explicit ClientActions(QWidget *dialogParent);

    void setServer(ChatServer *server);
    // The session ids the actions apply to.
    void setSelection(const QList<quint64> &sessionIds);
    QList<quint64> selection() const { return m_selection; }
    // Enables and checks the actions from the selected sessions' states.
    void updateState();

    // Asks the operator for a kick's reason; nullopt: cancelled. Tests set
    // their own to avoid the dialog.
    using ReasonAsker = std::function<std::optional<QString>()>;
    void setReasonAsker(ReasonAsker asker) { m_askReason = std::move(asker); }

    QAction *disconnectAction() const { return m_disconnect; }
    QAction *kickAction() const { return m_kick; }
    QAction *abortAction() const { return m_abort; }
    QAction *halfCloseAction() const { return m_halfClose; }
    QAction *holdCloseWaitAction() const { return m_holdCloseWait; }
    QAction *freezeAction() const { return m_freeze; }
    // In menu order, with null for a separator.
    QList<QAction *> actions() const;

private:
    QList<Session *> selectedSessions() const;
    std::optional<QString> askReason();
    void disconnectSelected();
    void kickSelected();
    void abortSelected();
    void halfCloseSelected();
    void holdCloseWait(bool hold);
    void freeze(bool frozen);

    QWidget *m_dialogParent;
    QPointer<ChatServer> m_server;
    QList<quint64> m_selection;
    ReasonAsker m_askReason;
    QAction *m_disconnect;
    QAction *m_kick;
    QAction *m_abort;
    QAction *m_halfClose;
    QAction *m_holdCloseWait;
    QAction *m_freeze;
};

} // namespace synack::server
