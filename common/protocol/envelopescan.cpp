#include "protocol/envelopescan.h"

#include <algorithm>
#include <array>
#include <limits>

namespace synack::protocol {
namespace {

// The scan of what senders write. It never reports an error: whatever it is
// not sure of (indefinite lengths, tags, floats, byte strings, nested maps,
// non-text keys, invalid UTF-8, duplicate keys, truncation, a missing `t`) it
// leaves to QCborStreamReader, which says precisely what is wrong. Scanning
// in place took a third of the parser's instructions per message.
class FastScan
{
public:
    explicit FastScan(QByteArrayView payload)
        : m_at(reinterpret_cast<const quint8 *>(payload.data()))
        , m_end(m_at + payload.size())
    {}

    std::optional<Envelope> scan()
    {
        quint64 pairs = 0;
        if (!head(5, &pairs) || pairs > kMaxPairs)
            return std::nullopt;
        Envelope envelope;
        envelope.fields.reserve(qsizetype(pairs));
        bool typeSeen = false;
        for (quint64 i = 0; i < pairs; ++i) {
            QString key;
            if (!keyText(&key))
                return std::nullopt;
            Value value;
            if (!item(&value, true))
                return std::nullopt;
            if (key == QLatin1StringView("t")) {
                if (typeSeen || value.kind != Value::Kind::Text)
                    return std::nullopt;
                typeSeen = true;
                envelope.type = std::move(value.text);
            } else if (!envelope.fields.insertNew(std::move(key), std::move(value))) {
                return std::nullopt;
            }
        }
        if (!typeSeen || m_at != m_end)
            return std::nullopt;
        return envelope;
    }

private:
    // More pairs than any message has: Qt's reader can take its time.
    static constexpr quint64 kMaxPairs = 32;

    // A head of `major` with a definite argument in *value.
    bool head(quint8 major, quint64 *value)
    {
        if (m_at == m_end || (*m_at >> 5) != major)
            return false;
        const quint8 info = *m_at & 0x1f;
        ++m_at;
        if (info < 24) {
            *value = info;
            return true;
        }
        if (info > 27)
            return false; // indefinite or reserved
        const int size = 1 << (info - 24);
        if (m_end - m_at < size)
            return false;
        quint64 v = 0;
        for (int i = 0; i < size; ++i)
            v = (v << 8) | m_at[i];
        m_at += size;
        *value = v;
        return true;
    }

    // A key: the protocol's own keys come from a table (no allocation, no
    // conversion); any other key is read as text.
    bool keyText(QString *out)
    {
        const quint8 *start = m_at;
        quint64 size = 0;
        if (head(3, &size) && size <= quint64(m_end - m_at)) {
            const QLatin1StringView bytes(reinterpret_cast<const char *>(m_at), qsizetype(size));
            for (const QString &known : knownKeys()) {
                if (known == bytes) {
                    *out = known;
                    m_at += size;
                    return true;
                }
            }
        }
        m_at = start;
        return text(out);
    }

    static const std::array<QString, 23> &knownKeys()
    {
        // Every key of PROTOCOL.md section 4's messages, the commonest first.
        static const std::array<QString, 23> keys = {
            QStringLiteral("t"),        QStringLiteral("text"),    QStringLiteral("id"),
            QStringLiteral("nick"),     QStringLiteral("seq"),     QStringLiteral("ts"),
            QStringLiteral("from"),     QStringLiteral("to"),      QStringLiteral("reason"),
            QStringLiteral("v"),        QStringLiteral("app"),     QStringLiteral("pass"),
            QStringLiteral("backlog"),  QStringLiteral("server"),  QStringLiteral("session"),
            QStringLiteral("hb"),       QStringLiteral("timeout"), QStringLiteral("max_frame"),
            QStringLiteral("max_text"), QStringLiteral("users"),   QStringLiteral("motd"),
            QStringLiteral("code"),     QStringLiteral("fatal"),
        };
        return keys;
    }

    bool text(QString *out)
    {
        quint64 size = 0;
        if (!head(3, &size) || size > quint64(m_end - m_at))
            return false;
        const char *bytes = reinterpret_cast<const char *>(m_at);
        const QByteArrayView view(bytes, qsizetype(size));
        m_at += size;
        if (std::all_of(m_at - size, m_at, [](quint8 byte) { return byte < 0x80; })) {
            *out = QString::fromLatin1(view);
            return true;
        }
        if (!view.isValidUtf8())
            return false;
        *out = QString::fromUtf8(view);
        return true;
    }

    bool item(Value *out, bool arrayAllowed)
    {
        if (m_at == m_end)
            return false;
        quint64 argument = 0;
        switch (*m_at >> 5) {
        case 0:
            if (!head(0, &argument))
                return false;
            out->kind = Value::Kind::Unsigned;
            out->unsignedValue = argument;
            return true;
        case 1:
            if (!head(1, &argument) || argument > quint64(std::numeric_limits<qint64>::max()))
                return false;
            out->kind = Value::Kind::Negative;
            out->negativeValue = -1 - qint64(argument);
            return true;
        case 3:
            out->kind = Value::Kind::Text;
            return text(&out->text);
        case 4:
            // Each item takes a byte at least: a count the payload cannot
            // hold, or more items than a receiver keeps, is Qt's to report.
            if (!arrayAllowed || !head(4, &argument) || argument > quint64(m_end - m_at) ||
                argument > quint64(kMaxArrayItems - m_arrayItems))
                return false;
            m_arrayItems += qsizetype(argument);
            out->kind = Value::Kind::Array;
            out->items.reserve(qsizetype(argument));
            for (quint64 i = 0; i < argument; ++i) {
                Value value;
                if (!item(&value, false))
                    return false;
                out->items.append(std::move(value));
            }
            return true;
        case 7:
            if (*m_at != 0xf4 && *m_at != 0xf5)
                return false;
            out->kind = Value::Kind::Bool;
            out->boolean = *m_at == 0xf5;
            ++m_at;
            return true;
        default:
            return false;
        }
    }

    const quint8 *m_at;
    const quint8 *m_end;
    qsizetype m_arrayItems = 0;
};

} // namespace

std::optional<Envelope> scanEnvelope(QByteArrayView payload)
{
    return FastScan(payload).scan();
}

} // namespace synack::protocol
