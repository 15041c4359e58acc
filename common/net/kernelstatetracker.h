#pragma once

// Follows the kernel's state of many sockets with one timer and reports each
// change it sees. A socket is followed by its 4-tuple and cookie, so it goes
// on after the application closed its fd (FIN_WAIT_2, TIME_WAIT, LAST_ACK),
// until the kernel forgets it.

#include "net/kernelprobe.h"
#include "net/tcpstate.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace synack::net {

// A socket passing through a state (isPassingState(), or not looked at yet) is
// looked at every kFastPollInterval, one at rest (ESTABLISHED, TIME_WAIT,
// CLOSE_WAIT, LISTEN) every kSlowPollInterval.
inline constexpr std::chrono::milliseconds kFastPollInterval{10};
inline constexpr std::chrono::milliseconds kSlowPollInterval{500};
// What the resting sockets may cost together: beyond this many lookups a second
// each of them is looked at less often than kSlowPollInterval, so that 10,000
// of them stay far below 5% of a core. Their changes are seldom a surprise: the
// application calls checkNow() when its socket reports one.
inline constexpr int kMaxRestingChecksPerSecond = 4000;
// Lookups in one tick, so that a crowd of passing sockets never stalls the
// event loop; the rest wait for the next tick, oldest first.
inline constexpr int kMaxChecksPerTick = 1000;

class KernelStateTracker : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        std::chrono::milliseconds fastInterval = kFastPollInterval;
        std::chrono::milliseconds slowInterval = kSlowPollInterval;
        int maxRestingChecksPerSecond = kMaxRestingChecksPerSecond;
        int maxChecksPerTick = kMaxChecksPerTick;
    };
    // KernelProbe::lookup(), unless a test injects another.
    using LookupFunction = std::function<std::optional<KernelSocketState>(const SocketKey &)>;

    explicit KernelStateTracker(QObject *parent = nullptr);
    KernelStateTracker(const Settings &settings, LookupFunction lookup, QObject *parent = nullptr);

    // Starts following a socket; `initial` is the state the caller believes it
    // is in (the first change reported is from there). The first look happens
    // on the next turn of the event loop, or at checkNow(). While the caller
    // holds the socket's descriptor, `heldDescriptor`, most looks take one
    // getsockopt() instead of a netlink request (KernelProbe::lookupHeld());
    // it must stay that socket's until setHeldDescriptor(-1).
    int track(const SocketKey &key, TcpState initial = TcpState::Unknown,
              qintptr heldDescriptor = -1);
    void untrack(int handle);
    // The caller is about to close the descriptor given to track() (-1), or
    // holds another one for the same socket (a duplicate).
    void setHeldDescriptor(int handle, qintptr descriptor);
    // Tells how the connection is being closed, when the caller knows it better
    // than the states seen so far (an abort with SO_LINGER 0: Reset).
    void setCloseKind(int handle, CloseKind kind);
    // Looks at the socket now, emitting what changed before returning.
    void checkNow(int handle);

    bool isTracking(int handle) const;
    int trackedCount() const { return int(m_entries.size()); }
    // The last state seen (or the initial one); Unknown for a handle not tracked.
    TcpState state(int handle) const;
    // The kernel's last answer, with its timer; nullopt before the first look.
    std::optional<KernelSocketState> lastState(int handle) const;
    // When that answer came, in monotonicUs(); 0 before the first look.
    qint64 lastObservedUs(int handle) const;

    // kFastPollInterval while any socket is passing or not looked at yet, else
    // kSlowPollInterval (as set).
    std::chrono::milliseconds pollInterval() const;
    // Lookups made so far.
    quint64 checkCount() const { return m_checkCount; }

    // std::chrono::steady_clock (CLOCK_MONOTONIC on Linux, like QElapsedTimer)
    // in microseconds: the clock of stateChanged().
    static qint64 monotonicUs();

signals:
    // `passedNotObserved`: the states the socket must have gone through in
    // between (statesBetween()), never seen. `monotonicUs`: when `to` was seen.
    void stateChanged(int handle, synack::net::TcpState from, synack::net::TcpState to,
                      QList<synack::net::TcpState> passedNotObserved, qint64 monotonicUs);
    // The time left in TIME_WAIT or an orphan's FIN_WAIT_2, at most every
    // slow interval.
    void timerUpdated(int handle, qint64 timerMs);
    // The kernel has forgotten the socket (after stateChanged to Closed); the
    // handle is no longer tracked.
    void finished(int handle);

private:
    struct Entry
    {
        SocketKey key;
        qintptr heldDescriptor = -1;
        TcpState state = TcpState::Unknown;
        CloseKind closeKind = CloseKind::Unknown;
        std::optional<KernelSocketState> last;
        qint64 lastObservedUs = 0;
        qint64 lastTimerSignalUs = 0;
        qint64 dueUs = 0;
        int failures = 0; // lookups in a row that failed
    };

    void onTick();
    void check(int handle, qint64 nowUs);
    bool isUnsettled(const Entry &entry) const;
    void schedule(int handle, Entry &entry, qint64 dueUs);
    qint64 nextDelayUs(const Entry &entry) const;
    void erase(int handle);
    void rearm(qint64 nowUs);

    Settings m_settings;
    LookupFunction m_lookup;
    QTimer m_timer;
    qint64 m_timerDueUs = 0; // when m_timer fires, while it is active
    std::unordered_map<int, Entry> m_entries;
    std::set<std::pair<qint64, int>> m_queue; // (due, handle), soonest first
    int m_unsettledCount = 0;
    int m_nextHandle = 1;
    quint64 m_checkCount = 0;
};

} // namespace synack::net
