// libFuzzer target over the protocol library (PROTOCOL.md sections 2 to 4):
// the frame decoder, the payload parser and the message decoder of every
// role, and the encoder they must agree with.
//
// Input: one byte of settings, then the byte stream.
//   settings bits 0-3: the chunk size the stream is fed in (0: all at once)
//   settings bits 4-6: the decoder's max frame, from kMaxFrames
// Besides crashes and sanitizer reports, it aborts on broken invariants:
//   - the decoder gives the same frames and the same failure for any split;
//   - every frame is 1..max bytes, and a failed decoder holds nothing;
//   - the frames, re-framed, are the start of the stream;
//   - a decoded message, re-encoded, decodes to the same message field by
//     field, and encodes to the same bytes again;
//   - failures carry a code of the right step of the receiver's order;
//   - the payload parser's in-place scan agrees with QCborStreamReader.

#include "protocol/codec.h"
#include "protocol/describe.h"
#include "protocol/framing.h"
#include "protocol/nick.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <tuple>

using namespace synack::protocol;

namespace {

constexpr quint32 kMaxFrames[] = {1, 16, 64, 256, 4096, 65536, kDefaultServerMaxFrame, 300};

[[noreturn]] void violated(const char *what)
{
    std::fprintf(stderr, "fuzz_protocol: invariant broken: %s\n", what);
    std::abort();
}

void check(bool ok, const char *what)
{
    if (!ok)
        violated(what);
}

// The fields of each message, for a field-by-field comparison.
auto fields(const Hello &m)
{
    return std::tie(m.version, m.nick, m.app, m.pass);
}
auto fields(const Say &m)
{
    return std::tie(m.text, m.to, m.id);
}
auto fields(const NickChange &m)
{
    return std::tie(m.nick);
}
auto fields(const Who &)
{
    return std::tuple<>();
}
auto fields(const Welcome &m)
{
    return std::tie(m.version, m.nick, m.server, m.session, m.heartbeatMs, m.timeoutMs, m.maxFrame,
                    m.maxText, m.users, m.motd);
}
auto fields(const ChatMsg &m)
{
    return std::tie(m.seq, m.from, m.text, m.ts, m.to, m.id, m.backlog);
}
auto fields(const Join &m)
{
    return std::tie(m.nick, m.ts);
}
auto fields(const Leave &m)
{
    return std::tie(m.nick, m.ts, m.reason);
}
auto fields(const Rename &m)
{
    return std::tie(m.from, m.to, m.ts);
}
auto fields(const Users &m)
{
    return std::tie(m.users);
}
auto fields(const Error &m)
{
    return std::tie(m.code, m.text, m.fatal, m.id);
}
auto fields(const Ping &m)
{
    return std::tie(m.seq, m.ts);
}
auto fields(const Pong &m)
{
    return std::tie(m.seq, m.ts);
}
auto fields(const Bye &m)
{
    return std::tie(m.reason, m.text);
}
auto fields(const Discover &m)
{
    return std::tie(m.version);
}
auto fields(const Here &m)
{
    return std::tie(m.version, m.name, m.port, m.users, m.pass);
}

bool sameMessage(const Message &a, const Message &b)
{
    if (a.index() != b.index())
        return false;
    return std::visit(
        [&b](const auto &x) {
            using T = std::decay_t<decltype(x)>;
            return fields(x) == fields(std::get<T>(b));
        },
        a);
}

// Steps 1 and 2 of the receiver's order (parseEnvelope) and step 5
// (decodeMessage) each have their own codes.
bool envelopeCode(ErrorCode code)
{
    return code == ErrorCode::BadPayload || code == ErrorCode::BadMessage;
}
bool messageCode(ErrorCode code)
{
    return code == ErrorCode::BadMessage || code == ErrorCode::UnknownType;
}

void checkRoundTrip(const Message &message, Role role, const QString &type)
{
    check(typeName(message) == type, "typeName differs from the envelope's t");
    const QByteArray encoded = encodePayload(message);
    check(encodeMessageFrame(message) == encodeFrame(encoded),
          "encodeMessageFrame differs from encodeFrame(encodePayload)");
    const DecodeResult again = decodePayload(encoded, role);
    check(again.message.has_value(), "an encoded message does not decode");
    check(sameMessage(message, *again.message), "decode(encode(m)) differs from m");
    check(encodePayload(*again.message) == encoded, "encode(decode(encode(m))) differs");

    // What the server does with what it decoded.
    if (const auto *hello = std::get_if<Hello>(&message)) {
        (void)isValidNick(hello->nick);
        (void)nickKey(hello->nick);
    } else if (const auto *change = std::get_if<NickChange>(&message)) {
        (void)isValidNick(change->nick);
        (void)nickKey(change->nick);
    } else if (const auto *say = std::get_if<Say>(&message)) {
        (void)say->text.toUtf8().size();
        if (say->to)
            (void)nickKey(*say->to);
    }
}

void decodeAsEveryRole(QByteArrayView payload)
{
    const EnvelopeResult parsed = parseEnvelope(payload);
    check(!parsed.error || envelopeCode(parsed.error.code), "parseEnvelope: unexpected code");
    // The in-place scan and QCborStreamReader read every payload alike.
    const EnvelopeResult reference = parseEnvelopeWithQt(payload);
    check(parsed.error.code == reference.error.code &&
              parsed.error.detail == reference.error.detail &&
              (parsed.error || parsed.envelope == reference.envelope),
          "parseEnvelope and parseEnvelopeWithQt disagree");
    (void)describePayload(payload);
    if (!parsed.error)
        (void)describeEnvelope(parsed.envelope, 8);

    for (const Role role : {Role::Server, Role::Client, Role::Discovery}) {
        const DecodeResult result = decodePayload(payload, role);
        check(result.message.has_value() != bool(result.error),
              "a decode result has both or neither of message and error");
        if (parsed.error) {
            check(result.error.code == parsed.error.code,
                  "decodePayload and parseEnvelope disagree");
            continue;
        }
        if (result.error) {
            check(messageCode(result.error.code), "decodeMessage: unexpected code");
            check((result.error.code == ErrorCode::UnknownType) ==
                      !isKnownType(parsed.envelope.type, role),
                  "unknown-type and isKnownType disagree");
            continue;
        }
        checkRoundTrip(*result.message, role, parsed.envelope.type);
    }
}

struct Decoded
{
    QList<QByteArray> frames;
    bool failed = false;
    ErrorCode code = ErrorCode::None;
};

Decoded decodeStream(QByteArrayView stream, quint32 maxFrame, qsizetype chunk)
{
    Decoded out;
    FrameDecoder decoder(maxFrame);
    check(decoder.maxFrame() == maxFrame, "maxFrame");
    if (chunk <= 0)
        chunk = qMax<qsizetype>(1, stream.size());
    for (qsizetype pos = 0; pos < stream.size(); pos += chunk) {
        decoder.append(stream.sliced(pos, qMin(chunk, stream.size() - pos)));
        while (decoder.hasFrame())
            out.frames.append(decoder.takeFrame());
        if (decoder.failed())
            check(decoder.bufferedBytes() == 0, "a failed decoder still holds bytes");
        else
            check(decoder.bufferedBytes() < kFrameHeaderSize + qsizetype(maxFrame),
                  "the decoder holds more than one frame's worth");
    }
    out.failed = decoder.failed();
    out.code = decoder.error().code;
    check(!out.failed || out.code == ErrorCode::FrameSize,
          "the decoder fails with frame-size only");
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const quint8 settings = data[0];
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const quint32 maxFrame = kMaxFrames[(settings >> 4) & 7];
    const qsizetype chunk = settings & 0x0f;

    const Decoded whole = decodeStream(stream, maxFrame, 0);
    if (chunk > 0) {
        const Decoded split = decodeStream(stream, maxFrame, chunk);
        check(split.frames == whole.frames, "frames depend on how the stream is split");
        check(split.failed == whole.failed, "failure depends on how the stream is split");
    }
    QByteArray reframed;
    for (const QByteArray &frame : whole.frames) {
        check(frame.size() >= 1 && frame.size() <= qsizetype(maxFrame), "frame size out of range");
        reframed += encodeFrame(frame);
    }
    check(stream.startsWith(QByteArrayView(reframed)), "frames are not the start of the stream");

    for (const QByteArray &frame : whole.frames)
        decodeAsEveryRole(frame);
    // The same bytes taken as one payload, without framing.
    decodeAsEveryRole(stream);
    return 0;
}
