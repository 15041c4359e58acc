#pragma once

// One SynAck connection: a TCP socket, the framing and the heartbeat.
//
//   Connecting --connected--> Open --bye/error/timeout--> Closing --peer FIN or 1 s--> Closed
//
// Incoming bytes become frames (protocol/framing.h), frames become envelopes
// (protocol/cborvalue.h). Pings are answered and pongs measured here: the
// heartbeat never reaches the owner, which sees every other message as an
// Envelope, in order, and decides what it means. A frame or payload that does
// not decode is a fatal protocol error handled here, as PROTOCOL.md section 7
// says: report it, shut down the write side, drain, close. `closed` is
// emitted exactly once.
//
// Qt's QTcpSocket opens outgoing connections (name lookup, connect, its
// errors); once connected, the descriptor moves to a SocketStream, which
// reads and writes it without Qt's per-socket buffers (socketstream.h).

#include "net/connectionevent.h"
#include "net/heartbeatclock.h"
#include "net/kernelprobe.h"
#include "net/socketstream.h"
#include "net/tcpstate.h"
#include "net/workbudget.h"
#include "protocol/cborvalue.h"
#include "protocol/codec.h"
#include "protocol/errors.h"
#include "protocol/framing.h"

#include <QAbstractSocket>
#include <QBasicTimer>
#include <QHostAddress>
#include <QObject>
#include <chrono>
#include <memory>

class QTcpSocket;

namespace synack::net {

class HeartbeatSweeper;
class KernelWatch;

using namespace std::chrono_literals;

struct ConnectionSettings
{
    protocol::Role role = protocol::Role::Server; // which messages this end receives
    quint32 maxFrame = protocol::kDefaultServerMaxFrame;
    std::chrono::milliseconds heartbeatInterval = 5s;
    std::chrono::milliseconds heartbeatTimeout = 15s;
    // Bytes handed to the socket but not yet taken by the kernel, above which
    // sendQueueExceeded() is emitted, unless the queue shrinks within 100 ms
    // (the peer reads: the queue was one burst); above twice this, at once.
    // 0: no limit.
    qint64 maxSendQueue = 0;
    // How long a close waits for the write side to drain and the peer's FIN.
    std::chrono::milliseconds lingerTime = 1s;
    // The ceiling on the time this end spends on the peer's input (decoding
    // its frames): `inputWorkPerSecond` a second, saved up to
    // `inputWorkBurst`. Over it, reading stops until the budget is back, and
    // TCP's flow control holds the peer. 0: no ceiling (a client has one
    // server; a server has many peers to be fair to).
    std::chrono::microseconds inputWorkPerSecond{0};
    std::chrono::microseconds inputWorkBurst{0};
    // A FIN without bye is taken as a half-close: the peer may still read,
    // so this side can go on sending (the lab shows it). Off: the FIN ends
    // the connection at once, as a peer that went away.
    bool halfCloseTolerant = false;
};

// Why a connection ended, as its owner needs to tell users and the room.
enum class CloseCause {
    LocalClose,        // this side sent bye or closed on purpose
    PeerBye,           // the peer sent bye
    PeerClosed,        // the peer closed without bye (FIN)
    PeerReset,         // the peer reset the connection (RST)
    Timeout,           // nothing heard for the heartbeat timeout
    ProtocolError,     // the peer sent something that does not decode, or a fatal error
    SendQueueExceeded, // the peer read too slowly
    Aborted,           // this side reset the connection (RST) on purpose
    ConnectFailed,     // refused, host not found, unreachable, connect timeout
};
QString closeCauseName(CloseCause cause);

class Connection;

// The owner that hears a connection's messages and its end by direct calls:
// a server has a short-lived connection for every visit, and four signal
// connections made and unmade for each cost more than the visit's chat. The
// signals of the same names are still emitted, after these calls, for anyone
// else who listens.
class ConnectionHandler
{
public:
    virtual void connectionMessage(Connection *connection, const protocol::Envelope &envelope) = 0;
    virtual void connectionClosing(Connection *connection, CloseCause cause,
                                   const QString &detail) = 0;
    virtual void connectionClosed(Connection *connection, CloseCause cause,
                                  const QString &detail) = 0;
    virtual void connectionSendQueueExceeded(Connection *connection, qint64 queuedBytes) = 0;
    // The peer's input took its whole budget for the first time
    // (ConnectionSettings::inputWorkPerSecond): from now on it waits its turn.
    virtual void connectionThrottled(Connection *) {}

protected:
    ~ConnectionHandler() = default;
};

class Connection : public QObject, private SocketStream::Listener
{
    Q_OBJECT

public:
    enum class State { Connecting, Open, Closing, Closed };
    Q_ENUM(State)

    // Takes ownership of `socket`, connected or not yet (client side, see
    // connectToHost).
    Connection(QTcpSocket *socket, const ConnectionSettings &settings, QObject *parent = nullptr);
    // Takes ownership of an accepted, connected descriptor (server side).
    Connection(qintptr descriptor, const ConnectionSettings &settings, QObject *parent = nullptr);
    ~Connection() override;

    // Client side: opens the TCP connection; gives up after `timeout`.
    void connectToHost(const QString &host, quint16 port, std::chrono::milliseconds timeout = 10s);

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    const ConnectionSettings &settings() const { return m_settings; }

    // The socket as Qt names its states: Qt's own while connecting, then
    // ConnectedState, ClosingState once a close begins, UnconnectedState.
    QAbstractSocket::SocketState socketState() const { return m_socketState; }
    // Why connecting failed (for CloseCause::ConnectFailed).
    QAbstractSocket::SocketError socketError() const { return m_socketError; }
    // -1 once closed (or before connecting).
    qintptr descriptor() const;
    QHostAddress localAddress() const { return m_localAddress; }
    quint16 localPort() const { return m_localPort; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }

    // Sending: dropped silently once the connection is closing, since nothing
    // after a bye or a fatal error may reach the peer.
    void send(const protocol::Message &message);
    // A frame encoded once and shared by many connections (room relay).
    void sendFrame(const QByteArray &frame);
    // Whole frames back to back, in one piece (a newcomer's backlog).
    void sendFrames(const QByteArray &frames);
    qint64 bytesQueued() const;

    // Heartbeat (PROTOCOL.md section 6). The client adopts welcome's values.
    void setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds timeout);
    // Called by a HeartbeatSweeper: ping when due, declare a silent peer dead.
    void heartbeatTick(std::chrono::steady_clock::time_point now);
    // The sweeper ticking this connection, told when it closes or is
    // destroyed (HeartbeatSweeper::add and remove set it).
    void setSweeper(HeartbeatSweeper *sweeper) { m_sweeper = sweeper; }
    std::chrono::steady_clock::time_point lastHeard() const { return m_heartbeat.lastHeard(); }

    // Closing (PROTOCOL.md section 7).
    void closeWithBye(const QString &reason, const std::optional<QString> &text = std::nullopt);
    // Sends a fatal `error` (a server's answer) and closes.
    void closeWithError(protocol::ErrorCode code, const QString &text);
    // RST: SO_LINGER 0, then close. No TIME_WAIT on this side.
    void abort();

    // Observation (the socket log and the lab). ------------------------------

    // A number unique in this process, for logs and tables.
    quint64 id() const { return m_id; }
    // What eventRecorded() reports. Frames cost time on the network path, so a
    // window with a thousand clients records their lifecycle and follows the
    // frames of the few it shows.
    enum class Recording {
        Off,
        Lifecycle, // Qt and kernel states, errors, heartbeats' round trips, closes, lab actions
        Full,      // ... and every frame and every read and write
    };
    // One handler at most; it must outlive the connection or unset itself.
    void setHandler(ConnectionHandler *handler) { m_handler = handler; }

    void setRecording(Recording level) { m_recording = level; }
    void setRecording(bool on) { m_recording = on ? Recording::Full : Recording::Off; }
    Recording recording() const { return m_recording; }
    bool isRecording() const { return m_recording != Recording::Off; }
    // Tracks the kernel's TCP state of this socket (set before connectToHost
    // on the client side, right after construction on the server side).
    void setKernelWatch(KernelWatch *watch);
    int kernelHandle() const { return m_kernelHandle; }
    TcpState kernelState() const { return m_kernelState; }
    // The kernel's figures while the socket is open.
    std::optional<TcpInfo> tcpInfo() const;
    // Called by KernelWatch with what the probe saw.
    void observeKernelState(TcpState from, TcpState to, const QList<TcpState> &passedNotObserved,
                            qint64 monotonicUs);

    // Lab actions. -----------------------------------------------------------

    // Shuts down the write side only (FIN); this side reads on.
    void halfClose();
    bool isHalfClosed() const { return m_localHalfClosed; }
    bool isPeerHalfClosed() const { return m_peerHalfClosed; }
    // When the peer's FIN (or bye) arrives, keep the socket open, as a
    // program that forgets to close would: CLOSE_WAIT until released.
    void setHoldCloseWait(bool hold);
    bool holdsCloseWait() const { return m_holdCloseWait; }
    bool isHoldingCloseWait() const { return m_holdingCloseWait; }
    void releaseCloseWait();
    // Stop sending pings and answering them, so the peer's dead-peer
    // detection can be watched.
    void setFrozen(bool frozen);
    bool isFrozen() const { return m_frozen; }

    // Counters for the windows and the benchmark.
    qint64 bytesReceived() const { return m_bytesIn; }
    qint64 bytesSent() const { return m_bytesOut; }
    qint64 framesReceived() const { return m_framesIn; }
    qint64 framesSent() const { return m_framesOut; }
    // How often reading stopped because the peer's input took its whole
    // budget (ConnectionSettings::inputWorkPerSecond).
    qint64 inputThrottles() const { return m_inputThrottles; }

signals:
    void connected();
    // Every decoded message but ping and pong, in arrival order.
    void messageReceived(const synack::protocol::Envelope &envelope);
    // The peer's bye, just before this side closes in turn.
    void byeReceived(const QString &reason, const std::optional<QString> &text);
    // A pong came back for one of our pings.
    void roundTripMeasured(std::chrono::microseconds rtt);
    void sendQueueExceeded(qint64 queuedBytes);
    // The peer shut down its write side (FIN) without bye; this side may
    // still send (only with ConnectionSettings::halfCloseTolerant).
    void peerHalfClosed();
    // Something happened, for the socket log (only while recording).
    void eventRecorded(const synack::net::ConnectionEvent &event);
    void kernelStateChanged(synack::net::TcpState from, synack::net::TcpState to,
                            const QList<synack::net::TcpState> &passedNotObserved);
    void labStateChanged();
    void stateChanged(synack::net::Connection::State state);
    void socketStateChanged(QAbstractSocket::SocketState state);
    // Once, as soon as the connection starts to close (nothing more is sent
    // or delivered after it), always before closed().
    void closing(synack::net::CloseCause cause, const QString &detail);
    // Once, when the connection is over; `detail` says it in words.
    void closed(synack::net::CloseCause cause, const QString &detail);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onConnected();
    void onQtStateChanged(QAbstractSocket::SocketState state);
    void onConnectError(QAbstractSocket::SocketError error);
    // Moves the connected descriptor from Qt's socket to a SocketStream.
    void adopt(qintptr descriptor);
    void setSocketState(QAbstractSocket::SocketState state);
    void startObserving();
    void holdCloseWait(CloseCause cause, const QString &detail);

    // SocketStream::Listener
    void streamRead(QByteArrayView bytes) override;
    void streamWritten(qint64 bytes, bool drained) override;
    void streamEnded(SocketStream::End end, int error) override;
    void onPeerFin();
    void onPeerReset(SocketStream::End end, int error);

    // Handles the frames decoded so far, while the peer's budget lasts.
    void handleFrames();
    void resumeInput();
    // `ownerTime` gets the time the handler spent on the message.
    void handleFrame(const QByteArray &payload, std::chrono::steady_clock::duration *ownerTime);
    void failProtocol(const protocol::ProtocolError &error);
    void beginClose(CloseCause cause, const QString &detail, const QByteArray &lastFrame = {});
    void shutdownWriteWhenDrained();
    void finish(CloseCause cause, const QString &detail);
    void announceClosing(CloseCause cause, const QString &detail);
    void setState(State state);
    void writeFrame(const QByteArray &frame);
    void checkSendQueue();
    void reportSendQueueExceeded(qint64 queued);
    void record(EventKind kind, Direction direction, const QString &type, const QString &summary,
                qint64 size = 0, const QByteArray &raw = {});
    void recordFrame(Direction direction, const QByteArray &frame);
    void checkKernelNow();

    QTcpSocket *m_socket = nullptr; // only while connecting
    std::unique_ptr<SocketStream> m_stream;
    ConnectionSettings m_settings;
    QAbstractSocket::SocketState m_socketState = QAbstractSocket::UnconnectedState;
    QAbstractSocket::SocketError m_socketError = QAbstractSocket::UnknownSocketError;
    QHostAddress m_localAddress;
    QHostAddress m_peerAddress;
    quint16 m_localPort = 0;
    quint16 m_peerPort = 0;
    protocol::FrameDecoder m_decoder;
    State m_state = State::Connecting;

    // Why the connection is closing; reported by `closed`.
    CloseCause m_closeCause = CloseCause::LocalClose;
    QString m_closeDetail;
    bool m_writeShutDown = false;
    bool m_closingAnnounced = false;
    // The connect timeout, then the linger while closing: a timer id, not a
    // QTimer object, since every session closes once.
    QBasicTimer m_closeTimer;
    std::chrono::milliseconds m_connectTimeout{0};

    HeartbeatClock m_heartbeat;
    WorkBudget m_inputBudget;
    QBasicTimer m_inputResumeTimer;
    qint64 m_inputThrottles = 0;

    qint64 m_bytesIn = 0;
    qint64 m_bytesOut = 0;
    qint64 m_framesIn = 0;
    qint64 m_framesOut = 0;
    bool m_sendQueueReported = false;
    bool m_sendQueueCheckPending = false;
    qint64 m_queuedAtLastLook = -1; // over the limit at the last look; -1: not

    quint64 m_id;
    ConnectionHandler *m_handler = nullptr;
    HeartbeatSweeper *m_sweeper = nullptr;
    Recording m_recording = Recording::Off;
    KernelWatch *m_kernelWatch = nullptr;
    int m_kernelHandle = -1;
    TcpState m_kernelState = TcpState::Unknown;
    bool m_resetOnClose = false; // abort(): close with RST
    bool m_peerFinSeen = false;
    bool m_localHalfClosed = false;
    bool m_peerHalfClosed = false;
    bool m_holdCloseWait = false;
    bool m_holdingCloseWait = false;
    bool m_frozen = false;
    bool m_outgoing = false; // this side called connectToHost
};

} // namespace synack::net
