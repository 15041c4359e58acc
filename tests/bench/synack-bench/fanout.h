#pragma once

// The fan-out scenarios. N clients register; then each sends M room messages,
// either with at most W of its own not yet echoed back (`fanout`: the
// server's throughput) or on a fixed schedule of R messages a second in total
// (`rate`: latency at a set load, timed from each message's scheduled send
// time, so a late send counts against the result, not for it). Every client
// must receive every message exactly once, in the room's order (seq), and
// every receiver must see the same seq for the same message.
//
// Chat text: "<sender>:<counter>:<send time, ns>:" padded with '.' to --size
// bytes, so each receiver knows who sent it, which one it is, and when.

#include "driver.h"
#include "histogram.h"
#include "options.h"

#include <cstdint>
#include <string>
#include <vector>

namespace synack::bench {

struct FanoutResult
{
    int clients = 0;
    int registered = 0;
    double registerSeconds = 0; // first connect to last welcome
    uint64_t messagesSent = 0;
    uint64_t rejected = 0; // say answered with error
    uint64_t expected = 0; // registered x registered x messages
    uint64_t received = 0; // distinct deliveries
    uint64_t lost = 0;
    uint64_t duplicates = 0;
    uint64_t outOfOrder = 0;    // seq went back, or a sender's counter did
    uint64_t seqGaps = 0;       // seq jumped ahead (lost, or someone else's message)
    uint64_t seqMismatch = 0;   // two receivers saw different seqs for one message
    uint64_t fromMismatch = 0;  // `from` is not the sender's nick
    uint64_t idMismatch = 0;    // the sender's copy without its id, or another's with one
    uint64_t foreign = 0;       // msg frames not from this run
    double durationSeconds = 0; // first send to last delivery
    double deliveriesPerSecond = 0;
    double messagesPerSecond = 0;
    Histogram latencyNs;
    Histogram sendLagNs; // rate: how late the benchmark sent
    double serverCpuSeconds = -1;
    double benchCpuSeconds = 0;
    double machineBusyPercent = -1; // all CPUs, anyone's work
    long rssBeforeKb = -1;
    long rssAfterKb = -1;
    bool stalled = false;
    Driver::Stop stop = Driver::Stop::Finished;
    DriverStats driver;

    bool clean() const;
};

// Runs one fan-out (or rate) run with nicks `nickPrefix`0, 1, ...
FanoutResult runFanout(const Options &options, const std::string &nickPrefix, std::string *error);

} // namespace synack::bench
