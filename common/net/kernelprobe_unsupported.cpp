// The probe on systems without NETLINK_SOCK_DIAG: nothing to look at, and a
// reason for the window to show instead.

#include "net/kernelprobe.h"

namespace synack::net {

bool KernelProbe::isAvailable(QString *whyNot)
{
    if (whyNot)
        *whyNot = QStringLiteral("kernel TCP states are available on Linux only");
    return false;
}

std::optional<quint64> KernelProbe::socketCookie(qintptr)
{
    return std::nullopt;
}

std::optional<SocketKey> KernelProbe::keyOf(qintptr)
{
    return std::nullopt;
}

std::optional<KernelSocketState> KernelProbe::lookup(const SocketKey &)
{
    return std::nullopt;
}

std::optional<KernelSocketState> KernelProbe::lookupHeld(qintptr)
{
    return std::nullopt;
}

std::optional<TcpInfo> KernelProbe::tcpInfo(qintptr)
{
    return std::nullopt;
}

QList<std::pair<SocketKey, KernelSocketState>> KernelProbe::dumpListening(quint16)
{
    return {};
}

} // namespace synack::net
