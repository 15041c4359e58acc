#include "net/socketops.h"

#include <QHostAddress>
#include <cerrno>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace synack::net {

bool shutdownWrite(qintptr fd)
{
    if (fd < 0)
        return false;
#ifdef Q_OS_WIN
    return ::shutdown(SOCKET(fd), SD_SEND) == 0;
#else
    return ::shutdown(int(fd), SHUT_WR) == 0;
#endif
}

bool setLingerZero(qintptr fd)
{
    if (fd < 0)
        return false;
    linger option{};
    option.l_onoff = 1;
    option.l_linger = 0;
#ifdef Q_OS_WIN
    return ::setsockopt(SOCKET(fd), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&option),
                        sizeof option) == 0;
#else
    return ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option) == 0;
#endif
}

int pendingSocketError(qintptr fd)
{
    if (fd < 0)
        return 0;
    int error = 0;
#ifdef Q_OS_WIN
    int length = sizeof error;
    if (::getsockopt(SOCKET(fd), SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&error), &length) !=
        0)
        return 0;
#else
    socklen_t length = sizeof error;
    if (::getsockopt(int(fd), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        return 0;
#endif
    return error;
}

bool isResetError(int error)
{
    return error == ECONNRESET || error == EPIPE;
}

qint64 bytesReadable(qintptr fd)
{
    if (fd < 0)
        return -1;
#ifdef Q_OS_WIN
    u_long available = 0;
    return ::ioctlsocket(SOCKET(fd), FIONREAD, &available) == 0 ? qint64(available) : -1;
#else
    int available = 0;
    return ::ioctl(int(fd), FIONREAD, &available) == 0 ? qint64(available) : -1;
#endif
}

void closeDescriptor(qintptr fd)
{
    if (fd < 0)
        return;
#ifdef Q_OS_WIN
    ::closesocket(SOCKET(fd));
#else
    ::close(int(fd));
#endif
}

bool setNoDelay(qintptr fd)
{
    int on = 1;
#ifdef Q_OS_WIN
    return ::setsockopt(SOCKET(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&on),
                        sizeof on) == 0;
#else
    return ::setsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0;
#endif
}

qintptr acceptConnection(qintptr listener)
{
#ifdef Q_OS_WIN
    const SOCKET fd = ::accept(SOCKET(listener), nullptr, nullptr);
    if (fd == INVALID_SOCKET)
        return -qintptr(WSAGetLastError() == WSAEWOULDBLOCK ? EAGAIN : ECONNABORTED);
    u_long on = 1;
    ::ioctlsocket(fd, FIONBIO, &on);
    return qintptr(fd);
#elif defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
    const int fd = ::accept4(int(listener), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return fd >= 0 ? fd : -qintptr(errno);
#else
    const int fd = ::accept(int(listener), nullptr, nullptr);
    if (fd < 0)
        return -qintptr(errno);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
#endif
}

bool isReadableNow(qintptr fd)
{
#ifdef Q_OS_WIN
    WSAPOLLFD entry{SOCKET(fd), POLLRDNORM, 0};
    return ::WSAPoll(&entry, 1, 0) > 0;
#else
    pollfd entry{int(fd), POLLIN, 0};
    int ready;
    do {
        ready = ::poll(&entry, 1, 0);
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
#endif
}

qintptr duplicateDescriptor(qintptr fd)
{
#ifdef Q_OS_WIN
    Q_UNUSED(fd);
    return -1; // a socket handle is not duplicated this way on Windows
#else
    return fd < 0 ? -1 : ::fcntl(int(fd), F_DUPFD_CLOEXEC, 0);
#endif
}

namespace {

// getsockname() or getpeername(), as an address and a port.
bool endpoint(qintptr fd, bool peer, QHostAddress *address, quint16 *port)
{
    sockaddr_storage storage{};
    auto *generic = reinterpret_cast<sockaddr *>(&storage);
#ifdef Q_OS_WIN
    int length = sizeof storage;
    const SOCKET s = SOCKET(fd);
#else
    socklen_t length = sizeof storage;
    const int s = int(fd);
#endif
    if (fd < 0 ||
        (peer ? ::getpeername(s, generic, &length) : ::getsockname(s, generic, &length)) != 0)
        return false;
    *address = QHostAddress(generic);
    if (storage.ss_family == AF_INET)
        *port = ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
    else if (storage.ss_family == AF_INET6)
        *port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    else
        return false;
    // A dual-stack listener names IPv4 peers ::ffff:a.b.c.d; SynAck shows a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = address->toIPv4Address(&isV4);
    if (isV4)
        *address = QHostAddress(v4);
    return true;
}

} // namespace

bool localEndpoint(qintptr fd, QHostAddress *address, quint16 *port)
{
    return endpoint(fd, false, address, port);
}

bool peerEndpoint(qintptr fd, QHostAddress *address, quint16 *port)
{
    return endpoint(fd, true, address, port);
}

} // namespace synack::net
