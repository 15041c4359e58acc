#include "protocol/framing.h"

#include <QtEndian>

namespace synack::protocol {

QByteArray encodeFrame(QByteArrayView payload)
{
    QByteArray frame(kFrameHeaderSize + payload.size(), Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(payload.size()), frame.data());
    std::copy(payload.begin(), payload.end(), frame.begin() + kFrameHeaderSize);
    return frame;
}

FrameDecoder::FrameDecoder(quint32 maxFrame)
    : m_maxFrame(maxFrame)
{}

void FrameDecoder::append(QByteArrayView bytes)
{
    if (failed() || bytes.isEmpty())
        return;
    m_buffer.append(bytes);
    scan();
}

void FrameDecoder::scan()
{
    for (;;) {
        const qsizetype available = m_buffer.size() - m_readPos;
        if (m_payloadLength == 0) {
            if (available < kFrameHeaderSize)
                break;
            const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_readPos);
            if (length == 0 || length > m_maxFrame) {
                m_error = {
                    ErrorCode::FrameSize,
                    QStringLiteral("frame length %1 is outside 1..%2").arg(length).arg(m_maxFrame)};
                m_buffer.clear();
                m_readPos = 0;
                return;
            }
            m_payloadLength = length;
            m_readPos += kFrameHeaderSize;
            continue;
        }
        if (available < qsizetype(m_payloadLength))
            break;
        m_ready.append(m_buffer.mid(m_readPos, m_payloadLength));
        m_readPos += m_payloadLength;
        m_payloadLength = 0;
    }
    // Drop consumed bytes once they dominate, so the buffer does not creep.
    if (m_readPos == m_buffer.size()) {
        m_buffer.clear();
        m_readPos = 0;
    } else if (m_readPos > 4096 && m_readPos * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_readPos);
        m_readPos = 0;
    }
}

} // namespace synack::protocol
