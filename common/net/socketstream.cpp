#include "net/socketstream.h"

#include "net/socketops.h"

#include <array>
#include <cerrno>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#endif

namespace synack::net {

namespace {

// Bytes read per read() call, into one buffer per thread.
constexpr std::size_t kScratchSize = 64 * 1024;
// Bytes read per readiness event; a flooding peer waits for the next turn,
// so it cannot starve the others.
constexpr qint64 kMaxReadPerEvent = 256 * 1024;
// Frames per scatter-gather call.
constexpr int kMaxFramesPerWrite = 64;
// Queue slots kept after the queue drains: enough for a turn of chat, little
// for ten thousand idle connections.
constexpr std::size_t kKeptQueueCapacity = 16;

thread_local std::array<char, kScratchSize> t_scratch;

#ifdef MSG_NOSIGNAL
// A peer that is gone is an error of the call, not SIGPIPE.
constexpr int kSendFlags = MSG_NOSIGNAL | MSG_DONTWAIT;
#else
constexpr int kSendFlags = MSG_DONTWAIT; // SO_NOSIGPIPE is set instead (makeNonBlocking)
#endif

// One read(); the byte count, 0 at the end of the stream, or -errno.
qint64 readSome(qintptr fd, char *buffer, std::size_t size)
{
#ifdef Q_OS_WIN
    const int n = ::recv(SOCKET(fd), buffer, int(size), 0);
    return n >= 0 ? n : -qint64(WSAGetLastError() == WSAEWOULDBLOCK ? EAGAIN : ECONNRESET);
#else
    for (;;) {
        const ssize_t n = ::read(int(fd), buffer, size);
        if (n >= 0)
            return n;
        if (errno != EINTR)
            return -errno;
    }
#endif
}

// Writes as much of `frames` (the first one from `offset` on) as the kernel
// takes now; the byte count or -errno.
qint64 writeSome(qintptr fd, const QByteArray *frames, int count, qint64 offset)
{
#ifdef Q_OS_WIN
    const QByteArray &first = frames[0];
    const int n = ::send(SOCKET(fd), first.constData() + offset, int(first.size() - offset), 0);
    Q_UNUSED(count);
    return n >= 0 ? n : -qint64(WSAGetLastError() == WSAEWOULDBLOCK ? EAGAIN : ECONNRESET);
#else
    std::array<iovec, kMaxFramesPerWrite> iov;
    for (int i = 0; i < count; ++i) {
        const qint64 skip = i == 0 ? offset : 0;
        iov[std::size_t(i)].iov_base = const_cast<char *>(frames[i].constData() + skip);
        iov[std::size_t(i)].iov_len = std::size_t(frames[i].size() - skip);
    }
    msghdr message{};
    message.msg_iov = iov.data();
    message.msg_iovlen = std::size_t(count);
    for (;;) {
        const ssize_t n = ::sendmsg(int(fd), &message, kSendFlags);
        if (n >= 0)
            return n;
        if (errno != EINTR)
            return -errno;
    }
#endif
}

void makeNonBlocking(qintptr fd)
{
#ifdef Q_OS_WIN
    u_long on = 1;
    ::ioctlsocket(SOCKET(fd), FIONBIO, &on);
#else
    const int flags = ::fcntl(int(fd), F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK))
        ::fcntl(int(fd), F_SETFL, flags | O_NONBLOCK);
#if !defined(MSG_NOSIGNAL) && defined(SO_NOSIGPIPE)
    const int on = 1;
    ::setsockopt(int(fd), SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
#endif
}

bool wouldBlock(qint64 result)
{
    return result == -EAGAIN || result == -EWOULDBLOCK;
}

} // namespace

SocketStream::SocketStream(qintptr fd, Listener *listener, IoReactor *reactor)
    : m_fd(fd)
    , m_listener(listener)
    , m_reactor(reactor)
{
    makeNonBlocking(fd);
    m_token = m_reactor->watch(fd, this);
}

SocketStream::~SocketStream()
{
    close();
}

bool SocketStream::stillOpen(IoReactor *reactor, IoReactor::Token token)
{
    // close() unwatches: a stream that is gone or closed no longer owns its token.
    return reactor && token && reactor->isWatching(token);
}

void SocketStream::write(const QByteArray &bytes)
{
    if (m_fd < 0 || m_failure || bytes.isEmpty())
        return;
    m_queue.push_back(bytes);
    m_queuedBytes += bytes.size();
    if (!m_waitingWritable)
        scheduleFlush();
}

void SocketStream::flushNow()
{
    if (m_fd < 0 || m_queuedBytes == 0)
        return;
    if (writeQueue() < 0)
        scheduleFlush(); // the error is reported from the loop
}

void SocketStream::setReading(bool reading)
{
    if (m_reading == reading)
        return;
    m_reading = reading;
    updateInterest();
}

bool SocketStream::shutdownWrite()
{
    return net::shutdownWrite(m_fd);
}

void SocketStream::close(bool reset)
{
    if (m_fd < 0)
        return;
    if (m_reactor && m_token)
        m_reactor->unwatchBeforeClose(m_token);
    m_token = 0;
    if (reset)
        setLingerZero(m_fd);
    closeDescriptor(m_fd);
    m_fd = -1;
    m_queue.clear();
    m_queueHead = 0;
    m_headOffset = 0;
    m_queuedBytes = 0;
}

void SocketStream::ioReady(bool readable, bool writable, bool failed)
{
    IoReactor *reactor = m_reactor;
    const IoReactor::Token token = m_token;
    if (writable) {
        ioFlush();
        if (!stillOpen(reactor, token))
            return;
    }
    if (readable && m_reading) {
        readAvailable();
        if (!stillOpen(reactor, token))
            return;
    }
    if (failed && !m_reading) {
        // An error or hang-up with nothing more to read: a reset after the
        // FIN, or both directions closed. Either way nothing more will come.
        const int error = pendingSocketError(m_fd);
        if (m_reactor && m_token)
            m_reactor->unwatch(m_token); // epoll reports a hang-up until closed
        m_token = 0;
        if (error != 0 && !m_failureReported) {
            m_failure = error;
            m_failureReported = true;
            end(isResetError(error) ? End::Reset : End::Error, error);
        }
    }
}

void SocketStream::readAvailable()
{
    IoReactor *reactor = m_reactor;
    const IoReactor::Token token = m_token;
    qint64 total = 0;
    while (m_reading && total < kMaxReadPerEvent) {
        const qint64 n = readSome(m_fd, t_scratch.data(), t_scratch.size());
        if (n > 0) {
            total += n;
            m_listener->streamRead(QByteArrayView(t_scratch.data(), n));
            if (!stillOpen(reactor, token))
                return;
            if (std::size_t(n) < t_scratch.size())
                break; // the kernel had no more; saves a read() that says so
        } else if (n == 0) {
            m_reading = false;
            end(End::Fin, 0);
            // Still open (a half-close): level-triggered readiness would
            // report the end on every turn, so stop watching for it. Most
            // owners close at the FIN, and then there is nothing to change.
            if (stillOpen(reactor, token))
                updateInterest();
            return;
        } else if (wouldBlock(n)) {
            return;
        } else {
            const int error = int(-n);
            m_failure = error;
            m_failureReported = true;
            m_reading = false;
            end(isResetError(error) ? End::Reset : End::Error, error);
            return;
        }
    }
}

void SocketStream::end(End end, int error)
{
    if (end != End::Fin) {
        m_queue.clear();
        m_queueHead = 0;
        m_headOffset = 0;
        m_queuedBytes = 0;
        if (m_reactor && m_token)
            m_reactor->unwatch(m_token);
        m_token = 0;
    }
    m_listener->streamEnded(end, error);
}

void SocketStream::ioFlush()
{
    m_flushRequested = false;
    if (m_fd < 0)
        return;
    if (m_failure) {
        if (!m_failureReported) {
            m_failureReported = true;
            end(isResetError(m_failure) ? End::Reset : End::Error, m_failure);
        }
        return;
    }
    if (m_queuedBytes == 0)
        return;
    const qint64 written = writeQueue();
    if (written < 0) {
        ioFlush(); // reports it
        return;
    }
    if (written > 0)
        m_listener->streamWritten(written, m_queuedBytes == 0);
}

qint64 SocketStream::writeQueue()
{
    qint64 total = 0;
    while (m_queueHead < m_queue.size()) {
        const int count = int(qMin<std::size_t>(kMaxFramesPerWrite, m_queue.size() - m_queueHead));
        qint64 offered = -m_headOffset;
        for (int i = 0; i < count; ++i)
            offered += m_queue[m_queueHead + std::size_t(i)].size();
        const qint64 n = writeSome(m_fd, &m_queue[m_queueHead], count, m_headOffset);
        if (n < 0) {
            if (wouldBlock(n))
                break;
            m_failure = int(-n);
            m_queue.clear();
            m_queueHead = 0;
            m_headOffset = 0;
            m_queuedBytes = 0;
            updateInterest();
            return -1;
        }
        total += n;
        m_queuedBytes -= n;
        // Let go of every frame the kernel took whole.
        qint64 left = n;
        while (left > 0) {
            QByteArray &head = m_queue[m_queueHead];
            const qint64 rest = head.size() - m_headOffset;
            if (left < rest) {
                m_headOffset += left;
                break;
            }
            left -= rest;
            head = QByteArray();
            ++m_queueHead;
            m_headOffset = 0;
        }
        if (n < offered)
            break; // the kernel's buffer is full
    }
    if (m_queueHead == m_queue.size()) {
        m_queue.clear();
        m_queueHead = 0;
        if (m_queue.capacity() > kKeptQueueCapacity)
            std::vector<QByteArray>().swap(m_queue); // a burst is over: give its room back
    } else if (m_queueHead >= 1024) {
        m_queue.erase(m_queue.begin(), m_queue.begin() + qsizetype(m_queueHead));
        m_queueHead = 0;
    }
    updateInterest();
    return total;
}

void SocketStream::updateInterest()
{
    if (!m_reactor || !m_token)
        return;
    const bool wantWritable = m_queuedBytes > 0 && !m_failure;
    if (wantWritable == m_waitingWritable && m_reading == m_watchingReadable)
        return;
    m_waitingWritable = wantWritable;
    m_watchingReadable = m_reading;
    m_reactor->setInterest(m_token, m_reading, wantWritable);
}

void SocketStream::scheduleFlush()
{
    if (m_flushRequested || !m_reactor || !m_token)
        return;
    m_flushRequested = true;
    m_reactor->requestFlush(m_token);
}

} // namespace synack::net
