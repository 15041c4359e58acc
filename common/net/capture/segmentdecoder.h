#pragma once

// Bytes of a captured packet to a TcpSegment: what its IPv4 or IPv6 header
// and its TCP header say (RFC 791, RFC 8200, RFC 9293 3.1), nothing that
// needs the connection's history. Pure: no capture library, so tests feed it
// bytes made by hand.

#include "net/capture/tcpsegment.h"

#include <QByteArrayView>
#include <optional>

namespace synack::net {

class SegmentDecoder
{
public:
    // Link-layer header types, with libpcap's numbers (its DLT_ values on
    // Linux), so that the decoder needs no pcap header.
    enum LinkType : int {
        LinkNull = 0,       // BSD loopback: a 4-byte address family
        LinkEthernet = 1,   // Linux "lo" and Ethernet; VLAN tags skipped
        LinkRaw = 12,       // the IP header first (what capture files get)
        LinkLoop = 108,     // OpenBSD loopback: like LinkNull, big-endian
        LinkLinuxSll = 113, // Linux "any", version 1
        LinkIpv4 = 228,
        LinkIpv6 = 229,
        LinkLinuxSll2 = 276, // Linux "any", version 2
    };

    // Where the IP header starts in a frame of `linkType`; nullopt when the
    // frame is short or carries neither IPv4 nor IPv6.
    static std::optional<qsizetype> ipOffset(int linkType, QByteArrayView frame);

    // The segment in an IP packet (its first `ip.size()` bytes captured, of
    // `wireLength` on the wire); nullopt for anything but a whole, valid TCP
    // header (another protocol, a later fragment, a truncated header).
    static std::optional<TcpSegment> decode(QByteArrayView ip, quint32 wireLength);
    // The same, from a whole captured frame.
    static std::optional<TcpSegment> decodeFrame(int linkType, QByteArrayView frame,
                                                 quint32 wireLength);
};

} // namespace synack::net
