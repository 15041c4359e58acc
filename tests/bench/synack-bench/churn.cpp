#include "churn.h"

#include "clock.h"
#include "outgoing.h"
#include "procstats.h"

#include <cstdio>
#include <vector>

namespace synack::bench {
namespace {

constexpr uint64_t kTickNs = 10 * kNsPerMs;
constexpr uint64_t kProgressNs = kNsPerSecond;
constexpr uint64_t kSayId = 1;

class ChurnRun : public Scenario
{
public:
    ChurnRun(Driver &driver, const Options &options)
        : m_driver(driver)
        , m_options(options)
        , m_steps(driver.clientCount())
    {}

    void begin(uint64_t nowNs)
    {
        m_startNs = m_nextReportNs = nowNs;
        m_result.cycles = m_options.cycles;
        m_result.concurrency = m_options.concurrency;
        m_serverCpuStart = processCpuSeconds(m_options.serverPid);
        m_benchCpuStart = ownCpuSeconds();
        for (std::size_t slot = 0; slot < m_driver.clientCount(); ++slot)
            startCycle(m_driver.client(slot), nowNs);
    }

    void onReady(Client &client, uint64_t nowNs) override
    {
        m_steps[client.slot].welcomeNs = nowNs;
        m_driver.send(client, sayFrame("churn", kSayId));
    }

    void onChat(Client &client, const WireMap &msg, uint64_t nowNs) override
    {
        // The echo of our own say (it alone carries our id) ends the cycle.
        if (msg.toUnsigned("id") == kSayId && msg.text("from") == std::string_view(client.nick)) {
            m_steps[client.slot].echoNs = nowNs;
            m_driver.quit(client, nowNs);
        }
    }

    void onClosed(Client &client, bool completed, uint64_t nowNs) override
    {
        --m_active;
        if (completed) {
            const Steps &steps = m_steps[client.slot];
            ++m_result.completed;
            m_result.cycleNs.add(nowNs - client.startNs);
            m_result.welcomeNs.add(steps.welcomeNs - client.startNs);
            m_result.echoNs.add(steps.echoNs - steps.welcomeNs);
            m_result.closeNs.add(nowNs - steps.echoNs);
        } else {
            ++m_result.failed;
        }
        startCycle(client, nowNs);
    }

    void tick(uint64_t nowNs) override
    {
        if (nowNs >= m_nextReportNs) {
            if (nowNs - m_startNs >= kProgressNs)
                progress(nowNs);
            m_nextReportNs = nowNs + kProgressNs;
        }
        const uint64_t budgetNs = secondsToNs(m_options.cycleSeconds);
        for (std::size_t slot = 0; slot < m_driver.clientCount(); ++slot) {
            Client &client = m_driver.client(slot);
            if (client.fd >= 0 && nowNs - client.startNs > budgetNs)
                m_driver.fail(client, "cycle-timeout", nowNs);
        }
    }

    bool finished() const override
    {
        return m_nextCycle >= uint64_t(m_options.cycles) && m_active == 0;
    }

    ChurnResult result(uint64_t endNs)
    {
        m_result.durationSeconds = nsToSeconds(endNs - m_startNs);
        if (m_result.durationSeconds > 0)
            m_result.cyclesPerSecond = double(m_result.completed) / m_result.durationSeconds;
        const double cpu = processCpuSeconds(m_options.serverPid);
        m_result.serverCpuSeconds = cpu >= 0 && m_serverCpuStart >= 0 ? cpu - m_serverCpuStart : -1;
        m_result.benchCpuSeconds = ownCpuSeconds() - m_benchCpuStart;
        m_result.driver = m_driver.stats();
        return m_result;
    }

private:
    struct Steps
    {
        uint64_t welcomeNs = 0;
        uint64_t echoNs = 0;
    };

    void startCycle(Client &client, uint64_t nowNs)
    {
        // A cycle that cannot even open a socket counts as failed; go on to the next.
        while (m_nextCycle < uint64_t(m_options.cycles)) {
            const uint64_t cycle = m_nextCycle++;
            if (m_driver.connect(client, m_options.nickPrefix + "k" + std::to_string(cycle), nowNs,
                                 secondsToNs(m_options.cycleSeconds))) {
                ++m_active;
                return;
            }
            ++m_result.failed;
        }
    }

    void progress(uint64_t nowNs) const
    {
        std::fprintf(stderr, "synack-bench: %5.1f s  cycles %llu/%d  failed %llu\n",
                     nsToSeconds(nowNs - m_startNs),
                     static_cast<unsigned long long>(m_result.completed), m_options.cycles,
                     static_cast<unsigned long long>(m_result.failed));
    }

    Driver &m_driver;
    const Options &m_options;
    std::vector<Steps> m_steps; // per slot, for the cycle under way
    uint64_t m_nextCycle = 0;
    int m_active = 0;
    uint64_t m_startNs = 0;
    uint64_t m_nextReportNs = 0;
    double m_serverCpuStart = -1;
    double m_benchCpuStart = 0;
    ChurnResult m_result;
};

} // namespace

bool ChurnResult::clean() const
{
    return stop == Driver::Stop::Finished && failed == 0 && completed == uint64_t(cycles);
}

ChurnResult runChurn(const Options &options, std::string *error)
{
    Driver driver(options);
    if (!driver.start(error))
        return {};
    driver.setClientCount(std::size_t(options.concurrency));
    ChurnRun run(driver, options);
    const uint64_t startNs = monoNs();
    run.begin(startNs);
    const Driver::Stop stop = driver.run(run, startNs + secondsToNs(options.maxSeconds), kTickNs);
    ChurnResult result = run.result(monoNs());
    result.stop = stop;
    return result;
}

} // namespace synack::bench
