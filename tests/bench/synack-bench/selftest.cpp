#include "selftest.h"

#include "clock.h"
#include "histogram.h"
#include "outgoing.h"
#include "wiremap.h"

#include "protocol/cborvalue.h"
#include "protocol/codec.h"

#include <cstdio>

namespace synack::bench {
namespace {

int g_failures = 0;

void check(bool ok, const std::string &what)
{
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    if (!ok)
        ++g_failures;
}

std::string_view payloadOf(const QByteArray &frame)
{
    return std::string_view(frame.constData() + 4, std::size_t(frame.size() - 4));
}

QByteArray fromHex(const char *hex)
{
    return QByteArray::fromHex(QByteArray(hex));
}

// Every field the project's decoder sees must read the same through WireMap.
bool sameAsProjectDecoder(const WireMap &map, std::string_view payload)
{
    const protocol::EnvelopeResult parsed =
        protocol::parseEnvelope(QByteArrayView(payload.data(), qsizetype(payload.size())));
    if (parsed.error || map.type() != parsed.envelope.type.toStdString())
        return false;
    for (const protocol::Fields::Field &field : parsed.envelope.fields) {
        const std::string key = field.key.toStdString();
        const protocol::Value &value = field.value;
        bool same = false;
        switch (value.kind) {
        case protocol::Value::Kind::Unsigned:
            same = map.toUnsigned(key) == value.unsignedValue;
            break;
        case protocol::Value::Kind::Negative:
            same = map.toInt(key) == value.negativeValue;
            break;
        case protocol::Value::Kind::Text:
            same = map.text(key) == value.text.toStdString();
            break;
        case protocol::Value::Kind::Bool:
            same = map.flag(key) == value.boolean;
            break;
        case protocol::Value::Kind::Array:
            same = map.arraySize(key) == uint64_t(value.items.size());
            break;
        case protocol::Value::Kind::Other:
            same = true;
            break;
        }
        if (!same)
            return false;
    }
    return true;
}

void checkServerMessages()
{
    using namespace protocol;
    protocol::Welcome welcome;
    welcome.nick = QStringLiteral("小明");
    welcome.server = QStringLiteral("lan");
    welcome.session = 70000;
    welcome.heartbeatMs = 5000;
    welcome.timeoutMs = 15000;
    welcome.maxFrame = 65536;
    welcome.maxText = 8192;
    welcome.users = {QStringLiteral("a"), QStringLiteral("小明"), QStringLiteral("c")};
    welcome.motd = QStringLiteral("hi");
    ChatMsg full{42,  QStringLiteral("alice"), QStringLiteral("0:1:2:...."),
                 -5,  QStringLiteral("bob"),   uint64_t(1) << 40,
                 true};
    ChatMsg room;
    room.seq = 1;
    room.from = QStringLiteral("a");
    room.text = QStringLiteral("x");
    room.ts = 1700000000000;
    const std::pair<const char *, Message> messages[] = {
        {"welcome", welcome},
        {"msg with every key", full},
        {"room msg", room},
        {"join", Join{QStringLiteral("a"), 1}},
        {"leave", Leave{QStringLiteral("a"), 2, QStringLiteral("quit")}},
        {"rename", Rename{QStringLiteral("a"), QStringLiteral("b"), 3}},
        {"users", Users{{QStringLiteral("a"), QStringLiteral("b")}}},
        {"error", Error{QStringLiteral("rate-limited"), QStringLiteral("slow down"), false, 9}},
        {"ping", Ping{7, 1700000000000}},
        {"pong", Pong{8, -1}},
        {"bye", Bye{QStringLiteral("shutdown"), QStringLiteral("later")}},
    };
    for (const auto &[name, message] : messages) {
        const QByteArray frame = encodeMessageFrame(message);
        WireMap map;
        const bool read = map.read(payloadOf(frame));
        check(read && !map.usedFallback() && sameAsProjectDecoder(map, payloadOf(frame)),
              std::string("fast read of ") + name + " matches the project's decoder");
    }
}

void checkEdgeCases()
{
    WireMap map;
    // {_ "t": "msg", "seq": 3, "text": (_ "a", "b"), "backlog": true}
    const QByteArray indefinite =
        fromHex("bf617463 6d7367 63736571 03 6474657874 7f61616162ff 676261636b6c6f67 f5 ff");
    const std::string_view bytes(indefinite.constData(), std::size_t(indefinite.size()));
    check(map.read(bytes) && map.usedFallback() && map.type() == "msg" &&
              map.toUnsigned("seq") == 3u && map.text("text") == "ab" && map.flag("backlog"),
          "indefinite lengths go to the project's decoder and read right");
    const QByteArray ping =
        fromHex("a3 61 74 64 70 69 6e 67 63 73 65 71 01 62 74 73 1b 00 00 01 8b cf e5 68 00");
    QByteArray trailing = ping + '\0';
    check(!map.read(std::string_view(trailing.constData(), std::size_t(trailing.size()))),
          "trailing bytes are refused");
    const QByteArray truncated = ping.left(ping.size() - 1);
    check(!map.read(std::string_view(truncated.constData(), std::size_t(truncated.size()))),
          "a truncated payload is refused");
    const QByteArray noType = fromHex("a1 63736571 01");
    check(!map.read(std::string_view(noType.constData(), std::size_t(noType.size()))),
          "a map without t is refused");
    // {1: 2, "t": "pong", "seq": 1, "ts": 2}: a key that is not text is ignored
    const QByteArray intKey = fromHex("a4 0102 6174 64706f6e67 63736571 01 627473 02");
    check(map.read(std::string_view(intKey.constData(), std::size_t(intKey.size()))) &&
              !map.usedFallback() && map.type() == "pong" && map.toInt("ts") == 2,
          "a key that is not text is skipped");
}

void checkOutgoing()
{
    // PROTOCOL.md section 11.
    check(sayFrame("\xe4\xbd\xa0\xe5\xa5\xbd", 7) ==
              fromHex("00 00 00 17 a3 61 74 63 73 61 79 64 74 65 78 74 66 e4 bd a0 e5 a5 bd 62 "
                      "69 64 07"),
          "say frame matches PROTOCOL.md's example");
    check(pingFrame(1, 1700000000000) ==
              fromHex("00 00 00 19 a3 61 74 64 70 69 6e 67 63 73 65 71 01 62 74 73 1b 00 00 01 "
                      "8b cf e5 68 00"),
          "ping frame matches PROTOCOL.md's example");
}

void checkHistogram()
{
    Histogram histogram;
    for (uint64_t v = 1; v <= 1000000; ++v)
        histogram.add(v);
    const uint64_t p50 = histogram.percentile(0.5);
    const uint64_t p99 = histogram.percentile(0.99);
    check(p50 >= 499000 && p50 <= 501000 && p99 >= 989000 && p99 <= 991000 &&
              histogram.max() == 1000000 && histogram.percentile(1.0) == 1000000,
          "histogram percentiles within 0.2 %");
    Histogram small;
    small.add(7);
    check(small.percentile(0.5) == 7 && small.percentile(0.99) == 7, "histogram exact below 1024");
}

void measureCosts()
{
    constexpr int kRounds = 200000;
    std::string text(64, '.');
    uint64_t start = monoNs();
    qsizetype bytes = 0;
    for (int i = 0; i < kRounds / 10; ++i)
        bytes += sayFrame(text, uint64_t(i)).size();
    const double encodeNs = double(monoNs() - start) / (kRounds / 10);

    protocol::ChatMsg msg;
    msg.seq = 123456;
    msg.from = QStringLiteral("b12345-49");
    msg.text = QString::fromStdString(text);
    msg.ts = 1700000000000;
    const QByteArray frame = protocol::encodeMessageFrame(msg);
    WireMap map;
    uint64_t seqs = 0;
    start = monoNs();
    for (int i = 0; i < kRounds; ++i) {
        map.read(payloadOf(frame));
        seqs += map.toUnsigned("seq").value_or(0);
    }
    const double scanNs = double(monoNs() - start) / kRounds;
    start = monoNs();
    for (int i = 0; i < kRounds / 10; ++i)
        seqs += protocol::parseEnvelope(QByteArrayView(frame).sliced(4)).envelope.fields.size();
    const double projectNs = double(monoNs() - start) / (kRounds / 10);
    std::printf("cost: encode a say %.0f ns; read a msg %.0f ns fast, %.0f ns with the project's "
                "decoder (%lld %llu)\n",
                encodeNs, scanNs, projectNs, static_cast<long long>(bytes % 2),
                static_cast<unsigned long long>(seqs % 2));
}

} // namespace

int runSelftest()
{
    checkServerMessages();
    checkEdgeCases();
    checkOutgoing();
    checkHistogram();
    measureCosts();
    std::printf("%s\n", g_failures ? "SELFTEST FAILED" : "selftest passed");
    return g_failures ? 1 : 0;
}

} // namespace synack::bench
