#include "sessionfailure.h"

#include "protocol/errors.h"

namespace synack::client {

using protocol::ErrorCode;

SessionFailure failureFromError(const protocol::Error &error, const SessionContext &context)
{
    const QString said = error.text.isEmpty() ? error.code : error.text;
    const ErrorCode code = protocol::errorCodeFromName(error.code);
    if (!error.fatal) {
        // The server said no to one request (a rename, a who) and goes on.
        const ClientError kind = code == ErrorCode::NickTaken     ? ClientError::NickTaken
                                 : code == ErrorCode::NickInvalid ? ClientError::NickInvalid
                                                                  : ClientError::Rejected;
        return {kind, QStringLiteral("%1 (%2)").arg(said, error.code)};
    }
    const bool firstTime = !context.everOnline;
    switch (code) {
    case ErrorCode::NickTaken:
        return {ClientError::NickTaken,
                firstTime ? QStringLiteral("the nick %1 is already taken").arg(context.nick)
                          : QStringLiteral("the nick %1 is still taken, probably by our previous "
                                           "session")
                                .arg(context.nick),
                firstTime};
    case ErrorCode::NickInvalid:
        return {ClientError::NickInvalid,
                QStringLiteral("\"%1\" is not a valid nick: %2").arg(context.nick, said), true};
    case ErrorCode::Auth:
        return {ClientError::WrongPassword,
                context.passwordGiven
                    ? QStringLiteral("wrong password for %1").arg(context.endpoint)
                    : QStringLiteral("%1 needs a password").arg(context.endpoint),
                true};
    case ErrorCode::ServerFull:
        return {ClientError::ServerFull,
                QStringLiteral("the server %1 is full").arg(context.endpoint), firstTime};
    case ErrorCode::Version:
        return {ClientError::VersionMismatch,
                QStringLiteral("the server does not speak protocol version %1: %2")
                    .arg(protocol::kProtocolVersion)
                    .arg(said),
                true};
    default:
        return {ClientError::ProtocolError,
                QStringLiteral("the server ended the session: %1 (%2)").arg(said, error.code)};
    }
}

SessionFailure failureFromBye(const QString &reason, const std::optional<QString> &text,
                              const SessionContext &context)
{
    const QString extra = text ? QStringLiteral(": ") + *text : QString();
    if (reason == protocol::reason::Kicked)
        return {ClientError::Kicked, QStringLiteral("kicked by the server") + extra, true};
    if (reason == protocol::reason::Shutdown)
        return {ClientError::ConnectionLost,
                QStringLiteral("the server %1 shut down").arg(context.endpoint) + extra};
    return {ClientError::ConnectionLost,
            QStringLiteral("the server closed the session (%1)").arg(reason) + extra};
}

SessionFailure failureFromClose(net::CloseCause cause, QAbstractSocket::SocketError socketError,
                                const QString &detail, const SessionContext &context)
{
    using net::CloseCause;
    if (cause == CloseCause::ConnectFailed) {
        switch (socketError) {
        case QAbstractSocket::ConnectionRefusedError:
            return {ClientError::Refused,
                    QStringLiteral("connection refused by %1 (is the server running?)")
                        .arg(context.endpoint)};
        case QAbstractSocket::HostNotFoundError:
            return {ClientError::HostNotFound,
                    QStringLiteral("host not found: %1").arg(context.host), !context.everOnline};
        case QAbstractSocket::SocketTimeoutError:
        case QAbstractSocket::UnknownSocketError: // the connection's own connect timeout
            return {ClientError::TimedOut,
                    QStringLiteral("no answer from %1 within %2 s")
                        .arg(context.endpoint)
                        .arg(double(context.connectTimeout.count()) / 1000.0)};
        default:
            return {ClientError::Unreachable,
                    QStringLiteral("cannot connect to %1: %2").arg(context.endpoint, detail)};
        }
    }
    switch (cause) {
    case CloseCause::Timeout:
        return {ClientError::TimedOut,
                QStringLiteral("the server %1 went silent (%2): declared dead")
                    .arg(context.endpoint, detail)};
    case CloseCause::ProtocolError:
        return {ClientError::ProtocolError,
                QStringLiteral("the server %1 sent something unreadable (%2)")
                    .arg(context.endpoint, detail)};
    default:
        return {ClientError::ConnectionLost,
                QStringLiteral("connection to %1 lost: %2").arg(context.endpoint, detail)};
    }
}

QString clientErrorName(ClientError error)
{
    switch (error) {
    case ClientError::Refused:
        return QStringLiteral("refused");
    case ClientError::HostNotFound:
        return QStringLiteral("host-not-found");
    case ClientError::TimedOut:
        return QStringLiteral("timed-out");
    case ClientError::Unreachable:
        return QStringLiteral("unreachable");
    case ClientError::NickTaken:
        return QStringLiteral("nick-taken");
    case ClientError::NickInvalid:
        return QStringLiteral("nick-invalid");
    case ClientError::WrongPassword:
        return QStringLiteral("wrong-password");
    case ClientError::ServerFull:
        return QStringLiteral("server-full");
    case ClientError::VersionMismatch:
        return QStringLiteral("version-mismatch");
    case ClientError::ProtocolError:
        return QStringLiteral("protocol-error");
    case ClientError::ConnectionLost:
        return QStringLiteral("connection-lost");
    case ClientError::Kicked:
        return QStringLiteral("kicked");
    case ClientError::Rejected:
        return QStringLiteral("rejected");
    }
    return {};
}

} // namespace synack::client
