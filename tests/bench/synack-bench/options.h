#pragma once

// synack-bench's command line:
//
//   synack-bench SCENARIO --host 127.0.0.1 --port P [options]
//
// Defaults follow issue 9's comparison table: fanout 50 clients x 200
// messages, window 10; rate 2,000 msg/s; idle 5,000 clients for 20 s; churn
// 2,000 cycles, 10 at once.

#include <cstdint>
#include <string>

namespace synack::bench {

enum class ScenarioKind { Fanout, Rate, Idle, Churn, Selftest };

struct Options
{
    ScenarioKind scenario = ScenarioKind::Fanout;
    std::string host = "127.0.0.1";
    uint16_t port = 9527;
    int clients = 50;             // fanout and rate: senders, each also a receiver; idle: K
    int messages = 200;           // fanout and rate: per client
    int window = 10;              // fanout: a client's own messages not yet echoed
    double rate = 2000;           // rate: messages per second, all clients together
    int textBytes = 64;           // length of each chat text
    double seconds = 20;          // idle: how long the registered clients stay
    int cycles = 2000;            // churn: connect, register, say, quit, this many times
    int concurrency = 10;         // churn: cycles under way at once
    int connectConcurrency = 200; // clients connecting or registering at once
    int repeat = 1;               // fanout and rate: runs; the median is reported
    int serverPid = 0;            // for RSS and CPU from /proc
    std::string jsonFile;
    std::string nickPrefix;      // default: b<pid>- so runs against one server never collide
    int sourceAddresses = 4;     // loopback source addresses 127.0.0.1..N, for ports
    double maxSeconds = 120;     // every run stops here, whatever it is doing
    double registerSeconds = 60; // budget for connecting and registering everyone
    double stallSeconds = 10;    // fanout and rate: no delivery for this long ends the run
    double cycleSeconds = 10;    // churn: budget of one cycle
};

struct ParsedOptions
{
    Options options;
    std::string error; // empty when the command line is good
    bool help = false;
};

ParsedOptions parseOptions(int argc, char **argv);
const char *usageText();
const char *scenarioName(ScenarioKind kind);

} // namespace synack::bench
