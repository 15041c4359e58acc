// synack-bench: drives a running SynAck server with many clients over real
// sockets and reports throughput, losses, latency, memory and churn, as a
// table on stdout and as JSON (--json). See options.cpp for the command line
// and docs/benchmarks.md for how the figures are taken.

#include "churn.h"
#include "clock.h"
#include "fanout.h"
#include "idle.h"
#include "options.h"
#include "procstats.h"
#include "report.h"
#include "selftest.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

using namespace synack::bench;

namespace {

constexpr int kExitClean = 0;
constexpr int kExitSetup = 1;
constexpr int kExitTimeLimit = 2;
constexpr int kExitFailures = 3;
constexpr long kSpareFds = 64;

std::string isoNow()
{
    const std::time_t now = std::time(nullptr);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S%z", std::localtime(&now));
    return buffer;
}

std::string stopName(Driver::Stop stop)
{
    switch (stop) {
    case Driver::Stop::Finished:
        return "finished";
    case Driver::Stop::TimeLimit:
        return "hit --max-seconds";
    case Driver::Stop::Interrupted:
        return "interrupted";
    }
    return "?";
}

int exitStatus(Driver::Stop stop, bool clean)
{
    if (stop != Driver::Stop::Finished)
        return kExitTimeLimit;
    return clean ? kExitClean : kExitFailures;
}

std::string countsJson(const std::map<std::string, uint64_t> &counts)
{
    JsonObject object;
    for (const auto &[name, count] : counts)
        object.integer(name, int64_t(count));
    return object.str();
}

std::string countsHuman(const std::map<std::string, uint64_t> &counts)
{
    if (counts.empty())
        return "none";
    std::string out;
    for (const auto &[name, count] : counts)
        out += (out.empty() ? "" : ", ") + name + " x" + std::to_string(count);
    return out;
}

std::string ms(uint64_t ns)
{
    return formatFixed(double(ns) / 1e6, 2);
}

std::string latencyJson(const Histogram &h)
{
    return JsonObject()
        .number("p50", double(h.percentile(0.50)) / 1e3, 1)
        .number("p90", double(h.percentile(0.90)) / 1e3, 1)
        .number("p99", double(h.percentile(0.99)) / 1e3, 1)
        .number("max", double(h.max()) / 1e3, 1)
        .str();
}

std::string latencyHuman(const Histogram &h)
{
    if (h.count() == 0)
        return "-";
    return ms(h.percentile(0.50)) + " / " + ms(h.percentile(0.90)) + " / " +
           ms(h.percentile(0.99)) + " / " + ms(h.max()) + " ms";
}

double percentOf(double part, double whole)
{
    return part >= 0 && whole > 0 ? 100.0 * part / whole : std::numeric_limits<double>::quiet_NaN();
}

double mib(long kb)
{
    return kb >= 0 ? double(kb) / 1024.0 : std::numeric_limits<double>::quiet_NaN();
}

void addHeader(Report &report, const Options &o)
{
    report.text("scenario", "scenario", scenarioName(o.scenario));
    report.text("server", "server",
                o.host + ":" + std::to_string(o.port) +
                    (o.serverPid ? " (pid " + std::to_string(o.serverPid) + ")" : ""));
    report.text("date", "date", isoNow());
    report.text("machine", "machine", machineDescription());
}

void addDriverRows(Report &report, const DriverStats &d)
{
    report.raw("failure_reasons", countsJson(d.failures), "failures", countsHuman(d.failures));
    report.raw("error_frames", countsJson(d.errors), "error frames", countsHuman(d.errors));
    report.integer("frames_received", "", int64_t(d.framesIn));
    report.integer("bytes_received", "", int64_t(d.bytesIn));
    report.integer("bytes_sent", "", int64_t(d.bytesOut));
    report.integer("fallback_frames", "", int64_t(d.fallbackFrames));
    report.integer("presence_frames", "", int64_t(d.presenceFrames));
    report.integer("backlog_msgs", "", int64_t(d.backlogMessages));
    report.integer("server_pings_answered", "", int64_t(d.serverPings));
    report.integer("client_pings_sent", "", int64_t(d.pingsSent));
    report.integer("pongs_received", "", int64_t(d.pongsReceived));
    report.integer("quit_resets", "", int64_t(d.quitResets));
}

int reportFanout(Report &report, const Options &o, std::vector<FanoutResult> runs)
{
    std::sort(runs.begin(), runs.end(), [](const FanoutResult &a, const FanoutResult &b) {
        return a.deliveriesPerSecond < b.deliveriesPerSecond;
    });
    const FanoutResult &r = runs[(runs.size() - 1) / 2];
    const bool rate = o.scenario == ScenarioKind::Rate;
    std::string params = std::to_string(o.clients) + " clients x " + std::to_string(o.messages) +
                         " messages of " + std::to_string(o.textBytes) + " bytes, ";
    params +=
        rate ? formatFixed(o.rate, 0) + " msg/s in total" : "window " + std::to_string(o.window);
    report.text("parameters", "parameters", params);
    report.integer("clients", "", o.clients);
    report.integer("messages_per_client", "", o.messages);
    report.integer("window", "", rate ? 0 : o.window);
    report.number("rate", "", rate ? o.rate : 0, 1);
    report.integer("text_bytes", "", o.textBytes);
    if (runs.size() > 1) {
        report.integer("runs", "runs", int64_t(runs.size()));
        report.text("run_reported", "reported", "the median run by deliveries/s");
    }
    report.integer("registered", "registered", r.registered);
    report.number("register_s", "registration took", r.registerSeconds, 3, " s");
    report.integer("messages_sent", "messages sent", int64_t(r.messagesSent));
    report.integer("deliveries_expected", "deliveries expected", int64_t(r.expected));
    report.integer("deliveries_received", "deliveries received", int64_t(r.received));
    report.integer("lost", "lost", int64_t(r.lost));
    report.integer("duplicates", "duplicated", int64_t(r.duplicates));
    report.integer("out_of_order", "out of order", int64_t(r.outOfOrder));
    report.integer("seq_gaps", "seq gaps", int64_t(r.seqGaps));
    report.integer("seq_mismatch", "seq differs between clients", int64_t(r.seqMismatch));
    report.integer("from_mismatch", "wrong from", int64_t(r.fromMismatch));
    report.integer("id_mismatch", "wrong id", int64_t(r.idMismatch));
    report.integer("rejected", "says rejected", int64_t(r.rejected));
    report.integer("foreign_msgs", "", int64_t(r.foreign));
    report.number("duration_s", "duration", r.durationSeconds, 4, " s");
    std::string range;
    if (runs.size() > 1)
        range = " (runs " + Report::grouped(int64_t(runs.front().deliveriesPerSecond)) + " to " +
                Report::grouped(int64_t(runs.back().deliveriesPerSecond)) + ")";
    report.raw("deliveries_per_s", formatFixed(r.deliveriesPerSecond, 0), "deliveries/s",
               Report::grouped(int64_t(r.deliveriesPerSecond)) + range);
    report.number("deliveries_per_s_min", "", runs.front().deliveriesPerSecond, 0);
    report.number("deliveries_per_s_max", "", runs.back().deliveriesPerSecond, 0);
    report.number("msgs_per_s", "messages/s", r.messagesPerSecond, 0);
    report.raw("latency_us", latencyJson(r.latencyNs), "latency p50/p90/p99/max",
               latencyHuman(r.latencyNs));
    if (rate)
        report.raw("send_lag_us", latencyJson(r.sendLagNs), "send lag p50/p90/p99/max",
                   latencyHuman(r.sendLagNs));
    report.number("server_cpu_s", "", r.serverCpuSeconds, 3);
    report.number("server_cpu_pct", "server CPU (one core = 100 %)",
                  percentOf(r.serverCpuSeconds, r.durationSeconds), 0, " %");
    report.number("bench_cpu_pct", "synack-bench CPU",
                  percentOf(r.benchCpuSeconds, r.durationSeconds), 0, " %");
    report.number("machine_busy_pct", "all CPUs busy (anyone's work)", r.machineBusyPercent, 0,
                  " %");
    // On a shared machine the server may not get a whole core: this figure
    // does not depend on how much it got.
    report.number("deliveries_per_server_cpu_s", "deliveries per server CPU second",
                  r.serverCpuSeconds > 0 ? double(r.received) / r.serverCpuSeconds
                                         : std::numeric_limits<double>::quiet_NaN(),
                  0);
    report.integer("rss_before_kb", "", r.rssBeforeKb);
    report.integer("rss_after_kb", "", r.rssAfterKb);
    report.text("server_rss", "server RSS before -> after",
                formatFixed(mib(r.rssBeforeKb), 1) + " -> " + formatFixed(mib(r.rssAfterKb), 1) +
                    " MiB");
    addDriverRows(report, r.driver);
    bool clean = true;
    for (const FanoutResult &run : runs)
        clean = clean && run.clean();
    report.text("end", "end", stopName(r.stop) + (r.stalled ? ", stalled" : ""));
    report.flag("clean", "clean (every run)", clean);
    Driver::Stop worst = Driver::Stop::Finished;
    for (const FanoutResult &run : runs)
        worst = run.stop != Driver::Stop::Finished ? run.stop : worst;
    return exitStatus(worst, clean);
}

int reportIdle(Report &report, const Options &o, const IdleResult &r)
{
    report.text("parameters", "parameters",
                std::to_string(o.clients) + " clients, " + formatFixed(o.seconds, 0) + " s idle");
    report.integer("clients", "", o.clients);
    report.integer("registered", "registered", r.registered);
    report.integer("not_started", "not started (out of time)", r.notStarted);
    report.number("ramp_s", "registration took", r.rampSeconds, 2, " s");
    const Histogram &reg = r.driver.registerNs;
    report.raw("register_ms",
               JsonObject()
                   .number("p50", double(reg.percentile(0.5)) / 1e6, 2)
                   .number("p99", double(reg.percentile(0.99)) / 1e6, 2)
                   .number("max", double(reg.max()) / 1e6, 2)
                   .str(),
               "connect to welcome p50/p99/max",
               ms(reg.percentile(0.5)) + " / " + ms(reg.percentile(0.99)) + " / " + ms(reg.max()) +
                   " ms");
    report.number("idle_s", "held idle", r.idleSeconds, 1, " s");
    report.integer("dropped_while_idle", "dropped while idle", int64_t(r.droppedIdle));
    report.integer("rss_before_kb", "", r.rssBeforeKb);
    report.integer("rss_registered_kb", "", r.rssRegisteredKb);
    report.integer("rss_end_kb", "", r.rssEndKb);
    report.text("server_rss", "server RSS before / registered / end",
                formatFixed(mib(r.rssBeforeKb), 1) + " / " +
                    formatFixed(mib(r.rssRegisteredKb), 1) + " / " +
                    formatFixed(mib(r.rssEndKb), 1) + " MiB");
    report.number("rss_per_conn_bytes", "server RSS per connection", r.bytesPerConnection(), 0,
                  " B");
    report.number("server_cpu_s", "server CPU while idle", r.serverCpuSeconds, 3, " s");
    report.number("bench_cpu_s", "", r.benchCpuSeconds, 3);
    report.text("heartbeats", "pings answered / sent / pongs",
                Report::grouped(int64_t(r.driver.serverPings)) + " / " +
                    Report::grouped(int64_t(r.driver.pingsSent)) + " / " +
                    Report::grouped(int64_t(r.driver.pongsReceived)));
    addDriverRows(report, r.driver);
    report.text("end", "end", stopName(r.stop));
    report.flag("clean", "clean", r.clean());
    return exitStatus(r.stop, r.clean());
}

int reportChurn(Report &report, const Options &o, const ChurnResult &r)
{
    report.text("parameters", "parameters",
                std::to_string(o.cycles) + " cycles, " + std::to_string(o.concurrency) +
                    " at once");
    report.integer("cycles", "", o.cycles);
    report.integer("concurrency", "", o.concurrency);
    report.integer("completed", "completed", int64_t(r.completed));
    report.integer("failures", "failed", int64_t(r.failed));
    report.number("duration_s", "duration", r.durationSeconds, 3, " s");
    report.number("cycles_per_s", "cycles/s", r.cyclesPerSecond, 1);
    report.raw("cycle_ms",
               JsonObject()
                   .number("p50", double(r.cycleNs.percentile(0.5)) / 1e6, 3)
                   .number("p99", double(r.cycleNs.percentile(0.99)) / 1e6, 3)
                   .number("max", double(r.cycleNs.max()) / 1e6, 3)
                   .str(),
               "cycle p50/p99/max",
               ms(r.cycleNs.percentile(0.5)) + " / " + ms(r.cycleNs.percentile(0.99)) + " / " +
                   ms(r.cycleNs.max()) + " ms");
    const auto step = [&](const std::string &key, const std::string &label, const Histogram &h) {
        report.raw(key,
                   JsonObject()
                       .number("p50", double(h.percentile(0.5)) / 1e6, 3)
                       .number("p99", double(h.percentile(0.99)) / 1e6, 3)
                       .str(),
                   label, ms(h.percentile(0.5)) + " / " + ms(h.percentile(0.99)) + " ms");
    };
    step("connect_welcome_ms", "  connect to welcome p50/p99", r.welcomeNs);
    step("say_echo_ms", "  say to its echo p50/p99", r.echoNs);
    step("bye_close_ms", "  bye to server's close p50/p99", r.closeNs);
    report.number("server_cpu_s", "", r.serverCpuSeconds, 3);
    report.number("server_cpu_pct", "server CPU (one core = 100 %)",
                  percentOf(r.serverCpuSeconds, r.durationSeconds), 0, " %");
    report.number("bench_cpu_pct", "synack-bench CPU",
                  percentOf(r.benchCpuSeconds, r.durationSeconds), 0, " %");
    addDriverRows(report, r.driver);
    report.text("end", "end", stopName(r.stop));
    report.flag("clean", "clean", r.clean());
    return exitStatus(r.stop, r.clean());
}

} // namespace

int main(int argc, char **argv)
{
    const ParsedOptions parsed = parseOptions(argc, argv);
    if (parsed.help) {
        std::fputs(usageText(), stdout);
        return kExitClean;
    }
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "synack-bench: %s\n\n%s", parsed.error.c_str(), usageText());
        return kExitSetup;
    }
    const Options &options = parsed.options;
    if (options.scenario == ScenarioKind::Selftest)
        return runSelftest();

    const long sockets =
        options.scenario == ScenarioKind::Churn ? options.concurrency : options.clients;
    if (raiseOpenFileLimit(sockets + kSpareFds) < sockets + kSpareFds) {
        std::fprintf(stderr, "synack-bench: the open-file limit is too low for %ld sockets\n",
                     sockets);
        return kExitSetup;
    }
    Driver::installSignalHandlers();

    Report report;
    addHeader(report, options);
    std::string error;
    int status = kExitClean;
    switch (options.scenario) {
    case ScenarioKind::Fanout:
    case ScenarioKind::Rate: {
        std::vector<FanoutResult> runs;
        for (int i = 0; i < options.repeat && error.empty(); ++i) {
            const std::string prefix = options.repeat > 1
                                           ? options.nickPrefix + "r" + std::to_string(i) + "-"
                                           : options.nickPrefix;
            runs.push_back(runFanout(options, prefix, &error));
            if (options.repeat > 1)
                std::fprintf(stderr, "synack-bench: run %d/%d: %.0f deliveries/s\n", i + 1,
                             options.repeat, runs.back().deliveriesPerSecond);
            if (runs.back().stop == Driver::Stop::Interrupted)
                break;
        }
        if (error.empty())
            status = reportFanout(report, options, std::move(runs));
        break;
    }
    case ScenarioKind::Idle: {
        const IdleResult result = runIdle(options, &error);
        if (error.empty())
            status = reportIdle(report, options, result);
        break;
    }
    case ScenarioKind::Churn: {
        const ChurnResult result = runChurn(options, &error);
        if (error.empty())
            status = reportChurn(report, options, result);
        break;
    }
    case ScenarioKind::Selftest:
        break;
    }
    if (!error.empty()) {
        std::fprintf(stderr, "synack-bench: %s\n", error.c_str());
        return kExitSetup;
    }
    std::cout << "synack-bench " << scenarioName(options.scenario) << "\n" << report.table();
    std::cout.flush();
    if (!options.jsonFile.empty()) {
        std::ofstream json(options.jsonFile);
        json << report.json();
        if (!json) {
            std::fprintf(stderr, "synack-bench: cannot write %s\n", options.jsonFile.c_str());
            return kExitSetup;
        }
    }
    return status;
}
