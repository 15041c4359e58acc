#pragma once

// One readable line for a message, for the socket log:
//   say text="hello" id=7
// Keys in a stable order (`t` first, then alphabetical), long texts cut short.

#include "protocol/cborvalue.h"

namespace synack::protocol {

QString describeEnvelope(const Envelope &envelope, int maxTextLength = 60);
// Decodes `payload` first; a payload that does not decode is described as such.
QString describePayload(QByteArrayView payload, int maxTextLength = 60);

} // namespace synack::protocol
