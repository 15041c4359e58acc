#pragma once

// The life of one connection, as the inspector's pictures need it: Qt and
// kernel state transitions with times, round trips, TCP_INFO samples and the
// lab flags. It follows the Connection while it lives, then the kernel handle
// until the kernel forgets the socket (TIME_WAIT, LAST_ACK, ...).
//
// Feed it from a Connection (live) or script it (tests); the live feed uses
// the same add*/set*/mark* calls a test makes. Times are in the steady clock
// of KernelStateTracker::monotonicUs().

#include "net/capture/tcpsegment.h"
#include "net/kernelprobe.h"
#include "net/tcpstate.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>
#include <utility>

class QTimer;

namespace synack::net {

class Connection;
class KernelWatch;
class ConnectionTraceRouter;
class SegmentRouter;

class ConnectionTrace : public QObject
{
    Q_OBJECT

public:
    struct Transition
    {
        qint64 monotonicUs = 0;
        QString state;
        bool observed = true; // false: passed, not observed (inferred on the way)
    };

    // The lab's switches as last seen on the Connection.
    struct LabFlags
    {
        bool halfClosed = false;     // this side shut down its write side
        bool peerHalfClosed = false; // the peer did
        bool holdingCloseWait = false;
        bool frozen = false;

        friend bool operator==(const LabFlags &, const LabFlags &) = default;
    };

    // Round trips kept: a ping every 5 s for well over an hour.
    static constexpr qsizetype kMaxRoundTrips = 1000;
    // Captured segments kept: the newest; older ones are counted as dropped.
    static constexpr qsizetype kMaxSegments = 10000;

    explicit ConnectionTrace(QObject *parent = nullptr); // scripted (tests)
    // Live: follows `connection` (and its kernel handle in `watch`, may be
    // null). The trace does not own either.
    ConnectionTrace(Connection *connection, KernelWatch *watch, QObject *parent = nullptr);
    ~ConnectionTrace() override;

    quint64 connectionId() const { return m_connectionId; }
    void setConnectionId(quint64 id) { m_connectionId = id; }
    QString label() const { return m_label; }
    void setLabel(const QString &label);
    // This side connected (client); false: it accepted (server).
    bool isLocalActiveOpener() const { return m_activeOpener; }
    void setLocalActiveOpener(bool active);

    QList<Transition> qtTransitions() const { return m_qt; }
    QList<Transition> kernelTransitions() const { return m_kernel; } // tcpStateName() names
    TcpState kernelState() const { return m_kernelState; }
    // TIME_WAIT / FIN_WAIT_2 time left, counting down from the kernel's last
    // figure; nullopt when no timer runs.
    std::optional<qint64> timerLeftMs() const;
    // Like timerLeftMs(), but as if the time now were `nowUs`.
    std::optional<qint64> timerLeftMsAt(qint64 nowUs) const;
    QList<std::pair<qint64, qint64>> roundTrips() const { return m_roundTrips; } // (when, rttUs)
    std::optional<TcpInfo> lastTcpInfo() const { return m_tcpInfo; }
    qint64 tcpInfoMonotonicUs() const { return m_tcpInfoUs; }
    LabFlags labFlags() const { return m_lab; }
    bool isClosed() const { return m_closed; }
    bool isKernelFinished() const { return m_kernelFinished; }
    // An RST ended the connection: sent by this side (abort) or received.
    bool sawReset() const { return m_reset.has_value(); }
    bool resetSentByLocal() const { return m_reset.value_or(false); }
    // Why the Connection closed, in words (closeCauseName()); empty while open.
    QString closeDetail() const { return m_closeDetail; }
    // The captured segments, oldest first (SegmentRouter analysed them).
    const QList<TcpSegment> &segments() const { return m_segments; }
    // Segments let go to keep the last kMaxSegments.
    qint64 droppedSegmentCount() const { return m_droppedSegments; }
    // Segments of this connection are captured (some may be on their way).
    bool isCaptured() const { return m_captureClaim > 0 || !m_segments.isEmpty(); }

    // Live: claims this connection's segments from `router`, now if its
    // addresses are known, else once it is connected. Capture is off until
    // this is called; the trace releases its claim when it goes.
    void captureFrom(SegmentRouter *router);

    // The first time anything was recorded (0 before), for the time axes.
    qint64 startUs() const;
    // The last time anything was recorded.
    qint64 lastUs() const;

    // Scripting (tests; the live feed uses the same). -----------------------
    void addQtState(qint64 monotonicUs, const QString &state);
    void addKernelState(qint64 monotonicUs, TcpState to, const QList<TcpState> &passedNotObserved);
    void addRoundTrip(qint64 monotonicUs, qint64 rttUs);
    void setTcpInfo(const TcpInfo &info);
    void setTcpInfo(qint64 monotonicUs, const TcpInfo &info);
    void setTimerLeft(std::optional<qint64> ms);
    void setTimerLeft(qint64 monotonicUs, std::optional<qint64> ms);
    void setLabFlags(const LabFlags &flags);
    void markReset(bool sentByLocal);
    void markClosed();
    void markClosed(const QString &detail);
    void markKernelFinished();
    void addSegment(const TcpSegment &segment);

    // Pair the two ends of one connection when both are in this process (the
    // demo), so the ladder can combine both sides' observations. Pairing is
    // mutual: the peer's peerTrace() becomes this.
    void setPeerTrace(ConnectionTrace *peer);
    ConnectionTrace *peerTrace() const { return m_peer; }

    // The live clock (KernelStateTracker::monotonicUs()).
    static qint64 nowUs();

signals:
    void changed(); // coalesced by the views: never repaint per signal
    // Each captured segment as it is added (the socket log's segment lines).
    void segmentAdded(const synack::net::TcpSegment &segment);

private:
    friend class ConnectionTraceRouter;

    void notify();
    void pollTcpInfo();
    // The kernel handle of the socket followed: the Connection's while it
    // lives, then the last one it had.
    int liveHandle();
    void onKernelChange(TcpState from, TcpState to, const QList<TcpState> &passed,
                        qint64 monotonicUs);
    void onKernelTimer(qint64 timerMs);
    void claimSegments();

    quint64 m_connectionId = 0;
    QString m_label;
    bool m_activeOpener = false;
    QList<Transition> m_qt;
    QList<Transition> m_kernel;
    TcpState m_kernelState = TcpState::Unknown;
    std::optional<qint64> m_timerMs;
    qint64 m_timerSetUs = 0;
    QList<std::pair<qint64, qint64>> m_roundTrips;
    std::optional<TcpInfo> m_tcpInfo;
    qint64 m_tcpInfoUs = 0;
    LabFlags m_lab;
    bool m_closed = false;
    bool m_kernelFinished = false;
    std::optional<bool> m_reset; // true: sent by this side
    QString m_closeDetail;
    QPointer<ConnectionTrace> m_peer;
    QList<TcpSegment> m_segments;
    qint64 m_droppedSegments = 0;
    QPointer<SegmentRouter> m_segmentRouter;
    int m_captureClaim = 0;

    QPointer<Connection> m_connection;
    QPointer<KernelWatch> m_watch;
    QPointer<ConnectionTraceRouter> m_router;
    int m_handle = -1;
    bool m_live = false; // constructed on a Connection
    QTimer *m_tcpInfoTimer = nullptr;
};

// One arrow of the ladder: a segment between the two ends.
struct LadderSegment
{
    qint64 monotonicUs = 0;
    bool fromLocal = true; // sent by the local end (the trace's side)
    QString label;         // "SYN", "SYN+ACK", "ACK", "FIN", "RST"
    bool inferred = true;  // from the state changes, not captured
    // The state each end went to with this segment (tcpStateName()), when
    // known: the sender's on sending it, the receiver's on receiving it.
    QString senderState;
    QString receiverState;
    // Captured segments only: the segment itself, and whether it is a FIN
    // that also acknowledges the other side's FIN (a close in three segments).
    TcpSegment captured{};
    bool finCarriesAck = false;

    friend bool operator==(const LadderSegment &, const LadderSegment &) = default;
};

// Pure: the segments a ladder draws, inferred from the local (and, if known,
// the peer's) kernel transitions, in time order.
QList<LadderSegment> inferSegments(const ConnectionTrace &local,
                                   const ConnectionTrace *peer = nullptr);

// Pure: one arrow per segment `local` captured, in capture order, with each
// end's kernel state changes (the local trace's and, if known, the peer's)
// beside the segment last seen before the change.
QList<LadderSegment> capturedSegments(const ConnectionTrace &local,
                                      const ConnectionTrace *peer = nullptr);

} // namespace synack::net
