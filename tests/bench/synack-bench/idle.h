#pragma once

// The idle scenario: K clients connect (at most --connect-concurrency at
// once), register, and then stay S seconds doing nothing but heartbeats:
// answering the server's pings and sending their own every `hb` ms. With the
// server's PID it reads the server's RSS before the first connect, once all
// are registered, and at the end: (end - before) / registered is the memory
// one idle registered connection costs. A client the server drops while idle
// is counted. At the end the connections are simply closed: K quits would
// make the server announce K leaves to everyone, K x K frames, which would
// measure something else.

#include "driver.h"
#include "options.h"

namespace synack::bench {

struct IdleResult
{
    int clients = 0;
    int registered = 0;
    int notStarted = 0;       // the registration budget ran out before their turn
    double rampSeconds = 0;   // first connect to the last welcome
    uint64_t droppedIdle = 0; // lost while idle
    double idleSeconds = 0;   // how long the registered clients were held
    long rssBeforeKb = -1;
    long rssRegisteredKb = -1;
    long rssEndKb = -1;
    double serverCpuSeconds = -1; // while idle
    double benchCpuSeconds = 0;
    Driver::Stop stop = Driver::Stop::Finished;
    DriverStats driver;

    double bytesPerConnection() const;
    bool clean() const;
};

IdleResult runIdle(const Options &options, std::string *error);

} // namespace synack::bench
