#pragma once

// The frames the benchmark sends, encoded by the project's own codec
// (protocol/codec.h), so the bytes on the wire are what a SynAck client sends.

#include <QByteArray>
#include <cstdint>
#include <string_view>

namespace synack::bench {

QByteArray helloFrame(std::string_view nick);
QByteArray sayFrame(std::string_view text, uint64_t id);
QByteArray pingFrame(uint64_t seq, int64_t ts);
QByteArray pongFrame(uint64_t seq, int64_t ts);
QByteArray quitFrame();

} // namespace synack::bench
