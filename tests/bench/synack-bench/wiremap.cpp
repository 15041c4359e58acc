#include "wiremap.h"

#include "protocol/cborvalue.h"

#include <QByteArrayView>

namespace synack::bench {
namespace {

constexpr int kMaxDepth = 16;

// One pass over CBOR bytes. head() refuses indefinite lengths and breaks:
// those are the fallback's business.
class Cursor
{
public:
    explicit Cursor(std::string_view bytes)
        : m_at(reinterpret_cast<const uint8_t *>(bytes.data()))
        , m_end(m_at + bytes.size())
    {}

    bool atEnd() const { return m_at == m_end; }

    bool head(unsigned &major, uint64_t &argument)
    {
        if (m_at == m_end)
            return false;
        const uint8_t initial = *m_at++;
        major = initial >> 5;
        const unsigned info = initial & 31;
        if (info < 24) {
            argument = info;
            return true;
        }
        if (info > 27)
            return false; // reserved, or indefinite length / break
        const unsigned size = 1u << (info - 24);
        if (std::size_t(m_end - m_at) < size)
            return false;
        argument = 0;
        for (unsigned i = 0; i < size; ++i)
            argument = (argument << 8) | *m_at++;
        return true;
    }

    bool take(uint64_t size, std::string_view &out)
    {
        if (uint64_t(m_end - m_at) < size)
            return false;
        out = std::string_view(reinterpret_cast<const char *>(m_at), std::size_t(size));
        m_at += size;
        return true;
    }

    // Skips the rest of an item whose head has been read.
    bool skipBody(unsigned major, uint64_t argument, int depth)
    {
        if (depth > kMaxDepth)
            return false;
        std::string_view ignored;
        switch (major) {
        case 2:
        case 3:
            return take(argument, ignored);
        case 4:
        case 5: {
            const uint64_t items = major == 5 ? argument * 2 : argument;
            if (major == 5 && items / 2 != argument)
                return false;
            for (uint64_t i = 0; i < items; ++i) { // each item takes a byte at least
                if (!skipItem(depth + 1))
                    return false;
            }
            return true;
        }
        case 6:
            return skipItem(depth + 1);
        default: // integers, simple values and floats: the head was all of it
            return true;
        }
    }

    bool skipItem(int depth)
    {
        unsigned major = 0;
        uint64_t argument = 0;
        return head(major, argument) && skipBody(major, argument, depth);
    }

private:
    const uint8_t *m_at;
    const uint8_t *m_end;
};

constexpr unsigned kSimpleFalse = 20;
constexpr unsigned kSimpleTrue = 21;

// Keys are a few letters: a plain loop beats a call to memcmp, and this runs
// several times for every frame.
bool sameKey(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

} // namespace

bool WireMap::read(std::string_view payload)
{
    m_usedFallback = false;
    if (scan(payload))
        return true;
    m_usedFallback = true;
    return readWithProjectDecoder(payload);
}

bool WireMap::scan(std::string_view payload)
{
    m_count = 0;
    Cursor cursor(payload);
    unsigned major = 0;
    uint64_t pairs = 0;
    if (!cursor.head(major, pairs) || major != 5)
        return false;
    for (uint64_t i = 0; i < pairs; ++i) {
        uint64_t argument = 0;
        if (!cursor.head(major, argument))
            return false;
        if (major != 3) { // a key that is not text: ignored with its value
            if (!cursor.skipBody(major, argument, 1) || !cursor.skipItem(1))
                return false;
            continue;
        }
        std::string_view key;
        if (!cursor.take(argument, key) || !cursor.head(major, argument))
            return false;
        if (m_count == kMaxKeys)
            return false;
        // Filled in place: a copy of a freshly written value stalls the CPU
        // (store forwarding), and this runs for every frame.
        WireValue &value = m_values[std::size_t(m_count)];
        value = WireValue();
        switch (major) {
        case 0:
            value.kind = WireValue::Kind::Unsigned;
            value.number = argument;
            break;
        case 1:
            value.kind = WireValue::Kind::Negative;
            value.number = argument;
            break;
        case 3:
            value.kind = WireValue::Kind::Text;
            if (!cursor.take(argument, value.text))
                return false;
            break;
        case 4:
            value.kind = WireValue::Kind::Array;
            value.number = argument;
            if (!cursor.skipBody(major, argument, 1))
                return false;
            break;
        case 7:
            if (argument == kSimpleFalse || argument == kSimpleTrue) {
                value.kind = WireValue::Kind::Bool;
                value.boolean = argument == kSimpleTrue;
            }
            break;
        default:
            if (!cursor.skipBody(major, argument, 1))
                return false;
        }
        m_keys[std::size_t(m_count)] = key;
        ++m_count;
    }
    const WireValue *type = find("t");
    return cursor.atEnd() && type && type->kind == WireValue::Kind::Text;
}

bool WireMap::readWithProjectDecoder(std::string_view payload)
{
    m_count = 0;
    m_storage.clear();
    const protocol::EnvelopeResult parsed =
        protocol::parseEnvelope(QByteArrayView(payload.data(), qsizetype(payload.size())));
    if (parsed.error)
        return false;
    const auto keep = [this](const QString &text) -> std::string_view {
        return m_storage.emplace_back(text.toStdString());
    };
    WireValue type;
    type.kind = WireValue::Kind::Text;
    type.text = keep(parsed.envelope.type);
    put("t", type);
    for (const protocol::Fields::Field &field : parsed.envelope.fields) {
        const protocol::Value &from = field.value;
        WireValue value;
        switch (from.kind) {
        case protocol::Value::Kind::Unsigned:
            value.kind = WireValue::Kind::Unsigned;
            value.number = from.unsignedValue;
            break;
        case protocol::Value::Kind::Negative:
            value.kind = WireValue::Kind::Negative;
            value.number = uint64_t(-1 - from.negativeValue);
            break;
        case protocol::Value::Kind::Text:
            value.kind = WireValue::Kind::Text;
            value.text = keep(from.text);
            break;
        case protocol::Value::Kind::Bool:
            value.kind = WireValue::Kind::Bool;
            value.boolean = from.boolean;
            break;
        case protocol::Value::Kind::Array:
            value.kind = WireValue::Kind::Array;
            value.number = uint64_t(from.items.size());
            break;
        case protocol::Value::Kind::Other:
            break;
        }
        put(keep(field.key), value); // keys past the 16th are dropped: none we read
    }
    return true;
}

bool WireMap::put(std::string_view key, const WireValue &value)
{
    if (m_count == kMaxKeys)
        return false;
    m_keys[std::size_t(m_count)] = key;
    m_values[std::size_t(m_count)] = value;
    ++m_count;
    return true;
}

const WireValue *WireMap::find(std::string_view key) const
{
    for (int i = 0; i < m_count; ++i) {
        if (sameKey(m_keys[std::size_t(i)], key))
            return &m_values[std::size_t(i)];
    }
    return nullptr;
}

std::optional<uint64_t> WireMap::toUnsigned(std::string_view key) const
{
    const WireValue *value = find(key);
    if (value && value->kind == WireValue::Kind::Unsigned)
        return value->number;
    return std::nullopt;
}

std::optional<int64_t> WireMap::toInt(std::string_view key) const
{
    const WireValue *value = find(key);
    if (!value)
        return std::nullopt;
    constexpr uint64_t kLargest = uint64_t(INT64_MAX);
    if (value->kind == WireValue::Kind::Unsigned && value->number <= kLargest)
        return int64_t(value->number);
    if (value->kind == WireValue::Kind::Negative && value->number <= kLargest)
        return -1 - int64_t(value->number);
    return std::nullopt;
}

std::string_view WireMap::text(std::string_view key) const
{
    const WireValue *value = find(key);
    return value && value->kind == WireValue::Kind::Text ? value->text : std::string_view();
}

bool WireMap::flag(std::string_view key) const
{
    const WireValue *value = find(key);
    return value && value->kind == WireValue::Kind::Bool && value->boolean;
}

std::optional<uint64_t> WireMap::arraySize(std::string_view key) const
{
    const WireValue *value = find(key);
    if (value && value->kind == WireValue::Kind::Array)
        return value->number;
    return std::nullopt;
}

} // namespace synack::bench
