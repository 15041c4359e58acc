#include "options.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <unistd.h>

namespace synack::bench {
namespace {

// Caps that keep every run bounded whatever the command line says.
constexpr int kMaxClients = 60000;
constexpr int kMaxMessages = 10000000;
constexpr int kMaxTextBytes = 8192;
constexpr double kMaxRunSeconds = 3600;

template <class T>
bool parseNumber(std::string_view text, T &out)
{
    if constexpr (std::is_floating_point_v<T>) {
        char *stop = nullptr;
        const std::string copy(text);
        const double value = std::strtod(copy.c_str(), &stop);
        if (copy.empty() || *stop != '\0' || !std::isfinite(value))
            return false;
        out = T(value);
        return true;
    } else {
        const char *end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, out);
        return ec == std::errc() && ptr == end;
    }
}

} // namespace

const char *scenarioName(ScenarioKind kind)
{
    switch (kind) {
    case ScenarioKind::Fanout:
        return "fanout";
    case ScenarioKind::Rate:
        return "rate";
    case ScenarioKind::Idle:
        return "idle";
    case ScenarioKind::Churn:
        return "churn";
    case ScenarioKind::Selftest:
        return "selftest";
    }
    return "?";
}

const char *usageText()
{
    return "usage: synack-bench SCENARIO --host 127.0.0.1 --port P [options]\n"
           "\n"
           "Drives a running SynAck server with many clients over real sockets.\n"
           "Start the server with --flood-rate 0, or the rate limit rejects the load.\n"
           "\n"
           "scenarios:\n"
           "  fanout    every client sends M messages, at most W of its own unacknowledged;\n"
           "            every client must receive every message once, in room order\n"
           "  rate      the same clients and messages at a fixed total rate R (open loop),\n"
           "            latency measured from each message's scheduled time\n"
           "  idle      K clients register and stay S seconds with heartbeats;\n"
           "            the server's RSS per connection with --server-pid\n"
           "  churn     C cycles of connect, register, one message, quit; X at once\n"
           "  selftest  checks the benchmark's frame reader against the project's codec\n"
           "\n"
           "options (defaults in brackets):\n"
           "  --host A               server IPv4 address [127.0.0.1]\n"
           "  --port P               server port [9527]\n"
           "  --clients N            fanout/rate clients [50]; idle clients K [5000]\n"
           "  --messages M           messages per client [200]\n"
           "  --window W             fanout: own messages in flight per client [10]\n"
           "  --rate R               rate: messages per second in total [2000]\n"
           "  --size B               chat text bytes [64]\n"
           "  --seconds S            idle: seconds to hold the clients [20]\n"
           "  --cycles C             churn: cycles [2000]\n"
           "  --concurrency X        churn: cycles at once [10]\n"
           "  --connect-concurrency N  clients connecting or registering at once [200]\n"
           "  --repeat K             fanout/rate: runs, the median reported [1]\n"
           "  --server-pid PID       read the server's RSS and CPU time from /proc\n"
           "  --json FILE            also write the results as JSON\n"
           "  --nick-prefix P        nick prefix [b<pid>-]\n"
           "  --source-addresses N   spread clients over 127.0.0.1..N [4]\n"
           "  --max-seconds T        hard limit of the whole run [120]\n"
           "  --register-seconds T   budget to connect and register everyone [60]\n"
           "  --stall-seconds T      fanout/rate: give up after T s without delivery [10]\n"
           "\n"
           "Prints a table to stdout and progress to stderr. Exit status: 0 clean run,\n"
           "3 finished with losses or failures, 2 stopped by a time limit or a signal,\n"
           "1 bad usage or setup.\n";
}

ParsedOptions parseOptions(int argc, char **argv)
{
    ParsedOptions parsed;
    Options &o = parsed.options;
    if (argc < 2) {
        parsed.error = "missing SCENARIO";
        return parsed;
    }
    const std::string_view scenario = argv[1];
    if (scenario == "-h" || scenario == "--help") {
        parsed.help = true;
        return parsed;
    }
    if (scenario == "fanout")
        o.scenario = ScenarioKind::Fanout;
    else if (scenario == "rate")
        o.scenario = ScenarioKind::Rate;
    else if (scenario == "idle")
        o.scenario = ScenarioKind::Idle;
    else if (scenario == "churn")
        o.scenario = ScenarioKind::Churn;
    else if (scenario == "selftest")
        o.scenario = ScenarioKind::Selftest;
    else {
        parsed.error = "unknown scenario \"" + std::string(scenario) + "\"";
        return parsed;
    }

    bool clientsGiven = false;
    for (int i = 2; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (name == "-h" || name == "--help") {
            parsed.help = true;
            return parsed;
        }
        if (i + 1 >= argc) {
            parsed.error = "missing value for " + std::string(name);
            return parsed;
        }
        const std::string_view value = argv[++i];
        bool ok = true;
        if (name == "--host")
            o.host = value;
        else if (name == "--port")
            ok = parseNumber(value, o.port) && o.port != 0;
        else if (name == "--clients") {
            ok = parseNumber(value, o.clients) && o.clients >= 1 && o.clients <= kMaxClients;
            clientsGiven = true;
        } else if (name == "--messages")
            ok = parseNumber(value, o.messages) && o.messages >= 1 && o.messages <= kMaxMessages;
        else if (name == "--window")
            ok = parseNumber(value, o.window) && o.window >= 1 && o.window <= 100000;
        else if (name == "--rate")
            ok = parseNumber(value, o.rate) && o.rate > 0 && o.rate <= 1e7;
        else if (name == "--size")
            ok = parseNumber(value, o.textBytes) && o.textBytes >= 40 &&
                 o.textBytes <= kMaxTextBytes;
        else if (name == "--seconds")
            ok = parseNumber(value, o.seconds) && o.seconds > 0 && o.seconds <= kMaxRunSeconds;
        else if (name == "--cycles")
            ok = parseNumber(value, o.cycles) && o.cycles >= 1 && o.cycles <= kMaxMessages;
        else if (name == "--concurrency")
            ok = parseNumber(value, o.concurrency) && o.concurrency >= 1 &&
                 o.concurrency <= kMaxClients;
        else if (name == "--connect-concurrency")
            ok = parseNumber(value, o.connectConcurrency) && o.connectConcurrency >= 1;
        else if (name == "--repeat")
            ok = parseNumber(value, o.repeat) && o.repeat >= 1 && o.repeat <= 100;
        else if (name == "--server-pid")
            ok = parseNumber(value, o.serverPid) && o.serverPid > 0;
        else if (name == "--json")
            o.jsonFile = value;
        else if (name == "--nick-prefix")
            o.nickPrefix = value;
        else if (name == "--source-addresses")
            ok = parseNumber(value, o.sourceAddresses) && o.sourceAddresses >= 1 &&
                 o.sourceAddresses <= 250;
        else if (name == "--max-seconds")
            ok = parseNumber(value, o.maxSeconds) && o.maxSeconds > 0 &&
                 o.maxSeconds <= kMaxRunSeconds;
        else if (name == "--register-seconds")
            ok = parseNumber(value, o.registerSeconds) && o.registerSeconds > 0;
        else if (name == "--stall-seconds")
            ok = parseNumber(value, o.stallSeconds) && o.stallSeconds > 0;
        else {
            parsed.error = "unknown option " + std::string(name);
            return parsed;
        }
        if (!ok) {
            parsed.error = "bad value \"" + std::string(value) + "\" for " + std::string(name);
            return parsed;
        }
    }
    if (o.scenario == ScenarioKind::Idle && !clientsGiven)
        o.clients = 5000;
    if (o.nickPrefix.empty())
        o.nickPrefix = "b" + std::to_string(::getpid()) + "-";
    return parsed;
}

} // namespace synack::bench
