#pragma once

// The values the client core hands to its faces (command line, window).

#include <QMetaType>
#include <QString>
#include <optional>

namespace synack::client {

// What went wrong, as a person needs to hear it.
enum class ClientError {
    Refused,         // nothing listens on that port
    HostNotFound,    // the name does not resolve
    TimedOut,        // no answer to connect, or a silent server declared dead
    Unreachable,     // any other network failure while connecting
    NickTaken,       // at hello or for a rename
    NickInvalid,     // at hello or for a rename
    WrongPassword,   // `auth`
    ServerFull,      // `server-full`
    VersionMismatch, // `version`
    ProtocolError,   // the server sent something that does not decode
    ConnectionLost,  // an open connection ended without our asking
    Kicked,          // the server's `bye` with reason `kicked`
    Rejected,        // any other non-fatal `error` from the server
};

// The life of one sent message: Pending until exactly one of the others.
enum class DeliveryStatus {
    Pending,
    Delivered,    // the server's echo with our id arrived (room messages have a seq)
    Rejected,     // the server's `error` with our id arrived
    NotDelivered, // sent while offline, or pending when the connection dropped
};

// One chat message as received: room, private or backlog.
struct ChatLine
{
    std::optional<quint64> seq; // room messages only
    QString from;
    QString text;
    qint64 ts = 0;                  // ms since the epoch, on the server's clock
    std::optional<QString> to;      // private messages only: the target's nick
    bool isOwn = false;             // sent by this client's user
    bool backlog = false;           // history replayed after welcome
    std::optional<quint64> localId; // our own id, on the echo of our own message

    bool isPrivate() const { return to.has_value(); }
};

} // namespace synack::client
