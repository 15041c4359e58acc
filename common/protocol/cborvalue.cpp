#include "protocol/cborvalue.h"

#include "protocol/envelopescan.h"

#include <QCborStreamReader>
#include <QSet>
#include <algorithm>
#include <limits>
#include <string>

namespace synack::protocol {

std::optional<quint64> Value::toUInt() const
{
    if (kind == Kind::Unsigned)
        return unsignedValue;
    return std::nullopt;
}

std::optional<qint64> Value::toInt() const
{
    if (kind == Kind::Negative)
        return negativeValue;
    if (kind == Kind::Unsigned && unsignedValue <= quint64(std::numeric_limits<qint64>::max()))
        return qint64(unsignedValue);
    return std::nullopt;
}

std::optional<QString> Value::toText() const
{
    if (kind == Kind::Text)
        return text;
    return std::nullopt;
}

std::optional<bool> Value::toBool() const
{
    if (kind == Kind::Bool)
        return boolean;
    return std::nullopt;
}

std::optional<QStringList> Value::toTextList() const
{
    if (kind != Kind::Array)
        return std::nullopt;
    QStringList list;
    list.reserve(items.size());
    for (const Value &item : items) {
        if (item.kind != Kind::Text)
            return std::nullopt;
        list.append(item.text);
    }
    return list;
}

bool operator==(const Value &a, const Value &b)
{
    return a.kind == b.kind && a.boolean == b.boolean && a.unsignedValue == b.unsignedValue &&
           a.negativeValue == b.negativeValue && a.text == b.text &&
           std::equal(a.items.cbegin(), a.items.cend(), b.items.cbegin(), b.items.cend());
}

bool operator==(const Envelope &a, const Envelope &b)
{
    if (a.type != b.type || a.fields.size() != b.fields.size())
        return false;
    // Keys are unique, so the same keys in any order with equal values.
    return std::all_of(a.fields.begin(), a.fields.end(), [&b](const Fields::Field &field) {
        const Value *other = b.fields.find(QStringView(field.key));
        return other && *other == field.value;
    });
}

bool Fields::contains(QStringView key) const
{
    if (m_fields.size() > kListedKeys)
        return m_index.contains(key.toString());
    return position(key) != m_fields.cend();
}

bool Fields::insertNew(QString key, Value value)
{
    if (m_fields.size() > kListedKeys ? m_index.contains(key)
                                      : position(QStringView(key)) != m_fields.cend())
        return false;
    if (m_fields.size() == kListedKeys) {
        m_index.reserve(qsizetype(kListedKeys) * 2);
        for (const Field &field : m_fields)
            m_index.insert(field.key);
    }
    if (m_fields.size() >= kListedKeys)
        m_index.insert(key);
    m_fields.push_back({std::move(key), std::move(value)});
    return true;
}

std::optional<Value> Fields::take(QStringView key)
{
    const Position at = position(key);
    if (at == m_fields.cend())
        return std::nullopt;
    Value value = std::move(m_fields[size_t(at - m_fields.cbegin())].value);
    if (!m_index.isEmpty())
        m_index.remove(at->key);
    m_fields.erase(at);
    return value;
}

QStringList Fields::keys() const
{
    QStringList keys;
    keys.reserve(size());
    for (const Field &field : m_fields)
        keys.append(field.key);
    return keys;
}

namespace {

// Deeper nesting than any SynAck message has is refused, so hostile input
// cannot run the recursion out of stack.
constexpr int kMaxDepth = 16;

class PayloadParser
{
public:
    explicit PayloadParser(QByteArrayView payload)
        : m_reader(payload.data(), payload.size())
        , m_size(payload.size())
    {}

    EnvelopeResult parse();

private:
    bool fail(const QString &detail)
    {
        if (!m_error)
            m_error = {ErrorCode::BadPayload, detail};
        return false;
    }
    bool readerOk()
    {
        const QCborError err = m_reader.lastError();
        if (err == QCborError::NoError)
            return true;
        return fail(QStringLiteral("invalid CBOR: %1").arg(err.toString()));
    }
    bool readString(QString *out);
    bool skipByteString();
    bool readValue(Value *out, int depth);
    bool readMap(Fields *fields, int depth);

    QCborStreamReader m_reader;
    std::string m_chunk; // the bytes of the text string being read
    qsizetype m_size;
    qsizetype m_arrayItems = 0; // in all arrays so far, against kMaxArrayItems
    ProtocolError m_error;
};

// The bytes are read as they are and checked here, chunk by chunk (RFC 8949:
// a chunk never splits a character): QCborStreamReader::readString() cost a
// tenth of a short session, and keys, nicks and most text are ASCII.
bool PayloadParser::readString(QString *out)
{
    QString text;
    QCborStreamReader::StringResult<qsizetype> chunk;
    for (;;) {
        const qsizetype size = m_reader.currentStringChunkSize();
        if (size < 0)
            return readerOk() ? fail(QStringLiteral("invalid text string")) : false;
        // The length is the sender's word: more than the payload holds is
        // never allocated.
        if (size > m_size - m_reader.currentOffset())
            return fail(QStringLiteral("truncated text string"));
        m_chunk.resize(std::size_t(size));
        chunk = m_reader.readStringChunk(m_chunk.data(), size);
        if (chunk.status != QCborStreamReader::Ok)
            break;
        const QByteArrayView bytes(m_chunk.data(), chunk.data);
        if (!bytes.isValidUtf8())
            return fail(QStringLiteral("invalid UTF-8 in a text string"));
        if (out)
            text += QString::fromUtf8(bytes);
    }
    if (chunk.status == QCborStreamReader::Error)
        return readerOk() ? fail(QStringLiteral("invalid text string")) : false;
    if (out)
        *out = std::move(text);
    return true;
}

bool PayloadParser::skipByteString()
{
    auto chunk = m_reader.readByteArray();
    while (chunk.status == QCborStreamReader::Ok)
        chunk = m_reader.readByteArray();
    if (chunk.status == QCborStreamReader::Error)
        return readerOk() ? fail(QStringLiteral("invalid byte string")) : false;
    return true;
}

bool PayloadParser::readValue(Value *out, int depth)
{
    if (depth > kMaxDepth)
        return fail(QStringLiteral("nesting deeper than %1").arg(kMaxDepth));
    if (!readerOk())
        return false;
    Value value;
    switch (m_reader.type()) {
    case QCborStreamReader::UnsignedInteger:
        value.kind = Value::Kind::Unsigned;
        value.unsignedValue = m_reader.toUnsignedInteger();
        m_reader.next();
        break;
    case QCborStreamReader::NegativeInteger: {
        // Qt returns the magnitude (1 for -1); 0 stands for 2^64. It fits a
        // qint64 when it is at most 2^63.
        constexpr quint64 limit = quint64(1) << 63;
        const quint64 magnitude = quint64(m_reader.toNegativeInteger());
        if (magnitude != 0 && magnitude <= limit) {
            value.kind = Value::Kind::Negative;
            value.negativeValue =
                magnitude == limit ? std::numeric_limits<qint64>::min() : -qint64(magnitude);
        }
        m_reader.next();
        break;
    }
    case QCborStreamReader::String:
        value.kind = Value::Kind::Text;
        if (!readString(&value.text))
            return false;
        break;
    case QCborStreamReader::ByteArray:
        if (!skipByteString())
            return false;
        break;
    case QCborStreamReader::SimpleType:
        if (m_reader.isBool()) {
            value.kind = Value::Kind::Bool;
            value.boolean = m_reader.toBool();
        }
        m_reader.next();
        break;
    case QCborStreamReader::Array: {
        value.kind = Value::Kind::Array;
        if (!m_reader.enterContainer())
            return readerOk() && fail(QStringLiteral("bad array"));
        while (m_reader.lastError() == QCborError::NoError && m_reader.hasNext()) {
            if (++m_arrayItems > kMaxArrayItems)
                return fail(QStringLiteral("more than %1 array items").arg(kMaxArrayItems));
            Value item;
            if (!readValue(&item, depth + 1))
                return false;
            value.items.append(std::move(item));
        }
        if (!readerOk() || !m_reader.leaveContainer())
            return readerOk() && fail(QStringLiteral("bad array"));
        break;
    }
    case QCborStreamReader::Map:
        // Nested maps carry nothing the protocol knows, but must be valid.
        if (!readMap(nullptr, depth + 1))
            return false;
        break;
    case QCborStreamReader::Tag:
        // A tagged item is never a valid field; its content must still parse.
        m_reader.next(); // the tag number
        if (!readValue(nullptr, depth + 1))
            return false;
        value = Value{};
        break;
    case QCborStreamReader::Float16:
    case QCborStreamReader::Float:
    case QCborStreamReader::Double:
        m_reader.next();
        break;
    case QCborStreamReader::Invalid:
    default:
        return readerOk() && fail(QStringLiteral("truncated or invalid CBOR"));
    }
    if (!readerOk())
        return false;
    if (out)
        *out = std::move(value);
    return true;
}

bool PayloadParser::readMap(Fields *fields, int depth)
{
    if (depth > kMaxDepth)
        return fail(QStringLiteral("nesting deeper than %1").arg(kMaxDepth));
    if (!m_reader.enterContainer())
        return readerOk() && fail(QStringLiteral("bad map"));
    // The envelope's own fields tell which keys came; a nested map (never a
    // field the protocol knows) keeps its keys aside.
    QSet<QString> nestedKeys;
    while (m_reader.lastError() == QCborError::NoError && m_reader.hasNext()) {
        if (m_reader.isString()) {
            QString key;
            if (!readString(&key))
                return false;
            Value value;
            if (!readValue(&value, depth + 1))
                return false;
            const qsizetype nestedBefore = nestedKeys.size();
            if (!fields)
                nestedKeys.insert(key);
            const bool isNew = fields ? fields->insertNew(key, std::move(value))
                                      : nestedKeys.size() > nestedBefore;
            if (!isNew)
                return fail(QStringLiteral("duplicate key \"%1\"").arg(key));
        } else {
            // Keys that are not text are ignored, but key and value must parse.
            if (!readValue(nullptr, depth + 1) || !readValue(nullptr, depth + 1))
                return false;
        }
    }
    if (!readerOk() || !m_reader.leaveContainer())
        return readerOk() && fail(QStringLiteral("bad map"));
    return true;
}

EnvelopeResult PayloadParser::parse()
{
    EnvelopeResult result;
    if (m_reader.type() != QCborStreamReader::Map) {
        if (readerOk())
            fail(m_reader.type() == QCborStreamReader::Invalid
                     ? QStringLiteral("not CBOR")
                     : QStringLiteral("the payload is not a map"));
        result.error = m_error;
        return result;
    }
    if (!readMap(&result.envelope.fields, 0)) {
        result.error = m_error;
        return result;
    }
    if (const qint64 left = m_size - m_reader.currentOffset(); left > 0) {
        result.error = {ErrorCode::BadPayload,
                        QStringLiteral("%1 trailing bytes after the map").arg(left)};
        return result;
    }
    std::optional<Value> type = result.envelope.fields.take(u"t");
    if (!type) {
        result.error = {ErrorCode::BadMessage, QStringLiteral("the key \"t\" is missing")};
        return result;
    }
    if (type->kind != Value::Kind::Text) {
        result.error = {ErrorCode::BadMessage, QStringLiteral("the key \"t\" is not text")};
        return result;
    }
    result.envelope.type = std::move(type->text);
    return result;
}

} // namespace

EnvelopeResult parseEnvelope(QByteArrayView payload)
{
    if (std::optional<Envelope> envelope = scanEnvelope(payload))
        return {std::move(*envelope), {}};
    return PayloadParser(payload).parse();
}

EnvelopeResult parseEnvelopeWithQt(QByteArrayView payload)
{
    return PayloadParser(payload).parse();
}

} // namespace synack::protocol
