#include "clientactions.h"

#include "core/chatserver.h"
#include "core/session.h"

#include "net/connection.h"

#include <QAction>
#include <QInputDialog>
#include <QWidget>

namespace synack::server {

namespace {

QAction *makeAction(QObject *parent, const QString &text, const QKeySequence &shortcut,
                    const QString &tip)
{
    auto *action = new QAction(text, parent);
    action->setShortcut(shortcut);
    action->setToolTip(tip);
    action->setStatusTip(tip);
    action->setEnabled(false);
    return action;
}

// "Abort: Closes ... (Ctrl+R)": the tooltip of a button names its shortcut.
void addShortcutToTip(QAction *action)
{
    if (!action->shortcut().isEmpty())
        action->setToolTip(QStringLiteral("%1 (%2)").arg(
            action->toolTip(), action->shortcut().toString(QKeySequence::NativeText)));
}

} // namespace

ClientActions::ClientActions(QWidget *dialogParent)
    : QObject(dialogParent)
    , m_dialogParent(dialogParent)
    , m_disconnect(makeAction(
          this, tr("&Disconnect"), QKeySequence::Delete,
          tr("Says bye, then closes with FIN: whichever side's FIN goes out first ends in "
             "TIME_WAIT, the other passes through CLOSE_WAIT and LAST_ACK.")))
    , m_kick(makeAction(this, tr("&Kick..."), QKeySequence(Qt::CTRL | Qt::Key_K),
                        tr("Asks for a reason, tells the client it was kicked and why, then "
                           "closes with FIN like Disconnect.")))
    , m_abort(makeAction(this, tr("&Abort (RST)"), QKeySequence(Qt::CTRL | Qt::Key_R),
                         tr("Closes with SO_LINGER 0: the kernel sends RST, the peer sees a "
                            "reset, and this side skips TIME_WAIT.")))
    , m_halfClose(makeAction(
          this, tr("&Half-close"), QKeySequence(Qt::CTRL | Qt::Key_H),
          tr("Shuts down only the server's sending side (FIN) and keeps reading: the client's "
             "socket goes to CLOSE_WAIT and the server's to FIN_WAIT_2.")))
    , m_holdCloseWait(
          makeAction(this, tr("Hold &CLOSE_WAIT"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W),
                     tr("When the client closes, keep the server's socket open like a program "
                        "that forgets to close: it stays in CLOSE_WAIT until you uncheck this.")))
    , m_freeze(makeAction(this, tr("&Freeze heartbeats"),
                          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                          tr("Stops sending and answering pings on this connection, so the "
                             "client's dead-peer timeout fires and you can watch it give up.")))
{
    m_holdCloseWait->setCheckable(true);
    m_freeze->setCheckable(true);
    // Delete acts only in the clients table, never while typing elsewhere.
    m_disconnect->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    for (QAction *action : {m_disconnect, m_kick, m_abort, m_halfClose, m_holdCloseWait, m_freeze})
        addShortcutToTip(action);

    connect(m_disconnect, &QAction::triggered, this, &ClientActions::disconnectSelected);
    connect(m_kick, &QAction::triggered, this, &ClientActions::kickSelected);
    connect(m_abort, &QAction::triggered, this, &ClientActions::abortSelected);
    connect(m_halfClose, &QAction::triggered, this, &ClientActions::halfCloseSelected);
    connect(m_holdCloseWait, &QAction::triggered, this, &ClientActions::holdCloseWait);
    connect(m_freeze, &QAction::triggered, this, &ClientActions::freeze);
}

QList<QAction *> ClientActions::actions() const
{
    return {m_disconnect, m_kick, m_abort, nullptr, m_halfClose, m_holdCloseWait, m_freeze};
}

void ClientActions::setServer(ChatServer *server)
{
    m_server = server;
    m_selection.clear();
    updateState();
}

void ClientActions::setSelection(const QList<quint64> &sessionIds)
{
    m_selection = sessionIds;
    updateState();
}

QList<Session *> ClientActions::selectedSessions() const
{
    QList<Session *> out;
    if (!m_server)
        return out;
    for (quint64 id : m_selection) {
        if (Session *session = m_server->session(id))
            out.append(session);
    }
    return out;
}

void ClientActions::updateState()
{
    bool anyOpen = false;
    bool anyAlive = false;
    bool canHalfClose = false;
    const QList<Session *> sessions = selectedSessions();
    for (const Session *session : sessions) {
        const net::Connection *c = session->connection();
        anyAlive |= c->state() != net::Connection::State::Closed;
        anyOpen |= c->isOpen();
        canHalfClose |= c->isOpen() && !c->isHalfClosed();
    }
    m_disconnect->setEnabled(anyOpen);
    m_kick->setEnabled(anyOpen);
    m_abort->setEnabled(anyAlive);
    m_halfClose->setEnabled(canHalfClose);
    // The switches show the first selected session's setting.
    const net::Connection *first = sessions.isEmpty() ? nullptr : sessions.first()->connection();
    m_holdCloseWait->setEnabled(first && (first->isOpen() || first->isHoldingCloseWait()));
    m_holdCloseWait->setChecked(first && first->holdsCloseWait());
    m_freeze->setEnabled(first && first->isOpen());
    m_freeze->setChecked(first && first->isFrozen());
}

std::optional<QString> ClientActions::askReason()
{
    if (m_askReason)
        return m_askReason();
    bool ok = false;
    const QString reason = QInputDialog::getText(
        m_dialogParent, tr("Kick"), tr("The reason the client is told (it may be empty):"),
        QLineEdit::Normal, QString(), &ok);
    return ok ? std::optional<QString>(reason) : std::nullopt;
}

void ClientActions::disconnectSelected()
{
    for (const Session *session : selectedSessions())
        m_server->disconnectSession(session->id());
    updateState();
}

void ClientActions::kickSelected()
{
    if (selectedSessions().isEmpty())
        return;
    const std::optional<QString> reason = askReason();
    if (!reason)
        return;
    // The dialog ran an event loop: look the sessions up again.
    for (const Session *session : selectedSessions())
        m_server->kick(session->id(), *reason);
    updateState();
}

void ClientActions::abortSelected()
{
    for (const Session *session : selectedSessions())
        session->connection()->abort();
    updateState();
}

void ClientActions::halfCloseSelected()
{
    for (const Session *session : selectedSessions())
        session->connection()->halfClose();
    updateState();
}

void ClientActions::holdCloseWait(bool hold)
{
    for (const Session *session : selectedSessions())
        session->connection()->setHoldCloseWait(hold);
    updateState();
}

void ClientActions::freeze(bool frozen)
{
    for (const Session *session : selectedSessions())
        session->connection()->setFrozen(frozen);
    updateState();
}

} // namespace synack::server
