// synack-probe-bench: what following many sockets' kernel states costs. Opens N
// loopback connections, follows both ends of each with one KernelStateTracker
// at its resting pace for S seconds, and prints the CPU time that took per
// second of wall time (getrusage: user + system), then the cost of one exact
// lookup. Not a CTest test: the figures depend on the machine.

#include "net/kernelprobe.h"
#include "net/kernelstatetracker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace synack::net;

namespace {

constexpr int kMaxPairs = 100000;
constexpr int kMaxSeconds = 600;
constexpr int kSpareFds = 64;
constexpr qint64 kOpenTimeLimitMs = 60000;
constexpr qint64 kSettleTimeLimitMs = 30000;

double cpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Room for `wanted` more fds if the hard limit allows; returns how many fit.
int raiseFdLimit(int wanted)
{
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    const rlim_t needed = rlim_t(wanted) + kSpareFds;
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = std::min(needed, limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return int(std::max<rlim_t>(0, limit.rlim_cur - std::min<rlim_t>(limit.rlim_cur, kSpareFds)));
}

// Closes with an RST, so the benchmark leaves no TIME_WAIT behind.
void abortFd(int fd)
{
    const linger abortive{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    ::close(fd);
}

void runEventLoopFor(qint64 ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    const auto at = values.begin() + qsizetype(p * double(values.size() - 1));
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measures what following the kernel TCP state of many loopback sockets costs."));
    parser.addHelpOption();
    const QCommandLineOption pairsOption(QStringLiteral("pairs"),
                                         QStringLiteral("Loopback connections to open (2000)."),
                                         QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption secondsOption(
        QStringLiteral("seconds"), QStringLiteral("Seconds to measure the resting poll (5)."),
        QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption lookupsOption(QStringLiteral("lookups"),
                                           QStringLiteral("Exact lookups to time (20000)."),
                                           QStringLiteral("n"), QStringLiteral("20000"));
    parser.addOptions({pairsOption, secondsOption, lookupsOption});
    parser.process(app);
    int pairs = std::clamp(parser.value(pairsOption).toInt(), 1, kMaxPairs);
    const int seconds = std::clamp(parser.value(secondsOption).toInt(), 1, kMaxSeconds);
    const int lookups = std::clamp(parser.value(lookupsOption).toInt(), 1, 10'000'000);

    QString whyNot;
    if (!KernelProbe::isAvailable(&whyNot)) {
        std::printf("kernel probe unavailable: %s\n", qPrintable(whyNot));
        return 2;
    }

    const int fdRoom = raiseFdLimit(2 * pairs + 1);
    if (2 * pairs + 1 > fdRoom) {
        pairs = (fdRoom - 1) / 2;
        std::printf("note: the fd limit allows %d pairs only\n", pairs);
    }

    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
        ::listen(listener, SOMAXCONN) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        std::printf("cannot listen on 127.0.0.1: %s\n", std::strerror(errno));
        return 1;
    }

    std::vector<int> fds;
    fds.reserve(size_t(2 * pairs));
    QElapsedTimer opening;
    opening.start();
    for (int i = 0; i < pairs && opening.elapsed() < kOpenTimeLimitMs; ++i) {
        const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (client < 0)
            break;
        if (::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(client);
            break;
        }
        const int server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (server < 0) {
            abortFd(client);
            break;
        }
        fds.push_back(client);
        fds.push_back(server);
    }
    const int opened = int(fds.size() / 2);
    if (opened < pairs)
        std::printf("note: opened %d of %d pairs (%s)\n", opened, pairs, std::strerror(errno));

    std::vector<SocketKey> keys;
    keys.reserve(fds.size());
    for (const int fd : fds) {
        if (const auto key = KernelProbe::keyOf(fd))
            keys.push_back(*key);
    }

    KernelStateTracker tracker;
    for (const SocketKey &key : keys)
        tracker.track(key, TcpState::Established);
    // Until every socket has been looked at once and the tracker rests.
    QElapsedTimer settling;
    settling.start();
    while (tracker.pollInterval() != kSlowPollInterval && settling.elapsed() < kSettleTimeLimitMs)
        runEventLoopFor(10);
    const qint64 settleMs = settling.elapsed();
    runEventLoopFor(std::chrono::milliseconds(2 * kSlowPollInterval).count()); // spread out

    const quint64 checksBefore = tracker.checkCount();
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    runEventLoopFor(qint64(seconds) * 1000);
    const double wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    const double cpuUsed = cpuSeconds() - cpuBefore;
    const quint64 checks = tracker.checkCount() - checksBefore;

    std::vector<double> costs;
    costs.reserve(size_t(lookups));
    int failures = 0;
    for (int i = 0; i < lookups && !keys.empty(); ++i) {
        const SocketKey &key = keys[size_t(i) % keys.size()];
        const auto start = std::chrono::steady_clock::now();
        const auto state = KernelProbe::lookup(key);
        const auto end = std::chrono::steady_clock::now();
        costs.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        if (!state || state->state != TcpState::Established)
            ++failures;
    }

    std::printf("\nsynack-probe-bench\n");
    std::printf("%-40s %12s\n", "measure", "value");
    std::printf("%-40s %12d\n", "loopback pairs", opened);
    std::printf("%-40s %12d\n", "tracked sockets (both ends)", tracker.trackedCount());
    std::printf("%-40s %12lld\n", "first look at all of them, ms", qint64(settleMs));
    std::printf("%-40s %12.2f\n", "measured wall time, s", wallSeconds);
    std::printf("%-40s %12.1f\n", "CPU time used (user+sys), ms", cpuUsed * 1000);
    std::printf("%-40s %12.2f\n", "CPU per wall second, % of a core", 100 * cpuUsed / wallSeconds);
    std::printf("%-40s %12.0f\n", "lookups per second (resting)", double(checks) / wallSeconds);
    std::printf("%-40s %12.2f\n", "each resting socket looked at every, s",
                checks ? double(tracker.trackedCount()) * wallSeconds / double(checks) : 0.0);
    std::printf("%-40s %12.2f\n", "CPU per tracker lookup, us",
                checks ? cpuUsed * 1e6 / double(checks) : 0.0);
    std::printf("%-40s %12.2f\n", "exact lookup, median, us", percentile(costs, 0.5));
    std::printf("%-40s %12.2f\n", "exact lookup, 90th percentile, us", percentile(costs, 0.9));
    std::printf("%-40s %12.2f\n", "exact lookup, 99th percentile, us", percentile(costs, 0.99));
    std::printf("%-40s %12d\n", "lookups timed", int(costs.size()));
    std::printf("%-40s %12d\n", "lookups not ESTABLISHED (should be 0)", failures);

    for (const int fd : fds)
        abortFd(fd);
    ::close(listener);
    return 0;
}
