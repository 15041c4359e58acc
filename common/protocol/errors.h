#pragma once

#include <QString>

namespace synack::protocol {

// The error codes of PROTOCOL.md section 8, in the order of its table.
enum class ErrorCode {
    None,
    FrameSize,
    BadPayload,
    BadMessage,
    UnknownType,
    NotRegistered,
    Version,
    Auth,
    NickInvalid,
    NickTaken,
    ServerFull,
    HelloTimeout,
    AlreadyRegistered,
    TextSize,
    UnknownUser,
    RateLimited,
    SendqExceeded,
};

// The code as it travels on the wire ("frame-size", ...).
QString errorCodeName(ErrorCode code);
// The inverse; ErrorCode::None for a code this build does not know.
ErrorCode errorCodeFromName(QStringView name);
// Whether the code ends the session when the server reports it. Nick errors are
// fatal only at hello, which the caller decides.
bool isFatalByDefault(ErrorCode code);
// A short English sentence for the code, marked for translation (context
// "synack::protocol") so the windows can show it in the user's language.
const char *errorCodeDescription(ErrorCode code);

// One failure with its code and a detail for the person reading the log.
struct ProtocolError
{
    ErrorCode code = ErrorCode::None;
    QString detail;

    explicit operator bool() const { return code != ErrorCode::None; }
};

} // namespace synack::protocol
