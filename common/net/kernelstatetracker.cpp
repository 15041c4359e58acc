#include "net/kernelstatetracker.h"

#include <algorithm>
#include <vector>

namespace synack::net {
namespace {

// Due times this close to now are looked at in the same tick.
constexpr qint64 kBatchSlackUs = 1000;
// ... or this fraction of the slow interval, while every socket rests.
constexpr qint64 kRestingSlackDivisor = 4;
// After this many failed lookups in a row a socket is looked at slowly.
constexpr int kFailuresBeforeBackoff = 3;

qint64 toUs(std::chrono::milliseconds interval)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(interval).count();
}

// What a state tells about who closed first.
CloseKind closeKindShownBy(TcpState state)
{
    switch (state) {
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::Closing:
    case TcpState::TimeWait:
        return CloseKind::Active;
    case TcpState::CloseWait:
    case TcpState::LastAck:
        return CloseKind::Passive;
    default:
        return CloseKind::Unknown;
    }
}

} // namespace

KernelStateTracker::KernelStateTracker(QObject *parent)
    : KernelStateTracker(Settings{}, {}, parent)
{}

KernelStateTracker::KernelStateTracker(const Settings &settings, LookupFunction lookup,
                                       QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_lookup(lookup ? std::move(lookup) : LookupFunction(&KernelProbe::lookup))
{
    m_settings.maxRestingChecksPerSecond = std::max(1, m_settings.maxRestingChecksPerSecond);
    m_settings.maxChecksPerTick = std::max(1, m_settings.maxChecksPerTick);
    m_timer.setSingleShot(true);
    // A coarse timer may fire 5% early and then find nothing due.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &KernelStateTracker::onTick);
}

qint64 KernelStateTracker::monotonicUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int KernelStateTracker::track(const SocketKey &key, TcpState initial, qintptr heldDescriptor)
{
    const int handle = m_nextHandle++;
    Entry entry;
    entry.key = key;
    entry.heldDescriptor = heldDescriptor;
    entry.state = initial;
    entry.closeKind = closeKindShownBy(initial);
    const qint64 now = monotonicUs();
    auto &stored = m_entries.emplace(handle, std::move(entry)).first->second;
    ++m_unsettledCount; // not looked at yet
    schedule(handle, stored, now);
    rearm(now);
    return handle;
}

void KernelStateTracker::untrack(int handle)
{
    erase(handle);
    rearm(monotonicUs());
}

void KernelStateTracker::setHeldDescriptor(int handle, qintptr descriptor)
{
    if (const auto it = m_entries.find(handle); it != m_entries.end())
        it->second.heldDescriptor = descriptor;
}

void KernelStateTracker::setCloseKind(int handle, CloseKind kind)
{
    if (const auto it = m_entries.find(handle); it != m_entries.end())
        it->second.closeKind = kind;
}

void KernelStateTracker::checkNow(int handle)
{
    const qint64 now = monotonicUs();
    check(handle, now);
    rearm(monotonicUs());
}

bool KernelStateTracker::isTracking(int handle) const
{
    return m_entries.contains(handle);
}

TcpState KernelStateTracker::state(int handle) const
{
    const auto it = m_entries.find(handle);
    return it == m_entries.end() ? TcpState::Unknown : it->second.state;
}

std::optional<KernelSocketState> KernelStateTracker::lastState(int handle) const
{
    const auto it = m_entries.find(handle);
    return it == m_entries.end() ? std::nullopt : it->second.last;
}

qint64 KernelStateTracker::lastObservedUs(int handle) const
{
    const auto it = m_entries.find(handle);
    return it == m_entries.end() ? 0 : it->second.lastObservedUs;
}

std::chrono::milliseconds KernelStateTracker::pollInterval() const
{
    return m_unsettledCount > 0 ? m_settings.fastInterval : m_settings.slowInterval;
}

void KernelStateTracker::onTick()
{
    const qint64 now = monotonicUs();
    // While only resting sockets are followed, those due a little later are
    // looked at now: a few batches a second instead of a wake-up for each.
    const qint64 slack =
        m_unsettledCount > 0 ? kBatchSlackUs : toUs(m_settings.slowInterval) / kRestingSlackDivisor;
    // Collected first: a socket checked in this tick may be due again within
    // the slack, and must wait for the next tick.
    std::vector<int> due;
    due.reserve(
        size_t(std::min<qsizetype>(m_settings.maxChecksPerTick, qsizetype(m_queue.size()))));
    for (auto it = m_queue.begin(); it != m_queue.end() && it->first <= now + slack &&
                                    int(due.size()) < m_settings.maxChecksPerTick;
         ++it)
        due.push_back(it->second);
    for (const int handle : due)
        check(handle, now); // a slot may have untracked it meanwhile: check() skips it
    rearm(monotonicUs());
}

void KernelStateTracker::check(int handle, qint64 nowUs)
{
    auto it = m_entries.find(handle);
    if (it == m_entries.end())
        return;
    Entry &entry = it->second;
    m_queue.erase({entry.dueUs, handle});

    std::optional<KernelSocketState> observed;
    if (entry.heldDescriptor >= 0) {
        observed = KernelProbe::lookupHeld(entry.heldDescriptor);
        // A held socket that says CLOSED is over only for a passive closer,
        // which never enters TIME_WAIT; any other may be in TIME_WAIT now,
        // which only netlink can see.
        const bool passiveCloser =
            entry.state == TcpState::CloseWait || entry.state == TcpState::LastAck;
        if (observed && observed->state == TcpState::Closed && !passiveCloser)
            observed.reset();
    }
    if (!observed)
        observed = m_lookup(entry.key);
    ++m_checkCount;
    if (!observed) {
        // The probe failed, not the socket: keep what we know, look again.
        ++entry.failures;
        schedule(handle, entry, nowUs + nextDelayUs(entry));
        return;
    }
    entry.failures = 0;

    const TcpState from = entry.state;
    const TcpState to = observed->state;
    CloseKind how = entry.closeKind;
    // An orphan's FIN_WAIT_2 that runs out of time goes to CLOSED directly.
    if (from == TcpState::FinWait2 && to == TcpState::Closed && entry.last && entry.last->timerMs &&
        entry.lastObservedUs + *entry.last->timerMs * 1000 <= nowUs + toUs(m_settings.fastInterval))
        how = CloseKind::Reset;
    const QList<TcpState> passed = statesBetween(from, to, how);

    const std::optional<KernelSocketState> before = entry.last;
    const bool wasUnsettled = isUnsettled(entry);
    entry.last = observed;
    entry.lastObservedUs = nowUs;
    entry.state = to;
    m_unsettledCount += int(isUnsettled(entry)) - int(wasUnsettled);
    if (entry.closeKind == CloseKind::Unknown)
        entry.closeKind = closeKindShownBy(to);
    const bool closed = to == TcpState::Closed;
    const bool timerShown = (to == TcpState::TimeWait || to == TcpState::FinWait2) &&
                            observed->timerMs &&
                            (from != to || !before || !before->timerMs ||
                             nowUs - entry.lastTimerSignalUs >= toUs(m_settings.slowInterval));
    if (timerShown)
        entry.lastTimerSignalUs = nowUs;
    if (!closed)
        schedule(handle, entry, nowUs + nextDelayUs(entry));
    // `entry` may be gone once a slot has run.

    if (from != to)
        emit stateChanged(handle, from, to, passed, nowUs);
    if (timerShown)
        emit timerUpdated(handle, *observed->timerMs);
    if (closed && m_entries.contains(handle)) {
        erase(handle);
        emit finished(handle);
    }
}

bool KernelStateTracker::isUnsettled(const Entry &entry) const
{
    return !entry.last || isPassingState(entry.state);
}

void KernelStateTracker::schedule(int handle, Entry &entry, qint64 dueUs)
{
    entry.dueUs = dueUs;
    m_queue.insert({dueUs, handle});
}

qint64 KernelStateTracker::nextDelayUs(const Entry &entry) const
{
    const qint64 fast = toUs(m_settings.fastInterval);
    const qint64 slow = toUs(m_settings.slowInterval);
    if (entry.failures >= kFailuresBeforeBackoff)
        return slow;
    if (isUnsettled(entry))
        return fast;
    const qint64 resting = qint64(m_entries.size()) - m_unsettledCount;
    qint64 delay = std::max(slow, resting * 1'000'000 / m_settings.maxRestingChecksPerSecond);
    // TIME_WAIT ends when its timer does: look right after, not up to a
    // slow interval later. An overdue timer (0) waits for the kernel's timer
    // wheel, which may take seconds: no reason to hurry then.
    if (entry.state == TcpState::TimeWait && entry.last && entry.last->timerMs &&
        *entry.last->timerMs > 0)
        delay = std::min(delay, *entry.last->timerMs * 1000 + fast);
    return delay;
}

void KernelStateTracker::erase(int handle)
{
    const auto it = m_entries.find(handle);
    if (it == m_entries.end())
        return;
    m_queue.erase({it->second.dueUs, handle});
    if (isUnsettled(it->second))
        --m_unsettledCount;
    m_entries.erase(it);
}

void KernelStateTracker::rearm(qint64 nowUs)
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 due = m_queue.begin()->first;
    if (m_timer.isActive() && m_timerDueUs <= due)
        return;
    const qint64 delayMs = std::max<qint64>(0, (due - nowUs + 999) / 1000);
    m_timerDueUs = nowUs + delayMs * 1000;
    m_timer.start(std::chrono::milliseconds(delayMs));
}

} // namespace synack::net
