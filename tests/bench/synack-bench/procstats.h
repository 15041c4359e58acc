#pragma once

// What /proc says about a process: the server's memory and CPU time (given
// its PID) and the benchmark's own CPU time, to tell whether the server or
// the benchmark was the limit.

#include <string>

namespace synack::bench {

// Resident set size in KiB; -1 when unknown.
long residentKb(int pid);
// CPU time of all the process's threads in seconds; -1 when unknown.
double processCpuSeconds(int pid);
double ownCpuSeconds();
// Jiffies all CPUs spent busy and in total (/proc/stat). On a shared machine,
// busy time beyond the server's and the benchmark's own is someone else's.
struct MachineCpu
{
    unsigned long long busy = 0;
    unsigned long long total = 0;
};
MachineCpu machineCpu();
// Busy share of all CPUs between two readings, in percent.
double busyPercent(const MachineCpu &from, const MachineCpu &to);
// "AMD EPYC, 2 CPUs, Linux 6.1.0": for the report.
std::string machineDescription();
// Raises the open-file limit to at least `wanted` (up to the hard limit);
// returns the limit in force.
long raiseOpenFileLimit(long wanted);

} // namespace synack::bench
