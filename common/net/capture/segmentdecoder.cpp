#include "net/capture/segmentdecoder.h"

#include <cstring>

namespace synack::net {

namespace {

constexpr quint8 kProtocolTcp = 6;
constexpr quint16 kEtherTypeIpv4 = 0x0800;
constexpr quint16 kEtherTypeIpv6 = 0x86dd;
constexpr quint16 kEtherTypeVlan = 0x8100;
constexpr quint16 kEtherTypeQinQ = 0x88a8;
constexpr qsizetype kTcpMinHeader = 20;

quint16 be16(const uchar *p)
{
    return quint16(p[0] << 8 | p[1]);
}

quint32 be32(const uchar *p)
{
    return quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3]);
}

std::optional<qsizetype> offsetForEtherType(quint16 type, qsizetype at)
{
    if (type == kEtherTypeIpv4 || type == kEtherTypeIpv6)
        return at;
    return std::nullopt;
}

// The options of a TCP header (RFC 9293 3.2): kinds 0 and 1 are one byte,
// every other kind has a length byte that counts itself and the kind.
void readOptions(const uchar *p, qsizetype length, TcpSegment &s)
{
    qsizetype i = 0;
    while (i < length) {
        const quint8 kind = p[i];
        if (kind == 0)
            return;
        if (kind == 1) {
            ++i;
            continue;
        }
        if (i + 1 >= length)
            return;
        const quint8 size = p[i + 1];
        if (size < 2 || i + size > length)
            return;
        const uchar *value = p + i + 2;
        switch (kind) {
        case 2:
            if (size == 4)
                s.options.mss = be16(value);
            break;
        case 3:
            if (size == 3)
                s.options.windowScale = value[0];
            break;
        case 4:
            if (size == 2)
                s.options.sackPermitted = true;
            break;
        case 8:
            if (size == 10) {
                s.hasTimestamps = true;
                s.options.timestampValue = be32(value);
                s.options.timestampEcho = be32(value + 4);
            }
            break;
        default:
            break;
        }
        i += size;
    }
}

} // namespace

std::optional<qsizetype> SegmentDecoder::ipOffset(int linkType, QByteArrayView frame)
{
    const auto *p = reinterpret_cast<const uchar *>(frame.data());
    const qsizetype n = frame.size();
    switch (linkType) {
    case LinkRaw:
    case LinkIpv4:
    case LinkIpv6:
        return 0;
    case LinkNull:
    case LinkLoop:
        return n >= 4 ? std::optional<qsizetype>(4) : std::nullopt;
    case LinkEthernet: {
        qsizetype at = 12;
        while (at + 2 <= n) {
            const quint16 type = be16(p + at);
            if (type != kEtherTypeVlan && type != kEtherTypeQinQ)
                return offsetForEtherType(type, at + 2);
            at += 4; // the tag's 2 bytes of control, then the next type
        }
        return std::nullopt;
    }
    case LinkLinuxSll: // ..., protocol at 14, 16 bytes in all
        return n >= 16 ? offsetForEtherType(be16(p + 14), 16) : std::nullopt;
    case LinkLinuxSll2: // protocol at 0, 20 bytes in all
        return n >= 20 ? offsetForEtherType(be16(p), 20) : std::nullopt;
    default:
        return std::nullopt;
    }
}

std::optional<TcpSegment> SegmentDecoder::decode(QByteArrayView ip, quint32 wireLength)
{
    const auto *p = reinterpret_cast<const uchar *>(ip.data());
    const qsizetype n = ip.size();
    if (n < 1)
        return std::nullopt;
    TcpSegment s;
    qsizetype tcpAt = 0;
    qint64 tcpLength = 0; // the TCP header and payload, from the IP header
    const int version = p[0] >> 4;
    if (version == 4) {
        const qsizetype headerLength = qsizetype(p[0] & 0x0f) * 4;
        if (headerLength < 20 || n < headerLength || p[9] != kProtocolTcp)
            return std::nullopt;
        if ((be16(p + 6) & 0x1fff) != 0) // a later fragment: no TCP header in it
            return std::nullopt;
        const quint16 totalLength = be16(p + 2);
        tcpAt = headerLength;
        tcpLength = qint64(totalLength) - headerLength;
        s.source = TcpEndpoint::fromIpv4(be32(p + 12), 0);
        s.destination = TcpEndpoint::fromIpv4(be32(p + 16), 0);
    } else if (version == 6) {
        if (n < 40)
            return std::nullopt;
        std::memcpy(s.source.address.data(), p + 8, 16);
        std::memcpy(s.destination.address.data(), p + 24, 16);
        quint8 next = p[6];
        qsizetype at = 40;
        qint64 remaining = be16(p + 4); // the payload length, extension headers included
        // Hop-by-hop, routing and destination options are skipped; a
        // fragment only when it is the first.
        while (next != kProtocolTcp) {
            if (at + 8 > n)
                return std::nullopt;
            qsizetype size = 0;
            if (next == 0 || next == 43 || next == 60) {
                size = (qsizetype(p[at + 1]) + 1) * 8;
            } else if (next == 44) {
                if ((be16(p + at + 2) & 0xfff8) != 0)
                    return std::nullopt;
                size = 8;
            } else {
                return std::nullopt;
            }
            next = p[at];
            at += size;
            remaining -= size;
        }
        tcpAt = at;
        tcpLength = remaining;
    } else {
        return std::nullopt;
    }

    if (n < tcpAt + kTcpMinHeader)
        return std::nullopt;
    const uchar *t = p + tcpAt;
    const qsizetype tcpHeaderLength = qsizetype(t[12] >> 4) * 4;
    if (tcpHeaderLength < kTcpMinHeader || n < tcpAt + tcpHeaderLength ||
        tcpLength < tcpHeaderLength)
        return std::nullopt;
    s.source.port = be16(t);
    s.destination.port = be16(t + 2);
    s.seq = be32(t + 4);
    s.ack = be32(t + 8);
    s.flags = t[13];
    s.window = be16(t + 14);
    s.payloadLength = quint32(tcpLength - tcpHeaderLength);
    readOptions(t + kTcpMinHeader, tcpHeaderLength - kTcpMinHeader, s);
    s.scaledWindow = s.window;
    s.headers = ip.toByteArray();
    s.wireLength = wireLength;
    return s;
}

std::optional<TcpSegment> SegmentDecoder::decodeFrame(int linkType, QByteArrayView frame,
                                                      quint32 wireLength)
{
    const std::optional<qsizetype> at = ipOffset(linkType, frame);
    if (!at || *at > frame.size())
        return std::nullopt;
    const quint32 linkLength = quint32(*at);
    return decode(frame.sliced(*at), wireLength > linkLength ? wireLength - linkLength : 0);
}

} // namespace synack::net
