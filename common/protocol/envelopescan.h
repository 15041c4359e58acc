#pragma once

// The fast half of parseEnvelope() (cborvalue.h): what senders write, one
// definite-length map of text keys with integers, booleans, text and arrays
// of those, scanned in place.

#include "protocol/cborvalue.h"

#include <QByteArrayView>
#include <optional>

namespace synack::protocol {

// The envelope, or nullopt whenever the scan is not sure: it never reports an
// error, it leaves the payload to QCborStreamReader, which says precisely
// what is wrong.
std::optional<Envelope> scanEnvelope(QByteArrayView payload);

} // namespace synack::protocol
