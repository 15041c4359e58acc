#pragma once

// Typed messages to CBOR payloads and back (PROTOCOL.md sections 3 and 4).
// Senders write definite lengths, `t` first, then the keys in the order the
// protocol's tables list them.

#include "protocol/cborvalue.h"
#include "protocol/errors.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <optional>

namespace synack::protocol {

// Which messages a receiver knows: a server knows what clients send, a client
// what servers send; both know ping, pong and bye. Discovery is the UDP pair.
enum class Role { Server, Client, Discovery };

QByteArray encodePayload(const Message &message);
// The payload with its length prefix, in one allocation.
QByteArray encodeMessageFrame(const Message &message);

// The `t` of a message ("hello", "msg", ...).
QLatin1StringView typeName(const Message &message);

bool isKnownType(QStringView type, Role receiver);

struct DecodeResult
{
    std::optional<Message> message;
    ProtocolError error;
};

// Step 5 of the receiver's order: the keys and types of one message.
// A type the receiver does not know is unknown-type.
DecodeResult decodeMessage(const Envelope &envelope, Role receiver);
// parseEnvelope() and decodeMessage() together.
DecodeResult decodePayload(QByteArrayView payload, Role receiver);

} // namespace synack::protocol
