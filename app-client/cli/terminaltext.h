#pragma once

#include <QString>
#include <cstdio>

namespace synack::client {

// Writes `line` and a newline as UTF-8 and flushes, so a pipe sees it at once.
// Text from the network goes through text::visiblePeerText first.
void writeLine(std::FILE *stream, const QString &line);

} // namespace synack::client
