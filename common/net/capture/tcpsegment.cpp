#include "net/capture/tcpsegment.h"

#include <QHashFunctions>
#include <cstring>

namespace synack::net {

namespace {

constexpr std::array<quint8, 12> kIpv4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

} // namespace

TcpEndpoint TcpEndpoint::fromIpv4(quint32 address, quint16 port)
{
    TcpEndpoint e;
    std::memcpy(e.address.data(), kIpv4MappedPrefix.data(), kIpv4MappedPrefix.size());
    e.address[12] = quint8(address >> 24);
    e.address[13] = quint8(address >> 16);
    e.address[14] = quint8(address >> 8);
    e.address[15] = quint8(address);
    e.port = port;
    return e;
}

TcpEndpoint TcpEndpoint::fromAddress(const QHostAddress &address, quint16 port)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also takes a mapped IPv6 address
    if (isV4)
        return fromIpv4(v4, port);
    TcpEndpoint e;
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    std::memcpy(e.address.data(), v6.c, 16);
    e.port = port;
    return e;
}

bool TcpEndpoint::isIpv4() const
{
    return std::memcmp(address.data(), kIpv4MappedPrefix.data(), kIpv4MappedPrefix.size()) == 0;
}

QHostAddress TcpEndpoint::toAddress() const
{
    if (isIpv4())
        return QHostAddress(quint32(address[12]) << 24 | quint32(address[13]) << 16 |
                            quint32(address[14]) << 8 | quint32(address[15]));
    return QHostAddress(address.data());
}

QString TcpEndpoint::toString() const
{
    const QString host = toAddress().toString();
    return (isIpv4() ? host : u'[' + host + u']') + u':' + QString::number(port);
}

size_t qHash(const TcpEndpoint &endpoint, size_t seed) noexcept
{
    return qHashBits(endpoint.address.data(), endpoint.address.size(), seed) ^ endpoint.port;
}

QString TcpSegment::flagNames() const
{
    // SYN, FIN and RST name the segment; ACK and PSH follow, as the textbooks
    // write "SYN+ACK" and "FIN+ACK".
    static constexpr std::pair<quint8, const char16_t *> kOrder[] = {
        {tcpflag::Syn, u"SYN"}, {tcpflag::Fin, u"FIN"}, {tcpflag::Rst, u"RST"},
        {tcpflag::Psh, u"PSH"}, {tcpflag::Ack, u"ACK"}, {tcpflag::Urg, u"URG"},
        {tcpflag::Ece, u"ECE"}, {tcpflag::Cwr, u"CWR"},
    };
    QString names;
    for (const auto &[bit, name] : kOrder) {
        if (!(flags & bit))
            continue;
        if (!names.isEmpty())
            names += u'+';
        names += QStringView(name);
    }
    return names.isEmpty() ? QStringLiteral("(no flags)") : names;
}

QString TcpSegment::markNames() const
{
    QString names;
    const auto add = [&names](QStringView name) {
        if (!names.isEmpty())
            names += u", ";
        names += name;
    };
    if (isMarked(segmentmark::Retransmission))
        add(u"retransmission");
    if (isMarked(segmentmark::DuplicateAck))
        add(QString(u"dup ACK #" + QString::number(duplicateAckNumber)));
    if (isMarked(segmentmark::ZeroWindow))
        add(u"zero window");
    if (isMarked(segmentmark::WindowUpdate))
        add(u"window update");
    if (isMarked(segmentmark::KeepAlive))
        add(u"keep-alive");
    return names;
}

QString TcpSegment::summary(bool relative) const
{
    QString line = flagNames();
    line += u" seq=" + QString::number(relative ? relativeSeq : seq);
    if (has(tcpflag::Ack))
        line += u" ack=" + QString::number(relative ? relativeAck : ack);
    line += u" len=" + QString::number(payloadLength);
    line += u" win=" + QString::number(scaledWindow);
    if (has(tcpflag::Syn)) {
        if (options.mss)
            line += u" mss=" + QString::number(*options.mss);
        if (options.windowScale)
            line += u" ws=" + QString::number(*options.windowScale);
        if (options.sackPermitted)
            line += u" sack";
        if (hasTimestamps)
            line += u" ts";
    }
    if (const QString marked = markNames(); !marked.isEmpty())
        line += u" [" + marked + u']';
    return line;
}

} // namespace synack::net
