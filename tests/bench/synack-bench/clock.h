#pragma once

// The benchmark's two clocks: a monotonic one in nanoseconds for every
// interval it measures, and the wall clock in milliseconds for the `ts` of
// pings (PROTOCOL.md section 6).

#include <cstdint>
#include <ctime>

namespace synack::bench {

inline constexpr uint64_t kNsPerMs = 1000000;
inline constexpr uint64_t kNsPerSecond = 1000000000;

inline uint64_t monoNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return uint64_t(now.tv_sec) * kNsPerSecond + uint64_t(now.tv_nsec);
}

inline int64_t wallMs()
{
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return int64_t(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

inline uint64_t secondsToNs(double seconds)
{
    return seconds <= 0 ? 0 : uint64_t(seconds * double(kNsPerSecond));
}

inline double nsToSeconds(uint64_t ns)
{
    return double(ns) / double(kNsPerSecond);
}

} // namespace synack::bench
