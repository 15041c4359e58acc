#pragma once

// One captured TCP segment, as the ladder and the socket log show it: when it
// passed, which way relative to the connection, its flags, its sequence and
// acknowledgement numbers (absolute, and relative to each side's initial
// sequence number as Wireshark shows them), its payload length, its window
// (raw and scaled) and the options of a SYN. The headers it was read from are
// kept, so that a connection's segments can be written to a capture file.
//
// SegmentDecoder fills what the bytes say; SegmentAnalyzer what only the
// connection's history says (relative numbers, scaled window, marks).

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <array>
#include <optional>

namespace synack::net {

// One end of a TCP connection. IPv4 addresses are kept IPv4-mapped
// (::ffff:a.b.c.d), so that a dual-stack listener's connections and the
// captured IPv4 packets compare equal.
struct TcpEndpoint
{
    std::array<quint8, 16> address{};
    quint16 port = 0;

    static TcpEndpoint fromAddress(const QHostAddress &address, quint16 port);
    static TcpEndpoint fromIpv4(quint32 address, quint16 port);
    QHostAddress toAddress() const; // IPv4 for a mapped address
    bool isIpv4() const;
    QString toString() const; // "127.0.0.1:9527", "[::1]:9527"

    friend bool operator==(const TcpEndpoint &, const TcpEndpoint &) = default;
};

size_t qHash(const TcpEndpoint &endpoint, size_t seed = 0) noexcept;

enum class SegmentDirection : quint8 {
    Unknown,  // not yet assigned to a connection
    Outgoing, // sent by the connection's local end
    Incoming, // received by it
};

namespace tcpflag {
inline constexpr quint8 Fin = 0x01;
inline constexpr quint8 Syn = 0x02;
inline constexpr quint8 Rst = 0x04;
inline constexpr quint8 Psh = 0x08;
inline constexpr quint8 Ack = 0x10;
inline constexpr quint8 Urg = 0x20;
inline constexpr quint8 Ece = 0x40;
inline constexpr quint8 Cwr = 0x80;
} // namespace tcpflag

// What SegmentAnalyzer recognised in a segment (bits of TcpSegment::marks).
namespace segmentmark {
inline constexpr quint8 Retransmission = 0x01;
inline constexpr quint8 DuplicateAck = 0x02;
inline constexpr quint8 ZeroWindow = 0x04;
inline constexpr quint8 WindowUpdate = 0x08;
inline constexpr quint8 KeepAlive = 0x10;
} // namespace segmentmark

// The options of a SYN the ladder shows (RFC 9293 3.2, RFC 7323, RFC 2018).
struct TcpSynOptions
{
    std::optional<quint16> mss;
    std::optional<quint8> windowScale; // the shift count
    bool sackPermitted = false;
    std::optional<quint32> timestampValue;
    std::optional<quint32> timestampEcho;

    friend bool operator==(const TcpSynOptions &, const TcpSynOptions &) = default;
};

struct TcpSegment
{
    // --- when ---------------------------------------------------------------
    qint64 monotonicUs = 0; // the clock of KernelStateTracker::monotonicUs()
    qint64 wallUs = 0;      // microseconds since the epoch (UTC), the capture's stamp

    // --- what the headers say (SegmentDecoder) -------------------------------
    TcpEndpoint source;
    TcpEndpoint destination;
    quint8 flags = 0; // tcpflag bits
    quint32 seq = 0;
    quint32 ack = 0; // meaningful when flags has Ack
    quint32 payloadLength = 0;
    quint16 window = 0; // as on the wire
    TcpSynOptions options;
    // Whether the timestamps option was present (in any segment, not only SYNs).
    bool hasTimestamps = false;

    // --- what the connection's history says (SegmentAnalyzer) ----------------
    SegmentDirection direction = SegmentDirection::Unknown;
    quint32 relativeSeq = 0; // seq minus the sender's initial sequence number
    quint32 relativeAck = 0; // ack minus the receiver's
    // Window in bytes once both SYNs told the scale; the raw window before.
    quint32 scaledWindow = 0;
    bool windowScaleKnown = false;
    quint8 marks = 0;               // segmentmark bits
    quint32 duplicateAckNumber = 0; // 1 for the first duplicate of an ACK, ...

    // --- the bytes, for capture files ----------------------------------------
    QByteArray headers;     // from the IP header on, at most the snap length
    quint32 wireLength = 0; // the IP packet's length on the wire

    bool has(quint8 flag) const { return (flags & flag) != 0; }
    bool isMarked(quint8 mark) const { return (marks & mark) != 0; }
    // The sequence space it takes: payload, plus one for a SYN and one for a FIN.
    quint32 sequenceLength() const
    {
        return payloadLength + (has(tcpflag::Syn) ? 1 : 0) + (has(tcpflag::Fin) ? 1 : 0);
    }
    // "SYN+ACK", "FIN+ACK", "PSH+ACK", "RST", "ACK+ECE"...: the textbook's order.
    QString flagNames() const;
    // "retransmission", "dup ACK #2", "zero window", "window update",
    // "keep-alive", joined by ", "; empty when nothing is marked.
    QString markNames() const;
    // A short line for logs: "SYN+ACK seq=0 ack=1 len=0 win=65483 mss=65495 ws=7 sack ts".
    QString summary(bool relative = true) const;

    friend bool operator==(const TcpSegment &, const TcpSegment &) = default;
};

} // namespace synack::net
