#include "net/socketops.h"

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
