// The reactor's Linux backend: one epoll set, one QSocketNotifier.

#include "net/ioreactor_p.h"

#include <QSocketNotifier>
#include <array>
#include <cerrno>
#include <sys/epoll.h>
#include <unistd.h>

namespace synack::net {

namespace {

// Readiness events taken per batch, and batches per turn of the Qt loop; more
// wait for the next turn, so timers and other sockets get their say under load.
constexpr int kEventsPerBatch = 512;
constexpr int kBatchesPerTurn = 4;

class EpollReactor final : public IoReactor
{
public:
    explicit EpollReactor(int epollFd)
        : m_epollFd(epollFd)
        , m_notifier(epollFd, QSocketNotifier::Read)
    {
        connect(&m_notifier, &QSocketNotifier::activated, this, &EpollReactor::dispatch);
    }

    ~EpollReactor() override { ::close(m_epollFd); }

    Backend backend() const override { return Backend::Epoll; }

    Token watch(qintptr fd, IoHandler *handler) override
    {
        const Token token = addSlot(fd, handler);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = token;
        if (::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, int(fd), &event) != 0) {
            removeSlot(token);
            return 0;
        }
        return token;
    }

    void setInterest(Token token, bool read, bool write) override
    {
        const qintptr fd = descriptorOf(token);
        if (fd < 0)
            return;
        epoll_event event{};
        event.events = (read ? EPOLLIN : 0u) | (write ? EPOLLOUT : 0u);
        event.data.u64 = token;
        ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, int(fd), &event);
    }

    void unwatch(Token token) override
    {
        const qintptr fd = descriptorOf(token);
        if (fd < 0)
            return;
        ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, int(fd), nullptr);
        removeSlot(token);
    }

    void unwatchBeforeClose(Token token) override { removeSlot(token); }

private:
    // Input before output: what became readable while a batch was handled is
    // taken before the turn's flushes, so under load one write to a peer
    // carries what several batches queued for it. Fewer, fuller segments:
    // each costs this core the peer's receive path and its acknowledgement
    // too, since loopback delivers in the sender's system call.
    void dispatch()
    {
        setDispatching(true);
        for (int batch = 0; batch < kBatchesPerTurn; ++batch) {
            const int count = ::epoll_wait(m_epollFd, m_events.data(), kEventsPerBatch, 0);
            if (count <= 0)
                break;
            for (int i = 0; i < count; ++i) {
                const epoll_event &event = m_events[std::size_t(i)];
                // A handler earlier in this batch may have closed this one.
                if (IoHandler *handler = handlerOf(event.data.u64)) {
                    handler->ioReady(event.events & (EPOLLIN | EPOLLHUP | EPOLLERR),
                                     event.events & EPOLLOUT, event.events & (EPOLLHUP | EPOLLERR));
                }
            }
        }
        runFlushes();
        setDispatching(false);
    }

    int m_epollFd;
    QSocketNotifier m_notifier;
    std::array<epoll_event, kEventsPerBatch> m_events{};
};

} // namespace

std::unique_ptr<IoReactor> createEpollReactor()
{
    const int epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0)
        return nullptr;
    return std::make_unique<EpollReactor>(epollFd);
}

} // namespace synack::net
