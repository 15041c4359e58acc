#pragma once

#include <QString>
#include <cstdio>

namespace synack::client {

// Text from the network, made safe to print: control characters are shown,
// not obeyed (no cursor moves or colours from another user), and a newline
// becomes ↵ so that one event stays one line.
QString printable(const QString &text);

// Writes `line` and a newline as UTF-8 and flushes, so a pipe sees it at once.
void writeLine(std::FILE *stream, const QString &line);

} // namespace synack::client
