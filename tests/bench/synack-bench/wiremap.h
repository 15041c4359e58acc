#pragma once

// Reading what a SynAck server sends, fast enough to keep up with a fast
// server (millions of frames a second).
//
// A payload (PROTOCOL.md section 3) is scanned in place into a small map of
// text keys to values, the values pointing into the payload: all a benchmark
// needs from `msg`, `ping`, `welcome` and the rest. The scan covers what
// senders write (definite lengths, at most 16 keys). Anything else, such as
// indefinite lengths or tags, goes to the project's own decoder
// (protocol/cborvalue.h), so a valid frame is only read more slowly, never
// rejected. The fast path checks neither UTF-8 nor duplicate keys: the
// benchmark measures a server, it does not police it.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace synack::bench {

struct WireValue
{
    enum class Kind : uint8_t { Unsigned, Negative, Text, Bool, Array, Other };

    Kind kind = Kind::Other;
    uint64_t number = 0; // Unsigned: the value; Negative: the value is -1 - number; Array: items
    std::string_view text;
    bool boolean = false;
};

class WireMap
{
public:
    static constexpr int kMaxKeys = 16;

    // False when `payload` is not one CBOR map with a text `t`.
    bool read(std::string_view payload);
    // Whether the last read needed the project's decoder.
    bool usedFallback() const { return m_usedFallback; }

    std::string_view type() const { return text("t"); }
    std::optional<uint64_t> toUnsigned(std::string_view key) const;
    std::optional<int64_t> toInt(std::string_view key) const;
    // Empty when the key is missing or not text.
    std::string_view text(std::string_view key) const;
    // True only for a boolean true.
    bool flag(std::string_view key) const;
    std::optional<uint64_t> arraySize(std::string_view key) const;

private:
    bool scan(std::string_view payload);
    bool readWithProjectDecoder(std::string_view payload);
    bool put(std::string_view key, const WireValue &value);
    const WireValue *find(std::string_view key) const;

    std::array<std::string_view, kMaxKeys> m_keys;
    std::array<WireValue, kMaxKeys> m_values;
    int m_count = 0;
    bool m_usedFallback = false;
    std::deque<std::string> m_storage; // keys and text of a fallback read
};

} // namespace synack::bench
