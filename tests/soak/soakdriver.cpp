#include "soakdriver.h"

#include "episodes.h"
#include "procstats.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <cstdio>

using namespace synack;
using namespace std::chrono_literals;

namespace {

constexpr auto kStayerChatInterval = 250ms;
constexpr auto kSettleStep = 100ms;
constexpr auto kStalledReaderEvery = 30000ms;
constexpr int kSettleSteps = 100; // 10 s for the server to settle after a cycle
constexpr qint64 kRssGrowthLimitKb = 2048;
constexpr int kMaxListed = 5; // failures listed per invariant or episode kind

struct HistoryLine
{
    quint64 seq = 0;
    QString from;
    QByteArray digest; // of the text
};

// The history file's lines with seq >= firstSeq; `bad` counts lines that do
// not parse.
QList<HistoryLine> readHistory(const QString &path, quint64 firstSeq, int *bad)
{
    QList<HistoryLine> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (int guard = 0; guard < 100000000 && !file.atEnd(); ++guard) {
        const QByteArray raw = file.readLine().trimmed();
        if (raw.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(raw).object();
        const QJsonValue seq = o.value(QLatin1StringView("seq"));
        if (!seq.isDouble()) {
            ++*bad;
            continue;
        }
        if (quint64(seq.toInteger()) < firstSeq)
            continue;
        lines.append({quint64(seq.toInteger()), o.value(QLatin1StringView("from")).toString(),
                      textDigest(o.value(QLatin1StringView("text")).toString())});
    }
    return lines;
}

quint64 lastSeqIn(const QString &path)
{
    int bad = 0;
    const QList<HistoryLine> lines = readHistory(path, 0, &bad);
    quint64 last = 0;
    for (const HistoryLine &line : lines)
        last = std::max(last, line.seq);
    return last;
}

QString machine()
{
    QString cpu;
    QFile info(QStringLiteral("/proc/cpuinfo"));
    if (info.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : info.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                cpu = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
                break;
            }
        }
    }
    return QStringLiteral("%1, %2 %3, %4 CPUs (%5)")
        .arg(QSysInfo::machineHostName(), QSysInfo::kernelType(), QSysInfo::kernelVersion())
        .arg(QThread::idealThreadCount())
        .arg(cpu);
}

QString mib(qint64 kb)
{
    return QString::number(double(kb) / 1024.0, 'f', 1) + QStringLiteral(" MiB");
}

} // namespace

SoakDriver::SoakDriver(const SoakSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_random(settings.seed ? settings.seed : QRandomGenerator::global()->generate())
{
    if (m_settings.seed == 0)
        m_settings.seed = m_random.generate();
    m_random.seed(m_settings.seed);
    connect(&m_stayerChat, &QTimer::timeout, this, [this] {
        SoakClient *stayer = m_stayers[m_random.bounded(quint32(m_stayers.size()))];
        stayer->say(QStringLiteral("%1 at %2 ms, é你").arg(stayer->nick()).arg(m_clock.elapsed()));
    });
    connect(&m_sampler, &QTimer::timeout, this, &SoakDriver::sampleDuringCycle);
}

SoakDriver::~SoakDriver() = default;

std::chrono::milliseconds SoakDriver::bound(std::chrono::milliseconds base) const
{
    return std::chrono::milliseconds(qint64(double(base.count()) * m_settings.patience));
}

QString SoakDriver::nextNick(const QString &prefix)
{
    return prefix + QString::number(++m_nickCounter);
}

QString SoakDriver::stayerNick(int index) const
{
    return m_stayers.at(size_t(index))->nick();
}

std::optional<QString> SoakDriver::leaveOf(const QString &nick) const
{
    const auto it = m_leaves.constFind(nick);
    if (it == m_leaves.cend())
        return std::nullopt;
    return *it;
}

void SoakDriver::keep(const SoakClient &client)
{
    for (auto it = client.acks().cbegin(); it != client.acks().cend(); ++it) {
        if (it->seq) // private messages have no seq and no place in the history
            m_acked.append({it->from, *it->seq, client.sentDigest(it.key())});
    }
    m_saysSent +=
        qint64(client.acks().size() + client.rejections().size()) + client.unansweredSays();
    m_saysRejected += client.rejections().size();
    m_duplicateAnswers += client.duplicateAnswers();
    m_unanswered += client.unansweredSays();
    if (client.unansweredSays() > 0)
        fail(QStringLiteral("every say answered"),
             QStringLiteral("%1 has %2 says without an answer")
                 .arg(client.nick())
                 .arg(client.unansweredSays()));
}

void SoakDriver::fail(const QString &invariant, const QString &detail)
{
    QStringList &details = m_failures[invariant];
    if (details.size() < kMaxListed)
        details.append(detail);
    else if (details.size() == kMaxListed)
        details.append(QStringLiteral("..."));
    std::fprintf(stderr, "soak: FAIL %s: %s\n", qPrintable(invariant), qPrintable(detail));
}

void SoakDriver::note(const QString &text)
{
    m_notes.append(text);
    std::fprintf(stderr, "soak: %s\n", qPrintable(text));
}

// --- the run -----------------------------------------------------------------

void SoakDriver::start()
{
    m_clock.start();
    m_firstSeq = lastSeqIn(m_settings.historyFile) + 1;
    if (!sampleProcess(m_settings.serverPid).alive()) {
        fail(QStringLiteral("server alive"),
             QStringLiteral("no process %1").arg(m_settings.serverPid));
        checkAndReport();
        return;
    }
    startStayers();
}

void SoakDriver::startStayers()
{
    auto waiting = std::make_shared<int>(m_settings.stayers);
    for (int i = 0; i < m_settings.stayers; ++i) {
        auto *stayer = new SoakClient(QStringLiteral("stayer%1").arg(i + 1), this);
        m_stayers.push_back(stayer);
        connect(stayer, &SoakClient::registered, this, [this, waiting] {
            if (--*waiting > 0)
                return;
            // Everyone who stays is in: the load may start.
            QTimer::singleShot(500, this, [this] {
                const ProcSample base = sampleProcess(m_settings.serverPid);
                m_baselineFds = base.fds;
                m_baselineRssKb = base.rssKb;
                note(QStringLiteral("baseline with %1 stayers: %2 fds, RSS %3")
                         .arg(m_settings.stayers)
                         .arg(base.fds)
                         .arg(mib(base.rssKb)));
                m_stayerChat.start(kStayerChatInterval);
                m_sampler.start(1s);
                startCycle();
            });
        });
        connect(stayer, &SoakClient::closed, this, [this, stayer] {
            fail(QStringLiteral("stayers served throughout"),
                 QStringLiteral("%1 was disconnected at %2 s (%3)")
                     .arg(stayer->nick())
                     .arg(m_clock.elapsed() / 1000)
                     .arg(stayer->lastBye()            ? stayer->lastBye()->reason
                          : stayer->errors().isEmpty() ? QStringLiteral("no bye, no error")
                                                       : stayer->errors().last().code));
        });
        if (i == 0) {
            connect(stayer, &SoakClient::leaveSeen, this,
                    [this](const QString &nick, const QString &reason) {
                        m_leaves.insert(nick, reason);
                        emit leaveSeen(nick, reason);
                    });
        }
        stayer->start(m_settings.port);
    }
    QTimer::singleShot(bound(10s), this, [this, waiting] {
        if (*waiting > 0) {
            fail(QStringLiteral("stayers served throughout"),
                 QStringLiteral("%1 stayers not registered after 10 s").arg(*waiting));
            checkAndReport();
        }
    });
}

void SoakDriver::startCycle()
{
    ++m_cycle;
    m_cyclePeakKb = 0;
    QList<Episode *> episodes;
    for (int i = 0; i < m_settings.scale; ++i) {
        for (int k = 0; k < 3; ++k)
            episodes.append(new ChurnEpisode(this, QStringLiteral("join-leave")));
        episodes.append(new KillEpisode(this, false));
        episodes.append(new KillEpisode(this, true));
        episodes.append(new AbortEpisode(this, QStringLiteral("rst")));
        episodes.append(new HalfCloseEpisode(this, QStringLiteral("half-close")));
        episodes.append(new SilentEpisode(this, QStringLiteral("no-hello")));
        episodes.append(new FloodEpisode(this, QStringLiteral("flood")));
        // A stalled reader every 30 s (its drop takes megabytes of room
        // traffic, which the history keeps); a crawling one otherwise.
        const bool stalled = i == 0 && m_clock.elapsed() >= m_nextStalledMs;
        if (stalled)
            m_nextStalledMs = m_clock.elapsed() + kStalledReaderEvery.count();
        episodes.append(new SlowReaderEpisode(this, stalled));
        episodes.append(new GarbageEpisode(this, QStringLiteral("garbage")));
    }
    for (Episode *episode : std::as_const(episodes)) {
        episode->setParent(this);
        m_running.append(episode);
        connect(episode, &Episode::finished, this, &SoakDriver::onEpisodeFinished);
        // Staggered, so that the behaviours overlap in ever new ways.
        QTimer::singleShot(std::chrono::milliseconds(m_random.bounded(1000)), episode,
                           &Episode::start);
    }
}

void SoakDriver::onEpisodeFinished(Episode *episode)
{
    EpisodeStats &stats = m_episodeStats[episode->kind()];
    ++stats.run;
    if (episode->succeeded()) {
        ++stats.ok;
    } else {
        if (stats.failures.size() < kMaxListed)
            stats.failures.append(QStringLiteral("cycle %1: %2").arg(m_cycle).arg(episode->note()));
        fail(QStringLiteral("every episode ended as the protocol says"),
             QStringLiteral("cycle %1, %2: %3").arg(m_cycle).arg(episode->kind(), episode->note()));
    }
    m_running.removeOne(episode);
    episode->deleteLater();
    if (m_running.isEmpty())
        QTimer::singleShot(kSettleStep, this, [this] { settle(0); });
}

void SoakDriver::sampleDuringCycle()
{
    const ProcSample sample = sampleProcess(m_settings.serverPid);
    m_cyclePeakKb = std::max(m_cyclePeakKb, sample.rssKb);
}

void SoakDriver::settle(int attempt)
{
    const ProcSample sample = sampleProcess(m_settings.serverPid);
    if (!sample.alive()) {
        fail(QStringLiteral("server alive"),
             QStringLiteral("the server process is gone (cycle %1)").arg(m_cycle));
        checkAndReport();
        return;
    }
    const int closeWait = serverSocketStates(m_settings.port).value(QStringLiteral("CLOSE_WAIT"));
    const bool settled = sample.fds == m_baselineFds && closeWait == 0;
    if (!settled && attempt < kSettleSteps) {
        QTimer::singleShot(kSettleStep, this, [this, attempt] { settle(attempt + 1); });
        return;
    }
    m_samples.append({m_cycle, sample.rssKb, std::max(m_cyclePeakKb, sample.rssKb), sample.fds,
                      closeWait, settled, m_clock.elapsed()});
    if (sample.fds != m_baselineFds)
        fail(QStringLiteral("descriptors back to their level"),
             QStringLiteral("cycle %1: %2 fds 10 s after its end, %3 at the start")
                 .arg(m_cycle)
                 .arg(sample.fds)
                 .arg(m_baselineFds));
    if (closeWait > 0)
        fail(QStringLiteral("no CLOSE_WAIT on the server's side"),
             QStringLiteral("cycle %1: %2 sockets in CLOSE_WAIT 10 s after its end")
                 .arg(m_cycle)
                 .arg(closeWait));
    if (m_clock.elapsed() < qint64(m_settings.minutes * 60000))
        startCycle();
    else
        finalPhase();
}

void SoakDriver::finalPhase()
{
    m_finishing = true;
    m_stayerChat.stop();
    m_sampler.stop();
    // The last word: one marker from each stayer, then wait until every
    // stayer has every marker (and so everything before them).
    auto markers = std::make_shared<QList<std::pair<SoakClient *, quint64>>>();
    for (SoakClient *stayer : m_stayers)
        markers->append(
            {stayer, stayer->say(QStringLiteral("marker from %1").arg(stayer->nick()))});
    auto *poll = new QTimer(this);
    auto waited = std::make_shared<QElapsedTimer>();
    waited->start();
    connect(poll, &QTimer::timeout, this, [this, poll, markers, waited] {
        quint64 lastMarker = 0;
        bool acked = true;
        for (const auto &[stayer, id] : std::as_const(*markers)) {
            const auto ack = stayer->acks().constFind(id);
            if (ack == stayer->acks().cend() || !ack->seq)
                acked = false;
            else
                lastMarker = std::max(lastMarker, *ack->seq);
        }
        bool allSeen = acked;
        for (SoakClient *stayer : m_stayers) {
            if (stayer->roomMessages().isEmpty() || stayer->roomMessages().last().seq < lastMarker)
                allSeen = false;
        }
        if (!allSeen && waited->elapsed() < bound(15s).count())
            return;
        poll->stop();
        if (!allSeen)
            fail(QStringLiteral("stayers served throughout"),
                 QStringLiteral("the final markers did not reach every stayer within 15 s"));
        farewell();
    });
    poll->start(50);
}

// The stayers leave with bye before the checks, which read the whole history
// and would keep them from answering the server's pings. Then every session
// the server ever accepted must be closed.
void SoakDriver::farewell()
{
    for (SoakClient *stayer : m_stayers) {
        stayer->disconnect(this);
        stayer->bye();
    }
    const int levelWithout = m_baselineFds - int(m_stayers.size());
    auto *poll = new QTimer(this);
    auto waited = std::make_shared<QElapsedTimer>();
    waited->start();
    connect(poll, &QTimer::timeout, this, [this, poll, waited, levelWithout] {
        const bool closed = std::all_of(m_stayers.begin(), m_stayers.end(),
                                        [](const SoakClient *s) { return s->isClosed(); });
        const bool released = sampleProcess(m_settings.serverPid).fds <= levelWithout;
        if ((!closed || !released) && waited->elapsed() < bound(10s).count())
            return;
        poll->stop();
        if (!closed || !released)
            fail(QStringLiteral("no session left behind"),
                 QStringLiteral("the stayers' sessions not closed 10 s after their bye"));
        checkAndReport();
    });
    poll->start(50);
}

// --- the verdict ---------------------------------------------------------------

void SoakDriver::checkAndReport()
{
    if (m_reported)
        return;
    m_reported = true;
    for (SoakClient *stayer : m_stayers)
        stayer->disconnect(this);
    m_stayerChat.stop();
    m_sampler.stop();
    for (SoakClient *stayer : m_stayers)
        keep(*stayer);

    // 1. The history: every seq of the run once, in order.
    int badLines = 0;
    const QList<HistoryLine> history = readHistory(m_settings.historyFile, m_firstSeq, &badLines);
    const QString historyInvariant = QStringLiteral("history holds every accepted message");
    if (badLines > 0)
        fail(historyInvariant, QStringLiteral("%1 lines that do not parse").arg(badLines));
    QHash<quint64, qsizetype> bySeq;
    for (qsizetype i = 0; i < history.size(); ++i) {
        if (history[i].seq != m_firstSeq + quint64(i))
            fail(historyInvariant, QStringLiteral("line %1 of the run has seq %2, expected %3")
                                       .arg(i + 1)
                                       .arg(history[i].seq)
                                       .arg(m_firstSeq + quint64(i)));
        bySeq.insert(history[i].seq, i);
    }
    const quint64 lastSeq = history.isEmpty() ? m_firstSeq - 1 : history.last().seq;

    // 2. Every stayer got every message once, in seq order, as the history has it.
    const QString deliveryInvariant =
        QStringLiteral("every stayer received every accepted message once, in seq order");
    for (SoakClient *stayer : m_stayers) {
        const QList<RoomEntry> &got = stayer->roomMessages();
        if (got.size() != history.size())
            fail(deliveryInvariant,
                 QStringLiteral("%1 received %2 room messages, the history has %3")
                     .arg(stayer->nick())
                     .arg(got.size())
                     .arg(history.size()));
        for (qsizetype i = 0; i < std::min(got.size(), history.size()); ++i) {
            const HistoryLine &line = history[i];
            if (got[i].seq != line.seq || got[i].from != line.from ||
                got[i].digest != line.digest) {
                fail(deliveryInvariant,
                     QStringLiteral("%1's message %2 is seq %3 from %4; the history has seq %5 "
                                    "from %6")
                         .arg(stayer->nick())
                         .arg(i + 1)
                         .arg(got[i].seq)
                         .arg(got[i].from)
                         .arg(line.seq)
                         .arg(line.from));
                break;
            }
        }
    }

    // 3. Every acknowledged say is in the history, as sent.
    for (const AckedSay &say : std::as_const(m_acked)) {
        const auto it = bySeq.constFind(say.seq);
        if (it == bySeq.cend())
            fail(historyInvariant,
                 QStringLiteral("acknowledged seq %1 from %2 is not in the history")
                     .arg(say.seq)
                     .arg(say.sender));
        else if (history[*it].from != say.sender || history[*it].digest != say.digest)
            fail(historyInvariant, QStringLiteral("seq %1 in the history differs from what %2 sent")
                                       .arg(say.seq)
                                       .arg(say.sender));
    }
    if (m_duplicateAnswers > 0)
        fail(QStringLiteral("every say answered"),
             QStringLiteral("%1 says answered twice").arg(m_duplicateAnswers));

    // 6. Resources.
    const ProcSample last = sampleProcess(m_settings.serverPid);
    if (!last.alive())
        fail(QStringLiteral("server alive"), QStringLiteral("the server process is gone"));
    QString rssVerdict = QStringLiteral("not judged");
    double slopeKbPerCycle = 0;
    const qsizetype n = m_samples.size();
    const qsizetype warmup = std::max<qsizetype>(2, n / 4);
    if (m_settings.checkRss && n - warmup >= 3) {
        const qsizetype window = std::max<qsizetype>(1, (n - warmup) / 3);
        qint64 early = 0;
        qint64 late = std::numeric_limits<qint64>::max();
        for (qsizetype i = warmup; i < warmup + window; ++i)
            early = std::max(early, m_samples[i].rssKb);
        for (qsizetype i = n - window; i < n; ++i)
            late = std::min(late, m_samples[i].rssKb);
        // Least squares over the cycles after the warm-up.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        const double count = double(n - warmup);
        for (qsizetype i = warmup; i < n; ++i) {
            const double x = double(i);
            const double y = double(m_samples[i].rssKb);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        const double denominator = count * sxx - sx * sx;
        slopeKbPerCycle = denominator != 0 ? (count * sxy - sx * sy) / denominator : 0;
        const qint64 growth = late - early;
        rssVerdict =
            QStringLiteral("after %1 warm-up cycles: highest of the first %2 cycles %3, "
                           "lowest of the last %2 %4 (growth %5 KiB); trend %6 KiB a cycle")
                .arg(warmup)
                .arg(window)
                .arg(mib(early), mib(late))
                .arg(growth)
                .arg(slopeKbPerCycle, 0, 'f', 1);
        if (growth > kRssGrowthLimitKb ||
            slopeKbPerCycle * double(n - warmup) > double(kRssGrowthLimitKb))
            fail(QStringLiteral("RSS back to its level (no growth per cycle)"), rssVerdict);
    } else if (m_settings.checkRss) {
        rssVerdict = QStringLiteral("too few cycles (%1) to judge a trend").arg(n);
    }

    // 7. The server's log: every session but the stayers' closed.
    QMap<QString, int> events;
    QMap<QString, int> leaveReasons;
    QMap<QString, int> errorCodes;
    if (!m_settings.serverLog.isEmpty()) {
        QFile log(m_settings.serverLog);
        if (log.open(QIODevice::ReadOnly)) {
            for (int guard = 0; guard < 100000000 && !log.atEnd(); ++guard) {
                const QJsonObject o = QJsonDocument::fromJson(log.readLine()).object();
                const QString event = o.value(QLatin1StringView("event")).toString();
                if (event.isEmpty())
                    continue;
                ++events[event];
                if (event == QLatin1StringView("left"))
                    ++leaveReasons[o.value(QLatin1StringView("reason")).toString()];
                else if (event == QLatin1StringView("error"))
                    ++errorCodes[o.value(QLatin1StringView("code")).toString()];
            }
        }
        const int accepted = events.value(QStringLiteral("accepted"));
        const int closed = events.value(QStringLiteral("closed"));
        if (accepted != closed)
            fail(QStringLiteral("no session left behind"),
                 QStringLiteral("the log has %1 sessions accepted and %2 closed after the "
                                "stayers left")
                     .arg(accepted)
                     .arg(closed));
    }
    const QMap<QString, int> sockets = serverSocketStates(m_settings.port);
    if (sockets.value(QStringLiteral("CLOSE_WAIT")) > 0)
        fail(QStringLiteral("no CLOSE_WAIT on the server's side"),
             QStringLiteral("%1 at the end").arg(sockets.value(QStringLiteral("CLOSE_WAIT"))));

    // --- the report ---
    const QStringList invariants = {
        QStringLiteral("history holds every accepted message"),
        deliveryInvariant,
        QStringLiteral("every say answered"),
        QStringLiteral("every episode ended as the protocol says"),
        QStringLiteral("stayers served throughout"),
        QStringLiteral("descriptors back to their level"),
        QStringLiteral("no CLOSE_WAIT on the server's side"),
        QStringLiteral("RSS back to its level (no growth per cycle)"),
        QStringLiteral("no session left behind"),
        QStringLiteral("server alive"),
    };
    QString report;
    QTextStream out(&report);
    const bool passed = m_failures.isEmpty();
    out << "# SynAck soak report\n\n";
    out << "- **Verdict: " << (passed ? "PASS" : "FAIL") << "**\n";
    out << "- Date: " << QDateTime::currentDateTime().toString(Qt::ISODate) << "\n";
    out << "- Machine: " << machine() << "\n";
    out << "- Ran " << QString::number(double(m_clock.elapsed()) / 60000.0, 'f', 1) << " min ("
        << m_settings.minutes << " asked), " << m_cycle << " cycles, seed " << m_settings.seed
        << ", scale " << m_settings.scale << ", patience " << m_settings.patience << "\n";
    out << "- Server: pid " << m_settings.serverPid << ", port " << m_settings.port
        << ", hello timeout " << m_settings.helloTimeout.count() << " ms, heartbeat timeout "
        << m_settings.heartbeatTimeout.count() << " ms\n";
    out << "- Room messages accepted in the run: " << history.size() << " (seq " << m_firstSeq
        << ".." << lastSeq << "); each of the " << m_stayers.size() << " stayers received";
    for (SoakClient *stayer : m_stayers)
        out << " " << stayer->roomMessages().size();
    out << "\n";
    out << "- Says sent by in-process clients: " << m_saysSent << ", acknowledged in the room "
        << m_acked.size() << ", refused " << m_saysRejected << ", unanswered " << m_unanswered
        << ", answered twice " << m_duplicateAnswers << "\n\n";

    out << "## Invariants\n\n| invariant | result |\n|---|---|\n";
    for (const QString &invariant : invariants) {
        const auto it = m_failures.constFind(invariant);
        out << "| " << invariant << " | "
            << (it == m_failures.cend()
                    ? QStringLiteral("pass")
                    : QStringLiteral("**FAIL**: ") + it->join(QStringLiteral("; ")))
            << " |\n";
    }
    for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it) {
        if (!invariants.contains(it.key()))
            out << "| " << it.key() << " | **FAIL**: " << it->join(QStringLiteral("; ")) << " |\n";
    }

    out << "\n## Episodes\n\n| behaviour | run | as expected | failures |\n|---|---|---|---|\n";
    for (auto it = m_episodeStats.cbegin(); it != m_episodeStats.cend(); ++it)
        out << "| " << it.key() << " | " << it->run << " | " << it->ok << " | "
            << it->failures.join(QStringLiteral("; ")) << " |\n";
    if (!m_drops.isEmpty()) {
        out << "\nDrops seen by the room:";
        for (auto it = m_drops.cbegin(); it != m_drops.cend(); ++it)
            out << " " << it.key() << ": " << it.value() << ";";
        out << "\n";
    }

    out << "\n## Server resources\n\n";
    out << "Baseline with the stayers connected: " << m_baselineFds << " fds, RSS "
        << mib(m_baselineRssKb) << ". At the end, the stayers gone: " << last.fds << " fds, RSS "
        << mib(last.rssKb) << ". Server-side sockets on the port at the end:";
    for (auto it = sockets.cbegin(); it != sockets.cend(); ++it)
        out << " " << it.key() << " " << it.value();
    out << ".\n\nRSS: " << rssVerdict << ".\n\n";
    out << "| cycle | at (s) | RSS after (KiB) | peak RSS (KiB) | fds after | CLOSE_WAIT after |\n"
           "|---|---|---|---|---|---|\n";
    const qsizetype step = std::max<qsizetype>(1, n / 20);
    for (qsizetype i = 0; i < n; ++i) {
        if (i % step != 0 && i != n - 1 && m_samples[i].settled)
            continue;
        const CycleSample &s = m_samples[i];
        out << "| " << s.cycle << " | " << s.ms / 1000 << " | " << s.rssKb << " | " << s.peakRssKb
            << " | " << s.fds << " | " << s.closeWait << " |\n";
    }
    if (!events.isEmpty()) {
        out << "\n## Server log\n\nEvents:";
        for (auto it = events.cbegin(); it != events.cend(); ++it)
            out << " " << it.key() << " " << it.value() << ";";
        out << "\n\nLeave reasons:";
        for (auto it = leaveReasons.cbegin(); it != leaveReasons.cend(); ++it)
            out << " " << it.key() << " " << it.value() << ";";
        out << "\n\nErrors sent:";
        for (auto it = errorCodes.cbegin(); it != errorCodes.cend(); ++it)
            out << " " << it.key() << " " << it.value() << ";";
        out << "\n";
    }
    if (!m_notes.isEmpty())
        out << "\n## Notes\n\n- " << m_notes.join(QStringLiteral("\n- ")) << "\n";
    out.flush();

    if (!m_settings.reportFile.isEmpty()) {
        QFile file(m_settings.reportFile);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(report.toUtf8());
    }
    std::fwrite(report.toUtf8().constData(), 1, size_t(report.toUtf8().size()), stdout);
    std::fflush(stdout);
    emit finished(passed ? 0 : 1);
}
