#include "net/connectionevent.h"

namespace synack::net {

QString eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::QtState:
        return QStringLiteral("qt-state");
    case EventKind::SocketError:
        return QStringLiteral("socket-error");
    case EventKind::Bytes:
        return QStringLiteral("bytes");
    case EventKind::Frame:
        return QStringLiteral("frame");
    case EventKind::Heartbeat:
        return QStringLiteral("heartbeat");
    case EventKind::KernelState:
        return QStringLiteral("kernel-state");
    case EventKind::Lifecycle:
        return QStringLiteral("lifecycle");
    case EventKind::Lab:
        return QStringLiteral("lab");
    }
    return {};
}

QString directionName(Direction direction)
{
    switch (direction) {
    case Direction::In:
        return QStringLiteral("in");
    case Direction::Out:
        return QStringLiteral("out");
    case Direction::None:
        break;
    }
    return QString();
}

} // namespace synack::net
