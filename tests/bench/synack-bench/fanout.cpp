#include "fanout.h"

#include "clock.h"
#include "outgoing.h"
#include "procstats.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace synack::bench {
namespace {

// Every delivery is remembered as one bit (receiver x sender x counter);
// beyond this the run is refused rather than exhaust memory.
constexpr uint64_t kMaxDeliveryBits = uint64_t(4) << 30; // 512 MiB
constexpr uint64_t kTickNs = 10 * kNsPerMs;
constexpr uint64_t kProgressNs = kNsPerSecond;

// Reads "<digits>:" from the start of `text` and moves past it.
bool takeNumber(std::string_view &text, uint64_t &out)
{
    out = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && i < 20; ++i)
        out = out * 10 + uint64_t(text[i] - '0');
    if (i == 0 || i >= text.size() || text[i] != ':')
        return false;
    text.remove_prefix(i + 1);
    return true;
}

class FanoutRun : public Scenario
{
public:
    FanoutRun(Driver &driver, const Options &options, const std::string &nickPrefix)
        : m_driver(driver)
        , m_options(options)
        , m_prefix(nickPrefix)
        , m_rate(options.scenario == ScenarioKind::Rate)
        , m_clientCount(std::size_t(options.clients))
        , m_messages(uint64_t(options.messages))
        , m_senders(m_clientCount)
        , m_receivers(m_clientCount)
        , m_seqOf(m_clientCount * m_messages, 0)
    {
        const uint64_t wordsPerReceiver = (m_clientCount * m_messages + 63) / 64;
        for (Receiver &receiver : m_receivers)
            receiver.seen.assign(wordsPerReceiver, 0);
    }

    void begin(uint64_t nowNs)
    {
        m_startNs = m_lastProgressNs = m_nextReportNs = nowNs;
        m_result.clients = int(m_clientCount);
        m_result.rssBeforeKb = residentKb(m_options.serverPid);
        connectMore(nowNs);
    }

    FanoutResult result()
    {
        FanoutResult &r = m_result;
        r.registered = int(m_ready.size());
        r.lost = r.expected > r.received ? r.expected - r.received : 0;
        const uint64_t endNs = m_endNs ? m_endNs : m_lastDeliveryNs;
        r.durationSeconds =
            m_sendStartNs && endNs > m_sendStartNs ? nsToSeconds(endNs - m_sendStartNs) : 0;
        if (r.durationSeconds > 0) {
            r.deliveriesPerSecond = double(r.received) / r.durationSeconds;
            r.messagesPerSecond = double(r.messagesSent) / r.durationSeconds;
        }
        r.driver = m_driver.stats();
        return r;
    }

    void onReady(Client &client, uint64_t nowNs) override
    {
        m_ready.push_back(client.slot);
        m_lastReadyNs = nowNs;
        connectMore(nowNs);
    }

    void onClosed(Client &, bool, uint64_t nowNs) override
    {
        --m_open;
        if (m_phase == Phase::Connecting)
            connectMore(nowNs);
    }

    void onError(Client &client, std::string_view, std::optional<uint64_t> id) override
    {
        if (!id || m_phase != Phase::Sending)
            return;
        ++m_result.rejected; // a say refused still frees its window slot
        Sender &sender = m_senders[client.slot];
        if (sender.inFlight > 0)
            --sender.inFlight;
        if (!m_rate)
            sendNext(client, monoNs());
    }

    void onChat(Client &client, const WireMap &msg, uint64_t nowNs) override
    {
        if (m_phase != Phase::Sending)
            return; // the figures are taken; late arrivals count as lost
        uint64_t senderIndex = 0;
        uint64_t counter = 0;
        uint64_t sentNs = 0;
        std::string_view text = msg.text("text");
        const auto seq = msg.toUnsigned("seq");
        if (!takeNumber(text, senderIndex) || !takeNumber(text, counter) ||
            !takeNumber(text, sentNs) || senderIndex >= m_clientCount || counter >= m_messages ||
            !seq) {
            ++m_result.foreign;
            return;
        }
        Receiver &receiver = m_receivers[client.slot];
        const uint64_t bit = senderIndex * m_messages + counter;
        uint64_t &word = receiver.seen[bit / 64];
        const uint64_t mask = uint64_t(1) << (bit % 64);
        if (word & mask) {
            ++m_result.duplicates;
            return;
        }
        word |= mask;
        ++m_result.received;
        m_lastDeliveryNs = m_lastProgressNs = nowNs;
        if (nowNs > sentNs)
            m_result.latencyNs.add(nowNs - sentNs);

        // Room order: consecutive seqs, and a sender's messages in its order.
        const uint64_t nextBit = bit + 1;
        const bool laterSeen = counter + 1 < m_messages &&
                               (receiver.seen[nextBit / 64] & (uint64_t(1) << (nextBit % 64)));
        if (m_firstSeq == 0)
            m_firstSeq = *seq;
        const uint64_t expectedSeq = receiver.nextSeq ? receiver.nextSeq : m_firstSeq;
        if (*seq < expectedSeq || laterSeen)
            ++m_result.outOfOrder;
        else if (*seq > expectedSeq)
            ++m_result.seqGaps;
        receiver.nextSeq = std::max(receiver.nextSeq, *seq + 1);
        uint64_t &seqOf = m_seqOf[bit];
        if (seqOf == 0)
            seqOf = *seq;
        else if (seqOf != *seq)
            ++m_result.seqMismatch;

        const Client &sender = m_driver.client(senderIndex);
        if (msg.text("from") != std::string_view(sender.nick))
            ++m_result.fromMismatch;
        const auto id = msg.toUnsigned("id");
        if (senderIndex == client.slot) {
            if (id != counter + 1)
                ++m_result.idMismatch;
            Sender &own = m_senders[client.slot];
            if (own.inFlight > 0)
                --own.inFlight;
            if (!m_rate)
                sendNext(client, nowNs);
        } else if (id) {
            ++m_result.idMismatch;
        }
        if (m_result.received == m_result.expected)
            endMeasurement(nowNs);
    }

    void tick(uint64_t nowNs) override
    {
        if (nowNs >= m_nextReportNs) {
            if (nowNs - m_startNs >= kProgressNs)
                progress(nowNs);
            m_nextReportNs = nowNs + kProgressNs;
        }
        switch (m_phase) {
        case Phase::Connecting:
            connectMore(nowNs);
            break;
        case Phase::Sending:
            if (m_rate)
                sendScheduled(nowNs);
            if (nowNs - m_lastProgressNs > secondsToNs(m_options.stallSeconds)) {
                std::fprintf(stderr, "synack-bench: nothing delivered for %.0f s; stopping\n",
                             m_options.stallSeconds);
                m_result.stalled = true;
                endMeasurement(nowNs);
            }
            break;
        case Phase::Quitting:
            break;
        }
    }

    uint64_t wakeAtNs() const override
    {
        if (m_rate && m_phase == Phase::Sending && m_nextScheduled < m_scheduledTotal)
            return dueNs(m_nextScheduled);
        return UINT64_MAX;
    }

    bool finished() const override { return m_phase == Phase::Quitting && m_open == 0; }

    // A time limit or signal: take the figures as they stand.
    void interrupt(uint64_t nowNs)
    {
        if (m_phase == Phase::Sending)
            endMeasurement(nowNs);
    }

private:
    enum class Phase { Connecting, Sending, Quitting };

    struct Sender
    {
        uint64_t sent = 0;
        uint64_t inFlight = 0;
    };
    struct Receiver
    {
        uint64_t nextSeq = 0;
        std::vector<uint64_t> seen; // one bit per (sender, counter)
    };

    void connectMore(uint64_t nowNs)
    {
        if (m_phase != Phase::Connecting)
            return;
        const uint64_t budgetEndNs = m_startNs + secondsToNs(m_options.registerSeconds);
        while (m_nextClient < m_clientCount &&
               m_open - int(m_ready.size()) < m_options.connectConcurrency && nowNs < budgetEndNs) {
            Client &client = m_driver.client(m_nextClient);
            if (m_driver.connect(client, m_prefix + std::to_string(m_nextClient), nowNs,
                                 budgetEndNs - nowNs))
                ++m_open;
            ++m_nextClient;
        }
        const bool allStarted = m_nextClient == m_clientCount || nowNs >= budgetEndNs;
        if (allStarted && m_open == int(m_ready.size()))
            startSending(nowNs);
    }

    void startSending(uint64_t nowNs)
    {
        m_result.registerSeconds = nsToSeconds(m_lastReadyNs - m_startNs);
        if (m_ready.empty()) {
            endMeasurement(nowNs);
            return;
        }
        std::sort(m_ready.begin(), m_ready.end());
        const uint64_t ready = m_ready.size();
        m_result.expected = ready * ready * m_messages;
        m_phase = Phase::Sending;
        m_sendStartNs = m_lastProgressNs = nowNs;
        m_result.serverCpuSeconds = processCpuSeconds(m_options.serverPid);
        m_benchCpuStart = ownCpuSeconds();
        m_machineStart = machineCpu();
        if (m_rate) {
            m_scheduledTotal = ready * m_messages;
            m_intervalNs = double(kNsPerSecond) / m_options.rate;
            sendScheduled(nowNs);
            return;
        }
        for (const uint32_t slot : m_ready) {
            Client &client = m_driver.client(slot);
            for (int i = 0; i < m_options.window; ++i)
                sendNext(client, nowNs);
        }
    }

    // fanout: the client's next message, if its window has room.
    void sendNext(Client &client, uint64_t nowNs)
    {
        Sender &sender = m_senders[client.slot];
        if (m_phase != Phase::Sending || sender.sent >= m_messages ||
            sender.inFlight >= uint64_t(m_options.window) || client.state != Client::State::Ready)
            return;
        say(client, sender, nowNs);
    }

    uint64_t dueNs(uint64_t index) const
    {
        return m_sendStartNs + uint64_t(double(index) * m_intervalNs);
    }

    // rate: every message whose time has come, round-robin over the clients.
    void sendScheduled(uint64_t nowNs)
    {
        while (m_nextScheduled < m_scheduledTotal && dueNs(m_nextScheduled) <= nowNs) {
            const uint64_t due = dueNs(m_nextScheduled);
            Client &client = m_driver.client(m_ready[m_nextScheduled % m_ready.size()]);
            ++m_nextScheduled;
            m_result.sendLagNs.add(nowNs - due);
            if (client.state == Client::State::Ready)
                say(client, m_senders[client.slot], due);
        }
    }

    void say(Client &client, Sender &sender, uint64_t stampNs)
    {
        char text[8192 + 64];
        const int head = std::snprintf(text, sizeof text, "%u:%llu:%llu:", client.slot,
                                       static_cast<unsigned long long>(sender.sent),
                                       static_cast<unsigned long long>(stampNs));
        const int length = std::max(head, m_options.textBytes);
        std::memset(text + head, '.', std::size_t(length - head));
        m_driver.send(client,
                      sayFrame(std::string_view(text, std::size_t(length)), sender.sent + 1));
        ++sender.sent;
        ++sender.inFlight;
        ++m_result.messagesSent;
    }

    void endMeasurement(uint64_t nowNs)
    {
        if (m_phase == Phase::Quitting)
            return;
        if (m_phase == Phase::Sending) {
            m_endNs = m_result.stalled ? m_lastDeliveryNs : nowNs;
            const double serverCpu = processCpuSeconds(m_options.serverPid);
            m_result.serverCpuSeconds = m_result.serverCpuSeconds >= 0 && serverCpu >= 0
                                            ? serverCpu - m_result.serverCpuSeconds
                                            : -1;
            m_result.benchCpuSeconds = ownCpuSeconds() - m_benchCpuStart;
            m_result.machineBusyPercent = busyPercent(m_machineStart, machineCpu());
            m_result.rssAfterKb = residentKb(m_options.serverPid);
        }
        m_phase = Phase::Quitting;
        for (std::size_t slot = 0; slot < m_clientCount; ++slot) {
            Client &client = m_driver.client(slot);
            if (client.fd >= 0) {
                if (client.state == Client::State::Ready)
                    m_driver.quit(client, nowNs);
                else
                    m_driver.fail(client, "still registering at the end", nowNs);
            }
        }
    }

    void progress(uint64_t nowNs) const
    {
        const double t = nsToSeconds(nowNs - m_startNs);
        if (m_phase == Phase::Connecting)
            std::fprintf(stderr, "synack-bench: %5.1f s  registered %zu/%zu\n", t, m_ready.size(),
                         m_clientCount);
        else if (m_phase == Phase::Sending)
            std::fprintf(stderr, "synack-bench: %5.1f s  sent %llu  delivered %llu/%llu (%.0f%%)\n",
                         t, static_cast<unsigned long long>(m_result.messagesSent),
                         static_cast<unsigned long long>(m_result.received),
                         static_cast<unsigned long long>(m_result.expected),
                         100.0 * double(m_result.received) / double(m_result.expected));
    }

    Driver &m_driver;
    const Options &m_options;
    const std::string m_prefix;
    const bool m_rate;
    const std::size_t m_clientCount;
    const uint64_t m_messages;
    std::vector<Sender> m_senders;
    std::vector<Receiver> m_receivers;
    std::vector<uint64_t> m_seqOf; // per (sender, counter): the first seq seen, 0 none
    std::vector<uint32_t> m_ready; // slots of registered clients

    Phase m_phase = Phase::Connecting;
    std::size_t m_nextClient = 0;
    int m_open = 0; // connections not yet closed
    uint64_t m_firstSeq = 0;
    uint64_t m_startNs = 0;
    uint64_t m_lastReadyNs = 0;
    uint64_t m_sendStartNs = 0;
    uint64_t m_lastDeliveryNs = 0;
    uint64_t m_lastProgressNs = 0;
    uint64_t m_nextReportNs = 0;
    uint64_t m_endNs = 0;
    double m_benchCpuStart = 0;
    MachineCpu m_machineStart;
    uint64_t m_nextScheduled = 0;
    uint64_t m_scheduledTotal = 0;
    double m_intervalNs = 0;
    FanoutResult m_result;
};

} // namespace

bool FanoutResult::clean() const
{
    return stop == Driver::Stop::Finished && !stalled && lost == 0 && duplicates == 0 &&
           outOfOrder == 0 && seqMismatch == 0 && fromMismatch == 0 && idMismatch == 0 &&
           rejected == 0 && registered == clients && driver.failureCount() == 0;
}

FanoutResult runFanout(const Options &options, const std::string &nickPrefix, std::string *error)
{
    const uint64_t clients = uint64_t(options.clients);
    if (clients * clients * uint64_t(options.messages) > kMaxDeliveryBits) {
        *error = "clients x clients x messages is too large to track every delivery; "
                 "lower --clients or --messages";
        return {};
    }
    Driver driver(options);
    if (!driver.start(error))
        return {};
    driver.setClientCount(std::size_t(clients));
    FanoutRun run(driver, options, nickPrefix);
    const uint64_t startNs = monoNs();
    const uint64_t untilNs = startNs + secondsToNs(options.maxSeconds);
    run.begin(startNs);
    Driver::Stop stop = driver.run(run, untilNs, kTickNs);
    if (stop != Driver::Stop::Finished) {
        // Out of time or interrupted: keep the figures, give the quits a moment.
        run.interrupt(monoNs());
        driver.run(run, monoNs() + 2 * kNsPerSecond, kTickNs);
    }
    FanoutResult result = run.result();
    result.stop = stop;
    return result;
}

} // namespace synack::bench
