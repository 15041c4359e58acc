#include "net/connection.h"

#include "net/socketops.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>

namespace synack::net {

using Clock = std::chrono::steady_clock;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

// Enough to match a pong to its ping; older pings are forgotten.
constexpr std::size_t kMaxPingsInFlight = 8;

qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString describeSocketError(QTcpSocket *socket)
{
    return socket->errorString();
}

} // namespace

QString closeCauseName(CloseCause cause)
{
    switch (cause) {
    case CloseCause::LocalClose:
        return QStringLiteral("closed by this side");
    case CloseCause::PeerBye:
        return QStringLiteral("peer said bye");
    case CloseCause::PeerClosed:
        return QStringLiteral("closed by peer (FIN)");
    case CloseCause::PeerReset:
        return QStringLiteral("reset by peer (RST)");
    case CloseCause::Timeout:
        return QStringLiteral("peer timed out");
    case CloseCause::ProtocolError:
        return QStringLiteral("protocol error");
    case CloseCause::SendQueueExceeded:
        return QStringLiteral("send queue exceeded");
    case CloseCause::Aborted:
        return QStringLiteral("reset by this side (RST)");
    case CloseCause::ConnectFailed:
        return QStringLiteral("could not connect");
    }
    return {};
}

Connection::Connection(QTcpSocket *socket, const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_settings(settings)
    , m_decoder(settings.maxFrame)
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::connected, this, &Connection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &Connection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &Connection::onBytesWritten);

    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        m_state = State::Open;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_lastHeard = m_lastPingSent = Clock::now();
    }
}

Connection::~Connection() = default;

void Connection::connectToHost(const QString &host, quint16 port, std::chrono::milliseconds timeout)
{
    Q_ASSERT(m_state == State::Connecting);
    m_socket->connectToHost(host, port);
    if (!m_closeTimer) {
        m_closeTimer = new QTimer(this);
        m_closeTimer->setSingleShot(true);
    }
    m_closeTimer->disconnect(this);
    connect(m_closeTimer, &QTimer::timeout, this, [this, timeout] {
        if (m_state == State::Connecting) {
            m_socket->abort();
            finish(CloseCause::ConnectFailed,
                   QStringLiteral("no answer within %1 s").arg(timeout.count() / 1000.0));
        }
    });
    m_closeTimer->start(timeout);
}

qint64 Connection::bytesQueued() const
{
    return m_socket->bytesToWrite();
}

void Connection::send(const protocol::Message &message)
{
    if (m_state == State::Open)
        writeFrame(protocol::encodeMessageFrame(message));
}

void Connection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Open)
        writeFrame(frame);
}

void Connection::writeFrame(const QByteArray &frame)
{
    m_socket->write(frame);
    m_bytesOut += frame.size();
    ++m_framesOut;
    if (m_settings.maxSendQueue > 0 && !m_sendQueueReported &&
        m_socket->bytesToWrite() > m_settings.maxSendQueue) {
        m_sendQueueReported = true;
        emit sendQueueExceeded(m_socket->bytesToWrite());
    }
}

void Connection::setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds timeout)
{
    m_settings.heartbeatInterval = interval;
    m_settings.heartbeatTimeout = timeout;
}

void Connection::heartbeatTick(Clock::time_point now)
{
    if (m_state != State::Open)
        return;
    if (now - m_lastHeard >= m_settings.heartbeatTimeout) {
        const auto silentMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastHeard).count();
        beginClose(CloseCause::Timeout, QStringLiteral("nothing heard for %1 ms").arg(silentMs),
                   protocol::encodeMessageFrame(protocol::Bye{protocol::reason::Timeout, {}}));
        return;
    }
    if (now - m_lastPingSent >= m_settings.heartbeatInterval)
        sendPing(now);
}

void Connection::sendPing(Clock::time_point now)
{
    const quint64 seq = m_nextPingSeq++;
    m_lastPingSent = now;
    m_pingsInFlight.emplace_back(seq, now);
    if (m_pingsInFlight.size() > kMaxPingsInFlight)
        m_pingsInFlight.pop_front();
    writeFrame(protocol::encodeMessageFrame(protocol::Ping{seq, wallClockMs()}));
}

void Connection::closeWithBye(const QString &reason, const std::optional<QString> &text)
{
    beginClose(CloseCause::LocalClose, QStringLiteral("sent bye (%1)").arg(reason),
               protocol::encodeMessageFrame(protocol::Bye{reason, text}));
}

void Connection::closeWithError(ErrorCode code, const QString &text)
{
    const QString name = protocol::errorCodeName(code);
    const CloseCause cause = code == ErrorCode::SendqExceeded ? CloseCause::SendQueueExceeded
                                                              : CloseCause::ProtocolError;
    beginClose(cause, QStringLiteral("%1: %2").arg(name, text),
               protocol::encodeMessageFrame(protocol::Error{name, text, true, {}}));
}

void Connection::abort()
{
    if (m_state == State::Closed)
        return;
    setLingerZero(m_socket->socketDescriptor());
    finish(CloseCause::Aborted, closeCauseName(CloseCause::Aborted));
}

void Connection::onConnected()
{
    if (m_closeTimer)
        m_closeTimer->stop();
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_lastHeard = m_lastPingSent = Clock::now();
    setState(State::Open);
    emit connected();
}

void Connection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    m_bytesIn += bytes.size();
    if (m_state != State::Open)
        return; // closing: read and discard until the peer closes (section 7)
    m_decoder.append(bytes);
    while (m_state == State::Open && m_decoder.hasFrame())
        handleFrame(m_decoder.takeFrame());
    if (m_state == State::Open && m_decoder.failed())
        failProtocol(m_decoder.error());
}

void Connection::handleFrame(const QByteArray &payload)
{
    ++m_framesIn;
    m_lastHeard = Clock::now();

    protocol::EnvelopeResult parsed = protocol::parseEnvelope(payload);
    if (parsed.error) {
        failProtocol(parsed.error);
        return;
    }
    const protocol::Envelope &envelope = parsed.envelope;
    const QString &type = envelope.type;
    const bool heartbeatOrBye = type == QLatin1StringView("ping") ||
                                type == QLatin1StringView("pong") ||
                                type == QLatin1StringView("bye");
    if (!heartbeatOrBye) {
        emit messageReceived(envelope);
        return;
    }

    protocol::DecodeResult decoded = protocol::decodeMessage(envelope, m_settings.role);
    if (decoded.error) {
        failProtocol(decoded.error);
        return;
    }
    if (const auto *ping = std::get_if<protocol::Ping>(&*decoded.message)) {
        writeFrame(protocol::encodeMessageFrame(protocol::Pong{ping->seq, ping->ts}));
    } else if (const auto *pong = std::get_if<protocol::Pong>(&*decoded.message)) {
        const auto now = Clock::now();
        std::chrono::microseconds rtt{-1};
        for (const auto &[seq, sentAt] : m_pingsInFlight) {
            if (seq == pong->seq)
                rtt = std::chrono::duration_cast<std::chrono::microseconds>(now - sentAt);
        }
        if (rtt.count() < 0) // not one of ours in memory: fall back to its wall-clock ts
            rtt = std::chrono::milliseconds(qMax<qint64>(0, wallClockMs() - pong->ts));
        emit roundTripMeasured(rtt);
    } else if (const auto *bye = std::get_if<protocol::Bye>(&*decoded.message)) {
        emit byeReceived(bye->reason, bye->text);
        QString detail = QStringLiteral("peer said bye (%1)").arg(bye->reason);
        if (bye->text)
            detail += QStringLiteral(": ") + *bye->text;
        beginClose(CloseCause::PeerBye, detail);
    }
}

void Connection::failProtocol(const ProtocolError &error)
{
    const QString name = protocol::errorCodeName(error.code);
    if (m_settings.role == protocol::Role::Server) {
        closeWithError(error.code, error.detail);
    } else {
        // Clients report a broken server with a bye of reason "error".
        beginClose(CloseCause::ProtocolError, QStringLiteral("%1: %2").arg(name, error.detail),
                   protocol::encodeMessageFrame(protocol::Bye{
                       protocol::reason::Error, name + QStringLiteral(": ") + error.detail}));
    }
}

void Connection::beginClose(CloseCause cause, const QString &detail, const QByteArray &lastFrame)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    if (m_state == State::Connecting) {
        m_socket->abort();
        finish(cause, detail);
        return;
    }
    m_closeCause = cause;
    m_closeDetail = detail;
    setState(State::Closing);
    if (!lastFrame.isEmpty())
        writeFrame(lastFrame);
    announceClosing(cause, detail);

    if (!m_closeTimer) {
        m_closeTimer = new QTimer(this);
        m_closeTimer->setSingleShot(true);
    }
    m_closeTimer->disconnect(this);
    connect(m_closeTimer, &QTimer::timeout, this, [this] { finish(m_closeCause, m_closeDetail); });
    m_closeTimer->start(m_settings.lingerTime);
    shutdownWriteWhenDrained();
}

void Connection::shutdownWriteWhenDrained()
{
    if (m_writeShutDown || m_socket->bytesToWrite() > 0)
        return; // onBytesWritten() comes back here
    m_writeShutDown = true;
    shutdownWrite(m_socket->socketDescriptor());
}

void Connection::onBytesWritten()
{
    if (m_state == State::Closing)
        shutdownWriteWhenDrained();
}

void Connection::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_state == State::Connecting) {
        finish(CloseCause::ConnectFailed, describeSocketError(m_socket));
        return;
    }
    if (m_state == State::Open && error != QAbstractSocket::RemoteHostClosedError)
        finish(CloseCause::PeerReset, describeSocketError(m_socket));
    // RemoteHostClosedError is followed by disconnected().
}

void Connection::onDisconnected()
{
    if (m_state == State::Closing)
        finish(m_closeCause, m_closeDetail);
    else if (m_state == State::Open)
        finish(CloseCause::PeerClosed, closeCauseName(CloseCause::PeerClosed));
}

void Connection::finish(CloseCause cause, const QString &detail)
{
    if (m_state == State::Closed)
        return;
    if (m_closeTimer)
        m_closeTimer->stop();
    announceClosing(cause, detail);
    setState(State::Closed);
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    emit closed(cause, detail);
}

void Connection::announceClosing(CloseCause cause, const QString &detail)
{
    if (m_closingAnnounced)
        return;
    m_closingAnnounced = true;
    emit closing(cause, detail);
}

void Connection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace synack::net
