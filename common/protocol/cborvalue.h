#pragma once

// Reading a payload (PROTOCOL.md section 3) into an Envelope: the message type
// and its text-keyed fields, with just the value kinds the protocol has.
// Integers keep their full CBOR range (a uint is 0..2^64-1), which QCborValue
// would not.

#include "protocol/errors.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <algorithm>
#include <optional>
#include <vector>

namespace synack::protocol {

struct Value
{
    enum class Kind : quint8 {
        Unsigned, // CBOR major type 0
        Negative, // CBOR major type 1, when it fits a qint64
        Text,
        Bool,
        Array,
        Other, // floats, byte strings, maps, tags, null, ... (never a valid field)
    };

    Kind kind = Kind::Other;
    bool boolean = false;
    quint64 unsignedValue = 0;
    qint64 negativeValue = 0;
    QString text;
    QList<Value> items;

    std::optional<quint64> toUInt() const;
    // A CBOR integer that fits a qint64.
    std::optional<qint64> toInt() const;
    std::optional<QString> toText() const;
    std::optional<bool> toBool() const;
    // An array whose items are all text.
    std::optional<QStringList> toTextList() const;
};
// Same kind and same contents (for the tests and the fuzzer).
bool operator==(const Value &a, const Value &b);

// A map's text keys and their values, in the order they came. A message has
// a handful, so a flat list searched in order is quicker than a hash table,
// which allocates its buckets for every message read. Past a handful, the
// keys are indexed too: a hostile map of 15,000 keys must cost its length,
// not its square (docs/protocol.md, "Payloads").
class Fields
{
public:
    struct Field
    {
        QString key;
        Value value;
    };

    qsizetype size() const { return qsizetype(m_fields.size()); }
    bool isEmpty() const { return m_fields.empty(); }
    void reserve(qsizetype size) { m_fields.reserve(size_t(size)); }

    const Value *find(QLatin1StringView key) const { return valueAt(position(key)); }
    const Value *find(QStringView key) const { return valueAt(position(key)); }
    bool contains(QStringView key) const;
    // Adds `key` unless it is there already (then false, and nothing changes).
    bool insertNew(QString key, Value value);
    // Takes the value of `key` out (nullopt when absent).
    std::optional<Value> take(QStringView key);
    QStringList keys() const;

    std::vector<Field>::const_iterator begin() const { return m_fields.cbegin(); }
    std::vector<Field>::const_iterator end() const { return m_fields.cend(); }

private:
    // Keys searched in order up to this many; beyond, through m_index.
    static constexpr std::size_t kListedKeys = 16;

    using Position = std::vector<Field>::const_iterator;
    // Where `key` (a QStringView or a QLatin1StringView) is, or end().
    template <class Key>
    Position position(Key key) const
    {
        return std::find_if(m_fields.cbegin(), m_fields.cend(),
                            [key](const Field &field) { return field.key == key; });
    }
    const Value *valueAt(Position at) const { return at == m_fields.cend() ? nullptr : &at->value; }

    std::vector<Field> m_fields;
    QSet<QString> m_index; // every key, once there are more than kListedKeys
};

// The most array items one payload may hold, all arrays together: a `users`
// list of a room far larger than max_clients allows. Each item costs a
// receiver about 70 bytes, so a 16 MiB frame of one-byte items would
// otherwise make a client allocate a hundred times its size.
constexpr qsizetype kMaxArrayItems = 200000;

// A decoded payload whose `t` is present and text.
struct Envelope
{
    QString type;
    Fields fields; // every text key except `t`

    const Value *field(QLatin1StringView key) const { return fields.find(key); }
};
bool operator==(const Envelope &a, const Envelope &b);

// Steps 1 and 2 of the receiver's order (PROTOCOL.md section 3): valid CBOR,
// one map that uses every byte, valid UTF-8, no duplicate text key
// (else bad-payload), then `t` present and text (else bad-message).
struct EnvelopeResult
{
    Envelope envelope;
    ProtocolError error;
};
//
// What senders write (one definite-length map of text keys, with integers,
// booleans, text and arrays of those) is scanned in place; anything else, and
// every payload the scan doubts, goes to QCborStreamReader
// (parseEnvelopeWithQt), so the two always agree: the tests and the fuzzer
// check that they do.
EnvelopeResult parseEnvelope(QByteArrayView payload);
EnvelopeResult parseEnvelopeWithQt(QByteArrayView payload);

} // namespace synack::protocol
