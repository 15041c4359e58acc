#include "hostilepayloads.h"

namespace synack::testing {

QByteArray cborHead(quint8 major, quint64 value)
{
    QByteArray out;
    const char type = char(major << 5);
    if (value < 24) {
        out.append(char(type | char(value)));
        return out;
    }
    int size = 8;
    if (value <= 0xff)
        size = 1;
    else if (value <= 0xffff)
        size = 2;
    else if (value <= 0xffffffffULL)
        size = 4;
    out.append(char(type | char(24 + (size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3))));
    for (int shift = (size - 1) * 8; shift >= 0; shift -= 8)
        out.append(char(value >> shift));
    return out;
}

QByteArray cborText(const QByteArray &bytes)
{
    return cborHead(3, quint64(bytes.size())) + bytes;
}

namespace {

// {t: type, ...rest} where `rest` holds `pairs` more pairs; a ping gets its
// seq and ts, so that it is a valid ping that the receiver answers.
QByteArray message(const QByteArray &type, int pairs, const QByteArray &rest)
{
    const bool ping = type == "ping";
    QByteArray head = cborHead(5, quint64(pairs) + (ping ? 3 : 1)) + cborText("t") + cborText(type);
    if (ping)
        head += cborText("seq") + cborHead(0, 1) + cborText("ts") + cborHead(0, 0);
    return head + rest;
}

QByteArray distinctKeys(int units)
{
    QByteArray pairs;
    for (int i = 0; i < units; ++i)
        pairs += cborText("k" + QByteArray::number(i, 36)) + cborHead(0, 0);
    return pairs;
}

} // namespace

QList<HostileShape> hostileShapes()
{
    return {
        {QStringLiteral("distinct keys"),
         [](int units) -> QByteArray { return message("ping", units, distinctKeys(units)); }},
        {QStringLiteral("distinct keys in a nested map"),
         [](int units) -> QByteArray {
             return message("ping", 1,
                            cborText("m") + cborHead(5, quint64(units)) + distinctKeys(units));
         }},
        {QStringLiteral("array of empty texts"),
         [](int units) -> QByteArray {
             return message("users", 1,
                            cborText("users") + cborHead(4, quint64(units)) +
                                QByteArray(units, char(0x60)));
         }},
        {QStringLiteral("text of one-byte chunks"),
         [](int units) -> QByteArray {
             QByteArray chunks;
             for (int i = 0; i < units; ++i)
                 chunks += cborText("x");
             return message("say", 1, cborText("text") + char(0x7f) + chunks + char(0xff));
         }},
        {QStringLiteral("deep arrays side by side"),
         [](int units) -> QByteArray {
             // Sixteen levels is the decoder's limit, the map and the outer array
             // two of them; each tower is 14 bytes.
             const int towers = qMax(1, units / 14);
             QByteArray tower = QByteArray(13, char(0x81)) + char(0x00);
             QByteArray items;
             for (int i = 0; i < towers; ++i)
                 items += tower;
             return message("ping", 1, cborText("a") + cborHead(4, quint64(towers)) + items);
         }},
        {QStringLiteral("non-text keys"),
         [](int units) -> QByteArray {
             QByteArray pairs;
             for (int i = 0; i < units; ++i)
                 pairs += cborHead(0, quint64(i)) + cborHead(0, 0);
             return message("ping", units, pairs);
         }},
    };
}

namespace {

void randomItem(std::mt19937_64 &random, QByteArray *out, int depth, qsizetype until)
{
    const auto pick = [&random](int n) { return int(random() % quint64(n)); };
    const int kind = depth >= 15 || out->size() >= until ? pick(5) : pick(9);
    switch (kind) {
    case 0:
        out->append(cborHead(0, random() >> pick(64)));
        break;
    case 1:
        out->append(cborHead(1, random() >> pick(64)));
        break;
    case 2:
        out->append(cborText(QByteArray(pick(8), char('a' + pick(26)))));
        break;
    case 3:
        out->append(char(0xf4 + pick(4))); // false, true, null, undefined
        break;
    case 4:
        out->append(QByteArray::fromHex("f93c00")); // 1.0 as a half float
        break;
    case 5: { // a map of text keys, definite or not
        const int pairs = pick(64);
        const bool indefinite = pick(4) == 0;
        out->append(indefinite ? QByteArray(1, char(0xbf)) : cborHead(5, quint64(pairs)));
        for (int i = 0; i < pairs; ++i) {
            out->append(cborText("k" + QByteArray::number(pick(4096), 36)));
            randomItem(random, out, depth + 1, until);
        }
        if (indefinite)
            out->append(char(0xff));
        break;
    }
    case 6: { // an array
        const int items = pick(256);
        out->append(cborHead(4, quint64(items)));
        for (int i = 0; i < items; ++i)
            randomItem(random, out, depth + 1, until);
        break;
    }
    case 7: // a tag
        out->append(cborHead(6, quint64(pick(64))));
        randomItem(random, out, depth + 1, until);
        break;
    default: { // an indefinite text of small chunks
        out->append(char(0x7f));
        for (int i = pick(128); i > 0; --i)
            out->append(cborText(QByteArray(1 + pick(3), 'x')));
        out->append(char(0xff));
        break;
    }
    }
}

} // namespace

QByteArray randomPayload(std::mt19937_64 &random, int bytes)
{
    QByteArray out = cborHead(5, 2) + cborText("t") + cborText("ping") + cborText("x");
    randomItem(random, &out, 1, bytes);
    return out;
}

} // namespace synack::testing
