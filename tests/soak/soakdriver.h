#pragma once

// The soak: a few "stayers" register first and chat for the whole run; around
// them, cycle after cycle, episodes of every behaviour PROTOCOL.md must
// survive (join and leave, SIGKILL, SIGSTOP, RST, half-close, silence, flood,
// slow and stalled readers, garbage). Each cycle ends when its episodes are
// over and the server has settled: its descriptors back to their level, no
// CLOSE_WAIT on its port. Then the server's RSS is sampled.
//
// At the end the stayers send a last marker each and wait for all of them;
// then the invariants are checked against the server's history file:
//   1. the history's seqs run without gap or repeat from the first seq of the
//      run on;
//   2. every stayer received every one of them once, in seq order, with the
//      history's sender and text;
//   3. every acknowledged say is in the history as sent;
//   4. every say was answered (an ack or an error), none twice;
//   5. every episode ended as the protocol says it must, within its time;
//   6. descriptors returned to their level after every cycle; no CLOSE_WAIT;
//      the RSS did not grow from cycle to cycle (after a warm-up);
//   7. the server is alive; once the stayers have left with bye, its log has
//      closed every session it accepted.

#include "soakclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QObject>
#include <QRandomGenerator>
#include <chrono>
#include <vector>

class Episode;

struct SoakSettings
{
    quint16 port = 0;
    qint64 serverPid = 0;
    QString historyFile;
    QString serverLog; // the server's JSON log, for the event counts (optional)
    QString reportFile;
    double minutes = 1;
    int scale = 1;        // episodes of each kind per cycle
    double patience = 1;  // multiplies every time bound (valgrind: 10 or more)
    bool checkRss = true; // off under valgrind, whose RSS says little
    quint32 seed = 0;     // 0: random
    int stayers = 4;
    std::chrono::milliseconds helloTimeout{2000};
    std::chrono::milliseconds heartbeatTimeout{3000};
    QString program; // this executable, for the child processes
};

// Every acknowledged room say of the run, to check against the history.
struct AckedSay
{
    QString sender; // the nick that sent it, as acknowledged
    quint64 seq = 0;
    QByteArray digest; // of the text
};

class SoakDriver : public QObject
{
    Q_OBJECT

public:
    explicit SoakDriver(const SoakSettings &settings, QObject *parent = nullptr);
    ~SoakDriver() override;

    // Runs the soak; emits finished(exitCode) at the end.
    void start();

    const SoakSettings &settings() const { return m_settings; }
    QRandomGenerator &random() { return m_random; }
    std::chrono::milliseconds bound(std::chrono::milliseconds base) const;
    QString nextNick(const QString &prefix);
    // The stayer others send private messages to.
    QString stayerNick(int index) const;

    // Leaves the first stayer saw, by nick (the last reason for each).
    std::optional<QString> leaveOf(const QString &nick) const;

    // An episode's client is done: keep its answers for the final checks.
    void keep(const SoakClient &client);
    void countDrop(const QString &what) { ++m_drops[what]; }

signals:
    void leaveSeen(const QString &nick, const QString &reason);
    void finished(int exitCode);

private:
    struct CycleSample
    {
        int cycle = 0;
        qint64 rssKb = 0;
        qint64 peakRssKb = 0; // during the cycle
        int fds = 0;
        int closeWait = 0;
        bool settled = false;
        qint64 ms = 0; // since the start
    };
    struct EpisodeStats
    {
        int run = 0;
        int ok = 0;
        QStringList failures; // the first few
    };

    void startStayers();
    void startCycle();
    void onEpisodeFinished(Episode *episode);
    void settle(int attempt);
    void finalPhase();
    void farewell();
    void checkAndReport();
    void fail(const QString &invariant, const QString &detail);
    void note(const QString &text);
    void sampleDuringCycle();

    SoakSettings m_settings;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
    std::vector<SoakClient *> m_stayers;
    QTimer m_stayerChat;
    QTimer m_sampler;
    QMap<QString, QString> m_leaves;
    quint64 m_firstSeq = 1; // the first seq of this run
    int m_nickCounter = 0;
    int m_cycle = 0;
    qint64 m_nextStalledMs = 0;
    QList<Episode *> m_running;
    QMap<QString, EpisodeStats> m_episodeStats;
    QMap<QString, int> m_drops;
    QList<CycleSample> m_samples;
    qint64 m_cyclePeakKb = 0;
    int m_baselineFds = -1;
    qint64 m_baselineRssKb = 0;
    QList<AckedSay> m_acked;
    qint64 m_saysSent = 0;
    qint64 m_saysRejected = 0;
    int m_duplicateAnswers = 0;
    qint64 m_unanswered = 0;
    QMap<QString, QStringList> m_failures; // invariant -> details
    QStringList m_notes;
    bool m_finishing = false;
    bool m_reported = false;
};
