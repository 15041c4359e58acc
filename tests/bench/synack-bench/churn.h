#pragma once

// The churn scenario: C cycles, X at once, of connect, hello, welcome, one
// room message, its echo, bye, and the server's close. Measures whole cycles
// a second, the way a server copes with people coming and going.

#include "driver.h"
#include "histogram.h"
#include "options.h"

namespace synack::bench {

struct ChurnResult
{
    int cycles = 0;
    int concurrency = 0;
    uint64_t completed = 0;
    uint64_t failed = 0;
    double durationSeconds = 0;
    double cyclesPerSecond = 0;
    Histogram cycleNs;
    // The steps of a completed cycle: connect to welcome, say to its echo,
    // bye to the server's close.
    Histogram welcomeNs;
    Histogram echoNs;
    Histogram closeNs;
    double serverCpuSeconds = -1;
    double benchCpuSeconds = 0;
    Driver::Stop stop = Driver::Stop::Finished;
    DriverStats driver;

    bool clean() const;
};

ChurnResult runChurn(const Options &options, std::string *error);

} // namespace synack::bench
