#include "chatclient.h"

#include "protocol/codec.h"
#include "protocol/errors.h"
#include "protocol/nick.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>

namespace synack::client {

namespace {

// Heartbeat values until a welcome says otherwise (PROTOCOL.md section 6).
constexpr auto kDefaultHeartbeat = 5s;
constexpr auto kDefaultTimeout = 15s;

// The sweeper ticks often enough that pings and timeouts are at most a fifth late.
std::chrono::milliseconds sweepResolution(std::chrono::milliseconds hb,
                                          std::chrono::milliseconds timeout)
{
    return std::clamp(std::min(hb, timeout) / 5, std::chrono::milliseconds(10),
                      std::chrono::milliseconds(500));
}

// What a welcome's hb and timeout may ask for (docs/protocol.md,
// "Protection"): beyond these a hostile or broken server would have us ping
// without pause, or declare it dead at once (2^64-1 ms overflows).
constexpr quint64 kMinHeartbeatMs = 100;
constexpr quint64 kMaxHeartbeatMs = 10 * 60 * 1000;
constexpr quint64 kMaxTimeoutMs = 60 * 60 * 1000;

// The first nick of `nicks` that breaks the nick rules, if any: one frame of
// empty or junk nicks must not become a room of them.
std::optional<QString> firstInvalidNick(const QStringList &nicks)
{
    for (const QString &nick : nicks) {
        if (!protocol::isValidNick(nick))
            return nick;
    }
    return std::nullopt;
}

} // namespace

ChatClient::ChatClient(QObject *parent)
    : QObject(parent)
{
    m_registrationTimer.setSingleShot(true);
    connect(&m_registrationTimer, &QTimer::timeout, this, &ChatClient::onRegistrationTimeout);
    connect(&m_reconnect, &ReconnectScheduler::countdown, this, &ChatClient::reconnectCountdown);
    connect(&m_reconnect, &ReconnectScheduler::due, this, &ChatClient::startAttempt);
}

ChatClient::~ChatClient()
{
    // Destroyed without a goodbye: the connection must not call back into us.
    if (m_connection)
        m_connection->disconnect(this);
}

QString ChatClient::endpoint() const
{
    const QHostAddress literal(m_options.host);
    const bool v6 = literal.protocol() == QAbstractSocket::IPv6Protocol;
    return (v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2"))
        .arg(m_options.host)
        .arg(m_options.port);
}

void ChatClient::connectToServer(const ConnectOptions &options)
{
    m_reconnect.cancel();
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->abort();
        releaseConnection();
        failAllPending(tr("the connection was replaced"));
    }
    m_options = options;
    m_nick = options.nick;
    m_userQuit = false;
    m_everOnline = false;
    m_failure.reset();
    m_welcome.reset();
    m_sequence.clear();
    m_roundTrip.clear();
    m_users.clear();
    m_reconnect.setBackoff(ReconnectBackoff(options.reconnectBase, options.reconnectMax));
    startAttempt();
}

void ChatClient::startAttempt()
{
    m_reconnect.cancel();
    m_failure.reset();

    // A server that answered pings before is held to its own heartbeat while we register.
    net::ConnectionSettings settings;
    settings.role = protocol::Role::Client;
    settings.maxFrame = protocol::kClientMaxFrame;
    settings.heartbeatInterval = kDefaultHeartbeat;
    settings.heartbeatTimeout = kDefaultTimeout;
    settings.halfCloseTolerant = m_options.halfCloseTolerant;
    settings.maxSendQueue = m_options.maxSendQueue;
    if (m_welcome && m_welcome->heartbeatMs > 0 && m_welcome->timeoutMs > 0) {
        settings.heartbeatInterval = std::chrono::milliseconds(m_welcome->heartbeatMs);
        settings.heartbeatTimeout = std::chrono::milliseconds(m_welcome->timeoutMs);
    }
    m_sweeper.setResolution(sweepResolution(settings.heartbeatInterval, settings.heartbeatTimeout));

    auto *connection = new net::Connection(new QTcpSocket, settings, this);
    m_connection = connection;
    if (m_prepare)
        m_prepare(connection);
    connect(connection, &net::Connection::connected, this, &ChatClient::onConnected);
    connect(connection, &net::Connection::messageReceived, this, &ChatClient::onMessage);
    connect(connection, &net::Connection::byeReceived, this, &ChatClient::onBye);
    connect(connection, &net::Connection::sendQueueExceeded, this,
            [this, connection](qint64 queued) { onSendQueueExceeded(connection, queued); });
    connect(connection, &net::Connection::roundTripMeasured, this,
            [this](std::chrono::microseconds rtt) {
                m_roundTrip.add(rtt);
                emit roundTripUpdated(m_roundTrip);
            });
    // The session ends as the close begins: a silent server is not waited
    // on for the linger of section 7. Our own bye is, so that it gets out.
    connect(connection, &net::Connection::closing, this,
            [this, connection](net::CloseCause cause, const QString &detail) {
                if (!m_userQuit)
                    endSession(connection, cause, detail);
            });
    connect(connection, &net::Connection::closed, this,
            [this, connection](net::CloseCause cause, const QString &detail) {
                endSession(connection, cause, detail);
            });
    connect(connection, &net::Connection::socketStateChanged, this,
            [this](QAbstractSocket::SocketState socketState) {
                if (socketState == QAbstractSocket::HostLookupState &&
                    QHostAddress(m_options.host).isNull())
                    emit statusMessage(QStringLiteral("resolving %1").arg(m_options.host));
                else if (socketState == QAbstractSocket::ConnectingState)
                    emit statusMessage(QStringLiteral("connecting to %1").arg(endpoint()));
            });

    setState(State::Connecting);
    emit connectionChanged(connection);
    connection->connectToHost(m_options.host, m_options.port, m_options.connectTimeout);
}

void ChatClient::onConnected()
{
    setState(State::Registering);
    emit statusMessage(
        QStringLiteral("connected to %1, registering as %2").arg(endpoint(), m_nick));
    m_sweeper.add(m_connection);
    m_registrationTimer.start(m_options.registrationTimeout);
    protocol::Hello hello;
    hello.nick = m_nick;
    hello.app = QStringLiteral("synack-client");
    if (!m_options.password.isEmpty())
        hello.pass = m_options.password;
    m_connection->send(hello);
}

void ChatClient::onMessage(const protocol::Envelope &envelope)
{
    const protocol::DecodeResult decoded =
        protocol::decodeMessage(envelope, protocol::Role::Client);
    if (decoded.error.code == protocol::ErrorCode::UnknownType)
        return; // a newer server's message: ignored, for forward compatibility
    if (decoded.error) {
        rejectMalformed(envelope.type, protocol::errorCodeName(decoded.error.code),
                        decoded.error.detail);
        return;
    }
    const protocol::Message &message = *decoded.message;
    const auto *welcome = std::get_if<protocol::Welcome>(&message);
    const auto *users = std::get_if<protocol::Users>(&message);
    if (welcome || users) {
        if (const auto nick = firstInvalidNick(welcome ? welcome->users : users->users)) {
            rejectMalformed(envelope.type, protocol::errorCodeName(protocol::ErrorCode::BadMessage),
                            QStringLiteral("\"%1\" in users is not a valid nick").arg(*nick));
            return;
        }
    }
    if (const auto *error = std::get_if<protocol::Error>(&message))
        handle(*error);
    else if (welcome)
        handle(*welcome);
    else if (m_state != State::Online)
        return; // nothing else means anything before welcome
    else if (const auto *msg = std::get_if<protocol::ChatMsg>(&message))
        handle(*msg);
    else
        handleRoster(message);
}

void ChatClient::rejectMalformed(const QString &type, const QString &code, const QString &detail)
{
    m_failure = SessionFailure{
        ClientError::ProtocolError,
        tr("the server sent a malformed %1 message (%2: %3)").arg(type, code, detail)};
    m_connection->closeWithBye(protocol::reason::Error, code + QStringLiteral(": ") + detail);
}

void ChatClient::handle(const protocol::Welcome &welcome)
{
    if (m_state != State::Registering)
        return;
    m_registrationTimer.stop();
    m_welcome = welcome;
    m_nick = welcome.nick; // authoritative
    m_options.nick = welcome.nick;
    m_everOnline = true;
    m_reconnect.reset();
    if (welcome.heartbeatMs > 0 && welcome.timeoutMs > 0) {
        // Kept as clamped: a reconnect holds the server to these while it registers.
        m_welcome->heartbeatMs = std::clamp(welcome.heartbeatMs, kMinHeartbeatMs, kMaxHeartbeatMs);
        m_welcome->timeoutMs =
            std::clamp(welcome.timeoutMs, 2 * m_welcome->heartbeatMs, kMaxTimeoutMs);
        if (m_welcome->heartbeatMs != welcome.heartbeatMs ||
            m_welcome->timeoutMs != welcome.timeoutMs)
            emit statusMessage(QStringLiteral("the server asked for hb %1 ms and timeout %2 ms, "
                                              "out of range: using hb %3 ms and timeout %4 ms")
                                   .arg(welcome.heartbeatMs)
                                   .arg(welcome.timeoutMs)
                                   .arg(m_welcome->heartbeatMs)
                                   .arg(m_welcome->timeoutMs));
        const std::chrono::milliseconds hb(m_welcome->heartbeatMs);
        const std::chrono::milliseconds timeout(m_welcome->timeoutMs);
        m_connection->setHeartbeat(hb, timeout);
        m_sweeper.setResolution(sweepResolution(hb, timeout));
    }
    m_users.reset(welcome.users);
    emit statusMessage(QStringLiteral("connected to %1 as %2 (server \"%3\", %4 online)")
                           .arg(endpoint(), m_nick, welcome.server)
                           .arg(m_users.count()));
    setState(State::Online);
    emit usersChanged(m_users.nicks());
}

void ChatClient::handle(const protocol::ChatMsg &msg)
{
    ChatLine line{msg.seq,
                  msg.from,
                  msg.text,
                  msg.ts,
                  msg.to,
                  protocol::sameNick(msg.from, m_nick),
                  msg.backlog.value_or(false),
                  std::nullopt};
    if (msg.seq && !msg.to) {
        const auto order = m_sequence.accept(*msg.seq, msg.from, msg.text, msg.ts, line.backlog);
        if (order.duplicate)
            return; // replayed history we have already shown
        if (order.missedFrom)
            emit seqGap(*order.missedFrom, *msg.seq);
    }
    const bool acknowledged = msg.id && !line.backlog && m_pending.take(*msg.id).has_value();
    if (acknowledged)
        line.localId = msg.id;
    emit messageReceived(line);
    if (acknowledged)
        emit messageStatusChanged(*msg.id, DeliveryStatus::Delivered, {}, msg.seq);
}

void ChatClient::handle(const protocol::Error &error)
{
    if (error.id && m_pending.take(*error.id)) {
        const QString said = error.text.isEmpty() ? error.code : error.text;
        emit messageStatusChanged(*error.id, DeliveryStatus::Rejected,
                                  tr("%1 (%2)").arg(said, error.code), std::nullopt);
        if (!error.fatal)
            return;
    }
    const SessionFailure failure = failureFromError(error, context());
    if (error.fatal)
        m_failure = failure; // the server closes next, and endSession reports it
    else
        emit errorOccurred(failure.kind, failure.message, false);
}

void ChatClient::handleRoster(const protocol::Message &message)
{
    if (const auto *join = std::get_if<protocol::Join>(&message)) {
        if (m_users.add(join->nick)) {
            emit userJoined(join->nick);
            emit usersChanged(m_users.nicks());
        }
    } else if (const auto *leave = std::get_if<protocol::Leave>(&message)) {
        if (m_users.remove(leave->nick)) {
            emit userLeft(leave->nick, leave->reason);
            emit usersChanged(m_users.nicks());
        }
    } else if (const auto *rename = std::get_if<protocol::Rename>(&message)) {
        if (protocol::sameNick(rename->from, m_nick)) {
            m_nick = rename->to; // a reconnect registers the new nick
            m_options.nick = rename->to;
        }
        m_users.rename(rename->from, rename->to);
        emit userRenamed(rename->from, rename->to);
        emit usersChanged(m_users.nicks());
    } else if (const auto *users = std::get_if<protocol::Users>(&message)) {
        m_users.reset(users->users);
        emit usersListed(m_users.nicks());
        emit usersChanged(m_users.nicks());
    }
}

void ChatClient::onRegistrationTimeout()
{
    if (m_state != State::Registering || !m_connection)
        return;
    const auto ms = m_options.registrationTimeout.count();
    m_failure = SessionFailure{ClientError::TimedOut,
                               tr("%1 accepted the connection but sent no welcome within %2 s")
                                   .arg(endpoint())
                                   .arg(double(ms) / 1000.0)};
    m_connection->closeWithBye(protocol::reason::Timeout,
                               QStringLiteral("no welcome within %1 ms").arg(ms));
}

void ChatClient::onSendQueueExceeded(net::Connection *connection, qint64 queuedBytes)
{
    if (connection != m_connection)
        return;
    m_failure = SessionFailure{ClientError::ConnectionLost,
                               tr("%1 does not read what we send (%2 bytes waiting, the limit is "
                                  "%3): connection dropped")
                                   .arg(endpoint())
                                   .arg(queuedBytes)
                                   .arg(m_options.maxSendQueue)};
    m_connection->closeWithBye(protocol::reason::Error,
                               protocol::errorCodeName(protocol::ErrorCode::SendqExceeded));
}

void ChatClient::onBye(const QString &reason, const std::optional<QString> &text)
{
    if (!m_failure)
        m_failure = failureFromBye(reason, text, context());
}

SessionContext ChatClient::context() const
{
    return {m_options.host, endpoint(),
            m_nick,         !m_options.password.isEmpty(),
            m_everOnline,   m_options.connectTimeout};
}

void ChatClient::endSession(net::Connection *connection, net::CloseCause cause,
                            const QString &detail)
{
    if (connection != m_connection)
        return;
    const SessionFailure failure =
        m_failure ? *m_failure
                  : failureFromClose(cause, connection->socketError(), detail, context());
    m_failure.reset();
    releaseConnection();
    failAllPending(m_userQuit ? tr("disconnected") : failure.message);
    if (m_users.count() > 0) {
        m_users.clear();
        emit usersChanged({});
    }

    if (m_userQuit) {
        setState(State::Disconnected);
        emit statusMessage(QStringLiteral("disconnected from %1").arg(endpoint()));
        return;
    }
    const bool retry = m_options.autoReconnect && !failure.final;
    emit errorOccurred(failure.kind, failure.message, !retry);
    if (retry)
        scheduleReconnect();
    else
        setState(State::Disconnected);
}

void ChatClient::releaseConnection()
{
    m_registrationTimer.stop();
    if (!m_connection)
        return;
    net::Connection *connection = m_connection;
    m_connection = nullptr;
    connection->disconnect(this);
    // It may still be draining (section 7); it goes once closed. Never
    // deleted at once: we may be inside one of its signals.
    if (connection->state() == net::Connection::State::Closed)
        connection->deleteLater();
    else
        connect(connection, &net::Connection::closed, connection, &QObject::deleteLater);
    emit connectionChanged(nullptr);
}

void ChatClient::scheduleReconnect()
{
    const auto delay = m_reconnect.schedule();
    setState(State::Reconnecting);
    if (m_state != State::Reconnecting)
        return; // a slot of stateChanged turned auto-reconnect off
    const auto wholeSeconds = (delay.count() + 999) / 1000;
    emit statusMessage(QStringLiteral("reconnecting in %1 s").arg(wholeSeconds));
    emit reconnectScheduled(delay);
}

void ChatClient::reconnectNow()
{
    if (m_state == State::Reconnecting)
        startAttempt();
}

void ChatClient::setAutoReconnect(bool on)
{
    m_options.autoReconnect = on;
    if (!on && m_state == State::Reconnecting) {
        m_reconnect.cancel();
        setState(State::Disconnected);
        emit statusMessage(QStringLiteral("not reconnecting: disconnected"));
    }
}

void ChatClient::disconnectFromServer(const QString &text)
{
    m_userQuit = true;
    m_reconnect.cancel();
    if (!m_connection) {
        if (m_state != State::Disconnected) {
            setState(State::Disconnected);
            emit statusMessage(QStringLiteral("disconnected"));
        }
        return;
    }
    // Closes at once while still connecting; endSession follows either way.
    m_connection->closeWithBye(protocol::reason::Quit,
                               text.isEmpty() ? std::nullopt : std::optional<QString>(text));
}

quint64 ChatClient::sendMessage(const QString &text, const std::optional<QString> &to)
{
    const quint64 id = m_nextId++;
    if (!canSend()) {
        QTimer::singleShot(0, this, [this, id] {
            emit messageStatusChanged(id, DeliveryStatus::NotDelivered, tr("not connected"),
                                      std::nullopt);
        });
        return id;
    }
    m_pending.add({id, text, to});
    m_connection->send(protocol::Say{text, to, id});
    return id;
}

void ChatClient::changeNick(const QString &nick)
{
    if (!protocol::isValidNick(nick)) {
        emit errorOccurred(ClientError::NickInvalid,
                           tr("\"%1\" is not a valid nick (1 to 32 letters, digits, '_', '-' "
                              "or '.')")
                               .arg(nick),
                           false);
    } else if (!canSend()) {
        emit errorOccurred(ClientError::Rejected, tr("not connected"), false);
    } else {
        m_connection->send(protocol::NickChange{nick});
    }
}

void ChatClient::requestUsers()
{
    if (canSend())
        m_connection->send(protocol::Who{});
    else
        emit errorOccurred(ClientError::Rejected, tr("not connected"), false);
}

void ChatClient::failAllPending(const QString &reason)
{
    const auto lost = m_pending.takeAll();
    for (const auto &entry : lost)
        emit messageStatusChanged(entry.id, DeliveryStatus::NotDelivered, reason, std::nullopt);
}

void ChatClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace synack::client
