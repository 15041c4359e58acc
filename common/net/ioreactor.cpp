#include "net/ioreactor.h"

#include "net/ioreactor_p.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace synack::net {

namespace {

constexpr int kIndexBits = 32;

IoReactor::Token makeToken(quint32 index, quint32 generation)
{
    return (IoReactor::Token(generation) << kIndexBits) | index;
}

quint32 indexOf(IoReactor::Token token)
{
    return quint32(token & 0xffffffffu);
}

quint32 generationOf(IoReactor::Token token)
{
    return quint32(token >> kIndexBits);
}

thread_local QPointer<IoReactor> t_reactor;

} // namespace

IoReactor *IoReactor::forCurrentThread()
{
    if (t_reactor)
        return t_reactor;
    std::unique_ptr<IoReactor> reactor = create(Backend::Epoll);
    if (!reactor)
        reactor = create(Backend::Notifiers);
    // The main thread's reactor is deleted with the application, another
    // thread's when the thread finishes.
    QThread *thread = QThread::currentThread();
    if (QCoreApplication *app = QCoreApplication::instance(); app && app->thread() == thread)
        reactor->setParent(app);
    else
        connect(thread, &QThread::finished, reactor.get(), &QObject::deleteLater);
    t_reactor = reactor.release();
    return t_reactor;
}

std::unique_ptr<IoReactor> IoReactor::create(Backend backend)
{
    switch (backend) {
    case Backend::Epoll:
#ifdef Q_OS_LINUX
        return createEpollReactor();
#else
        return nullptr;
#endif
    case Backend::Notifiers:
        return createNotifierReactor();
    }
    return nullptr;
}

IoReactor::IoReactor(QObject *parent)
    : QObject(parent)
{}

IoReactor::~IoReactor() = default;

IoReactor::Token IoReactor::addSlot(qintptr fd, IoHandler *handler)
{
    quint32 index;
    if (!m_freeSlots.empty()) {
        index = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        index = quint32(m_slots.size());
        m_slots.push_back({});
    }
    Slot &slot = m_slots[index];
    slot.handler = handler;
    slot.fd = fd;
    ++slot.generation; // starts at 1: no token is 0
    return makeToken(index, slot.generation);
}

void IoReactor::removeSlot(Token token)
{
    const quint32 index = indexOf(token);
    if (index >= m_slots.size() || m_slots[index].generation != generationOf(token))
        return;
    Slot &slot = m_slots[index];
    slot.handler = nullptr;
    slot.fd = -1;
    ++slot.generation; // any event or flush still naming the old token is dropped
    m_freeSlots.push_back(index);
}

IoHandler *IoReactor::handlerOf(Token token) const
{
    const quint32 index = indexOf(token);
    if (index >= m_slots.size() || m_slots[index].generation != generationOf(token))
        return nullptr;
    return m_slots[index].handler;
}

qintptr IoReactor::descriptorOf(Token token) const
{
    const quint32 index = indexOf(token);
    if (index >= m_slots.size() || m_slots[index].generation != generationOf(token))
        return -1;
    return m_slots[index].fd;
}

void IoReactor::requestFlush(Token token)
{
    m_flushes.push_back(token);
    if (!m_dispatching && !m_flushPosted) {
        m_flushPosted = true;
        QMetaObject::invokeMethod(this, &IoReactor::runFlushes, Qt::QueuedConnection);
    }
}

void IoReactor::runFlushes()
{
    m_flushPosted = false;
    const bool wasDispatching = m_dispatching;
    m_dispatching = true;
    // A flush may ask for another (a handler whose write failed reports it
    // from its next flush): that one runs in the next round of this loop.
    while (!m_flushes.empty()) {
        m_flushing.swap(m_flushes);
        for (const Token token : m_flushing) {
            if (IoHandler *handler = handlerOf(token))
                handler->ioFlush();
        }
        m_flushing.clear();
    }
    m_dispatching = wasDispatching;
}

} // namespace synack::net
