#pragma once

// The typed messages of PROTOCOL.md section 4 (and 6, 7, 9). Optional keys are
// std::optional; the codec (codec.h) turns them into payloads and back.

#include <QString>
#include <QStringList>
#include <optional>
#include <variant>

namespace synack::protocol {

inline constexpr quint64 kProtocolVersion = 1;
inline constexpr quint16 kDefaultPort = 9527;
inline constexpr quint16 kDefaultDiscoveryPort = 9528;
inline constexpr int kMaxDiscoveryDatagram = 512;

// Client to server ---------------------------------------------------------

struct Hello
{
    quint64 version = kProtocolVersion;
    QString nick;
    std::optional<QString> app;
    std::optional<QString> pass;
};

struct Say
{
    QString text;
    std::optional<QString> to;
    std::optional<quint64> id;
};

struct NickChange
{
    QString nick;
};

struct Who
{};

// Server to client ---------------------------------------------------------

struct Welcome
{
    quint64 version = kProtocolVersion;
    QString nick;
    QString server;
    quint64 session = 0;
    quint64 heartbeatMs = 0;
    quint64 timeoutMs = 0;
    quint64 maxFrame = 0;
    quint64 maxText = 0;
    QStringList users;
    std::optional<QString> motd;
};

struct ChatMsg
{
    std::optional<quint64> seq;
    QString from;
    QString text;
    qint64 ts = 0;
    std::optional<QString> to;
    std::optional<quint64> id;
    std::optional<bool> backlog;
};

struct Join
{
    QString nick;
    qint64 ts = 0;
};

struct Leave
{
    QString nick;
    qint64 ts = 0;
    QString reason;
};

struct Rename
{
    QString from;
    QString to;
    qint64 ts = 0;
};

struct Users
{
    QStringList users;
};

struct Error
{
    QString code;
    QString text;
    bool fatal = false;
    std::optional<quint64> id;
};

// Both directions ----------------------------------------------------------

struct Ping
{
    quint64 seq = 0;
    qint64 ts = 0;
};

struct Pong
{
    quint64 seq = 0;
    qint64 ts = 0;
};

struct Bye
{
    QString reason;
    std::optional<QString> text;
};

// LAN discovery (UDP, no length prefix) -------------------------------------

struct Discover
{
    quint64 version = kProtocolVersion;
};

struct Here
{
    quint64 version = kProtocolVersion;
    QString name;
    quint64 port = 0;
    quint64 users = 0;
    bool pass = false;
};

using Message = std::variant<Hello, Say, NickChange, Who, Welcome, ChatMsg, Join, Leave, Rename,
                             Users, Error, Ping, Pong, Bye, Discover, Here>;

// Leave and bye reasons (PROTOCOL.md sections 5 and 7).
namespace reason {
inline constexpr auto Quit = QLatin1StringView("quit");
inline constexpr auto Timeout = QLatin1StringView("timeout");
inline constexpr auto Kicked = QLatin1StringView("kicked");
inline constexpr auto Error = QLatin1StringView("error");
inline constexpr auto Closed = QLatin1StringView("closed");
inline constexpr auto Shutdown = QLatin1StringView("shutdown");
} // namespace reason

} // namespace synack::protocol
