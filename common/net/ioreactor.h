#pragma once

// Readiness of many socket descriptors, for one thread's event loop.
//
// Qt's event dispatchers poll every registered QSocketNotifier on every turn
// of the loop, so a server with thousands of idle connections spends its time
// asking each of them whether anything happened. On Linux the reactor keeps
// its descriptors in one epoll set, and the Qt loop sees a single notifier:
// the epoll descriptor. Elsewhere it falls back to a QSocketNotifier pair per
// descriptor. Either way the owner of a descriptor implements IoHandler.
//
// Writes are batched per loop turn: a handler that queued bytes asks for a
// flush (requestFlush), and all flushes run once, after the turn's readiness
// events, so a message relayed to a room costs one write per member per turn
// however many messages came in. The epoll backend also takes, before those
// flushes, the input that arrived while it handled the turn's first events
// (a few batches at most), so a busy server writes less often and more.

#include <QObject>
#include <QtGlobal>
#include <memory>
#include <vector>

namespace synack::net {

class IoHandler
{
public:
    // The descriptor can be read (or has reached its end or an error), can be
    // written, or reports an error or a hang-up.
    virtual void ioReady(bool readable, bool writable, bool failed) = 0;
    // The flush asked for with IoReactor::requestFlush.
    virtual void ioFlush() = 0;

protected:
    ~IoHandler() = default;
};

class IoReactor : public QObject
{
    Q_OBJECT

public:
    // An opaque name for one watched descriptor; 0 is never used.
    using Token = quint64;

    enum class Backend { Epoll, Notifiers };
    Q_ENUM(Backend)

    // The reactor of the calling thread, created on first use (epoll where
    // the system has it). The main thread's goes with the application.
    static IoReactor *forCurrentThread();
    // A reactor of the given kind (tests run both); nullptr where the kind
    // is not available here.
    static std::unique_ptr<IoReactor> create(Backend backend);

    ~IoReactor() override;

    virtual Backend backend() const = 0;
    // Watches `fd` for reading; `handler` must outlive the watch.
    virtual Token watch(qintptr fd, IoHandler *handler) = 0;
    virtual void setInterest(Token token, bool read, bool write) = 0;
    // Forgets the descriptor; no event reaches its handler afterwards, not
    // even one already collected in this turn. Call before closing the fd.
    virtual void unwatch(Token token) = 0;
    // The same, for a descriptor its owner closes right after. Closing the
    // last descriptor of a socket takes it out of an epoll set, so the epoll
    // backend skips the system call (SynAck's sockets are close-on-exec and
    // never duplicated while watched).
    virtual void unwatchBeforeClose(Token token) { unwatch(token); }
    // False once `token` was unwatched (its handler closed, or is gone).
    bool isWatching(Token token) const { return handlerOf(token) != nullptr; }
    int watchedCount() const { return int(m_slots.size() - m_freeSlots.size()); }

    // Calls token's ioFlush() once, at the end of this turn of the loop.
    void requestFlush(Token token);

protected:
    explicit IoReactor(QObject *parent = nullptr);

    Token addSlot(qintptr fd, IoHandler *handler);
    void removeSlot(Token token);
    IoHandler *handlerOf(Token token) const;
    qintptr descriptorOf(Token token) const;
    // Runs the flushes asked for so far; the backends call it after each
    // batch of readiness events.
    void runFlushes();
    // Within a batch, flushes wait for its end instead of posting a call.
    void setDispatching(bool dispatching) { m_dispatching = dispatching; }

private:
    struct Slot
    {
        IoHandler *handler = nullptr;
        qintptr fd = -1;
        quint32 generation = 0;
    };
    std::vector<Slot> m_slots;
    std::vector<quint32> m_freeSlots;
    std::vector<Token> m_flushes;
    std::vector<Token> m_flushing;
    bool m_flushPosted = false;
    bool m_dispatching = false;
};

} // namespace synack::net
