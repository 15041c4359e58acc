#include "procstats.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace synack::bench {

long residentKb(int pid)
{
    if (pid <= 0)
        return -1;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

double processCpuSeconds(int pid)
{
    if (pid <= 0)
        return -1;
    // Per-thread schedstat counts nanoseconds; /proc/PID/stat only ticks.
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR *dir = ::opendir(tasks.c_str());
    if (!dir)
        return -1;
    double total = 0;
    bool any = false;
    while (const dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        std::ifstream stat(tasks + "/" + entry->d_name + "/schedstat");
        unsigned long long ns = 0;
        if (stat >> ns) {
            total += double(ns) / 1e9;
            any = true;
        }
    }
    ::closedir(dir);
    return any ? total : -1;
}

double ownCpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

MachineCpu machineCpu()
{
    std::ifstream stat("/proc/stat");
    std::string label;
    // user nice system idle iowait irq softirq steal
    unsigned long long fields[8] = {};
    stat >> label;
    for (unsigned long long &field : fields)
        stat >> field;
    MachineCpu cpu;
    for (const unsigned long long field : fields)
        cpu.total += field;
    cpu.busy = cpu.total - fields[3] - fields[4];
    return cpu;
}

double busyPercent(const MachineCpu &from, const MachineCpu &to)
{
    const unsigned long long total = to.total - from.total;
    return total ? 100.0 * double(to.busy - from.busy) / double(total) : -1;
}

std::string machineDescription()
{
    std::string model = "unknown CPU";
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                model = line.substr(line.find_first_not_of(' ', colon + 1));
            break;
        }
    }
    utsname system{};
    ::uname(&system);
    return model + ", " + std::to_string(::sysconf(_SC_NPROCESSORS_ONLN)) + " CPUs, " +
           system.sysname + " " + system.release;
}

long raiseOpenFileLimit(long wanted)
{
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < rlim_t(wanted)) {
        limit.rlim_cur = std::min<rlim_t>(rlim_t(wanted), limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return long(limit.rlim_cur);
}

} // namespace synack::bench
