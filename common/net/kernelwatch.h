#pragma once

// The kernel's view of many connections from one KernelStateTracker: each
// watched socket gets a handle, and the tracker's news about a handle is
// passed to the Connection it belongs to, for as long as that Connection
// lives. Tracking goes on after the Connection is gone (TIME_WAIT, LAST_ACK,
// ...) until the kernel forgets the socket; whoever shows it listens here.

#include "net/kernelprobe.h"
#include "net/kernelstatetracker.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace synack::net {

class Connection;

class KernelWatch : public QObject
{
    Q_OBJECT

public:
    explicit KernelWatch(QObject *parent = nullptr);
    // With another netlink lookup than KernelProbe::lookup() (tests count
    // them).
    explicit KernelWatch(KernelStateTracker::LookupFunction lookup, QObject *parent = nullptr);

    // False on platforms or systems without the probe, with the reason.
    bool isAvailable(QString *whyNot = nullptr) const;

    // Starts tracking the socket behind `fd`; -1 when the probe is not
    // available or the socket cannot be named. `owner` may be null.
    int watchSocket(qintptr fd, TcpState initial, Connection *owner);
    // The same for a connected socket whose 4-tuple the caller knows already
    // (`key`; the cookie is read here), and whose descriptor it holds until it
    // says otherwise with setHeldDescriptor(): looks at it are then cheap.
    int watchConnection(qintptr fd, SocketKey key, TcpState initial, Connection *owner);
    // -1 before the owner closes the descriptor; another one if it moves to a
    // duplicate.
    void setHeldDescriptor(int handle, qintptr fd);
    void checkNow(int handle);
    void setCloseKind(int handle, CloseKind kind);
    TcpState state(int handle) const;
    std::optional<KernelSocketState> lastState(int handle) const;
    int watchedCount() const { return m_tracker->trackedCount(); }

    KernelStateTracker *tracker() const { return m_tracker; }

signals:
    void stateChanged(int handle, synack::net::TcpState from, synack::net::TcpState to,
                      QList<synack::net::TcpState> passedNotObserved, qint64 monotonicUs);
    void timerUpdated(int handle, qint64 timerMs);
    void finished(int handle);

private:
    int watchKey(const SocketKey &key, TcpState initial, qintptr heldDescriptor, Connection *owner);

    KernelStateTracker *m_tracker;
    QHash<int, QPointer<Connection>> m_owners;
};

} // namespace synack::net
