#include "outgoing.h"

#include "protocol/codec.h"

namespace synack::bench {
namespace {

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

QByteArray helloFrame(std::string_view nick)
{
    protocol::Hello hello;
    hello.nick = fromUtf8(nick);
    hello.app = QStringLiteral("synack-bench");
    return protocol::encodeMessageFrame(hello);
}

QByteArray sayFrame(std::string_view text, uint64_t id)
{
    protocol::Say say;
    say.text = fromUtf8(text);
    say.id = id;
    return protocol::encodeMessageFrame(say);
}

QByteArray pingFrame(uint64_t seq, int64_t ts)
{
    return protocol::encodeMessageFrame(protocol::Ping{seq, ts});
}

QByteArray pongFrame(uint64_t seq, int64_t ts)
{
    return protocol::encodeMessageFrame(protocol::Pong{seq, ts});
}

QByteArray quitFrame()
{
    return protocol::encodeMessageFrame(protocol::Bye{protocol::reason::Quit, std::nullopt});
}

} // namespace synack::bench
