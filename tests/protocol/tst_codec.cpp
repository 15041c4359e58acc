// Payloads and messages: PROTOCOL.md sections 3, 4 and 8.

#include "hostilepayloads.h"
#include "protocol/codec.h"

#include <QElapsedTimer>
#include <QTest>

using namespace synack::protocol;
using synack::testing::cborHead;
using synack::testing::cborText;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

template <class T>
T roundTrip(const T &message, Role receiver)
{
    const DecodeResult result = decodePayload(encodePayload(message), receiver);
    if (result.error)
        qWarning() << "decode failed:" << result.error.detail;
    return std::get<T>(result.message.value());
}

qint64 bestOfFiveNs(const QByteArray &payload)
{
    qint64 best = std::numeric_limits<qint64>::max();
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer timer;
        timer.start();
        const EnvelopeResult result = parseEnvelope(payload);
        best = qMin(best, timer.nsecsElapsed());
        if (result.error && result.error.code != ErrorCode::BadPayload)
            qWarning() << "unexpected" << result.error.detail;
    }
    return best;
}

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT

private slots:
    void rejectedPayloads_data();
    void rejectedPayloads();
    void indefiniteLengthsDecode();
    void inPlaceScanAgreesWithQt_data();
    void inPlaceScanAgreesWithQt();
    void unknownAndNonTextKeysIgnored();
    void unknownTypeForReceiver();
    void fullIntegerRange();
    void everyMessageRoundTrips();
    void errorCodeNames();
    void hostileShapesCostTheirLength_data();
    void hostileShapesCostTheirLength();
    void arrayItemsBounded();
};

void TestCodec::rejectedPayloads_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<ErrorCode>("code");

    // (1) framing and decoding
    QTest::newRow("not CBOR: break at top level") << hex("ff") << ErrorCode::BadPayload;
    QTest::newRow("not CBOR: reserved byte") << hex("1c") << ErrorCode::BadPayload;
    QTest::newRow("plain text") << QByteArray("hello world") << ErrorCode::BadPayload;
    QTest::newRow("array instead of map") << hex("81 61 74") << ErrorCode::BadPayload;
    QTest::newRow("trailing bytes") << hex("a1 61 74 63 77 68 6f 00") << ErrorCode::BadPayload;
    QTest::newRow("two maps") << hex("a1 61 74 63 77 68 6f a0") << ErrorCode::BadPayload;
    QTest::newRow("truncated map") << hex("a2 61 74 63 77 68 6f") << ErrorCode::BadPayload;
    QTest::newRow("text longer than the payload")
        << hex("a1 61 74 7b 7b 7b 7b 7b 7b 7b 7b 7b 61") << ErrorCode::BadPayload;
    QTest::newRow("text chunk longer than the payload")
        << hex("a1 61 74 7f 7b 7b 7b 7b 7b 7b 7b 7b 7b 61 ff") << ErrorCode::BadPayload;
    QTest::newRow("invalid UTF-8 in a value")
        << hex("a2 61 74 63 73 61 79 64 74 65 78 74 62 c3 28") << ErrorCode::BadPayload;
    QTest::newRow("invalid UTF-8 in a key")
        << hex("a2 61 74 63 77 68 6f 61 ff 01") << ErrorCode::BadPayload;
    QTest::newRow("UTF-8 of a surrogate")
        << hex("a2 61 74 63 73 61 79 64 74 65 78 74 63 ed a0 80") << ErrorCode::BadPayload;
    QTest::newRow("overlong UTF-8")
        << hex("a2 61 74 63 73 61 79 64 74 65 78 74 62 c0 af") << ErrorCode::BadPayload;
    QTest::newRow("a character split across two chunks")
        << hex("a2 61 74 63 73 61 79 64 74 65 78 74 7f 61 e5 62 b0 8f ff") << ErrorCode::BadPayload;
    QTest::newRow("duplicate key")
        << hex("a2 61 74 63 77 68 6f 61 74 63 77 68 6f") << ErrorCode::BadPayload;
    QTest::newRow("deep nesting") << (hex("a2 61 74 63 77 68 6f 61 78") +
                                      QByteArray(100, char(0x81)) + hex("00"))
                                  << ErrorCode::BadPayload;

    // (2) `t` present and text
    QTest::newRow("missing t") << hex("a1 64 74 65 78 74 61 78") << ErrorCode::BadMessage;
    QTest::newRow("t not text") << hex("a1 61 74 01") << ErrorCode::BadMessage;

    // (5) keys and types
    QTest::newRow("say without text") << hex("a1 61 74 63 73 61 79") << ErrorCode::BadMessage;
    QTest::newRow("say text is an integer")
        << hex("a2 61 74 63 73 61 79 64 74 65 78 74 05") << ErrorCode::BadMessage;
    QTest::newRow("say id is a float")
        << hex("a3 61 74 63 73 61 79 64 74 65 78 74 61 78 62 69 64 f9 3c 00")
        << ErrorCode::BadMessage;
    QTest::newRow("say id is negative")
        << hex("a3 61 74 63 73 61 79 64 74 65 78 74 61 78 62 69 64 20") << ErrorCode::BadMessage;
    QTest::newRow("say id is tagged")
        << hex("a3 61 74 63 73 61 79 64 74 65 78 74 61 78 62 69 64 c1 07") << ErrorCode::BadMessage;
    QTest::newRow("optional to of the wrong type")
        << hex("a3 61 74 63 73 61 79 64 74 65 78 74 61 78 62 74 6f f5") << ErrorCode::BadMessage;
    QTest::newRow("hello v is text")
        << hex("a3 61 74 65 68 65 6c 6c 6f 61 76 61 31 64 6e 69 63 6b 61 61")
        << ErrorCode::BadMessage;
    QTest::newRow("ping without ts")
        << hex("a2 61 74 64 70 69 6e 67 63 73 65 71 01") << ErrorCode::BadMessage;
    QTest::newRow("unknown type") << hex("a1 61 74 64 6a 75 6d 70") << ErrorCode::UnknownType;
}

void TestCodec::rejectedPayloads()
{
    QFETCH(QByteArray, payload);
    QFETCH(ErrorCode, code);
    const DecodeResult result = decodePayload(payload, Role::Server);
    QVERIFY(!result.message);
    QCOMPARE(errorCodeName(result.error.code), errorCodeName(code));
    QVERIFY(!result.error.detail.isEmpty());
}

// parseEnvelope() scans what senders write in place and leaves the rest to
// QCborStreamReader: on every payload, the two must read the same.
void TestCodec::inPlaceScanAgreesWithQt_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("who") << hex("a1 61 74 63 77 68 6f");
    QTest::newRow("say with id, t last")
        << hex("a3 64 74 65 78 74 62 68 69 62 69 64 07 61 74 63 73 61 79");
    QTest::newRow("non-shortest heads")
        << hex("b8 02 78 01 74 63 73 61 79 64 74 65 78 74 79 00 02 68 69");
    QTest::newRow("Chinese text") << hex(
        "a2 61 74 63 73 61 79 64 74 65 78 74 66 e4 bd a0 e5 a5 bd");
    QTest::newRow("integers at the edges") << hex(
        "a4 61 74 63 77 68 6f 61 61 1b ff ff ff ff ff ff ff ff 61 62 3b 7f ff ff ff ff ff ff "
        "ff 61 63 3b 80 00 00 00 00 00 00 00");
    QTest::newRow("array of text, bool")
        << hex("a3 61 74 63 77 68 6f 61 61 82 61 78 61 79 61 62 f5");
    QTest::newRow("mixed array") << hex("a2 61 74 63 77 68 6f 61 61 83 01 20 f4");
    QTest::newRow("nested array") << hex("a2 61 74 63 77 68 6f 61 61 81 81 01");
    QTest::newRow("float value") << hex("a2 61 74 63 77 68 6f 61 66 f9 3c 00");
    QTest::newRow("null value") << hex("a2 61 74 63 77 68 6f 61 6e f6");
    QTest::newRow("byte string value") << hex("a2 61 74 63 77 68 6f 61 62 42 00 01");
    QTest::newRow("tagged value") << hex("a2 61 74 63 77 68 6f 61 67 c1 01");
    QTest::newRow("integer key") << hex("a2 61 74 63 77 68 6f 01 02");
    QTest::newRow("indefinite map") << hex("bf 61 74 63 77 68 6f ff");
    QTest::newRow("indefinite text") << hex("a1 61 74 7f 62 77 68 61 6f ff");
    QTest::newRow("t twice") << hex("a2 61 74 63 77 68 6f 61 74 63 77 68 6f");
    QTest::newRow("t not text") << hex("a1 61 74 01");
    QTest::newRow("no t") << hex("a1 61 61 01");
    QTest::newRow("truncated text") << hex("a1 61 74 65 77 68 6f");
    QTest::newRow("trailing byte") << hex("a1 61 74 63 77 68 6f 00");
    QTest::newRow("array longer than the payload")
        << hex("a2 61 74 63 77 68 6f 61 61 9a 7f ff ff ff");
    QTest::newRow("invalid UTF-8 key") << hex("a2 61 74 63 77 68 6f 61 ff 01");
    QTest::newRow("empty") << QByteArray();
    for (const Message &message :
         {Message(Hello{1, QStringLiteral("小明"), QStringLiteral("app"), {}}),
          Message(Welcome{1,
                          QStringLiteral("bob"),
                          QStringLiteral("srv"),
                          7,
                          5000,
                          15000,
                          65536,
                          4096,
                          {QStringLiteral("bob"), QStringLiteral("Ünal")},
                          QStringLiteral("motd")}),
          Message(
              ChatMsg{3, QStringLiteral("a"), QStringLiteral("hi"), -1700000000000, {}, 9, true})})
        QTest::newRow(qPrintable(QStringLiteral("encoded ") + typeName(message)))
            << encodePayload(message);
}

void TestCodec::inPlaceScanAgreesWithQt()
{
    QFETCH(QByteArray, payload);
    const EnvelopeResult fast = parseEnvelope(payload);
    const EnvelopeResult qt = parseEnvelopeWithQt(payload);
    QCOMPARE(fast.error.code, qt.error.code);
    QCOMPARE(fast.error.detail, qt.error.detail);
    if (!qt.error) {
        QCOMPARE(fast.envelope.type, qt.envelope.type);
        QVERIFY(fast.envelope == qt.envelope);
    }
}

void TestCodec::indefiniteLengthsDecode()
{
    // {_ "t": "say", "text": (_ "h", "i"), "to": (_ "b", "ob") }
    const QByteArray payload = hex("bf 61 74 63 73 61 79 64 74 65 78 74 7f 61 68 61 69 ff "
                                   "62 74 6f 7f 61 62 62 6f 62 ff ff");
    const DecodeResult result = decodePayload(payload, Role::Server);
    QVERIFY2(!result.error, qPrintable(result.error.detail));
    const Say &say = std::get<Say>(*result.message);
    QCOMPARE(say.text, QStringLiteral("hi"));
    QCOMPARE(say.to, std::optional<QString>(QStringLiteral("bob")));

    // An indefinite users array inside a definite map.
    const QByteArray users = hex("a2 61 74 65 75 73 65 72 73 65 75 73 65 72 73 9f 61 61 61 62 ff");
    const DecodeResult list = decodePayload(users, Role::Client);
    QVERIFY2(!list.error, qPrintable(list.error.detail));
    QCOMPARE(std::get<Users>(*list.message).users,
             QStringList({QStringLiteral("a"), QStringLiteral("b")}));
}

void TestCodec::unknownAndNonTextKeysIgnored()
{
    // {"t": "who", 1: 2, "future": {"x": [1.5, null]}}
    const QByteArray payload =
        hex("a3 61 74 63 77 68 6f 01 02 66 66 75 74 75 72 65 a1 61 78 82 f9 3e 00 f6");
    const DecodeResult result = decodePayload(payload, Role::Server);
    QVERIFY2(!result.error, qPrintable(result.error.detail));
    QVERIFY(std::holds_alternative<Who>(*result.message));
}

void TestCodec::unknownTypeForReceiver()
{
    // A server does not take server-to-client messages, and the reverse.
    const QByteArray welcome = encodePayload(Join{QStringLiteral("a"), 1});
    QCOMPARE(decodePayload(welcome, Role::Server).error.code, ErrorCode::UnknownType);
    QVERIFY(!decodePayload(welcome, Role::Client).error);
    const QByteArray hello = encodePayload(Hello{1, QStringLiteral("a"), {}, {}});
    QCOMPARE(decodePayload(hello, Role::Client).error.code, ErrorCode::UnknownType);
    // Heartbeats and bye go both ways.
    for (Role role : {Role::Server, Role::Client}) {
        QVERIFY(!decodePayload(encodePayload(Ping{1, 2}), role).error);
        QVERIFY(!decodePayload(encodePayload(Bye{QStringLiteral("quit"), {}}), role).error);
    }
    QVERIFY(isKnownType(u"say", Role::Server));
    QVERIFY(!isKnownType(u"say", Role::Client));
}

void TestCodec::fullIntegerRange()
{
    const quint64 big = std::numeric_limits<quint64>::max();
    const Say say = roundTrip(Say{QStringLiteral("x"), {}, big}, Role::Server);
    QCOMPARE(say.id, std::optional<quint64>(big));
    const Ping ping = roundTrip(Ping{big, std::numeric_limits<qint64>::min()}, Role::Server);
    QCOMPARE(ping.seq, big);
    QCOMPARE(ping.ts, std::numeric_limits<qint64>::min());
    // An int key beyond qint64 is the wrong type, not a wrapped value.
    const QByteArray hugeTs = hex("a3 61 74 64 70 69 6e 67 63 73 65 71 01 62 74 73 "
                                  "1b ff ff ff ff ff ff ff ff");
    QCOMPARE(decodePayload(hugeTs, Role::Server).error.code, ErrorCode::BadMessage);
}

void TestCodec::everyMessageRoundTrips()
{
    const QString nick = QStringLiteral("小明");
    const Hello hello =
        roundTrip(Hello{1, nick, QStringLiteral("app"), QStringLiteral("pw")}, Role::Server);
    QCOMPARE(hello.nick, nick);
    QCOMPARE(hello.app, std::optional<QString>(QStringLiteral("app")));
    QCOMPARE(hello.pass, std::optional<QString>(QStringLiteral("pw")));

    const Say say = roundTrip(Say{QStringLiteral("hi"), nick, 3}, Role::Server);
    QCOMPARE(say.to, std::optional<QString>(nick));
    QCOMPARE(roundTrip(NickChange{nick}, Role::Server).nick, nick);
    roundTrip(Who{}, Role::Server);

    Welcome w{1,
              nick,
              QStringLiteral("lab"),
              42,
              5000,
              15000,
              65536,
              8192,
              {nick, QStringLiteral("bob")},
              QStringLiteral("be nice")};
    const Welcome welcome = roundTrip(w, Role::Client);
    QCOMPARE(welcome.session, 42u);
    QCOMPARE(welcome.heartbeatMs, 5000u);
    QCOMPARE(welcome.timeoutMs, 15000u);
    QCOMPARE(welcome.maxFrame, 65536u);
    QCOMPARE(welcome.maxText, 8192u);
    QCOMPARE(welcome.users, w.users);
    QCOMPARE(welcome.motd, w.motd);

    const ChatMsg msg =
        roundTrip(ChatMsg{7, nick, QStringLiteral("t"), 123, nick, 9, true}, Role::Client);
    QCOMPARE(msg.seq, std::optional<quint64>(7));
    QCOMPARE(msg.ts, 123);
    QCOMPARE(msg.id, std::optional<quint64>(9));
    QCOMPARE(msg.backlog, std::optional<bool>(true));
    QCOMPARE(roundTrip(Join{nick, 5}, Role::Client).nick, nick);
    QCOMPARE(roundTrip(Leave{nick, 5, QStringLiteral("kicked")}, Role::Client).reason,
             QStringLiteral("kicked"));
    QCOMPARE(roundTrip(Rename{nick, QStringLiteral("b"), 5}, Role::Client).to, QStringLiteral("b"));
    QCOMPARE(roundTrip(Users{{nick}}, Role::Client).users, QStringList{nick});
    const Error error = roundTrip(
        Error{QStringLiteral("text-size"), QStringLiteral("too long"), false, 4}, Role::Client);
    QCOMPARE(error.code, QStringLiteral("text-size"));
    QCOMPARE(error.fatal, false);
    QCOMPARE(error.id, std::optional<quint64>(4));
    QCOMPARE(roundTrip(Pong{3, -4}, Role::Client).ts, -4);
    QCOMPARE(roundTrip(Bye{QStringLiteral("kicked"), QStringLiteral("spam")}, Role::Client).text,
             std::optional<QString>(QStringLiteral("spam")));
    roundTrip(Discover{}, Role::Discovery);
    const Here here = roundTrip(Here{1, QStringLiteral("lab"), 9527, 3, true}, Role::Discovery);
    QCOMPARE(here.port, 9527u);
    QCOMPARE(here.pass, true);
}

void TestCodec::errorCodeNames()
{
    QCOMPARE(errorCodeName(ErrorCode::SendqExceeded), QStringLiteral("sendq-exceeded"));
    QCOMPARE(errorCodeFromName(u"nick-taken"), ErrorCode::NickTaken);
    QCOMPARE(errorCodeFromName(u"no-such-code"), ErrorCode::None);
    QVERIFY(isFatalByDefault(ErrorCode::FrameSize));
    QVERIFY(!isFatalByDefault(ErrorCode::RateLimited));
}

QTEST_APPLESS_MAIN(TestCodec)
#include "tst_codec.moc"

// docs/protocol.md, "Payloads": decoding costs the payload's length whatever
// its shape. Sixteen times the pieces must cost about sixteen times the time,
// not 256 (the duplicate-key check once compared each key with every earlier
// one: one 64 KiB ping of 15,000 keys took the server 0.4 s).
void TestCodec::hostileShapesCostTheirLength_data()
{
    QTest::addColumn<int>("shape");
    const auto shapes = synack::testing::hostileShapes();
    for (int i = 0; i < shapes.size(); ++i)
        QTest::newRow(qPrintable(shapes[i].name)) << i;
}

void TestCodec::hostileShapesCostTheirLength()
{
    QFETCH(int, shape);
    const auto make = synack::testing::hostileShapes().at(shape).make;
    const QByteArray small = make(250);
    const QByteArray large = make(4000);
    QVERIFY(!parseEnvelope(small).error);
    const qint64 smallNs = qMax<qint64>(1, bestOfFiveNs(small));
    const qint64 largeNs = bestOfFiveNs(large);
    const double ratio = double(largeNs) / double(smallNs);
    qInfo("%lld B in %lld us, %lld B in %lld us: %.1f times the time for %.1f times the bytes",
          qint64(small.size()), smallNs / 1000, qint64(large.size()), largeNs / 1000, ratio,
          double(large.size()) / double(small.size()));
    // Linear is 16 (up to 30 on a busy machine); the quadratic check was
    // 110 to 250 here. Both sizes fit the processor's cache, which a larger
    // one would not: a cache miss per key is linear too, but not in time.
    QVERIFY2(ratio < 64, qPrintable(QStringLiteral("ratio %1").arg(ratio)));
}

// A 16 MiB frame of one-byte items made a client allocate 1.5 GB: no payload
// holds more than kMaxArrayItems items, in one array or spread over several.
void TestCodec::arrayItemsBounded()
{
    const auto users = [](qsizetype first, qsizetype second) -> QByteArray {
        return cborHead(5, 3) + cborText("t") + cborText("users") + cborText("users") +
               cborHead(4, quint64(first)) + QByteArray(first, char(0x60)) + cborText("more") +
               cborHead(4, quint64(second)) + QByteArray(second, char(0x60));
    };
    const EnvelopeResult atLimit = parseEnvelope(users(kMaxArrayItems - 10, 10));
    QVERIFY2(!atLimit.error, qPrintable(atLimit.error.detail));
    QCOMPARE(atLimit.envelope.field(QLatin1StringView("users"))->items.size(), kMaxArrayItems - 10);
    for (const QByteArray &payload : {users(kMaxArrayItems + 1, 0), users(kMaxArrayItems, 1)}) {
        const EnvelopeResult over = parseEnvelope(payload);
        QCOMPARE(errorCodeName(over.error.code), errorCodeName(ErrorCode::BadPayload));
        QVERIFY2(over.error.detail.contains(QStringLiteral("array items")),
                 qPrintable(over.error.detail));
        QCOMPARE(parseEnvelopeWithQt(payload).error.detail, over.error.detail);
    }
}
