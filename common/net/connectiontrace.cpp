#include "net/connectiontrace.h"

#include "net/capture/segmentrouter.h"
#include "net/connection.h"
#include "net/kernelstatetracker.h"
#include "net/kernelwatch.h"

#include <QHash>
#include <QMetaEnum>
#include <QMultiHash>
#include <QTimer>
#include <algorithm>
#include <chrono>

namespace synack::net {

namespace {

using namespace std::chrono_literals;

// TCP_INFO is a figure to read, not a trace: once a second is plenty.
constexpr auto kTcpInfoInterval = 1s;

QString qtStateName(QAbstractSocket::SocketState state)
{
    return QString::fromLatin1(
        QMetaEnum::fromType<QAbstractSocket::SocketState>().valueToKey(int(state)));
}

bool hasTimer(TcpState state)
{
    return state == TcpState::TimeWait || state == TcpState::FinWait2;
}

} // namespace

// Routes one KernelWatch's news to the traces following its sockets: a trace
// is found by its handle, or, the first time a handle is heard of, among the
// traces whose Connection has just been given one.
class ConnectionTraceRouter : public QObject
{
public:
    static ConnectionTraceRouter *of(KernelWatch *watch)
    {
        const auto name = QStringLiteral("synack-connection-trace-router");
        if (auto *found =
                watch->findChild<ConnectionTraceRouter *>(name, Qt::FindDirectChildrenOnly))
            return found;
        auto *router = new ConnectionTraceRouter(watch);
        router->setObjectName(name);
        return router;
    }

    void add(ConnectionTrace *trace)
    {
        if (const int handle = trace->liveHandle(); handle > 0)
            m_byHandle.insert(handle, trace);
        else
            m_pending.append(trace);
    }

    void remove(ConnectionTrace *trace)
    {
        m_pending.removeAll(trace);
        for (auto it = m_byHandle.begin(); it != m_byHandle.end();) {
            if (it.value() == trace)
                it = m_byHandle.erase(it);
            else
                ++it;
        }
    }

private:
    explicit ConnectionTraceRouter(KernelWatch *watch)
        : QObject(watch)
    {
        connect(watch, &KernelWatch::stateChanged, this,
                [this](int handle, TcpState from, TcpState to, const QList<TcpState> &passed,
                       qint64 monotonicUs) {
                    for (ConnectionTrace *trace : tracesOf(handle))
                        trace->onKernelChange(from, to, passed, monotonicUs);
                });
        connect(watch, &KernelWatch::timerUpdated, this, [this](int handle, qint64 timerMs) {
            for (ConnectionTrace *trace : m_byHandle.values(handle))
                trace->onKernelTimer(timerMs);
        });
        connect(watch, &KernelWatch::finished, this, [this](int handle) {
            const QList<ConnectionTrace *> traces = m_byHandle.values(handle);
            m_byHandle.remove(handle);
            for (ConnectionTrace *trace : traces)
                trace->markKernelFinished();
        });
    }

    QList<ConnectionTrace *> tracesOf(int handle)
    {
        if (handle <= 0)
            return {};
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            if ((*it)->liveHandle() == handle) {
                m_byHandle.insert(handle, *it);
                it = m_pending.erase(it);
            } else {
                ++it;
            }
        }
        return m_byHandle.values(handle);
    }

    QMultiHash<int, ConnectionTrace *> m_byHandle;
    QList<ConnectionTrace *> m_pending; // handle not known yet
};

ConnectionTrace::ConnectionTrace(QObject *parent)
    : QObject(parent)
{}

ConnectionTrace::ConnectionTrace(Connection *connection, KernelWatch *watch, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_watch(watch)
{
    if (!connection)
        return;
    m_live = true;
    m_connectionId = connection->id();
    m_activeOpener = connection->settings().role == protocol::Role::Client;
    m_handle = connection->kernelHandle();
    const qint64 now = nowUs();

    // Seed what already happened before the trace existed.
    addQtState(now, qtStateName(connection->socketState()));
    // Qt states are traced even when the Connection is not recording its log.
    connect(
        connection, &Connection::socketStateChanged, this,
        [this](QAbstractSocket::SocketState state) { addQtState(nowUs(), qtStateName(state)); });
    if (connection->kernelState() != TcpState::Unknown)
        addKernelState(now, connection->kernelState(), {});

    if (watch) {
        // One router per KernelWatch hands each trace its own socket's news,
        // so that a thousand traces do not each hear every socket's.
        m_router = ConnectionTraceRouter::of(watch);
        m_router->add(this);
    } else {
        connect(connection, &Connection::kernelStateChanged, this,
                [this](TcpState from, TcpState to, const QList<TcpState> &passed) {
                    onKernelChange(from, to, passed, nowUs());
                });
    }

    connect(connection, &Connection::roundTripMeasured, this,
            [this](std::chrono::microseconds rtt) { addRoundTrip(nowUs(), rtt.count()); });
    const auto readLab = [this] {
        if (!m_connection)
            return;
        LabFlags flags;
        flags.halfClosed = m_connection->isHalfClosed();
        flags.peerHalfClosed = m_connection->isPeerHalfClosed();
        flags.holdingCloseWait = m_connection->isHoldingCloseWait();
        flags.frozen = m_connection->isFrozen();
        setLabFlags(flags);
    };
    connect(connection, &Connection::labStateChanged, this, readLab);
    connect(connection, &Connection::peerHalfClosed, this, readLab);
    connect(connection, &Connection::connected, this, [this] {
        liveHandle();
        pollTcpInfo();
    });
    connect(connection, &Connection::closed, this, [this](CloseCause cause, const QString &detail) {
        if (cause == CloseCause::Aborted)
            markReset(true);
        else if (cause == CloseCause::PeerReset)
            markReset(false);
        liveHandle();
        markClosed(detail);
    });
    connect(connection, &QObject::destroyed, this, [this] { markClosed(); });

    // One timer per trace, and only while the socket is open.
    m_tcpInfoTimer = new QTimer(this);
    m_tcpInfoTimer->setInterval(kTcpInfoInterval);
    connect(m_tcpInfoTimer, &QTimer::timeout, this, &ConnectionTrace::pollTcpInfo);
    m_tcpInfoTimer->start();
    pollTcpInfo();
}

ConnectionTrace::~ConnectionTrace()
{
    if (m_segmentRouter && m_captureClaim > 0)
        m_segmentRouter->release(m_captureClaim);
    if (m_router)
        m_router->remove(this);
    if (m_peer && m_peer->m_peer == this) {
        m_peer->m_peer = nullptr;
        emit m_peer->changed();
    }
}

void ConnectionTrace::captureFrom(SegmentRouter *router)
{
    if (m_segmentRouter && m_captureClaim > 0)
        m_segmentRouter->release(m_captureClaim);
    m_captureClaim = 0;
    m_segmentRouter = router;
    if (!router || !m_connection)
        return;
    if (m_connection->localPort() != 0 && m_connection->peerPort() != 0)
        claimSegments();
    else
        connect(m_connection, &Connection::connected, this, &ConnectionTrace::claimSegments,
                Qt::SingleShotConnection);
}

void ConnectionTrace::claimSegments()
{
    if (!m_segmentRouter || !m_connection || m_captureClaim > 0)
        return;
    m_captureClaim = m_segmentRouter->claim(
        TcpEndpoint::fromAddress(m_connection->localAddress(), m_connection->localPort()),
        TcpEndpoint::fromAddress(m_connection->peerAddress(), m_connection->peerPort()),
        [this](const TcpSegment &segment) { addSegment(segment); });
    notify();
}

void ConnectionTrace::addSegment(const TcpSegment &segment)
{
    m_segments.append(segment);
    if (m_segments.size() > kMaxSegments) {
        // QList drops its front without moving the rest.
        m_segments.removeFirst();
        ++m_droppedSegments;
    }
    emit segmentAdded(segment);
    notify();
}

int ConnectionTrace::liveHandle()
{
    if (m_connection && m_connection->kernelHandle() > 0)
        m_handle = m_connection->kernelHandle();
    return m_handle;
}

void ConnectionTrace::onKernelChange(TcpState from, TcpState to, const QList<TcpState> &passed,
                                     qint64 monotonicUs)
{
    // The first change names where the socket started.
    if (m_kernel.isEmpty() && from != TcpState::Unknown) {
        const qint64 start = startUs();
        addKernelState(start > 0 ? std::min(monotonicUs, start) : monotonicUs, from, {});
    }
    addKernelState(monotonicUs, to, passed);
    if (hasTimer(to) && m_watch && m_handle > 0) {
        if (const auto last = m_watch->lastState(m_handle); last && last->timerMs)
            setTimerLeft(monotonicUs, last->timerMs);
    }
}

void ConnectionTrace::onKernelTimer(qint64 timerMs)
{
    if (hasTimer(m_kernelState))
        setTimerLeft(timerMs);
}

void ConnectionTrace::pollTcpInfo()
{
    if (!m_connection || m_closed)
        return;
    if (const std::optional<TcpInfo> info = m_connection->tcpInfo())
        setTcpInfo(nowUs(), *info);
}

void ConnectionTrace::setLabel(const QString &label)
{
    if (label == m_label)
        return;
    m_label = label;
    notify();
}

void ConnectionTrace::setLocalActiveOpener(bool active)
{
    if (active == m_activeOpener)
        return;
    m_activeOpener = active;
    notify();
}

std::optional<qint64> ConnectionTrace::timerLeftMs() const
{
    return timerLeftMsAt(nowUs());
}

std::optional<qint64> ConnectionTrace::timerLeftMsAt(qint64 now) const
{
    if (!m_timerMs)
        return std::nullopt;
    const qint64 elapsedMs = std::max<qint64>(0, (now - m_timerSetUs) / 1000);
    return std::max<qint64>(0, *m_timerMs - elapsedMs);
}

qint64 ConnectionTrace::startUs() const
{
    qint64 first = 0;
    const auto consider = [&first](qint64 us) {
        if (us > 0 && (first == 0 || us < first))
            first = us;
    };
    if (!m_qt.isEmpty())
        consider(m_qt.first().monotonicUs);
    if (!m_kernel.isEmpty())
        consider(m_kernel.first().monotonicUs);
    if (!m_roundTrips.isEmpty())
        consider(m_roundTrips.first().first);
    if (!m_segments.isEmpty())
        consider(m_segments.first().monotonicUs);
    return first;
}

qint64 ConnectionTrace::lastUs() const
{
    qint64 last = 0;
    if (!m_qt.isEmpty())
        last = std::max(last, m_qt.last().monotonicUs);
    if (!m_kernel.isEmpty())
        last = std::max(last, m_kernel.last().monotonicUs);
    if (!m_roundTrips.isEmpty())
        last = std::max(last, m_roundTrips.last().first);
    if (!m_segments.isEmpty())
        last = std::max(last, m_segments.last().monotonicUs);
    return last;
}

void ConnectionTrace::addQtState(qint64 monotonicUs, const QString &state)
{
    if (!m_qt.isEmpty() && m_qt.last().state == state)
        return;
    m_qt.append({monotonicUs, state, true});
    notify();
}

void ConnectionTrace::addKernelState(qint64 monotonicUs, TcpState to,
                                     const QList<TcpState> &passedNotObserved)
{
    if (!m_kernel.isEmpty() && m_kernelState == to && passedNotObserved.isEmpty())
        return;
    // An RST takes any state straight to CLOSED: what the tracker guessed was
    // passed on the way (CLOSE_WAIT, LAST_ACK) was not.
    const QList<TcpState> passed =
        m_reset && to == TcpState::Closed ? QList<TcpState>() : passedNotObserved;
    // Passed states get times spread evenly between the last change and this
    // one: their order is known, their moments are not.
    const qint64 previous = m_kernel.isEmpty() ? monotonicUs : m_kernel.last().monotonicUs;
    const qsizetype n = passed.size();
    for (qsizetype i = 0; i < n; ++i) {
        const qint64 at = previous + (monotonicUs - previous) * (i + 1) / (n + 1);
        m_kernel.append({at, tcpStateName(passed[i]), false});
    }
    m_kernel.append({monotonicUs, tcpStateName(to), true});
    m_kernelState = to;
    if (!hasTimer(to))
        m_timerMs.reset();
    notify();
}

void ConnectionTrace::addRoundTrip(qint64 monotonicUs, qint64 rttUs)
{
    m_roundTrips.append({monotonicUs, rttUs});
    if (m_roundTrips.size() > kMaxRoundTrips)
        m_roundTrips.remove(0, m_roundTrips.size() - kMaxRoundTrips);
    notify();
}

void ConnectionTrace::setTcpInfo(const TcpInfo &info)
{
    setTcpInfo(nowUs(), info);
}

void ConnectionTrace::setTcpInfo(qint64 monotonicUs, const TcpInfo &info)
{
    m_tcpInfo = info;
    m_tcpInfoUs = monotonicUs;
    notify();
}

void ConnectionTrace::setTimerLeft(std::optional<qint64> ms)
{
    setTimerLeft(nowUs(), ms);
}

void ConnectionTrace::setTimerLeft(qint64 monotonicUs, std::optional<qint64> ms)
{
    m_timerMs = ms;
    m_timerSetUs = monotonicUs;
    notify();
}

void ConnectionTrace::setLabFlags(const LabFlags &flags)
{
    if (flags == m_lab)
        return;
    m_lab = flags;
    notify();
}

void ConnectionTrace::markReset(bool sentByLocal)
{
    m_reset = sentByLocal;
    // CLOSED seen before the reset was known: drop the states guessed on the way.
    if (m_kernelState == TcpState::Closed && m_kernel.size() >= 2) {
        const Transition closed = m_kernel.takeLast();
        while (!m_kernel.isEmpty() && !m_kernel.last().observed)
            m_kernel.removeLast();
        m_kernel.append(closed);
    }
    notify();
}

void ConnectionTrace::markClosed()
{
    markClosed(m_closeDetail);
}

void ConnectionTrace::markClosed(const QString &detail)
{
    if (m_closed)
        return;
    m_closed = true;
    m_closeDetail = detail;
    if (m_tcpInfoTimer)
        m_tcpInfoTimer->stop();
    // Without a kernel handle there is nothing more to follow.
    if (m_live && (liveHandle() <= 0 || !m_watch)) {
        m_kernelFinished = true;
        if (m_router)
            m_router->remove(this);
    }
    notify();
}

void ConnectionTrace::markKernelFinished()
{
    if (m_kernelFinished)
        return;
    m_kernelFinished = true;
    m_timerMs.reset();
    notify();
}

void ConnectionTrace::setPeerTrace(ConnectionTrace *peer)
{
    if (peer == m_peer)
        return;
    if (m_peer && m_peer->m_peer == this) {
        m_peer->m_peer = nullptr;
        emit m_peer->changed();
    }
    m_peer = peer;
    if (peer && peer->m_peer != this) {
        if (peer->m_peer && peer->m_peer->m_peer == peer)
            peer->m_peer->m_peer = nullptr;
        peer->m_peer = this;
        emit peer->changed();
    }
    notify();
}

qint64 ConnectionTrace::nowUs()
{
    return KernelStateTracker::monotonicUs();
}

void ConnectionTrace::notify()
{
    emit changed();
}

// --- the ladder ------------------------------------------------------------

namespace {

struct Step
{
    bool out;
    const char *label;
};

// The segments behind one change of state, seen from the side that changed
// (RFC 793, figure 6): what arrived, then what it sent.
QList<Step> stepsFor(TcpState from, TcpState to)
{
    using S = TcpState;
    if (from == S::Closed && to == S::SynSent)
        return {{true, "SYN"}};
    if (from == S::Listen && to == S::SynSent)
        return {{true, "SYN"}};
    if (from == S::SynSent && to == S::Established)
        return {{false, "SYN+ACK"}, {true, "ACK"}};
    if ((from == S::Listen || from == S::SynSent) && to == S::SynRecv)
        return {{false, "SYN"}, {true, "SYN+ACK"}};
    if (from == S::SynRecv && to == S::Established)
        return {{false, "ACK"}};
    if ((from == S::Established || from == S::SynRecv) && to == S::FinWait1)
        return {{true, "FIN"}};
    if (from == S::FinWait1 && to == S::FinWait2)
        return {{false, "ACK"}};
    if (from == S::FinWait2 && to == S::TimeWait)
        return {{false, "FIN"}, {true, "ACK"}};
    if (from == S::FinWait1 && to == S::TimeWait)
        return {{false, "FIN+ACK"}, {true, "ACK"}};
    if (from == S::Established && to == S::CloseWait)
        return {{false, "FIN"}, {true, "ACK"}};
    if (from == S::CloseWait && to == S::LastAck)
        return {{true, "FIN"}};
    if (from == S::LastAck && to == S::Closed)
        return {{false, "ACK"}};
    if (from == S::FinWait1 && to == S::Closing)
        return {{false, "FIN"}, {true, "ACK"}};
    if (from == S::Closing && to == S::TimeWait)
        return {{false, "ACK"}};
    return {};
}

// A state that only an RST (sent or received) takes straight to CLOSED.
bool endsByReset(TcpState from, TcpState to)
{
    using S = TcpState;
    return to == S::Closed && from != S::Closed && from != S::Unknown && from != S::Listen &&
           from != S::LastAck && from != S::TimeWait;
}

QList<LadderSegment> segmentsOf(const ConnectionTrace &trace)
{
    QList<LadderSegment> out;
    const QList<ConnectionTrace::Transition> path = trace.kernelTransitions();
    TcpState from = TcpState::Unknown;
    // tcpStateName() back to the state, once.
    const auto stateOf = [](const QString &name) {
        for (int i = int(TcpState::Established); i <= int(TcpState::Closing); ++i) {
            if (tcpStateName(TcpState(i)) == name)
                return TcpState(i);
        }
        return TcpState::Unknown;
    };
    for (const ConnectionTrace::Transition &t : path) {
        const TcpState to = stateOf(t.state);
        if (endsByReset(from, to)) {
            const bool local = trace.sawReset() ? trace.resetSentByLocal() : false;
            LadderSegment s{t.monotonicUs, local, QStringLiteral("RST"), true, {}, {}};
            (local ? s.senderState : s.receiverState) = t.state;
            out.append(s);
        } else {
            for (const Step &step : stepsFor(from, to)) {
                LadderSegment s{t.monotonicUs, step.out, QString::fromLatin1(step.label),
                                true,          {},       {}};
                (step.out ? s.senderState : s.receiverState) = t.state;
                out.append(s);
            }
        }
        from = to;
    }
    return out;
}

} // namespace

QList<LadderSegment> inferSegments(const ConnectionTrace &local, const ConnectionTrace *peer)
{
    QList<LadderSegment> merged = segmentsOf(local);
    if (!peer)
        return merged;

    // One segment is "out" at its sender and "in" at its receiver. Name each
    // by (sender, label, how many of that label the sender sent before): the
    // same name on both sides is the same segment, kept once, at the earlier
    // (sending) time.
    struct Key
    {
        bool senderLocal;
        QString label;
        int index;
    };
    const auto keysOf = [](const QList<LadderSegment> &segments) {
        QList<Key> keys;
        QHash<QString, int> counts;
        for (const LadderSegment &s : segments) {
            const QString name =
                (s.fromLocal ? QStringLiteral("L") : QStringLiteral("P")) + s.label;
            keys.append({s.fromLocal, s.label, counts[name]++});
        }
        return keys;
    };
    QList<LadderSegment> theirs = segmentsOf(*peer);
    for (LadderSegment &s : theirs)
        s.fromLocal = !s.fromLocal;
    const QList<Key> ourKeys = keysOf(merged);
    const QList<Key> theirKeys = keysOf(theirs);
    for (qsizetype i = 0; i < theirs.size(); ++i) {
        const Key &k = theirKeys[i];
        qsizetype match = -1;
        for (qsizetype j = 0; j < ourKeys.size(); ++j) {
            const Key &o = ourKeys[j];
            if (o.senderLocal == k.senderLocal && o.label == k.label && o.index == k.index) {
                match = j;
                break;
            }
        }
        if (match >= 0) {
            LadderSegment &ours = merged[match];
            ours.monotonicUs = std::min(ours.monotonicUs, theirs[i].monotonicUs);
            // Each side knows its own state: the sender's or the receiver's.
            if (ours.senderState.isEmpty())
                ours.senderState = theirs[i].senderState;
            if (ours.receiverState.isEmpty())
                ours.receiverState = theirs[i].receiverState;
        } else {
            merged.append(theirs[i]);
        }
    }
    std::stable_sort(merged.begin(), merged.end(),
                     [](const LadderSegment &a, const LadderSegment &b) {
                         return a.monotonicUs < b.monotonicUs;
                     });
    return merged;
}

QList<LadderSegment> capturedSegments(const ConnectionTrace &local, const ConnectionTrace *peer)
{
    const QList<TcpSegment> &segments = local.segments();
    QList<LadderSegment> out;
    out.reserve(segments.size());
    // The number a FIN of each side (local, peer) is acknowledged with.
    std::optional<quint32> finNext[2];
    for (const TcpSegment &s : segments) {
        LadderSegment l;
        l.monotonicUs = s.monotonicUs;
        l.fromLocal = s.direction != SegmentDirection::Incoming;
        l.label = s.flagNames();
        l.inferred = false;
        l.captured = s;
        const int self = l.fromLocal ? 0 : 1;
        if (s.has(tcpflag::Fin)) {
            const std::optional<quint32> &other = finNext[1 - self];
            l.finCarriesAck = s.has(tcpflag::Ack) && other && s.ack == *other;
            finNext[self] = s.seq + s.payloadLength + (s.has(tcpflag::Syn) ? 2 : 1);
        }
        out.append(l);
    }
    if (out.isEmpty())
        return out;

    // A state change goes by the last segment seen before it (the first, if
    // none was): the segment that took that end there. Of several, the last
    // observed one is written.
    const auto attach = [&out](const ConnectionTrace &trace, bool localEnd) {
        const QList<ConnectionTrace::Transition> path = trace.kernelTransitions();
        for (qsizetype i = 1; i < path.size(); ++i) {
            const qint64 at = path[i].monotonicUs;
            const auto after = std::upper_bound(
                out.begin(), out.end(), at,
                [](qint64 us, const LadderSegment &segment) { return us < segment.monotonicUs; });
            LadderSegment &s = after == out.begin() ? out.first() : *(after - 1);
            QString &slot = s.fromLocal == localEnd ? s.senderState : s.receiverState;
            // A state passed, not observed, has a made-up time: it only fills
            // a place no observed state took.
            if (path[i].observed || slot.isEmpty())
                slot = path[i].state;
        }
    };
    attach(local, true);
    if (peer)
        attach(*peer, false);
    return out;
}

} // namespace synack::net
