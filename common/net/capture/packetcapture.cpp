// The parts of PacketCapture that do not depend on the platform: the filters
// and the advice.

#include "net/capture/packetcapture.h"

#include <QCoreApplication>

namespace synack::net {

namespace {

QString hostOf(const TcpEndpoint &endpoint)
{
    return endpoint.toAddress().toString();
}

QString oneWay(const TcpEndpoint &from, const TcpEndpoint &to)
{
    return u"(src host " + hostOf(from) + u" and src port " + QString::number(from.port) +
           u" and dst host " + hostOf(to) + u" and dst port " + QString::number(to.port) + u')';
}

QString eitherWay(const QHostAddress &address, quint16 port)
{
    const QString host = TcpEndpoint::fromAddress(address, port).toAddress().toString();
    const QString p = QString::number(port);
    return u"tcp and ((dst host " + host + u" and dst port " + p + u") or (src host " + host +
           u" and src port " + p + u"))";
}

} // namespace

QString PacketCapture::filterForConnection(const TcpEndpoint &local, const TcpEndpoint &peer)
{
    return u"tcp and (" + oneWay(local, peer) + u" or " + oneWay(peer, local) + u')';
}

QString PacketCapture::filterForListener(const QHostAddress &address, quint16 port)
{
    if (address.isNull() || address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6 ||
        address == QHostAddress::Any)
        return u"tcp port " + QString::number(port);
    return eitherWay(address, port);
}

QString PacketCapture::filterForPeer(const QHostAddress &address, quint16 port)
{
    return eitherWay(address, port);
}

QString PacketCapture::howToEnable()
{
    const QString binary = QCoreApplication::instance() ? QCoreApplication::applicationFilePath()
                                                        : QStringLiteral("<program>");
    return u"capture needs CAP_NET_RAW: run as root, or grant it once with \"sudo setcap "
           u"cap_net_raw,cap_net_admin=eip " +
           binary + u"\", or run in the lab's network namespace (scripts/lab.sh)";
}

} // namespace synack::net
