#include "protocol/codec.h"

#include "protocol/framing.h"

#include <QtEndian>
#include <algorithm>
#include <string>

namespace synack::protocol {
namespace {

template <class... Fs>
struct Overloaded : Fs...
{
    using Fs::operator()...;
};
// clang before 17 does not deduce an aggregate's template arguments by itself.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// --- encoding -------------------------------------------------------------

template <class T>
int present(const std::optional<T> &value)
{
    return value.has_value() ? 1 : 0;
}

// The CBOR SynAck sends (RFC 8949, shortest forms, definite lengths).
// QCborStreamWriter goes through a QIODevice call per item, and QByteArray
// through an out-of-line call per append; both cost more than the rest of a
// relay. This writes into a std::string, whose appends are inline, and the
// caller copies the result into a QByteArray once.
class CborWriter
{
public:
    explicit CborWriter(std::string *out)
        : m_out(out)
    {}

    void head(quint8 major, quint64 value)
    {
        char bytes[9];
        bytes[0] = char(major << 5);
        std::size_t size = 1;
        if (value < 24) {
            bytes[0] = char(bytes[0] | char(value));
        } else if (value <= 0xff) {
            bytes[0] = char(bytes[0] | 24);
            bytes[1] = char(value);
            size = 2;
        } else if (value <= 0xffff) {
            bytes[0] = char(bytes[0] | 25);
            qToBigEndian<quint16>(quint16(value), bytes + 1);
            size = 3;
        } else if (value <= 0xffffffffu) {
            bytes[0] = char(bytes[0] | 26);
            qToBigEndian<quint32>(quint32(value), bytes + 1);
            size = 5;
        } else {
            bytes[0] = char(bytes[0] | 27);
            qToBigEndian<quint64>(value, bytes + 1);
            size = 9;
        }
        m_out->append(bytes, size);
    }
    void unsignedInt(quint64 v) { head(0, v); }
    void signedInt(qint64 v) { v >= 0 ? head(0, quint64(v)) : head(1, quint64(-1 - v)); }
    void boolean(bool v) { m_out->push_back(char(v ? 0xf5 : 0xf4)); }
    void text(QLatin1StringView ascii) // keys and type names: ASCII
    {
        head(3, quint64(ascii.size()));
        m_out->append(ascii.data(), std::size_t(ascii.size()));
    }
    void text(QStringView v)
    {
        // Nicks, reasons and most chat lines are ASCII: their UTF-16 code
        // units are their UTF-8 bytes, with no conversion to allocate for.
        const char16_t *units = v.utf16();
        const std::size_t size = std::size_t(v.size());
        if (std::all_of(units, units + size, [](char16_t unit) { return unit < 0x80; })) {
            head(3, size);
            const std::size_t at = m_out->size();
            m_out->resize(at + size);
            std::transform(units, units + size, m_out->begin() + qsizetype(at),
                           [](char16_t unit) { return char(unit); });
            return;
        }
        const QByteArray utf8 = v.toUtf8();
        head(3, quint64(utf8.size()));
        m_out->append(utf8.constData(), std::size_t(utf8.size()));
    }

private:
    std::string *m_out;
};

class MapWriter
{
public:
    MapWriter(std::string *out, QLatin1StringView type, int entries)
        : m_writer(out)
    {
        m_writer.head(5, quint64(entries) + 1);
        m_writer.text(QLatin1StringView("t"));
        m_writer.text(type);
    }

    void put(QLatin1StringView key, const QString &v)
    {
        m_writer.text(key);
        m_writer.text(QStringView(v));
    }
    void put(QLatin1StringView key, QLatin1StringView v)
    {
        m_writer.text(key);
        m_writer.text(v);
    }
    void put(QLatin1StringView key, quint64 v)
    {
        m_writer.text(key);
        m_writer.unsignedInt(v);
    }
    void put(QLatin1StringView key, qint64 v)
    {
        m_writer.text(key);
        m_writer.signedInt(v);
    }
    void put(QLatin1StringView key, bool v)
    {
        m_writer.text(key);
        m_writer.boolean(v);
    }
    void put(QLatin1StringView key, const QStringList &list)
    {
        m_writer.text(key);
        m_writer.head(4, quint64(list.size()));
        for (const QString &item : list)
            m_writer.text(QStringView(item));
    }
    template <class T>
    void put(QLatin1StringView key, const std::optional<T> &v)
    {
        if (v)
            put(key, *v);
    }

private:
    CborWriter m_writer;
};

using L = QLatin1StringView;

void encodeInto(std::string *out, const Message &message)
{
    const QLatin1StringView type = typeName(message);
    std::visit(Overloaded{
                   [&](const Hello &m) {
                       MapWriter w(out, type, 2 + present(m.app) + present(m.pass));
                       w.put(L("v"), m.version);
                       w.put(L("nick"), m.nick);
                       w.put(L("app"), m.app);
                       w.put(L("pass"), m.pass);
                   },
                   [&](const Say &m) {
                       MapWriter w(out, type, 1 + present(m.to) + present(m.id));
                       w.put(L("text"), m.text);
                       w.put(L("to"), m.to);
                       w.put(L("id"), m.id);
                   },
                   [&](const NickChange &m) {
                       MapWriter w(out, type, 1);
                       w.put(L("nick"), m.nick);
                   },
                   [&](const Who &) { MapWriter w(out, type, 0); },
                   [&](const Welcome &m) {
                       MapWriter w(out, type, 9 + present(m.motd));
                       w.put(L("v"), m.version);
                       w.put(L("nick"), m.nick);
                       w.put(L("server"), m.server);
                       w.put(L("session"), m.session);
                       w.put(L("hb"), m.heartbeatMs);
                       w.put(L("timeout"), m.timeoutMs);
                       w.put(L("max_frame"), m.maxFrame);
                       w.put(L("max_text"), m.maxText);
                       w.put(L("users"), m.users);
                       w.put(L("motd"), m.motd);
                   },
                   [&](const ChatMsg &m) {
                       MapWriter w(out, type,
                                   3 + present(m.seq) + present(m.to) + present(m.id) +
                                       present(m.backlog));
                       w.put(L("seq"), m.seq);
                       w.put(L("from"), m.from);
                       w.put(L("text"), m.text);
                       w.put(L("ts"), m.ts);
                       w.put(L("to"), m.to);
                       w.put(L("id"), m.id);
                       w.put(L("backlog"), m.backlog);
                   },
                   [&](const Join &m) {
                       MapWriter w(out, type, 2);
                       w.put(L("nick"), m.nick);
                       w.put(L("ts"), m.ts);
                   },
                   [&](const Leave &m) {
                       MapWriter w(out, type, 3);
                       w.put(L("nick"), m.nick);
                       w.put(L("ts"), m.ts);
                       w.put(L("reason"), m.reason);
                   },
                   [&](const Rename &m) {
                       MapWriter w(out, type, 3);
                       w.put(L("from"), m.from);
                       w.put(L("to"), m.to);
                       w.put(L("ts"), m.ts);
                   },
                   [&](const Users &m) {
                       MapWriter w(out, type, 1);
                       w.put(L("users"), m.users);
                   },
                   [&](const Error &m) {
                       MapWriter w(out, type, 3 + present(m.id));
                       w.put(L("code"), m.code);
                       w.put(L("text"), m.text);
                       w.put(L("fatal"), m.fatal);
                       w.put(L("id"), m.id);
                   },
                   [&](const Ping &m) {
                       MapWriter w(out, type, 2);
                       w.put(L("seq"), m.seq);
                       w.put(L("ts"), m.ts);
                   },
                   [&](const Pong &m) {
                       MapWriter w(out, type, 2);
                       w.put(L("seq"), m.seq);
                       w.put(L("ts"), m.ts);
                   },
                   [&](const Bye &m) {
                       MapWriter w(out, type, 1 + present(m.text));
                       w.put(L("reason"), m.reason);
                       w.put(L("text"), m.text);
                   },
                   [&](const Discover &m) {
                       MapWriter w(out, type, 1);
                       w.put(L("v"), m.version);
                   },
                   [&](const Here &m) {
                       MapWriter w(out, type, 5);
                       w.put(L("v"), m.version);
                       w.put(L("name"), m.name);
                       w.put(L("port"), m.port);
                       w.put(L("users"), m.users);
                       w.put(L("pass"), m.pass);
                   },
               },
               message);
}

// --- decoding -------------------------------------------------------------

// Reads the known keys of one message and remembers the first failure.
class FieldReader
{
public:
    explicit FieldReader(const Envelope &envelope)
        : m_envelope(envelope)
    {}

    template <class T>
    void required(QLatin1StringView key, T &out)
    {
        if (m_error)
            return;
        const Value *value = m_envelope.field(key);
        if (!value) {
            m_error = {ErrorCode::BadMessage,
                       QStringLiteral("\"%1\" needs the key \"%2\"").arg(m_envelope.type, key)};
            return;
        }
        convert(key, *value, out);
    }

    template <class T>
    void optional(QLatin1StringView key, std::optional<T> &out)
    {
        if (m_error)
            return;
        if (const Value *value = m_envelope.field(key)) {
            T converted{};
            if (convert(key, *value, converted))
                out = std::move(converted);
        }
    }

    const ProtocolError &error() const { return m_error; }

private:
    template <class T>
    bool accept(QLatin1StringView key, const std::optional<T> &converted, T &out,
                const char *expected)
    {
        if (converted) {
            out = *converted;
            return true;
        }
        m_error = {ErrorCode::BadMessage,
                   QStringLiteral("\"%1\" in \"%2\" must be %3")
                       .arg(key, m_envelope.type, QLatin1StringView(expected))};
        return false;
    }
    bool convert(QLatin1StringView key, const Value &v, quint64 &out)
    {
        return accept(key, v.toUInt(), out, "an unsigned integer");
    }
    bool convert(QLatin1StringView key, const Value &v, qint64 &out)
    {
        return accept(key, v.toInt(), out, "an integer");
    }
    bool convert(QLatin1StringView key, const Value &v, QString &out)
    {
        return accept(key, v.toText(), out, "text");
    }
    bool convert(QLatin1StringView key, const Value &v, bool &out)
    {
        return accept(key, v.toBool(), out, "a boolean");
    }
    bool convert(QLatin1StringView key, const Value &v, QStringList &out)
    {
        return accept(key, v.toTextList(), out, "an array of text");
    }

    const Envelope &m_envelope;
    ProtocolError m_error;
};

template <class T>
DecodeResult decodeWith(const Envelope &envelope, void (*read)(FieldReader &, T &))
{
    FieldReader reader(envelope);
    T message;
    read(reader, message);
    if (reader.error())
        return {std::nullopt, reader.error()};
    return {Message(std::move(message)), {}};
}

void readHello(FieldReader &r, Hello &m)
{
    r.required(L("v"), m.version);
    r.required(L("nick"), m.nick);
    r.optional(L("app"), m.app);
    r.optional(L("pass"), m.pass);
}
void readSay(FieldReader &r, Say &m)
{
    r.required(L("text"), m.text);
    r.optional(L("to"), m.to);
    r.optional(L("id"), m.id);
}
void readNick(FieldReader &r, NickChange &m)
{
    r.required(L("nick"), m.nick);
}
void readWho(FieldReader &, Who &) {}
void readWelcome(FieldReader &r, Welcome &m)
{
    r.required(L("v"), m.version);
    r.required(L("nick"), m.nick);
    r.required(L("server"), m.server);
    r.required(L("session"), m.session);
    r.required(L("hb"), m.heartbeatMs);
    r.required(L("timeout"), m.timeoutMs);
    r.required(L("max_frame"), m.maxFrame);
    r.required(L("max_text"), m.maxText);
    r.required(L("users"), m.users);
    r.optional(L("motd"), m.motd);
}
void readMsg(FieldReader &r, ChatMsg &m)
{
    r.optional(L("seq"), m.seq);
    r.required(L("from"), m.from);
    r.required(L("text"), m.text);
    r.required(L("ts"), m.ts);
    r.optional(L("to"), m.to);
    r.optional(L("id"), m.id);
    r.optional(L("backlog"), m.backlog);
}
void readJoin(FieldReader &r, Join &m)
{
    r.required(L("nick"), m.nick);
    r.required(L("ts"), m.ts);
}
void readLeave(FieldReader &r, Leave &m)
{
    r.required(L("nick"), m.nick);
    r.required(L("ts"), m.ts);
    r.required(L("reason"), m.reason);
}
void readRename(FieldReader &r, Rename &m)
{
    r.required(L("from"), m.from);
    r.required(L("to"), m.to);
    r.required(L("ts"), m.ts);
}
void readUsers(FieldReader &r, Users &m)
{
    r.required(L("users"), m.users);
}
void readError(FieldReader &r, Error &m)
{
    r.required(L("code"), m.code);
    r.required(L("text"), m.text);
    r.required(L("fatal"), m.fatal);
    r.optional(L("id"), m.id);
}
template <class T>
void readHeartbeat(FieldReader &r, T &m)
{
    r.required(L("seq"), m.seq);
    r.required(L("ts"), m.ts);
}
void readBye(FieldReader &r, Bye &m)
{
    r.required(L("reason"), m.reason);
    r.optional(L("text"), m.text);
}
void readDiscover(FieldReader &r, Discover &m)
{
    r.required(L("v"), m.version);
}
void readHere(FieldReader &r, Here &m)
{
    r.required(L("v"), m.version);
    r.required(L("name"), m.name);
    r.required(L("port"), m.port);
    r.required(L("users"), m.users);
    r.required(L("pass"), m.pass);
}

struct TypeEntry
{
    QLatin1StringView name;
    Role role; // who receives it; ping, pong and bye go both ways
    bool bothWays;
    DecodeResult (*decode)(const Envelope &);
};

template <class T, void (*Read)(FieldReader &, T &)>
DecodeResult decodeAs(const Envelope &e)
{
    return decodeWith<T>(e, Read);
}

const TypeEntry kTypes[] = {
    {L("hello"), Role::Server, false, decodeAs<Hello, readHello>},
    {L("say"), Role::Server, false, decodeAs<Say, readSay>},
    {L("nick"), Role::Server, false, decodeAs<NickChange, readNick>},
    {L("who"), Role::Server, false, decodeAs<Who, readWho>},
    {L("welcome"), Role::Client, false, decodeAs<Welcome, readWelcome>},
    {L("msg"), Role::Client, false, decodeAs<ChatMsg, readMsg>},
    {L("join"), Role::Client, false, decodeAs<Join, readJoin>},
    {L("leave"), Role::Client, false, decodeAs<Leave, readLeave>},
    {L("rename"), Role::Client, false, decodeAs<Rename, readRename>},
    {L("users"), Role::Client, false, decodeAs<Users, readUsers>},
    {L("error"), Role::Client, false, decodeAs<Error, readError>},
    {L("ping"), Role::Server, true, decodeAs<Ping, readHeartbeat<Ping>>},
    {L("pong"), Role::Server, true, decodeAs<Pong, readHeartbeat<Pong>>},
    {L("bye"), Role::Server, true, decodeAs<Bye, readBye>},
    {L("discover"), Role::Discovery, false, decodeAs<Discover, readDiscover>},
    {L("here"), Role::Discovery, false, decodeAs<Here, readHere>},
};

const TypeEntry *findType(QStringView type, Role receiver)
{
    for (const TypeEntry &entry : kTypes) {
        const bool forReceiver =
            entry.role == receiver || (entry.bothWays && receiver != Role::Discovery);
        if (forReceiver && type == entry.name)
            return &entry;
    }
    return nullptr;
}

} // namespace

QLatin1StringView typeName(const Message &message)
{
    return std::visit(Overloaded{
                          [](const Hello &) { return L("hello"); },
                          [](const Say &) { return L("say"); },
                          [](const NickChange &) { return L("nick"); },
                          [](const Who &) { return L("who"); },
                          [](const Welcome &) { return L("welcome"); },
                          [](const ChatMsg &) { return L("msg"); },
                          [](const Join &) { return L("join"); },
                          [](const Leave &) { return L("leave"); },
                          [](const Rename &) { return L("rename"); },
                          [](const Users &) { return L("users"); },
                          [](const Error &) { return L("error"); },
                          [](const Ping &) { return L("ping"); },
                          [](const Pong &) { return L("pong"); },
                          [](const Bye &) { return L("bye"); },
                          [](const Discover &) { return L("discover"); },
                          [](const Here &) { return L("here"); },
                      },
                      message);
}

namespace {

// The encoder's buffer, kept between messages so that encoding allocates
// only the QByteArray it returns.
std::string &encodeBuffer()
{
    constexpr std::size_t kKeptCapacity = 64 * 1024;
    thread_local std::string buffer;
    if (buffer.capacity() > kKeptCapacity)
        std::string().swap(buffer); // one long message is no reason to keep its room
    buffer.clear();
    return buffer;
}

} // namespace

QByteArray encodePayload(const Message &message)
{
    std::string &buffer = encodeBuffer();
    encodeInto(&buffer, message);
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

QByteArray encodeMessageFrame(const Message &message)
{
    std::string &buffer = encodeBuffer();
    buffer.append(kFrameHeaderSize, '\0');
    encodeInto(&buffer, message);
    qToBigEndian<quint32>(quint32(buffer.size() - kFrameHeaderSize), buffer.data());
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

bool isKnownType(QStringView type, Role receiver)
{
    return findType(type, receiver) != nullptr;
}

DecodeResult decodeMessage(const Envelope &envelope, Role receiver)
{
    const TypeEntry *entry = findType(envelope.type, receiver);
    if (!entry) {
        return {std::nullopt,
                {ErrorCode::UnknownType,
                 QStringLiteral("unknown message type \"%1\"").arg(envelope.type)}};
    }
    return entry->decode(envelope);
}

DecodeResult decodePayload(QByteArrayView payload, Role receiver)
{
    EnvelopeResult parsed = parseEnvelope(payload);
    if (parsed.error)
        return {std::nullopt, parsed.error};
    return decodeMessage(parsed.envelope, receiver);
}

} // namespace synack::protocol
