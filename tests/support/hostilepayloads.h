#pragma once

// Payloads a hostile peer sends to make decoding cost more than its length
// (docs/reliability.md, "A small frame freezes the server"). Each shape is
// valid CBOR of about `units` pieces (keys, items, chunks, levels); the tests
// check their cost grows with their size, the benchmark looks for the worst
// time per KiB, and the server tests flood with them.

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>
#include <random>

namespace synack::testing {

// A CBOR head of `major` with argument `value`, in its shortest form.
QByteArray cborHead(quint8 major, quint64 value);
QByteArray cborText(const QByteArray &bytes);

struct HostileShape
{
    QString name;
    std::function<QByteArray(int units)> make;
};

// A `ping` (or, for a client's decoder, `users`) made of:
// distinct keys; distinct keys in a nested map; an array of empty texts; a
// text of one-byte chunks; nested arrays as deep as allowed, side by side;
// many non-text keys.
QList<HostileShape> hostileShapes();

// A random payload of about `bytes` bytes: maps, arrays, texts (definite and
// indefinite), integers of every width, floats, tags, byte strings, nested up
// to the decoder's limit. Valid CBOR more often than not.
QByteArray randomPayload(std::mt19937_64 &random, int bytes);

} // namespace synack::testing
