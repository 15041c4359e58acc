#pragma once

// SynAck framing (PROTOCOL.md section 2):
//
//   frame   = length payload
//   length  = 4 bytes, unsigned, big-endian; 1 <= length <= the receiver's limit
//   payload = exactly `length` bytes (one CBOR data item)
//
// The length is checked the moment its 4 bytes are in, before any of the
// payload is buffered, so a hostile length never costs memory.

#include "protocol/errors.h"

#include <QByteArray>
#include <QList>

namespace synack::protocol {

inline constexpr quint32 kDefaultServerMaxFrame = 64 * 1024;
inline constexpr quint32 kClientMaxFrame = 16 * 1024 * 1024;
inline constexpr int kFrameHeaderSize = 4;

// Prefixes `payload` with its 4-byte big-endian length.
QByteArray encodeFrame(QByteArrayView payload);

// Turns a byte stream, split anyhow, into frame payloads.
class FrameDecoder
{
public:
    explicit FrameDecoder(quint32 maxFrame = kDefaultServerMaxFrame);

    // Takes the next bytes of the stream. Complete frames become available to
    // takeFrame(); a bad length puts the decoder into its failed state at once.
    // Frames completed before the bad length are still delivered.
    void append(QByteArrayView bytes);

    bool hasFrame() const { return !m_ready.isEmpty(); }
    // The next complete payload, oldest first. Requires hasFrame().
    QByteArray takeFrame() { return m_ready.takeFirst(); }

    bool failed() const { return bool(m_error); }
    const ProtocolError &error() const { return m_error; }

    quint32 maxFrame() const { return m_maxFrame; }
    // Bytes held for an incomplete frame (header included).
    qsizetype bufferedBytes() const { return m_buffer.size() - m_readPos; }

private:
    void scan();

    quint32 m_maxFrame;
    QByteArray m_buffer;
    qsizetype m_readPos = 0;
    quint32 m_payloadLength = 0; // 0 while the next header is not complete
    QList<QByteArray> m_ready;
    ProtocolError m_error;
};

} // namespace synack::protocol
