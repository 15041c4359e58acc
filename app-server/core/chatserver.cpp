#include "chatserver.h"

#include "filelimit.h"
#include "session.h"

#include "net/connection.h"
#include "net/discoveryresponder.h"
#include "net/heartbeatsweeper.h"
#include "net/kernelwatch.h"
#include "net/socketops.h"
#include "net/tcplistener.h"
#include "passwordcheck.h"
#include "protocol/codec.h"
#include "protocol/nick.h"

#include <QDateTime>
#include <QHostInfo>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace synack::server {

using namespace std::chrono_literals;
using protocol::ErrorCode;
using L = QLatin1StringView;

namespace {

constexpr auto kShutdownGrace = 2s;
// How long after a session registers or closes the freed memory is handed
// back (once for a whole wave).
constexpr auto kReleaseMemoryDelay = 2s;
constexpr int kListenBacklog = 1024;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// How a closed connection is announced to the room (PROTOCOL.md section 5).
QString leaveReasonFor(net::CloseCause cause)
{
    switch (cause) {
    case net::CloseCause::PeerBye:
        return protocol::reason::Quit;
    case net::CloseCause::Timeout:
        return protocol::reason::Timeout;
    case net::CloseCause::ProtocolError:
    case net::CloseCause::SendQueueExceeded:
        return protocol::reason::Error;
    default:
        return protocol::reason::Closed;
    }
}

// The heartbeat sweep and hello sweep run often enough for the shortest timer.
std::chrono::milliseconds sweepResolution(std::chrono::milliseconds shortest)
{
    return std::clamp<std::chrono::milliseconds>(shortest / 10, 10ms, 500ms);
}

// A say's id, read before the say is validated, so that even a rate-limited
// say is answered with its id.
std::optional<quint64> peekId(const protocol::Envelope &envelope)
{
    if (const protocol::Value *id = envelope.field(L("id")))
        return id->toUInt();
    return std::nullopt;
}

} // namespace

ChatServer::ChatServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_listener(new net::TcpListener(this))
    , m_sweeper(new net::HeartbeatSweeper(this))
    , m_room(config.backlog, config.backlogBytes)
    , m_pending(config.maxPending, config.maxPendingPerAddress)
{
    if (m_config.name.isEmpty())
        m_config.name = QHostInfo::localHostName();
    m_sweeper->setResolution(
        sweepResolution(std::min(m_config.heartbeatInterval, m_config.heartbeatTimeout)));
    m_listener->setListenBacklogSize(kListenBacklog);
    connect(m_listener, &net::TcpListener::accepted, this, &ChatServer::onAccepted);
    connect(m_listener, &net::TcpListener::acceptPaused, this, [this](const QString &reason) {
        emit warning(QStringLiteral("cannot accept connections for now (%1): they wait in the "
                                    "kernel's queue until descriptors are free")
                         .arg(reason));
    });

    m_helloSweep.setInterval(sweepResolution(m_config.helloTimeout));
    connect(&m_helloSweep, &QTimer::timeout, this, &ChatServer::sweepHelloTimeouts);
    m_shutdownGrace.setSingleShot(true);
    connect(&m_shutdownGrace, &QTimer::timeout, this, &ChatServer::shutdownFinished);
    m_releaseMemory.setSingleShot(true);
    m_releaseMemory.setInterval(kReleaseMemoryDelay);
    connect(&m_releaseMemory, &QTimer::timeout, this, &ChatServer::releaseFreedMemory);
    m_deleteClosed.setSingleShot(true);
    m_deleteClosed.setInterval(0);
    connect(&m_deleteClosed, &QTimer::timeout, this, &ChatServer::deleteClosedSessions);

    if (m_config.kernelStates && net::KernelProbe::isAvailable()) {
        m_kernelWatch = new net::KernelWatch(this);
        connect(m_kernelWatch, &net::KernelWatch::stateChanged, this,
                [this](int handle, net::TcpState from, net::TcpState to,
                       const QList<net::TcpState> &passed,
                       qint64) { onKernelStateChanged(handle, from, to, passed); });
        connect(m_kernelWatch, &net::KernelWatch::finished, this,
                [this](int handle) { m_watchedSockets.remove(handle); });
    }
}

void ChatServer::onKernelStateChanged(int handle, net::TcpState from, net::TcpState to,
                                      const QList<net::TcpState> &passed)
{
    const auto it = m_watchedSockets.constFind(handle);
    if (it == m_watchedSockets.cend())
        return;
    const auto last = m_kernelWatch->lastState(handle);
    const qint64 timerMs = last && last->timerMs ? *last->timerMs : -1;
    emit kernelStateChanged(it->sessionId, it->peer, from, to, passed, timerMs);
}

ChatServer::~ChatServer() = default;

bool ChatServer::start(QString *error)
{
    if (!m_config.historyFile.isEmpty()) {
        HistoryStore::LoadResult loaded;
        if (!m_history.open(m_config.historyFile, m_config.backlog, m_config.maxText, &loaded,
                            error))
            return false;
        for (const QString &w : std::as_const(loaded.warnings))
            emit warning(w);
        m_room.setLastSeq(loaded.lastSeq);
        for (const protocol::ChatMsg &msg : std::as_const(loaded.lastMessages))
            m_room.remember(msg);
    }

    if (!m_listener->listen(m_config.bindAddress, m_config.port)) {
        *error = QStringLiteral("cannot listen on %1 port %2: %3")
                     .arg(m_config.bindAddress.toString())
                     .arg(m_config.port)
                     .arg(m_listener->errorString());
        return false;
    }

    if (m_kernelWatch) {
        m_listenerKernelHandle = m_kernelWatch->watchSocket(m_listener->socketDescriptor(),
                                                            net::TcpState::Closed, nullptr);
        if (m_listenerKernelHandle > 0)
            m_watchedSockets.insert(m_listenerKernelHandle, {0, QString()});
    }

    if (m_config.maxPending <= 0) {
        const long files = openFileLimit();
        m_pending.setMaxTotal(files > 0 ? int(qMax(16L, files / 4)) : 2500);
    }

    if (m_config.discovery) {
        m_discovery = new net::DiscoveryResponder(
            [this] {
                return protocol::Here{protocol::kProtocolVersion, m_config.name, port(),
                                      quint64(m_room.size()), !m_config.password.isEmpty()};
            },
            this);
        if (!m_discovery->start(m_config.discoveryPort))
            emit warning(QStringLiteral("LAN discovery is off: UDP port %1: %2")
                             .arg(m_config.discoveryPort)
                             .arg(m_discovery->errorString()));
    }
    emit listening(address(), port());
    return true;
}

void ChatServer::setMotdAndPassword(const QString &motd, const QString &password)
{
    m_config.motd = motd;
    m_config.password = password;
}

bool ChatServer::isListening() const
{
    return m_listener->isListening();
}

QHostAddress ChatServer::address() const
{
    return m_listener->serverAddress();
}

quint16 ChatServer::port() const
{
    return m_listener->serverPort();
}

quint16 ChatServer::discoveryPort() const
{
    return m_discovery ? m_discovery->port() : 0;
}

void ChatServer::onAccepted(qintptr descriptor)
{
    if (m_shuttingDown) {
        net::setLingerZero(descriptor);
        net::closeDescriptor(descriptor);
        return;
    }
    net::ConnectionSettings settings;
    settings.role = protocol::Role::Server;
    settings.maxFrame = m_config.maxFrame;
    settings.heartbeatInterval = m_config.heartbeatInterval;
    settings.heartbeatTimeout = m_config.heartbeatTimeout;
    settings.maxSendQueue = m_config.sendQueueBytes;
    settings.inputWorkPerSecond = m_config.inputWorkPerSecond;
    settings.inputWorkBurst = m_config.inputWorkBurst;
    settings.halfCloseTolerant = m_config.halfCloseTolerant;
    auto *connection = new net::Connection(descriptor, settings);
    auto *session = new Session(m_nextSessionId++, connection,
                                TokenBucket(m_config.floodRate, m_config.floodBurst), this);
    m_sessions.insert(session->id(), session);
    connection->setRecording(m_config.recordConnections ? net::Connection::Recording::Lifecycle
                                                        : net::Connection::Recording::Off);
    if (m_kernelWatch) {
        connection->setKernelWatch(m_kernelWatch);
        if (connection->kernelHandle() > 0)
            m_watchedSockets.insert(connection->kernelHandle(), {session->id(), session->peer()});
    }

    connection->setHandler(this);
    m_sweeper->add(connection);
    m_awaitingHello.push_back(session->id());
    if (!m_helloSweep.isActive())
        m_helloSweep.start();
    emit sessionAccepted(session->id(), session->peer());
    admitPending(session);
}

bool ChatServer::admitPending(Session *session)
{
    PendingLogins::Admission admission = m_pending.admit(session->peerAddress());
    if (admission == PendingLogins::Admission::ServerFull) {
        // The oldest waiting connection makes room: a newcomer always gets in.
        while (!m_awaitingHello.empty() && m_awaitingHello.front() != session->id()) {
            Session *oldest = m_sessions.value(m_awaitingHello.front());
            m_awaitingHello.pop_front();
            if (oldest && oldest->countedPending) {
                releasePending(oldest);
                rejectFatal(oldest, ErrorCode::HelloTimeout,
                            QStringLiteral("no hello yet, and %1 connections are waiting: the "
                                           "oldest makes room for a newcomer")
                                .arg(m_pending.maxTotal()));
                break;
            }
        }
        admission = m_pending.admit(session->peerAddress());
    }
    if (admission != PendingLogins::Admission::Admitted) {
        rejectFatal(session, ErrorCode::ServerFull,
                    QStringLiteral("%1 connections from %2 are waiting to log in already")
                        .arg(m_pending.maxPerAddress())
                        .arg(session->peerAddress().toString()));
        return false;
    }
    session->countedPending = true;
    return true;
}

void ChatServer::releasePending(Session *session)
{
    if (!session->countedPending)
        return;
    session->countedPending = false;
    m_pending.release(session->peerAddress());
}

Session *ChatServer::sessionOf(net::Connection *connection)
{
    Q_ASSERT(qobject_cast<Session *>(connection->parent()));
    return static_cast<Session *>(connection->parent());
}

void ChatServer::connectionMessage(net::Connection *connection, const protocol::Envelope &envelope)
{
    onMessage(sessionOf(connection), envelope);
}

void ChatServer::connectionClosing(net::Connection *connection, net::CloseCause cause,
                                   const QString &detail)
{
    onClosing(sessionOf(connection), cause, detail);
}

void ChatServer::connectionClosed(net::Connection *connection, net::CloseCause, const QString &)
{
    onClosed(sessionOf(connection));
}

void ChatServer::connectionSendQueueExceeded(net::Connection *connection, qint64 queuedBytes)
{
    rejectFatal(sessionOf(connection), ErrorCode::SendqExceeded,
                QStringLiteral("%1 bytes waiting to be read; the limit is %2")
                    .arg(queuedBytes)
                    .arg(m_config.sendQueueBytes));
}

void ChatServer::connectionThrottled(net::Connection *connection)
{
    const Session *session = sessionOf(connection);
    emit sessionThrottled(session->id(), session->peer());
}

void ChatServer::onMessage(Session *session, const protocol::Envelope &envelope)
{
    ++session->messagesIn;
    const QString &type = envelope.type;

    // (3) registration state
    if (!session->isRegistered()) {
        if (type == L("hello"))
            handleHello(session, envelope);
        else
            rejectFatal(session, ErrorCode::NotRegistered,
                        QStringLiteral("\"%1\" before hello; send hello first").arg(type));
        return;
    }
    if (type == L("hello")) {
        reject(session, ErrorCode::AlreadyRegistered,
               QStringLiteral("already registered as %1").arg(session->nick()));
        return;
    }

    // (4) the rate limit, for say, nick and who
    const bool counted = type == L("say") || type == L("nick") || type == L("who");
    if (counted && !session->rateLimit().take()) {
        reject(session, ErrorCode::RateLimited,
               QStringLiteral("more than %1 messages a second").arg(m_config.floodRate),
               type == L("say") ? peekId(envelope) : std::nullopt);
        return;
    }

    // (5) keys and types
    const protocol::DecodeResult decoded =
        protocol::decodeMessage(envelope, protocol::Role::Server);
    if (decoded.error) {
        if (decoded.error.code == ErrorCode::UnknownType)
            reject(session, ErrorCode::UnknownType, decoded.error.detail);
        else
            rejectFatal(session, decoded.error.code, decoded.error.detail);
        return;
    }

    // (6) the message's own rules
    if (const auto *say = std::get_if<protocol::Say>(&*decoded.message))
        handleSay(session, *say);
    else if (const auto *change = std::get_if<protocol::NickChange>(&*decoded.message))
        handleNick(session, *change);
    else if (std::holds_alternative<protocol::Who>(*decoded.message))
        session->connection()->send(protocol::Users{m_room.nicks()});
}

// Wrong passwords slow down their own address only (LoginGuard); while an
// address waits, its hellos are refused without a look at the password, so
// guessing gains nothing.
bool ChatServer::checkPassword(Session *session, const std::optional<QString> &pass)
{
    const auto now = LoginGuard::Clock::now();
    const QHostAddress address = session->peerAddress();
    const QString who = address.toString();
    if (const auto wait = m_loginGuard.waitFor(address, now)) {
        rejectFatal(session, ErrorCode::Auth,
                    m_loginGuard.isBanned(address, now)
                        ? QStringLiteral("too many wrong passwords from %1: banned for %2 more s")
                              .arg(who)
                              .arg(wait->count())
                        : QStringLiteral("too many wrong passwords from %1: wait %2 s before "
                                         "trying again")
                              .arg(who)
                              .arg(wait->count()));
        return false;
    }
    if (passwordMatches(m_config.password, pass.value_or(QString()))) {
        m_loginGuard.succeeded(address);
        return true;
    }
    switch (m_loginGuard.failed(address, now)) {
    case LoginGuard::Verdict::Counted:
        break;
    case LoginGuard::Verdict::MustWait:
        emit warning(QStringLiteral("%1: wrong passwords again; its next try must wait").arg(who));
        break;
    case LoginGuard::Verdict::Banned:
        emit warning(QStringLiteral("%1: %2 wrong passwords; banned for %3 minutes")
                         .arg(who)
                         .arg(LoginGuard::kBanFailures)
                         .arg(LoginGuard::kBanTime.count()));
        break;
    }
    rejectFatal(session, ErrorCode::Auth,
                pass ? QStringLiteral("wrong password")
                     : QStringLiteral("this server needs a password"));
    return false;
}

void ChatServer::handleHello(Session *session, const protocol::Envelope &envelope)
{
    const protocol::DecodeResult decoded =
        protocol::decodeMessage(envelope, protocol::Role::Server);
    if (decoded.error) {
        rejectFatal(session, decoded.error.code, decoded.error.detail);
        return;
    }
    const auto &hello = std::get<protocol::Hello>(*decoded.message);
    if (hello.version != protocol::kProtocolVersion) {
        rejectFatal(session, ErrorCode::Version,
                    QStringLiteral("this server speaks protocol version %1, not %2")
                        .arg(protocol::kProtocolVersion)
                        .arg(hello.version));
        return;
    }
    if (!m_config.password.isEmpty() && !checkPassword(session, hello.pass))
        return;
    if (!protocol::isValidNick(hello.nick)) {
        rejectFatal(session, ErrorCode::NickInvalid,
                    QStringLiteral("\"%1\" is not a valid nickname: use 1 to 32 letters, "
                                   "digits, marks, '_', '-' or '.'")
                        .arg(hello.nick));
        return;
    }
    if (const QString taken = nickTakenReason(hello.nick, session); !taken.isEmpty()) {
        rejectFatal(session, ErrorCode::NickTaken, taken);
        return;
    }
    if (m_room.size() >= m_config.maxClients) {
        rejectFatal(session, ErrorCode::ServerFull,
                    QStringLiteral("the server is full (%1 clients)").arg(m_config.maxClients));
        return;
    }

    releasePending(session);
    session->setNick(hello.nick);
    m_room.add(session);
    net::Connection *connection = session->connection();
    protocol::Welcome welcome;
    welcome.nick = hello.nick;
    welcome.server = m_config.name;
    welcome.session = session->id();
    welcome.heartbeatMs = quint64(m_config.heartbeatInterval.count());
    welcome.timeoutMs = quint64(m_config.heartbeatTimeout.count());
    welcome.maxFrame = m_config.maxFrame;
    welcome.maxText = m_config.maxText;
    welcome.users = m_room.nicks();
    if (!m_config.motd.isEmpty())
        welcome.motd = m_config.motd;
    connection->send(welcome);
    connection->sendFrames(m_room.backlogFrames());
    m_room.broadcast(protocol::encodeMessageFrame(protocol::Join{hello.nick, nowMs()}), session);
    // A wave of arrivals queues a join for every member and a long welcome
    // for each newcomer: hand those pages back once the wave has gone out.
    if (!m_releaseMemory.isActive())
        m_releaseMemory.start();
    emit sessionRegistered(session->id(), hello.nick);
}

void ChatServer::handleSay(Session *session, const protocol::Say &say)
{
    const qsizetype bytes = say.text.toUtf8().size();
    if (bytes == 0 || quint64(bytes) > m_config.maxText) {
        reject(
            session, ErrorCode::TextSize,
            QStringLiteral("text of %1 bytes; it must be 1 to %2").arg(bytes).arg(m_config.maxText),
            say.id);
        return;
    }

    protocol::ChatMsg msg;
    msg.from = session->nick();
    msg.text = say.text;
    msg.ts = nowMs();

    if (say.to) {
        Session *target = m_room.find(*say.to);
        if (!target) {
            reject(session, ErrorCode::UnknownUser,
                   QStringLiteral("nobody called \"%1\" is here").arg(*say.to), say.id);
            return;
        }
        msg.to = target->nick();
        if (target != session) {
            target->connection()->send(msg);
            ++target->messagesOut;
        }
        msg.id = say.id;
        session->connection()->send(msg);
        ++session->messagesOut;
        return;
    }

    // Stored before anyone sees it (docs/protocol.md, "History on disk"): a
    // message the disk refused is refused to its sender and keeps no seq.
    msg.seq = m_room.lastSeq() + 1;
    if (m_history.isOpen() && !storeInHistory(msg)) {
        reject(session, ErrorCode::RateLimited,
               QStringLiteral("the server could not store the message (%1), so the room did not "
                              "get it; try again later")
                   .arg(m_historyProblem),
               say.id);
        return;
    }
    m_room.nextSeq();
    m_room.remember(msg);
    ++m_roomMessagesRelayed;

    // One encoding for the whole room; the sender's copy differs by its id.
    if (say.id) {
        m_room.broadcast(protocol::encodeMessageFrame(msg), session);
        protocol::ChatMsg own = msg;
        own.id = say.id;
        session->connection()->send(own);
        ++session->messagesOut;
    } else {
        m_room.broadcast(protocol::encodeMessageFrame(msg));
    }
    emit roomMessage(msg);
}

QString ChatServer::nickTakenReason(const QString &nick, const Session *asker) const
{
    if (const Session *holder = m_room.find(nick); holder && holder != asker)
        return QStringLiteral("the nickname \"%1\" is in use").arg(nick);
    if (const Session *holder = m_room.findLookalike(nick); holder && holder != asker)
        return QStringLiteral("the nickname \"%1\" looks like \"%2\", who is here")
            .arg(nick, holder->nick());
    return {};
}

bool ChatServer::storeInHistory(const protocol::ChatMsg &message)
{
    QString problem;
    if (!m_history.append(message, &problem)) {
        // Said once when storing starts failing, not once per message; set
        // first, so that whoever hears the warning sees the problem too.
        const bool first = m_historyProblem.isEmpty();
        m_historyProblem = problem;
        if (first)
            emit warning(QStringLiteral("cannot store messages in the history file (%1): room "
                                        "messages are refused until it takes them again")
                             .arg(problem));
        return false;
    }
    if (!m_historyProblem.isEmpty()) {
        m_historyProblem.clear();
        emit warning(QStringLiteral("the history file takes messages again: room messages are "
                                    "stored and relayed"));
    }
    return true;
}

void ChatServer::handleNick(Session *session, const protocol::NickChange &change)
{
    if (!protocol::isValidNick(change.nick)) {
        reject(session, ErrorCode::NickInvalid,
               QStringLiteral("\"%1\" is not a valid nickname").arg(change.nick));
        return;
    }
    if (const QString taken = nickTakenReason(change.nick, session); !taken.isEmpty()) {
        reject(session, ErrorCode::NickTaken, taken);
        return;
    }
    const QString from = session->nick();
    m_room.rename(session, change.nick);
    m_room.broadcast(protocol::encodeMessageFrame(protocol::Rename{from, change.nick, nowMs()}));
    emit sessionRenamed(session->id(), from, change.nick);
}

void ChatServer::reject(Session *session, ErrorCode code, const QString &text,
                        std::optional<quint64> id)
{
    const QString name = protocol::errorCodeName(code);
    session->connection()->send(protocol::Error{name, text, false, id});
    emit errorSent(session->id(), name, text, false);
}

void ChatServer::rejectFatal(Session *session, ErrorCode code, const QString &text)
{
    if (!session->connection()->isOpen())
        return;
    session->setLeaveReason(protocol::reason::Error);
    emit errorSent(session->id(), protocol::errorCodeName(code), text, true);
    session->connection()->closeWithError(code, text);
}

void ChatServer::kick(quint64 sessionId, const QString &text)
{
    Session *session = m_sessions.value(sessionId);
    if (!session || !session->connection()->isOpen())
        return;
    session->setLeaveReason(protocol::reason::Kicked);
    session->connection()->closeWithBye(protocol::reason::Kicked, text);
}

void ChatServer::disconnectSession(quint64 sessionId)
{
    kick(sessionId, QStringLiteral("disconnected by the server operator"));
}

void ChatServer::onClosing(Session *session, net::CloseCause cause, const QString &detail)
{
    releasePending(session);
    const QString reason =
        session->leaveReason().isEmpty() ? leaveReasonFor(cause) : session->leaveReason();
    const QString nick = session->isRegistered() ? session->nick() : QString();
    if (session->isRegistered() && m_room.contains(session)) {
        m_room.remove(session);
        // Everyone is leaving at shutdown: no one needs to hear of the others.
        if (!m_shuttingDown)
            m_room.broadcast(protocol::encodeMessageFrame(protocol::Leave{nick, nowMs(), reason}));
    }
    emit sessionLeft(session->id(), nick, reason, detail);
}

void ChatServer::onClosed(Session *session)
{
    m_sessions.remove(session->id());
    emit sessionClosed(session->id());
    m_closedSessions.push_back(session);
    if (!m_deleteClosed.isActive())
        m_deleteClosed.start();
    if (!m_releaseMemory.isActive())
        m_releaseMemory.start();
    if (m_shuttingDown && m_sessions.isEmpty() && m_shutdownGrace.isActive()) {
        m_shutdownGrace.stop();
        emit shutdownFinished();
    }
}

void ChatServer::deleteClosedSessions()
{
    std::vector<Session *> closed;
    closed.swap(m_closedSessions);
    qDeleteAll(closed);
}

void ChatServer::releaseFreedMemory()
{
    // glibc keeps freed heap pages resident until trimmed: without this, ten
    // thousand short sessions leave about 90 MB of RSS behind for good.
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void ChatServer::sweepHelloTimeouts()
{
    const auto now = Session::Clock::now();
    while (!m_awaitingHello.empty()) {
        Session *session = m_sessions.value(m_awaitingHello.front());
        if (session && !session->isRegistered()) {
            if (now - session->acceptedAt() < m_config.helloTimeout)
                return;
            rejectFatal(session, ErrorCode::HelloTimeout,
                        QStringLiteral("no hello within %1 ms").arg(m_config.helloTimeout.count()));
        }
        m_awaitingHello.pop_front();
    }
    m_helloSweep.stop();
}

void ChatServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_listener->close();
    if (m_discovery)
        m_discovery->stop();
    m_helloSweep.stop();
    if (m_sessions.isEmpty()) {
        QMetaObject::invokeMethod(this, &ChatServer::shutdownFinished, Qt::QueuedConnection);
        return;
    }
    m_shutdownGrace.start(kShutdownGrace);
    const QList<Session *> all = m_sessions.values();
    for (Session *session : all) {
        session->setLeaveReason(protocol::reason::Shutdown);
        session->connection()->closeWithBye(protocol::reason::Shutdown,
                                            QStringLiteral("the server is shutting down"));
    }
}

} // namespace synack::server
