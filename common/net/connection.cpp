#include "net/connection.h"

#include "net/heartbeatsweeper.h"
#include "net/kernelwatch.h"
#include "net/socketops.h"
#include "protocol/describe.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMetaEnum>
#include <QTcpSocket>
#include <QTimer>
#include <QTimerEvent>
#include <QtEndian>
#include <atomic>
#include <cstring>

namespace synack::net {

using Clock = std::chrono::steady_clock;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

// A send queue over its limit is looked at again after this long.
constexpr auto kSendQueueSecondLook = 100ms;
// A burst may take a reading peer's queue up to this many times the limit
// until the second look; never further.
constexpr qint64 kSendQueueCeiling = 2;
// What a frame costs besides its decoding, against the peer's input budget.
constexpr std::chrono::nanoseconds kFrameWork = 5us;

std::atomic<quint64> g_nextConnectionId{1};

qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString qtStateName(QAbstractSocket::SocketState state)
{
    return QString::fromLatin1(
        QMetaEnum::fromType<QAbstractSocket::SocketState>().valueToKey(int(state)));
}

} // namespace

QString closeCauseName(CloseCause cause)
{
    // Shown in both windows: in the user's language.
    const auto translated = [](const char *text) {
        return QCoreApplication::translate("synack::net::Connection", text);
    };
    switch (cause) {
    case CloseCause::LocalClose:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "closed by this side"));
    case CloseCause::PeerBye:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "peer said bye"));
    case CloseCause::PeerClosed:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "closed by peer (FIN)"));
    case CloseCause::PeerReset:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "reset by peer (RST)"));
    case CloseCause::Timeout:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "peer timed out"));
    case CloseCause::ProtocolError:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "protocol error"));
    case CloseCause::SendQueueExceeded:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "send queue exceeded"));
    case CloseCause::Aborted:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "reset by this side (RST)"));
    case CloseCause::ConnectFailed:
        return translated(QT_TRANSLATE_NOOP("synack::net::Connection", "could not connect"));
    }
    return {};
}

Connection::Connection(QTcpSocket *socket, const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_decoder(settings.maxFrame)
    , m_heartbeat(settings.heartbeatInterval, settings.heartbeatTimeout)
    , m_inputBudget(settings.inputWorkPerSecond, settings.inputWorkBurst)
    , m_id(g_nextConnectionId++)
{
    if (socket->state() == QAbstractSocket::ConnectedState) {
        const qintptr descriptor = duplicateDescriptor(socket->socketDescriptor());
        socket->blockSignals(true);
        socket->abort(); // closes Qt's descriptor; the duplicate keeps the connection
        delete socket;
        adopt(descriptor);
        return;
    }
    m_socket = socket;
    m_socket->setParent(this);
    m_socketState = socket->state();
    connect(m_socket, &QTcpSocket::connected, this, &Connection::onConnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &Connection::onConnectError);
    connect(m_socket, &QTcpSocket::stateChanged, this, &Connection::onQtStateChanged);
}

Connection::Connection(qintptr descriptor, const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_decoder(settings.maxFrame)
    , m_heartbeat(settings.heartbeatInterval, settings.heartbeatTimeout)
    , m_inputBudget(settings.inputWorkPerSecond, settings.inputWorkBurst)
    , m_id(g_nextConnectionId++)
{
    adopt(descriptor);
}

Connection::~Connection()
{
    if (m_sweeper)
        m_sweeper->remove(this);
}

void Connection::adopt(qintptr descriptor)
{
    if (descriptor < 0) { // cannot happen short of running out of descriptors
        m_socketError = QAbstractSocket::SocketResourceError;
        finish(m_outgoing ? CloseCause::ConnectFailed : CloseCause::PeerReset,
               QStringLiteral("could not take over the socket: %1").arg(qt_error_string()));
        return;
    }
    m_stream =
        std::make_unique<SocketStream>(descriptor, static_cast<SocketStream::Listener *>(this));
    setNoDelay(descriptor);
    localEndpoint(descriptor, &m_localAddress, &m_localPort);
    peerEndpoint(descriptor, &m_peerAddress, &m_peerPort);
    m_state = State::Open;
    m_socketState = QAbstractSocket::ConnectedState;
    m_heartbeat.start(Clock::now());
    if (m_kernelWatch && m_kernelHandle > 0) // watched since the connect began
        m_kernelWatch->setHeldDescriptor(m_kernelHandle, descriptor);
    startObserving();
}

qintptr Connection::descriptor() const
{
    if (m_stream)
        return m_stream->descriptor();
    return m_socket ? m_socket->socketDescriptor() : -1;
}

void Connection::setSocketState(QAbstractSocket::SocketState state)
{
    if (m_socketState == state)
        return;
    m_socketState = state;
    if (isRecording())
        record(EventKind::QtState, Direction::None, qtStateName(state),
               QStringLiteral("Qt socket state: %1").arg(qtStateName(state)));
    emit socketStateChanged(state);
}

void Connection::connectToHost(const QString &host, quint16 port, std::chrono::milliseconds timeout)
{
    Q_ASSERT(m_state == State::Connecting);
    m_outgoing = true;
    record(EventKind::Lifecycle, Direction::Out, QStringLiteral("connect"),
           QStringLiteral("connecting to %1 port %2").arg(host).arg(port));
    m_socket->connectToHost(host, port);
    m_connectTimeout = timeout;
    m_closeTimer.start(int(timeout.count()), this);
}

void Connection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_inputResumeTimer.timerId()) {
        m_inputResumeTimer.stop();
        resumeInput();
        return;
    }
    if (event->timerId() != m_closeTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_closeTimer.stop();
    if (m_state == State::Connecting) {
        m_socket->abort();
        finish(
            CloseCause::ConnectFailed,
            QStringLiteral("no answer within %1 s").arg(double(m_connectTimeout.count()) / 1000.0));
    } else if (m_state == State::Closing && !m_holdingCloseWait) {
        finish(m_closeCause, m_closeDetail); // the linger is over
    }
}

qint64 Connection::bytesQueued() const
{
    return m_stream ? m_stream->bytesQueued() : 0;
}

void Connection::send(const protocol::Message &message)
{
    if (m_state == State::Open && !m_localHalfClosed)
        writeFrame(protocol::encodeMessageFrame(message));
}

void Connection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Open && !m_localHalfClosed)
        writeFrame(frame);
}

void Connection::sendFrames(const QByteArray &frames)
{
    if (m_state != State::Open || m_localHalfClosed || frames.isEmpty())
        return;
    qint64 count = 0;
    for (qsizetype at = 0; at + protocol::kFrameHeaderSize <= frames.size(); ++count) {
        const qsizetype size =
            protocol::kFrameHeaderSize + qFromBigEndian<quint32>(frames.constData() + at);
        if (m_recording == Recording::Full) // the socket log shows each frame
            writeFrame(frames.sliced(at, qMin(size, frames.size() - at)));
        at += size;
    }
    if (m_recording != Recording::Full) {
        writeFrame(frames);
        m_framesOut += count - 1;
    }
}

void Connection::writeFrame(const QByteArray &frame)
{
    if (!m_stream)
        return;
    m_stream->write(frame);
    m_bytesOut += frame.size();
    ++m_framesOut;
    if (m_recording == Recording::Full)
        recordFrame(Direction::Out, frame);
    if (m_settings.maxSendQueue > 0 && !m_sendQueueReported &&
        m_stream->bytesQueued() > kSendQueueCeiling * m_settings.maxSendQueue) {
        // Past twice the limit no burst is an excuse: the kernel takes what
        // it can now, and a peer that leaves more than that is dropped at
        // once, not after the second look (a flood of large frames took the
        // queue to 15 MiB meanwhile).
        m_stream->flushNow();
        if (m_state == State::Open && m_stream &&
            m_stream->bytesQueued() > kSendQueueCeiling * m_settings.maxSendQueue) {
            reportSendQueueExceeded(m_stream->bytesQueued());
            return;
        }
    }
    if (m_settings.maxSendQueue > 0 && !m_sendQueueReported && !m_sendQueueCheckPending &&
        m_stream->bytesQueued() > m_settings.maxSendQueue) {
        // Judged after this turn of the event loop: what the owner sends in
        // one turn (the relays of several clients' bursts) has not been
        // offered to the kernel yet, and is no sign of a slow reader.
        m_sendQueueCheckPending = true;
        QMetaObject::invokeMethod(this, &Connection::checkSendQueue, Qt::QueuedConnection);
    }
}

// Over the limit, the queue gets one more look a moment later: a peer that
// reads takes its share meanwhile and the queue shrinks (one burst of many
// clients fills every queue at once); a peer that does not is dropped.
void Connection::checkSendQueue()
{
    m_sendQueueCheckPending = false;
    if (m_state != State::Open || m_sendQueueReported)
        return;
    m_stream->flushNow(); // the kernel takes what it can now; the rest is the peer's backlog
    const qint64 queued = m_stream->bytesQueued();
    if (m_state != State::Open || queued <= m_settings.maxSendQueue) {
        m_queuedAtLastLook = -1;
        return;
    }
    if (m_queuedAtLastLook >= 0 && queued >= m_queuedAtLastLook) {
        reportSendQueueExceeded(queued);
        return;
    }
    m_queuedAtLastLook = queued;
    m_sendQueueCheckPending = true;
    QTimer::singleShot(kSendQueueSecondLook, this, &Connection::checkSendQueue);
}

void Connection::reportSendQueueExceeded(qint64 queued)
{
    m_sendQueueReported = true;
    if (m_handler)
        m_handler->connectionSendQueueExceeded(this, queued);
    emit sendQueueExceeded(queued);
}

void Connection::setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds timeout)
{
    m_settings.heartbeatInterval = interval;
    m_settings.heartbeatTimeout = timeout;
    m_heartbeat.setIntervals(interval, timeout);
}

void Connection::heartbeatTick(Clock::time_point now)
{
    if (m_state != State::Open)
        return;
    if (const auto silent = m_heartbeat.silentTooLong(now)) {
        beginClose(CloseCause::Timeout,
                   QStringLiteral("nothing heard for %1 ms").arg(silent->count()),
                   protocol::encodeMessageFrame(protocol::Bye{protocol::reason::Timeout, {}}));
        return;
    }
    if (!m_frozen && !m_localHalfClosed && m_heartbeat.pingDue(now)) {
        const quint64 seq = m_heartbeat.pingSent(now);
        writeFrame(protocol::encodeMessageFrame(protocol::Ping{seq, wallClockMs()}));
    }
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
    record(EventKind::Lab, Direction::Out, QStringLiteral("abort"),
           QStringLiteral("abort: SO_LINGER 0 and close, the kernel sends RST"));
    m_resetOnClose = true;
    if (m_kernelWatch)
        m_kernelWatch->setCloseKind(m_kernelHandle, CloseKind::Reset);
    finish(CloseCause::Aborted, closeCauseName(CloseCause::Aborted));
}

// --- lab -------------------------------------------------------------------

void Connection::halfClose()
{
    if (m_state != State::Open || m_localHalfClosed)
        return;
    m_localHalfClosed = true;
    record(EventKind::Lab, Direction::Out, QStringLiteral("half-close"),
           QStringLiteral("shutdown(SHUT_WR): FIN sent once the queue drains; reading goes on"));
    m_stream->flushNow();
    if (m_stream->bytesQueued() == 0) {
        m_writeShutDown = true;
        m_stream->shutdownWrite();
        checkKernelNow();
    } // else streamWritten() shuts down once drained
    emit labStateChanged();
}

void Connection::setHoldCloseWait(bool hold)
{
    if (m_holdCloseWait == hold)
        return;
    m_holdCloseWait = hold;
    record(EventKind::Lab, Direction::None, QStringLiteral("hold-close-wait"),
           hold ? QStringLiteral("will hold CLOSE_WAIT when the peer closes")
                : QStringLiteral("will close normally when the peer closes"));
    emit labStateChanged();
    if (!hold && m_holdingCloseWait)
        releaseCloseWait();
}

void Connection::holdCloseWait(CloseCause cause, const QString &detail)
{
    m_holdingCloseWait = true;
    m_closeCause = cause;
    m_closeDetail = detail;
    if (m_stream)
        m_stream->setReading(false); // nothing more can arrive after the FIN
    record(
        EventKind::Lab, Direction::In, QStringLiteral("hold-close-wait"),
        QStringLiteral("%1; holding CLOSE_WAIT, as a program that forgets to close").arg(detail));
    setState(State::Closing);
    announceClosing(cause, detail);
    emit labStateChanged();
    checkKernelNow();
}

void Connection::releaseCloseWait()
{
    if (!m_holdingCloseWait)
        return;
    m_holdingCloseWait = false;
    record(EventKind::Lab, Direction::Out, QStringLiteral("release-close-wait"),
           QStringLiteral("closing at last: FIN sent, LAST_ACK until the peer's ACK"));
    if (m_kernelWatch)
        m_kernelWatch->setCloseKind(m_kernelHandle, CloseKind::Passive);
    finish(m_closeCause, m_closeDetail);
}

void Connection::setFrozen(bool frozen)
{
    if (m_frozen == frozen)
        return;
    m_frozen = frozen;
    record(EventKind::Lab, Direction::None,
           frozen ? QStringLiteral("freeze") : QStringLiteral("thaw"),
           frozen ? QStringLiteral("heartbeats frozen: no pings sent, none answered")
                  : QStringLiteral("heartbeats resumed"));
    if (!frozen)
        m_heartbeat.pingAtOnce(); // at the next tick
    emit labStateChanged();
}

// --- observation -----------------------------------------------------------

void Connection::setKernelWatch(KernelWatch *watch)
{
    m_kernelWatch = watch;
    if (m_state == State::Open)
        startObserving();
}

std::optional<TcpInfo> Connection::tcpInfo() const
{
    const qintptr fd = descriptor();
    return fd >= 0 ? KernelProbe::tcpInfo(fd) : std::nullopt;
}

void Connection::startObserving()
{
    const qintptr fd = descriptor();
    if (m_kernelWatch && m_kernelHandle < 0 && fd >= 0) {
        // Where the textbook starts each side: an outgoing socket is CLOSED
        // before its SYN, an accepted one comes from LISTEN. What the first
        // look skips (SYN_SENT, SYN_RCVD) is then "passed, not observed".
        // The first look comes on the next turn of the event loop, once the
        // owner knows the handle.
        const TcpState initial = m_outgoing ? TcpState::Closed : TcpState::Listen;
        if (m_stream) {
            m_kernelHandle = m_kernelWatch->watchConnection(
                fd, {m_localAddress, m_localPort, m_peerAddress, m_peerPort, 0}, initial, this);
        } else {
            m_kernelHandle = m_kernelWatch->watchSocket(fd, initial, this);
        }
    }
}

void Connection::checkKernelNow()
{
    if (m_kernelWatch && m_kernelHandle > 0)
        m_kernelWatch->checkNow(m_kernelHandle);
}

void Connection::observeKernelState(TcpState from, TcpState to,
                                    const QList<TcpState> &passedNotObserved, qint64 monotonicUs)
{
    m_kernelState = to;
    if (isRecording()) {
        QString summary = QStringLiteral("%1 → %2").arg(tcpStateName(from), tcpStateName(to));
        if (!passedNotObserved.isEmpty()) {
            QStringList passed;
            for (TcpState s : passedNotObserved)
                passed.append(tcpStateName(s));
            summary += QStringLiteral(" (passed, not observed: %1)")
                           .arg(passed.join(QStringLiteral(", ")));
        }
        ConnectionEvent event;
        event.connectionId = m_id;
        event.monotonicUs = monotonicUs;
        event.wallMs = wallClockMs();
        event.kind = EventKind::KernelState;
        event.type = tcpStateName(to);
        event.summary = summary;
        emit eventRecorded(event);
    }
    emit kernelStateChanged(from, to, passedNotObserved);
}

void Connection::record(EventKind kind, Direction direction, const QString &type,
                        const QString &summary, qint64 size, const QByteArray &raw)
{
    if (!isRecording())
        return;
    ConnectionEvent event;
    event.connectionId = m_id;
    event.monotonicUs = KernelStateTracker::monotonicUs();
    event.wallMs = wallClockMs();
    event.kind = kind;
    event.direction = direction;
    event.type = type;
    event.summary = summary;
    event.size = size;
    event.raw = raw.left(kMaxRawBytes);
    emit eventRecorded(event);
}

void Connection::recordFrame(Direction direction, const QByteArray &frame)
{
    const QByteArrayView payload = QByteArrayView(frame).sliced(protocol::kFrameHeaderSize);
    const protocol::EnvelopeResult parsed = protocol::parseEnvelope(payload);
    const QString type = parsed.error ? QStringLiteral("?") : parsed.envelope.type;
    const bool heartbeat = type == QLatin1StringView("ping") || type == QLatin1StringView("pong");
    const QString summary = parsed.error ? protocol::describePayload(payload)
                                         : protocol::describeEnvelope(parsed.envelope);
    record(heartbeat ? EventKind::Heartbeat : EventKind::Frame, direction, type, summary,
           frame.size(), frame);
}

// --- the socket ---------------------------------------------------------

void Connection::onQtStateChanged(QAbstractSocket::SocketState state)
{
    setSocketState(state);
    if (state == QAbstractSocket::ConnectingState && m_kernelWatch && m_kernelHandle < 0) {
        // Qt creates the descriptor and sends the SYN right after this
        // signal; look one turn of the event loop later, in SYN_SENT.
        QTimer::singleShot(0, this, [this] {
            if (m_state == State::Connecting)
                startObserving();
        });
    }
    checkKernelNow();
}

void Connection::onConnected()
{
    m_closeTimer.stop();
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    const qintptr descriptor = duplicateDescriptor(socket->socketDescriptor());
    socket->disconnect(this);
    socket->blockSignals(true);
    socket->abort(); // closes Qt's descriptor; the duplicate keeps the connection
    socket->deleteLater();
    adopt(descriptor);
    if (m_state != State::Open)
        return;
    record(EventKind::Lifecycle, Direction::None, QStringLiteral("connected"),
           QStringLiteral("connected %1:%2 → %3:%4")
               .arg(m_localAddress.toString())
               .arg(m_localPort)
               .arg(m_peerAddress.toString())
               .arg(m_peerPort));
    emit stateChanged(State::Open);
    emit connected();
}

void Connection::onConnectError(QAbstractSocket::SocketError error)
{
    m_socketError = error;
    record(
        EventKind::SocketError, Direction::None,
        QString::fromLatin1(QMetaEnum::fromType<QAbstractSocket::SocketError>().valueToKey(error)),
        m_socket->errorString());
    if (m_state == State::Connecting)
        finish(CloseCause::ConnectFailed, m_socket->errorString());
}

void Connection::streamRead(QByteArrayView bytes)
{
    m_bytesIn += bytes.size();
    if (m_recording == Recording::Full)
        record(EventKind::Bytes, Direction::In, QStringLiteral("read"),
               QStringLiteral("read %1 bytes").arg(bytes.size()), bytes.size());
    if (m_kernelState != TcpState::Established)
        checkKernelNow(); // only passing states need a look this often
    if (m_state != State::Open)
        return; // closing: read and discard until the peer closes (section 7)
    m_decoder.append(bytes);
    handleFrames();
}

void Connection::handleFrames()
{
    while (m_state == State::Open && m_decoder.hasFrame()) {
        if (m_inputBudget.isLimited() && !m_inputBudget.allows(Clock::now())) {
            // The peer has had its share: read nothing more until the budget
            // is back; its frames wait in the kernel, and TCP holds it.
            const auto wait = m_inputBudget.waitFrom(Clock::now());
            m_stream->setReading(false);
            m_inputResumeTimer.start(
                int(std::chrono::ceil<std::chrono::milliseconds>(wait).count()), Qt::PreciseTimer,
                this);
            if (++m_inputThrottles == 1) {
                record(EventKind::Lifecycle, Direction::In, QStringLiteral("throttled"),
                       QStringLiteral("input throttled: the peer's frames took its share of "
                                      "this side's time"));
                if (m_handler)
                    m_handler->connectionThrottled(this);
            }
            return;
        }
        if (!m_inputBudget.isLimited()) {
            Clock::duration ownerTime{};
            handleFrame(m_decoder.takeFrame(), &ownerTime);
            continue;
        }
        // What a hostile payload makes dear is the decoding (docs/protocol.md,
        // "Protection"): it is charged to the peer, its envelope's
        // destruction included, with a fixed cost per frame for the dispatch
        // and the answer a cheap frame may still ask for.
        const Clock::time_point start = Clock::now();
        Clock::duration ownerTime{};
        handleFrame(m_decoder.takeFrame(), &ownerTime);
        const Clock::time_point end = Clock::now();
        m_inputBudget.charge(end - start - ownerTime + kFrameWork, end);
    }
    if (m_state == State::Open && m_decoder.failed())
        failProtocol(m_decoder.error());
}

void Connection::resumeInput()
{
    if (m_state != State::Open || !m_stream)
        return;
    handleFrames();
    if (m_state == State::Open && !m_inputResumeTimer.isActive() && !m_peerFinSeen)
        m_stream->setReading(true);
}

void Connection::streamWritten(qint64 bytes, bool drained)
{
    if (m_recording == Recording::Full)
        record(EventKind::Bytes, Direction::Out, QStringLiteral("written"),
               QStringLiteral("kernel took %1 bytes").arg(bytes), bytes);
    if (!drained)
        return;
    if (m_state == State::Closing) {
        shutdownWriteWhenDrained();
    } else if (m_localHalfClosed && !m_writeShutDown) {
        m_writeShutDown = true;
        m_stream->shutdownWrite();
        checkKernelNow();
    }
}

void Connection::streamEnded(SocketStream::End end, int error)
{
    if (end == SocketStream::End::Fin)
        onPeerFin();
    else
        onPeerReset(end, error);
}

// The peer's FIN: the end of what it sends.
void Connection::onPeerFin()
{
    m_peerFinSeen = true;
    checkKernelNow();
    if (m_holdCloseWait && (m_state == State::Open || m_state == State::Closing)) {
        holdCloseWait(m_state == State::Open ? CloseCause::PeerClosed : m_closeCause,
                      m_state == State::Open ? closeCauseName(CloseCause::PeerClosed)
                                             : m_closeDetail);
        return;
    }
    if (m_state == State::Open && m_settings.halfCloseTolerant && !m_peerHalfClosed) {
        m_peerHalfClosed = true;
        record(
            EventKind::Lifecycle, Direction::In, QStringLiteral("fin"),
            QStringLiteral("peer half-closed (FIN): it sends no more, this side may still send"));
        emit peerHalfClosed();
        emit labStateChanged();
        return;
    }
    record(EventKind::Lifecycle, Direction::In, QStringLiteral("fin"),
           QStringLiteral("closed by peer (FIN)"));
    if (m_state == State::Open)
        finish(CloseCause::PeerClosed, closeCauseName(CloseCause::PeerClosed));
    else if (m_state == State::Closing && !m_holdingCloseWait)
        finish(m_closeCause, m_closeDetail);
}

// An RST, or another error that ends the connection.
void Connection::onPeerReset(SocketStream::End end, int error)
{
    const QString text = QString::fromLocal8Bit(std::strerror(error));
    if (end == SocketStream::End::Reset) {
        if (m_kernelWatch)
            m_kernelWatch->setCloseKind(m_kernelHandle, CloseKind::Reset);
        record(EventKind::Lifecycle, Direction::In, QStringLiteral("rst"),
               QStringLiteral("reset by peer (RST)"));
    } else {
        record(EventKind::SocketError, Direction::None, QStringLiteral("error"), text);
    }
    checkKernelNow();
    if (m_state == State::Open)
        finish(CloseCause::PeerReset,
               end == SocketStream::End::Reset ? closeCauseName(CloseCause::PeerReset) : text);
    else if (m_state == State::Closing)
        finish(m_closeCause, m_closeDetail);
}

void Connection::handleFrame(const QByteArray &payload, Clock::duration *ownerTime)
{
    ++m_framesIn;
    m_heartbeat.heard(Clock::now());

    if (m_recording == Recording::Full)
        recordFrame(Direction::In, protocol::encodeFrame(payload));
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
        // The owner's work on a message is bounded by its own rules (the
        // rate limit); the peer's input budget pays for the rest.
        const Clock::time_point ownerStart =
            m_inputBudget.isLimited() ? Clock::now() : Clock::time_point{};
        if (m_handler)
            m_handler->connectionMessage(this, envelope);
        emit messageReceived(envelope);
        if (m_inputBudget.isLimited())
            *ownerTime += Clock::now() - ownerStart;
        return;
    }

    protocol::DecodeResult decoded = protocol::decodeMessage(envelope, m_settings.role);
    if (decoded.error) {
        failProtocol(decoded.error);
        return;
    }
    if (const auto *ping = std::get_if<protocol::Ping>(&*decoded.message)) {
        if (!m_frozen && !m_localHalfClosed)
            writeFrame(protocol::encodeMessageFrame(protocol::Pong{ping->seq, ping->ts}));
    } else if (const auto *pong = std::get_if<protocol::Pong>(&*decoded.message)) {
        // Not one of ours in memory: fall back to its wall-clock ts.
        const std::chrono::microseconds rtt =
            m_heartbeat.pongReceived(pong->seq, Clock::now())
                .value_or(std::chrono::milliseconds(qMax<qint64>(0, wallClockMs() - pong->ts)));
        record(EventKind::Heartbeat, Direction::In, QStringLiteral("rtt"),
               QStringLiteral("round trip %1 ms").arg(double(rtt.count()) / 1000.0, 0, 'f', 3));
        emit roundTripMeasured(rtt);
    } else if (const auto *bye = std::get_if<protocol::Bye>(&*decoded.message)) {
        emit byeReceived(bye->reason, bye->text);
        QString detail = QStringLiteral("peer said bye (%1)").arg(bye->reason);
        if (bye->text)
            detail += QStringLiteral(": ") + *bye->text;
        if (m_holdCloseWait) {
            holdCloseWait(CloseCause::PeerBye, detail);
            return;
        }
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
        finish(cause, detail);
        return;
    }
    m_closeCause = cause;
    m_closeDetail = detail;
    record(EventKind::Lifecycle, Direction::None, QStringLiteral("closing"), detail);
    // The peer's bye or FIN came first: this side is the passive closer. A
    // close this side starts may still lose the race to the peer's FIN, so
    // that is left to what the kernel is seen to do.
    const bool passive =
        m_peerFinSeen || cause == CloseCause::PeerBye || cause == CloseCause::PeerClosed;
    if (m_kernelWatch && passive)
        m_kernelWatch->setCloseKind(m_kernelHandle, CloseKind::Passive);
    if (!lastFrame.isEmpty() && !m_localHalfClosed) {
        writeFrame(lastFrame);
        m_stream->flushNow(); // bye and FIN leave together, not a loop turn apart
    }
    setState(State::Closing);
    setSocketState(QAbstractSocket::ClosingState);
    announceClosing(cause, detail);
    if (m_inputResumeTimer.isActive()) {
        // A throttled peer's input is only discarded now (section 7's drain).
        m_inputResumeTimer.stop();
        if (!m_peerFinSeen)
            m_stream->setReading(true);
    }

    m_closeTimer.start(int(m_settings.lingerTime.count()), this);
    shutdownWriteWhenDrained();
}

void Connection::shutdownWriteWhenDrained()
{
    if (m_writeShutDown || m_stream->bytesQueued() > 0)
        return; // streamWritten() comes back here
    m_writeShutDown = true;
    if (!m_localHalfClosed) {
        // A look just before the FIN: CLOSE_WAIT when the peer's FIN came
        // first (its bye, then its FIN), shown as seen rather than passed,
        // and it makes this side a passive closer for certain, whose end the
        // tracker then sees without asking netlink.
        if (m_kernelState != TcpState::CloseWait)
            checkKernelNow();
        m_stream->shutdownWrite();
    }
    checkKernelNow();
    // The peer's FIN came first (its bye, or a half-close): with ours out,
    // both directions are closed, and there is nothing left to wait for.
    if (m_peerFinSeen && !m_holdingCloseWait)
        finish(m_closeCause, m_closeDetail);
}

void Connection::finish(CloseCause cause, const QString &detail)
{
    if (m_state == State::Closed)
        return;
    m_closeTimer.stop();
    m_holdingCloseWait = false;
    announceClosing(cause, detail);
    setState(State::Closed);
    // The peer's FIN came first and ours is not out yet (its bye and FIN
    // were read in one turn, before this side's queue drained): send it while
    // the descriptor is held, so that the look after it reads TCP_INFO and a
    // passive closer's end needs no netlink request once the fd is closed.
    if (m_peerFinSeen && !m_writeShutDown && !m_resetOnClose && m_stream && m_stream->isOpen()) {
        m_writeShutDown = true;
        m_stream->shutdownWrite();
        checkKernelNow();
    }
    if (m_kernelWatch)
        m_kernelWatch->setHeldDescriptor(m_kernelHandle, -1);
    if (m_stream)
        m_stream->close(m_resetOnClose);
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    setSocketState(QAbstractSocket::UnconnectedState);
    if (isRecording())
        record(EventKind::Lifecycle, Direction::None, QStringLiteral("closed"),
               QStringLiteral("%1: %2").arg(closeCauseName(cause), detail));
    // Closing the descriptor changes nothing the kernel shows for a socket
    // already in TIME_WAIT or gone.
    if (m_kernelState != TcpState::TimeWait && m_kernelState != TcpState::Closed)
        checkKernelNow();
    if (m_sweeper)
        m_sweeper->remove(this);
    if (m_handler)
        m_handler->connectionClosed(this, cause, detail);
    emit closed(cause, detail);
}

void Connection::announceClosing(CloseCause cause, const QString &detail)
{
    if (m_closingAnnounced)
        return;
    m_closingAnnounced = true;
    if (m_handler)
        m_handler->connectionClosing(this, cause, detail);
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
