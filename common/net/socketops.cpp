#include "net/socketops.h"

#include <cerrno>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/ioctl.h>
#include <sys/socket.h>
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

} // namespace synack::net
