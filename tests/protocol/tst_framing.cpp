// Framing: PROTOCOL.md section 2 and the example frames of section 11.

#include "protocol/codec.h"
#include "protocol/framing.h"

#include <QRandomGenerator>
#include <QTest>

using namespace synack::protocol;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

const QByteArray kHelloFrame =
    hex("00 00 00 17 a3 61 74 65 68 65 6c 6c 6f 61 76 01 64 6e 69 63 6b 65 61 6c 69 63 65");
const QByteArray kSayFrame =
    hex("00 00 00 17 a3 61 74 63 73 61 79 64 74 65 78 74 66 e4 bd a0 e5 a5 bd 62 69 64 07");
const QByteArray kPingFrame = hex("00 00 00 19 a3 61 74 64 70 69 6e 67 63 73 65 71 01 62 74 73 1b "
                                  "00 00 01 8b cf e5 68 00");

QList<QByteArray> drain(FrameDecoder &decoder)
{
    QList<QByteArray> frames;
    while (decoder.hasFrame())
        frames.append(decoder.takeFrame());
    return frames;
}

// A stream of many message types and sizes, and the payloads it holds.
struct Stream
{
    QByteArray bytes;
    QList<QByteArray> payloads;
};

Stream mixedStream()
{
    Stream stream;
    auto add = [&](const Message &m) {
        const QByteArray frame = encodeMessageFrame(m);
        stream.bytes += frame;
        stream.payloads.append(frame.mid(kFrameHeaderSize));
    };
    for (int i = 0; i < 12; ++i) {
        add(Hello{1, QStringLiteral("user%1").arg(i), QStringLiteral("test"), std::nullopt});
        add(Say{QString(i * 7 + 1, QChar(u'x')), std::nullopt, quint64(i)});
        add(Say{QStringLiteral("私信 %1").arg(i), QStringLiteral("bob"), std::nullopt});
        add(Ping{quint64(i), 1700000000000 + i});
        add(Pong{quint64(i), -i});
        add(ChatMsg{
            quint64(i + 1), QStringLiteral("alice"), QStringLiteral("hi 👋"), i, {}, {}, {}});
        add(Who{});
        add(Leave{QStringLiteral("zoë"), 5, QStringLiteral("timeout")});
    }
    add(Bye{QStringLiteral("quit"), QStringLiteral("see you")});
    return stream;
}

} // namespace

class TestFraming : public QObject
{
    Q_OBJECT

private slots:
    void exampleFramesEncodeExactly();
    void exampleFramesDecode();
    void streamDecodesWhole();
    void streamDecodesOneByteAtATime();
    void streamDecodesSplitAtEveryPosition();
    void streamDecodesInRandomChunks();
    void badLengthRejectedOnHeader_data();
    void badLengthRejectedOnHeader();
    void framesBeforeBadLengthAreDelivered();
    void failedDecoderStaysFailed();
    void largestFrameAccepted();
};

void TestFraming::exampleFramesEncodeExactly()
{
    QCOMPARE(encodeMessageFrame(Hello{1, QStringLiteral("alice"), {}, {}}), kHelloFrame);
    QCOMPARE(encodeMessageFrame(Say{QStringLiteral("你好"), {}, 7}), kSayFrame);
    QCOMPARE(encodeMessageFrame(Ping{1, 1700000000000}), kPingFrame);
    QCOMPARE(encodeFrame(kHelloFrame.mid(4)), kHelloFrame);
}

void TestFraming::exampleFramesDecode()
{
    FrameDecoder decoder;
    decoder.append(QByteArray(kHelloFrame + kSayFrame + kPingFrame));
    const QList<QByteArray> frames = drain(decoder);
    QCOMPARE(frames.size(), 3);

    const DecodeResult hello = decodePayload(frames[0], Role::Server);
    QVERIFY2(!hello.error, qPrintable(hello.error.detail));
    const auto &h = std::get<Hello>(*hello.message);
    QCOMPARE(h.version, 1u);
    QCOMPARE(h.nick, QStringLiteral("alice"));
    QVERIFY(!h.app && !h.pass);

    const DecodeResult say = decodePayload(frames[1], Role::Server);
    QVERIFY(!say.error);
    QCOMPARE(std::get<Say>(*say.message).text, QStringLiteral("你好"));
    QCOMPARE(std::get<Say>(*say.message).id, std::optional<quint64>(7));

    const DecodeResult ping = decodePayload(frames[2], Role::Client);
    QVERIFY(!ping.error);
    QCOMPARE(std::get<Ping>(*ping.message).seq, 1u);
    QCOMPARE(std::get<Ping>(*ping.message).ts, 1700000000000);
}

void TestFraming::streamDecodesWhole()
{
    const Stream stream = mixedStream();
    FrameDecoder decoder;
    decoder.append(stream.bytes);
    QVERIFY(!decoder.failed());
    QCOMPARE(drain(decoder), stream.payloads);
    QCOMPARE(decoder.bufferedBytes(), 0);
}

void TestFraming::streamDecodesOneByteAtATime()
{
    const Stream stream = mixedStream();
    FrameDecoder decoder;
    QList<QByteArray> frames;
    for (char byte : stream.bytes) {
        decoder.append(QByteArrayView(&byte, 1));
        frames += drain(decoder);
    }
    QVERIFY(!decoder.failed());
    QCOMPARE(frames, stream.payloads);
}

void TestFraming::streamDecodesSplitAtEveryPosition()
{
    const Stream stream = mixedStream();
    for (qsizetype cut = 0; cut <= stream.bytes.size(); ++cut) {
        FrameDecoder decoder;
        decoder.append(QByteArrayView(stream.bytes).first(cut));
        QList<QByteArray> frames = drain(decoder);
        decoder.append(QByteArrayView(stream.bytes).sliced(cut));
        frames += drain(decoder);
        QVERIFY(!decoder.failed());
        if (frames != stream.payloads)
            QFAIL(
                qPrintable(QStringLiteral("stream split at byte %1 decodes differently").arg(cut)));
    }
}

void TestFraming::streamDecodesInRandomChunks()
{
    const Stream stream = mixedStream();
    QRandomGenerator rng(20261121); // fixed seed: a failure repeats
    for (int round = 0; round < 200; ++round) {
        FrameDecoder decoder;
        QList<QByteArray> frames;
        for (qsizetype pos = 0; pos < stream.bytes.size();) {
            const qsizetype n = qMin<qsizetype>(rng.bounded(1, 300), stream.bytes.size() - pos);
            decoder.append(QByteArrayView(stream.bytes).sliced(pos, n));
            frames += drain(decoder);
            pos += n;
        }
        QCOMPARE(frames, stream.payloads);
    }
}

void TestFraming::badLengthRejectedOnHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("zero") << hex("00 00 00 00");
    QTest::newRow("max_frame + 1") << hex("00 01 00 01");
    QTest::newRow("0xFFFFFFFF") << hex("ff ff ff ff");
}

void TestFraming::badLengthRejectedOnHeader()
{
    QFETCH(QByteArray, header);
    FrameDecoder decoder(kDefaultServerMaxFrame);
    decoder.append(header.first(3));
    QVERIFY(!decoder.failed());
    decoder.append(header.sliced(3));
    // Rejected on the fourth byte, before any payload arrives or is reserved.
    QVERIFY(decoder.failed());
    QCOMPARE(decoder.error().code, ErrorCode::FrameSize);
    QVERIFY(!decoder.error().detail.isEmpty());
    QCOMPARE(decoder.bufferedBytes(), 0);
    QVERIFY(!decoder.hasFrame());
}

void TestFraming::framesBeforeBadLengthAreDelivered()
{
    FrameDecoder decoder;
    decoder.append(QByteArray(kHelloFrame + hex("ff ff ff ff") + kSayFrame));
    QVERIFY(decoder.failed());
    const QList<QByteArray> frames = drain(decoder);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first(), kHelloFrame.mid(4));
}

void TestFraming::failedDecoderStaysFailed()
{
    FrameDecoder decoder;
    decoder.append(hex("00 00 00 00"));
    QVERIFY(decoder.failed());
    decoder.append(kHelloFrame);
    QVERIFY(decoder.failed());
    QVERIFY(!decoder.hasFrame());
    QCOMPARE(decoder.error().code, ErrorCode::FrameSize);
}

void TestFraming::largestFrameAccepted()
{
    const QByteArray payload(kDefaultServerMaxFrame, 'a');
    FrameDecoder decoder;
    decoder.append(encodeFrame(payload));
    QVERIFY(!decoder.failed());
    QVERIFY(decoder.hasFrame());
    QCOMPARE(decoder.takeFrame(), payload);
}

QTEST_APPLESS_MAIN(TestFraming)
#include "tst_framing.moc"
