#include "net/kernelwatch.h"

#include "net/connection.h"

namespace synack::net {

KernelWatch::KernelWatch(QObject *parent)
    : KernelWatch(KernelStateTracker::LookupFunction(), parent)
{}

KernelWatch::KernelWatch(KernelStateTracker::LookupFunction lookup, QObject *parent)
    : QObject(parent)
    , m_tracker(new KernelStateTracker(KernelStateTracker::Settings{}, std::move(lookup), this))
{
    connect(m_tracker, &KernelStateTracker::stateChanged, this,
            [this](int handle, TcpState from, TcpState to, const QList<TcpState> &passed,
                   qint64 monotonicUs) {
                if (Connection *owner = m_owners.value(handle))
                    owner->observeKernelState(from, to, passed, monotonicUs);
                emit stateChanged(handle, from, to, passed, monotonicUs);
            });
    connect(m_tracker, &KernelStateTracker::timerUpdated, this, &KernelWatch::timerUpdated);
    connect(m_tracker, &KernelStateTracker::finished, this, [this](int handle) {
        m_owners.remove(handle);
        emit finished(handle);
    });
}

bool KernelWatch::isAvailable(QString *whyNot) const
{
    return KernelProbe::isAvailable(whyNot);
}

int KernelWatch::watchSocket(qintptr fd, TcpState initial, Connection *owner)
{
    if (!KernelProbe::isAvailable())
        return -1;
    const std::optional<SocketKey> socketKey = KernelProbe::keyOf(fd);
    if (!socketKey)
        return -1;
    return watchKey(*socketKey, initial, -1, owner);
}

int KernelWatch::watchConnection(qintptr fd, SocketKey key, TcpState initial, Connection *owner)
{
    if (!KernelProbe::isAvailable())
        return -1;
    const std::optional<quint64> cookie = KernelProbe::socketCookie(fd);
    if (!cookie)
        return -1;
    key.cookie = *cookie;
    return watchKey(key, initial, fd, owner);
}

int KernelWatch::watchKey(const SocketKey &key, TcpState initial, qintptr heldDescriptor,
                          Connection *owner)
{
    const int handle = m_tracker->track(key, initial, heldDescriptor);
    m_owners.insert(handle, owner);
    return handle;
}

void KernelWatch::setHeldDescriptor(int handle, qintptr fd)
{
    if (handle > 0)
        m_tracker->setHeldDescriptor(handle, fd);
}

void KernelWatch::checkNow(int handle)
{
    if (handle > 0)
        m_tracker->checkNow(handle);
}

void KernelWatch::setCloseKind(int handle, CloseKind kind)
{
    if (handle > 0)
        m_tracker->setCloseKind(handle, kind);
}

TcpState KernelWatch::state(int handle) const
{
    return handle > 0 ? m_tracker->state(handle) : TcpState::Unknown;
}

std::optional<KernelSocketState> KernelWatch::lastState(int handle) const
{
    return handle > 0 ? m_tracker->lastState(handle) : std::nullopt;
}

} // namespace synack::net
