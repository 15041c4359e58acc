#include "idle.h"

#include "clock.h"
#include "procstats.h"

#include <cstdio>

namespace synack::bench {
namespace {

constexpr uint64_t kTickNs = 10 * kNsPerMs;
constexpr uint64_t kProgressNs = kNsPerSecond;

class IdleRun : public Scenario
{
public:
    IdleRun(Driver &driver, const Options &options)
        : m_driver(driver)
        , m_options(options)
        , m_clients(std::size_t(options.clients))
    {}

    void begin(uint64_t nowNs)
    {
        m_startNs = m_nextReportNs = nowNs;
        m_result.clients = int(m_clients);
        m_result.rssBeforeKb = residentKb(m_options.serverPid);
        connectMore(nowNs);
    }

    void onReady(Client &, uint64_t nowNs) override
    {
        ++m_ready;
        m_lastReadyNs = nowNs;
        connectMore(nowNs);
    }

    void onClosed(Client &, bool, uint64_t nowNs) override
    {
        --m_open;
        if (m_phase == Phase::Connecting)
            connectMore(nowNs);
        else if (m_phase == Phase::Holding)
            ++m_result.droppedIdle;
    }

    void tick(uint64_t nowNs) override
    {
        if (nowNs >= m_nextReportNs) {
            if (nowNs - m_startNs >= kProgressNs)
                progress(nowNs);
            m_nextReportNs = nowNs + kProgressNs;
        }
        if (m_phase == Phase::Connecting)
            connectMore(nowNs);
        else if (m_phase == Phase::Holding && nowNs >= m_holdUntilNs)
            finish(nowNs);
    }

    bool finished() const override { return m_phase == Phase::Done; }

    void finish(uint64_t nowNs)
    {
        if (m_phase == Phase::Holding) {
            m_result.idleSeconds = nsToSeconds(nowNs - m_holdStartNs);
            m_result.rssEndKb = residentKb(m_options.serverPid);
            const double cpu = processCpuSeconds(m_options.serverPid);
            m_result.serverCpuSeconds =
                cpu >= 0 && m_serverCpuStart >= 0 ? cpu - m_serverCpuStart : -1;
        }
        m_phase = Phase::Done;
    }

    IdleResult result()
    {
        m_result.registered = m_ready;
        m_result.notStarted = int(m_clients - m_nextClient);
        m_result.rampSeconds =
            nsToSeconds(m_lastReadyNs > m_startNs ? m_lastReadyNs - m_startNs : 0);
        m_result.benchCpuSeconds = ownCpuSeconds();
        m_result.driver = m_driver.stats();
        return m_result;
    }

private:
    enum class Phase { Connecting, Holding, Done };

    void connectMore(uint64_t nowNs)
    {
        if (m_phase != Phase::Connecting)
            return;
        const uint64_t budgetEndNs = m_startNs + secondsToNs(m_options.registerSeconds);
        while (m_nextClient < m_clients && m_open - m_ready < m_options.connectConcurrency &&
               nowNs < budgetEndNs) {
            Client &client = m_driver.client(m_nextClient);
            if (m_driver.connect(client, m_options.nickPrefix + std::to_string(m_nextClient), nowNs,
                                 budgetEndNs - nowNs))
                ++m_open;
            ++m_nextClient;
        }
        const bool allStarted = m_nextClient == m_clients || nowNs >= budgetEndNs;
        if (allStarted && m_open == m_ready) {
            // Everyone who could register has; the idle phase starts now.
            m_phase = Phase::Holding;
            m_holdStartNs = nowNs;
            m_holdUntilNs = nowNs + secondsToNs(m_options.seconds);
            m_result.rssRegisteredKb = residentKb(m_options.serverPid);
            m_serverCpuStart = processCpuSeconds(m_options.serverPid);
        }
    }

    void progress(uint64_t nowNs) const
    {
        const double t = nsToSeconds(nowNs - m_startNs);
        const long rss = residentKb(m_options.serverPid);
        if (m_phase == Phase::Connecting)
            std::fprintf(stderr, "synack-bench: %5.1f s  registered %d/%zu  server RSS %ld KiB\n",
                         t, m_ready, m_clients, rss);
        else
            std::fprintf(stderr,
                         "synack-bench: %5.1f s  idle %.0f/%.0f s  connections %d  dropped %llu  "
                         "server RSS %ld KiB\n",
                         t, nsToSeconds(nowNs - m_holdStartNs), m_options.seconds, m_open,
                         static_cast<unsigned long long>(m_result.droppedIdle), rss);
    }

    Driver &m_driver;
    const Options &m_options;
    const std::size_t m_clients;
    Phase m_phase = Phase::Connecting;
    std::size_t m_nextClient = 0;
    int m_open = 0;
    int m_ready = 0;
    uint64_t m_startNs = 0;
    uint64_t m_lastReadyNs = 0;
    uint64_t m_holdStartNs = 0;
    uint64_t m_holdUntilNs = 0;
    uint64_t m_nextReportNs = 0;
    double m_serverCpuStart = -1;
    IdleResult m_result;
};

} // namespace

double IdleResult::bytesPerConnection() const
{
    if (rssBeforeKb < 0 || rssEndKb < 0 || registered == 0)
        return -1;
    return double(rssEndKb - rssBeforeKb) * 1024.0 / registered;
}

bool IdleResult::clean() const
{
    return stop == Driver::Stop::Finished && registered == clients && droppedIdle == 0 &&
           driver.failureCount() == 0;
}

IdleResult runIdle(const Options &options, std::string *error)
{
    Driver driver(options);
    if (!driver.start(error))
        return {};
    driver.setClientCount(std::size_t(options.clients));
    IdleRun run(driver, options);
    const uint64_t startNs = monoNs();
    run.begin(startNs);
    const Driver::Stop stop = driver.run(run, startNs + secondsToNs(options.maxSeconds), kTickNs);
    run.finish(monoNs());
    IdleResult result = run.result();
    result.stop = stop;
    driver.closeAll();
    return result;
}

} // namespace synack::bench
