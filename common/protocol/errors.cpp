#include "protocol/errors.h"

#include <QtGlobal>
#include <array>

namespace synack::protocol {
namespace {

struct CodeInfo
{
    ErrorCode code;
    const char *name;
    bool fatal;
    const char *description;
};

constexpr std::array codeTable{
    CodeInfo{ErrorCode::FrameSize, "frame-size", true,
             QT_TRANSLATE_NOOP("synack::protocol", "The frame length is zero or too large.")},
    CodeInfo{ErrorCode::BadPayload, "bad-payload", true,
             QT_TRANSLATE_NOOP("synack::protocol", "The frame does not hold one valid CBOR map.")},
    CodeInfo{ErrorCode::BadMessage, "bad-message", true,
             QT_TRANSLATE_NOOP("synack::protocol",
                               "A required field is missing or a field has the wrong type.")},
    CodeInfo{ErrorCode::UnknownType, "unknown-type", false,
             QT_TRANSLATE_NOOP("synack::protocol", "The message type is not known.")},
    CodeInfo{ErrorCode::NotRegistered, "not-registered", true,
             QT_TRANSLATE_NOOP("synack::protocol", "A message was sent before hello.")},
    CodeInfo{ErrorCode::Version, "version", true,
             QT_TRANSLATE_NOOP("synack::protocol", "The protocol version is not supported.")},
    CodeInfo{ErrorCode::Auth, "auth", true,
             QT_TRANSLATE_NOOP("synack::protocol", "The password is wrong or missing.")},
    CodeInfo{ErrorCode::NickInvalid, "nick-invalid", true,
             QT_TRANSLATE_NOOP("synack::protocol",
                               "Nicknames are 1 to 32 letters, marks, digits, '_', '-' or '.'.")},
    CodeInfo{ErrorCode::NickTaken, "nick-taken", true,
             QT_TRANSLATE_NOOP("synack::protocol", "That nickname is already in use.")},
    CodeInfo{ErrorCode::ServerFull, "server-full", true,
             QT_TRANSLATE_NOOP("synack::protocol", "The server is full.")},
    CodeInfo{ErrorCode::HelloTimeout, "hello-timeout", true,
             QT_TRANSLATE_NOOP("synack::protocol", "No hello arrived in time.")},
    CodeInfo{ErrorCode::AlreadyRegistered, "already-registered", false,
             QT_TRANSLATE_NOOP("synack::protocol", "This connection is already registered.")},
    CodeInfo{ErrorCode::TextSize, "text-size", false,
             QT_TRANSLATE_NOOP("synack::protocol", "The text is empty or too long.")},
    CodeInfo{ErrorCode::UnknownUser, "unknown-user", false,
             QT_TRANSLATE_NOOP("synack::protocol", "Nobody with that nickname is here.")},
    CodeInfo{ErrorCode::RateLimited, "rate-limited", false,
             QT_TRANSLATE_NOOP("synack::protocol", "Too many messages; slow down.")},
    CodeInfo{ErrorCode::SendqExceeded, "sendq-exceeded", true,
             QT_TRANSLATE_NOOP("synack::protocol", "The client read too slowly and was dropped.")},
};

const CodeInfo *find(ErrorCode code)
{
    for (const auto &info : codeTable) {
        if (info.code == code)
            return &info;
    }
    return nullptr;
}

} // namespace

QString errorCodeName(ErrorCode code)
{
    const CodeInfo *info = find(code);
    return info ? QString::fromLatin1(info->name) : QString();
}

ErrorCode errorCodeFromName(QStringView name)
{
    for (const auto &info : codeTable) {
        if (name == QLatin1StringView(info.name))
            return info.code;
    }
    return ErrorCode::None;
}

bool isFatalByDefault(ErrorCode code)
{
    const CodeInfo *info = find(code);
    return info && info->fatal;
}

const char *errorCodeDescription(ErrorCode code)
{
    const CodeInfo *info = find(code);
    return info ? info->description : "";
}

} // namespace synack::protocol
