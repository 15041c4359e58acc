#pragma once

// The chat client without a face: the command line and the window both drive
// one ChatClient and show its signals.
//
//   Disconnected --connectToServer--> Connecting --TCP up--> Registering --welcome--> Online
//        ^                                ^                                            |
//        | fatal error, or the user's     +------- Reconnecting (backoff) <------------+
//        | own disconnect                                           connection lost
//
// Every message sent gets a local id and exactly one final status; none is
// queued while offline or retried.

#include "clienttypes.h"
#include "pendingmessages.h"
#include "reconnectscheduler.h"
#include "roomsequence.h"
#include "roundtripstats.h"
#include "sessionfailure.h"
#include "userlist.h"

#include "net/connection.h"
#include "net/heartbeatsweeper.h"
#include "protocol/messages.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>
#include <functional>
#include <optional>

namespace synack::client {

using namespace std::chrono_literals;

class ChatClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Disconnected, Connecting, Registering, Online, Reconnecting };
    Q_ENUM(State)

    struct ConnectOptions
    {
        QString host;
        quint16 port = protocol::kDefaultPort;
        QString nick;
        QString password; // empty: none sent
        bool autoReconnect = true;
        std::chrono::milliseconds connectTimeout = 10s;
        std::chrono::milliseconds reconnectBase = 1s; // tests shorten these
        std::chrono::milliseconds reconnectMax = 30s;
        // The server's FIN without bye is taken as a half-close: we may still
        // send (the lab). Off: that FIN ends the session at once.
        bool halfCloseTolerant = false;
        // No welcome this long after the connect: the server is not letting
        // us in; the attempt fails and is retried (tests shorten it).
        std::chrono::milliseconds registrationTimeout = 10s;
        // Bytes the server has not read, above which we drop it, as the
        // server drops a client that reads too slowly (docs/protocol.md,
        // "Protection").
        qint64 maxSendQueue = 1024 * 1024;
    };

    // Called with each new Connection after it is made and before it
    // connects, so a face can watch its kernel state from SYN_SENT on and
    // choose its recording level.
    using ConnectionPreparer = std::function<void(net::Connection *)>;

    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;

    // Forgets any current session and starts a new one.
    void connectToServer(const ConnectOptions &options);
    // The user's own leaving: bye with reason `quit` and `text` if given. Never
    // followed by a reconnect. Send it once pendingCount() is 0 to be sure the
    // server has every message: replies that arrive after a bye are not read.
    void disconnectFromServer(const QString &text = {});
    // Skips the rest of the backoff wait.
    void reconnectNow();
    // Whether a dropped connection is followed by a reconnect, from now on;
    // off while waiting to reconnect: the wait ends, Disconnected.
    void setAutoReconnect(bool on);
    // Applies to the next connection made (connectToServer or a reconnect).
    void setConnectionPreparer(ConnectionPreparer preparer) { m_prepare = std::move(preparer); }

    // A room message, or a private one when `to` is set. Returns its local
    // id; messageStatusChanged reports its fate (from the event loop, never
    // before this returns).
    quint64 sendMessage(const QString &text, const std::optional<QString> &to = std::nullopt);
    void changeNick(const QString &nick);
    void requestUsers();

    State state() const { return m_state; }
    bool isOnline() const { return m_state == State::Online && m_connection; }
    // Our nick: the one asked for until welcome, then the server's.
    QString nick() const { return m_nick; }
    QStringList users() const { return m_users.nicks(); }
    QString serverName() const { return m_welcome ? m_welcome->server : QString(); }
    // The last welcome of this session: max_text, hb, timeout, motd, ...
    const std::optional<protocol::Welcome> &welcome() const { return m_welcome; }
    const ConnectOptions &options() const { return m_options; }
    // The current connection, if any, for the inspector; see connectionChanged.
    net::Connection *connection() const { return m_connection; }
    const RoundTripStats &roundTrip() const { return m_roundTrip; }
    qsizetype pendingCount() const { return m_pending.count(); }
    // "host:port", "[::1]:port" for IPv6.
    QString endpoint() const;

signals:
    void stateChanged(synack::client::ChatClient::State state);
    // Each step in words: "connecting to H:P", "online as N", ...
    void statusMessage(const QString &message);
    // `fatal`: the client stops here (no reconnect follows).
    void errorOccurred(synack::client::ClientError kind, const QString &message, bool fatal);
    void messageReceived(const synack::client::ChatLine &line);
    void messageStatusChanged(quint64 localId, synack::client::DeliveryStatus status,
                              const QString &reason, std::optional<quint64> seq);
    void usersChanged(const QStringList &users);
    // The answer to requestUsers().
    void usersListed(const QStringList &users);
    void userJoined(const QString &nick);
    void userLeft(const QString &nick, const QString &reason);
    // Also for our own rename, which nick() then already shows.
    void userRenamed(const QString &from, const QString &to);
    void reconnectScheduled(std::chrono::milliseconds delay);
    void reconnectCountdown(int secondsLeft);
    void roundTripUpdated(const synack::client::RoundTripStats &stats);
    // Room messages `expected` .. `got - 1` never arrived.
    void seqGap(quint64 expected, quint64 got);
    void connectionChanged(synack::net::Connection *connection);

private:
    void startAttempt();
    void onConnected();
    void onMessage(const protocol::Envelope &envelope);
    void onBye(const QString &reason, const std::optional<QString> &text);
    void endSession(net::Connection *connection, net::CloseCause cause, const QString &detail);
    void handle(const protocol::Welcome &welcome);
    void handle(const protocol::ChatMsg &msg);
    void handle(const protocol::Error &error);
    void handleRoster(const protocol::Message &message);
    // Ends the session over a message that breaks the protocol's rules.
    void rejectMalformed(const QString &type, const QString &code, const QString &detail);
    void onRegistrationTimeout();
    void onSendQueueExceeded(net::Connection *connection, qint64 queuedBytes);
    SessionContext context() const;
    void failAllPending(const QString &reason);
    void scheduleReconnect();
    void releaseConnection();
    void setState(State state);
    // Online, and not in the middle of ending the session (whose signals may
    // call back into us before the state moves on).
    bool canSend() const { return m_state == State::Online && m_connection; }

    ConnectOptions m_options;
    ConnectionPreparer m_prepare;
    State m_state = State::Disconnected;
    QString m_nick;
    QPointer<net::Connection> m_connection;
    net::HeartbeatSweeper m_sweeper;
    ReconnectScheduler m_reconnect;
    QTimer m_registrationTimer; // from the connect to welcome
    std::optional<protocol::Welcome> m_welcome;
    UserList m_users;
    PendingMessages m_pending;
    RoomSequence m_sequence;
    RoundTripStats m_roundTrip;
    std::optional<SessionFailure> m_failure; // what the server told us before closing
    quint64 m_nextId = 1;
    bool m_userQuit = false;
    bool m_everOnline = false; // since connectToServer: decides what is worth a retry
};

} // namespace synack::client
