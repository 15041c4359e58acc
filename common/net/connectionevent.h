#pragma once

// One entry of a connection's socket log: what happened to it, when, and in
// which direction, at the Qt level, the protocol level or the kernel level.

#include <QByteArray>
#include <QString>

namespace synack::net {

enum class EventKind : quint8 {
    QtState,     // QAbstractSocket state change ("ConnectedState")
    SocketError, // a Qt socket error, with the reason in words
    Bytes,       // bytes read from or written to the socket
    Frame,       // one protocol frame in or out
    Heartbeat,   // ping, pong and the round trip it measured
    KernelState, // the kernel's TCP state, from the probe
    Lifecycle,   // connect, bye, timeout, kick, close and why
    Lab,         // a lab action: abort, half-close, hold CLOSE_WAIT, freeze
};

enum class Direction : quint8 { None, In, Out };

struct ConnectionEvent
{
    quint64 connectionId = 0;
    qint64 monotonicUs = 0; // steady clock, the base of KernelStateTracker::monotonicUs()
    qint64 wallMs = 0;      // milliseconds since the Unix epoch
    EventKind kind = EventKind::Lifecycle;
    Direction direction = Direction::None;
    QString type;    // a frame's `t`, a Qt or kernel state's name, a lab action
    QString summary; // one readable line
    qint64 size = 0; // bytes: the whole frame, header included, or the bytes read/written
    QByteArray raw;  // a frame's bytes, at most kMaxRawBytes of them
};

inline constexpr qsizetype kMaxRawBytes = 4096;

QString eventKindName(EventKind kind);
QString directionName(Direction direction);

} // namespace synack::net
