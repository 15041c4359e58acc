#pragma once

// The SynAck server's engine, with no widgets: it listens, keeps one Session
// per client, registers them into the Room, relays chat, and enforces every
// rule and limit of PROTOCOL.md. The window and --headless are two faces of it.
//
// Each message from a client is checked in the protocol's order (section 3):
// (1-2) decoding, done by the Connection; (3) registration state; (4) the
// rate limit; (5) keys and types; (6) the message's own rules.

#include "historystore.h"
#include "loginguard.h"
#include "pendinglogins.h"
#include "room.h"
#include "serverconfig.h"

#include "protocol/cborvalue.h"
#include "protocol/errors.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <deque>
#include <vector>

#include "net/connection.h"
#include "net/tcpstate.h"

namespace synack::net {
class DiscoveryResponder;
class HeartbeatSweeper;
class KernelWatch;
class TcpListener;
enum class CloseCause;
} // namespace synack::net

namespace synack::server {

class Session;

class ChatServer : public QObject, private net::ConnectionHandler
{
    Q_OBJECT

public:
    explicit ChatServer(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatServer() override;

    // Loads the history, listens, starts discovery. False with `error` when
    // the server cannot serve (port taken, history unreadable).
    bool start(QString *error);
    // Says bye (reason shutdown) to everyone and closes gracefully; emits
    // shutdownFinished() when all are closed or after a short grace period.
    void shutdown();

    const ServerConfig &config() const { return m_config; }
    // What can change while clients stay connected (a reload): the message
    // of the day and the password, for the hellos that come next.
    void setMotdAndPassword(const QString &motd, const QString &password);
    QString name() const { return m_config.name; }
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    quint16 discoveryPort() const;

    QList<Session *> sessions() const { return m_sessions.values(); }
    Session *session(quint64 id) const { return m_sessions.value(id); }
    const Room &room() const { return m_room; }

    // Ends one client's session with bye reason kicked; the room gets leave
    // reason kicked.
    void kick(quint64 sessionId, const QString &text);
    // The window's Disconnect: bye (reason kicked, saying the operator did
    // it), then FIN.
    void disconnectSession(quint64 sessionId);

    quint64 roomMessagesRelayed() const { return m_roomMessagesRelayed; }
    // Why the history file refuses messages now; empty while it takes them.
    QString historyProblem() const { return m_historyProblem; }
    // Null where the kernel probe is not available or kernelStates is off.
    net::KernelWatch *kernelWatch() const { return m_kernelWatch; }
    int listenerKernelHandle() const { return m_listenerKernelHandle; }

signals:
    void listening(const QHostAddress &address, quint16 port);
    void warning(const QString &text);
    void sessionAccepted(quint64 sessionId, const QString &peer);
    void sessionRegistered(quint64 sessionId, const QString &nick);
    void sessionRenamed(quint64 sessionId, const QString &from, const QString &to);
    // The session is ending; `nick` is empty if it never registered.
    void sessionLeft(quint64 sessionId, const QString &nick, const QString &reason,
                     const QString &detail);
    // The connection is fully closed; the Session object goes away after this.
    void sessionClosed(quint64 sessionId);
    void errorSent(quint64 sessionId, const QString &code, const QString &text, bool fatal);
    // The peer's input took its whole share of the server's time, for the
    // first time in this session: it is throttled from now on.
    void sessionThrottled(quint64 sessionId, const QString &peer);
    void roomMessage(const synack::protocol::ChatMsg &message);
    // The kernel's TCP state of the server's side of a session, followed
    // past the session's end until the kernel forgets the socket (session 0:
    // the listener). `timerMs` is the kernel timer's time left, or -1.
    void kernelStateChanged(quint64 sessionId, const QString &peer, synack::net::TcpState from,
                            synack::net::TcpState to,
                            const QList<synack::net::TcpState> &passedNotObserved, qint64 timerMs);
    void shutdownFinished();

private:
    void onAccepted(qintptr descriptor);
    // net::ConnectionHandler: each session's connection reports here.
    void connectionMessage(net::Connection *connection,
                           const protocol::Envelope &envelope) override;
    void connectionClosing(net::Connection *connection, net::CloseCause cause,
                           const QString &detail) override;
    void connectionClosed(net::Connection *connection, net::CloseCause cause,
                          const QString &detail) override;
    void connectionSendQueueExceeded(net::Connection *connection, qint64 queuedBytes) override;
    void connectionThrottled(net::Connection *connection) override;
    // The session a connection belongs to (Session adopts its connection).
    static Session *sessionOf(net::Connection *connection);

    void onMessage(Session *session, const protocol::Envelope &envelope);
    void onClosing(Session *session, net::CloseCause cause, const QString &detail);
    void onClosed(Session *session);
    void sweepHelloTimeouts();
    // Counts a new session among those waiting for hello, making room or
    // refusing it as PendingLogins says; false when it was refused.
    bool admitPending(Session *session);
    void releasePending(Session *session);
    void onKernelStateChanged(int handle, net::TcpState from, net::TcpState to,
                              const QList<net::TcpState> &passed);
    void releaseFreedMemory();
    void deleteClosedSessions();

    void handleHello(Session *session, const protocol::Envelope &envelope);
    // False (and the session refused) when the password is wrong or its
    // address must wait.
    bool checkPassword(Session *session, const std::optional<QString> &pass);
    void handleSay(Session *session, const protocol::Say &say);
    // Appends a room message to the history; says once in warning() when
    // storing starts failing and once when it works again.
    bool storeInHistory(const protocol::ChatMsg &message);
    void handleNick(Session *session, const protocol::NickChange &change);
    // Why `nick` cannot be `asker`'s (taken, or like one in the room), or empty.
    QString nickTakenReason(const QString &nick, const Session *asker) const;

    void rejectFatal(Session *session, protocol::ErrorCode code, const QString &text);
    void reject(Session *session, protocol::ErrorCode code, const QString &text,
                std::optional<quint64> id = std::nullopt);

    ServerConfig m_config;
    net::TcpListener *m_listener;
    net::HeartbeatSweeper *m_sweeper;
    net::DiscoveryResponder *m_discovery = nullptr;
    Room m_room;
    HistoryStore m_history;
    LoginGuard m_loginGuard;
    PendingLogins m_pending;
    QString m_historyProblem; // empty while the history takes messages
    QHash<quint64, Session *> m_sessions;
    quint64 m_nextSessionId = 1;

    // Sessions waiting for hello, in accept order, so the sweep stops at the
    // first one whose time is not up.
    std::deque<quint64> m_awaitingHello;
    QTimer m_helloSweep;

    // Kernel handles to the session (and peer) they belong to; kept after the
    // session is gone, until the kernel forgets the socket.
    net::KernelWatch *m_kernelWatch = nullptr;
    struct WatchedSocket
    {
        quint64 sessionId;
        QString peer;
    };
    QHash<int, WatchedSocket> m_watchedSockets;
    int m_listenerKernelHandle = -1;

    bool m_shuttingDown = false;
    QTimer m_shutdownGrace;
    // A while after sessions close, freed memory goes back to the system, so
    // that a wave of connections does not leave the server's RSS at its peak.
    QTimer m_releaseMemory;
    // Closed sessions wait for the next turn of the event loop (their
    // connection is still on the stack when they close), all of a turn's
    // together: one zero timer instead of a posted delete and a wake-up each.
    std::vector<Session *> m_closedSessions;
    QTimer m_deleteClosed;
    quint64 m_roomMessagesRelayed = 0;
};

} // namespace synack::server
