#include "sessionfailure.h"

#include "protocol/errors.h"

#include <QCoreApplication>

namespace synack::client {

using protocol::ErrorCode;

namespace {

// What a person reads in the window: in their language.
QString translated(const char *text)
{
    return QCoreApplication::translate("synack::client::SessionFailure", text);
}

} // namespace

SessionFailure failureFromError(const protocol::Error &error, const SessionContext &context)
{
    const QString said = error.text.isEmpty() ? error.code : error.text;
    const ErrorCode code = protocol::errorCodeFromName(error.code);
    if (!error.fatal) {
        // The server said no to one request (a rename, a who) and goes on.
        const ClientError kind = code == ErrorCode::NickTaken     ? ClientError::NickTaken
                                 : code == ErrorCode::NickInvalid ? ClientError::NickInvalid
                                                                  : ClientError::Rejected;
        return {kind, translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure", "%1 (%2)"))
                          .arg(said, error.code)};
    }
    const bool firstTime = !context.everOnline;
    switch (code) {
    case ErrorCode::NickTaken:
        return {ClientError::NickTaken,
                firstTime
                    ? translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                                   "the nick %1 is already taken"))
                          .arg(context.nick)
                    : translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                                   "the nick %1 is still taken, probably by our "
                                                   "previous session"))
                          .arg(context.nick),
                firstTime};
    case ErrorCode::NickInvalid:
        return {ClientError::NickInvalid,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "\"%1\" is not a valid nick: %2"))
                    .arg(context.nick, said),
                true};
    case ErrorCode::Auth:
        return {ClientError::WrongPassword,
                context.passwordGiven
                    ? translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                                   "wrong password for %1"))
                          .arg(context.endpoint)
                    : translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                                   "%1 needs a password"))
                          .arg(context.endpoint),
                true};
    case ErrorCode::ServerFull:
        return {
            ClientError::ServerFull,
            translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure", "the server %1 is full"))
                .arg(context.endpoint),
            firstTime};
    case ErrorCode::Version:
        return {ClientError::VersionMismatch,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "the server does not speak protocol version %1: %2"))
                    .arg(protocol::kProtocolVersion)
                    .arg(said),
                true};
    default:
        return {ClientError::ProtocolError,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "the server ended the session: %1 (%2)"))
                    .arg(said, error.code)};
    }
}

SessionFailure failureFromBye(const QString &reason, const std::optional<QString> &text,
                              const SessionContext &context)
{
    const QString extra = text ? QStringLiteral(": ") + *text : QString();
    if (reason == protocol::reason::Kicked)
        return {ClientError::Kicked,
                translated(
                    QT_TRANSLATE_NOOP("synack::client::SessionFailure", "kicked by the server")) +
                    extra,
                true};
    if (reason == protocol::reason::Shutdown)
        return {ClientError::ConnectionLost,
                translated(
                    QT_TRANSLATE_NOOP("synack::client::SessionFailure", "the server %1 shut down"))
                        .arg(context.endpoint) +
                    extra};
    return {ClientError::ConnectionLost,
            translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                         "the server closed the session (%1)"))
                    .arg(reason) +
                extra};
}

SessionFailure failureFromClose(net::CloseCause cause, QAbstractSocket::SocketError socketError,
                                const QString &detail, const SessionContext &context)
{
    using net::CloseCause;
    if (cause == CloseCause::ConnectFailed) {
        switch (socketError) {
        case QAbstractSocket::ConnectionRefusedError:
            return {
                ClientError::Refused,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "connection refused by %1 (is the server running?)"))
                    .arg(context.endpoint)};
        case QAbstractSocket::HostNotFoundError:
            return {ClientError::HostNotFound,
                    translated(
                        QT_TRANSLATE_NOOP("synack::client::SessionFailure", "host not found: %1"))
                        .arg(context.host),
                    !context.everOnline};
        case QAbstractSocket::SocketTimeoutError:
        case QAbstractSocket::UnknownSocketError: // the connection's own connect timeout
            return {ClientError::TimedOut,
                    translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                                 "no answer from %1 within %2 s"))
                        .arg(context.endpoint)
                        .arg(double(context.connectTimeout.count()) / 1000.0)};
        default:
            return {ClientError::Unreachable,
                    translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                                 "cannot connect to %1: %2"))
                        .arg(context.endpoint, detail)};
        }
    }
    switch (cause) {
    case CloseCause::Timeout:
        return {ClientError::TimedOut,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "the server %1 went silent (%2): declared dead"))
                    .arg(context.endpoint, detail)};
    case CloseCause::ProtocolError:
        return {ClientError::ProtocolError,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "the server %1 sent something unreadable (%2)"))
                    .arg(context.endpoint, detail)};
    default:
        return {ClientError::ConnectionLost,
                translated(QT_TRANSLATE_NOOP("synack::client::SessionFailure",
                                             "connection to %1 lost: %2"))
                    .arg(context.endpoint, detail)};
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
