#pragma once

// Why a session ended, in words a person can act on, and whether trying
// again can help. Pure functions of what the connection and the server said.

#include "clienttypes.h"

#include "net/connection.h"
#include "protocol/messages.h"

#include <QAbstractSocket>
#include <chrono>

namespace synack::client {

struct SessionFailure
{
    ClientError kind = ClientError::ConnectionLost;
    QString message;
    bool final = false; // retrying cannot help
};

// What the wording and the verdict depend on.
struct SessionContext
{
    QString host;
    QString endpoint; // "host:port"
    QString nick;
    bool passwordGiven = false;
    // A nick or a seat taken at the first hello is someone else's; after we
    // have been online it may be our own previous session, still held.
    bool everOnline = false;
    std::chrono::milliseconds connectTimeout{};
};

// An `error` from the server: a fatal one ends the session, another refuses one request.
SessionFailure failureFromError(const protocol::Error &error, const SessionContext &context);
// The server's `bye`.
SessionFailure failureFromBye(const QString &reason, const std::optional<QString> &text,
                              const SessionContext &context);
// A connection that ended with nothing said; `socketError` tells connect failures apart.
SessionFailure failureFromClose(net::CloseCause cause, QAbstractSocket::SocketError socketError,
                                const QString &detail, const SessionContext &context);

QString clientErrorName(ClientError error);

} // namespace synack::client
