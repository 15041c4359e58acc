#pragma once

// The soak's episodes: one misbehaving (or well-behaved) peer each, from its
// connect to the end the protocol promises for it, within a time bound.

#include "soakclient.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <chrono>

class SoakDriver;

class Episode : public QObject
{
    Q_OBJECT

public:
    Episode(SoakDriver *driver, const QString &kind);

    QString kind() const { return m_kind; }
    bool succeeded() const { return m_ok; }
    QString note() const { return m_note; }
    void start();

signals:
    void finished(Episode *episode);

protected:
    virtual void run() = 0;
    // Time the episode may take, before SoakDriver::bound's patience.
    virtual std::chrono::milliseconds budget() const;

    void succeed();
    void fail(const QString &why);
    void stage(const QString &what) { m_stage = what; }
    SoakClient *newClient(const QString &prefix, bool registers = true);
    // Calls `then(reason)` once the room has heard that `nick` left.
    void whenLeft(const QString &nick, const std::function<void(const QString &)> &then);
    void after(std::chrono::milliseconds delay, const std::function<void()> &then);

    SoakDriver *m_driver;

private:
    void end();

    QString m_kind;
    QString m_stage = QStringLiteral("starting");
    bool m_done = false;
    bool m_ok = false;
    QString m_note;
    QList<QPointer<SoakClient>> m_clients;
};

// Registers, chats in the room and privately, maybe renames, asks who, and
// leaves with bye: every say answered, the server closes after the bye.
class ChurnEpisode : public Episode
{
public:
    using Episode::Episode;

protected:
    void run() override;
};

// A child process that chats is SIGKILLed: the room hears it left.
class KillEpisode : public Episode
{
public:
    KillEpisode(SoakDriver *driver, bool stopFirst);
    ~KillEpisode() override;

protected:
    void run() override;
    std::chrono::milliseconds budget() const override;

private:
    void signalChild(int signalNumber);

    // SIGSTOP first: the server must time the frozen child out; then the
    // child is either woken (it must notice the close and exit) or killed.
    bool m_stopFirst;
    QProcess m_child;
    QString m_nick;
};

// Registers, is acknowledged, then aborts with RST.
class AbortEpisode : public Episode
{
public:
    using Episode::Episode;

protected:
    void run() override;
};

// Registers, then shuts down its write side: the server must close too.
class HalfCloseEpisode : public Episode
{
public:
    using Episode::Episode;

protected:
    void run() override;
};

// Connects and never says hello: hello-timeout, not before its time.
class SilentEpisode : public Episode
{
public:
    using Episode::Episode;

protected:
    void run() override;
    std::chrono::milliseconds budget() const override;
};

// Sends a burst of says (up to max_text) and pings: the rate limit answers
// every say it refuses, no say goes unanswered.
class FloodEpisode : public Episode
{
public:
    using Episode::Episode;

protected:
    void run() override;
};

// A reader that stalls (never reads) or crawls, while talkers send big
// messages: the server drops the stalled one at its send queue limit.
class SlowReaderEpisode : public Episode
{
public:
    SlowReaderEpisode(SoakDriver *driver, bool stalled);

protected:
    void run() override;
    std::chrono::milliseconds budget() const override;

private:
    int maxTalkers() const;
    void startTalker(int index);
    void maybeSucceed();

    bool m_stalled;
    QPointer<SoakClient> m_reader;
    bool m_readerDone = false;
    int m_talkersStarted = 0;
    int m_talkersDone = 0;
};

// Garbage before or after hello: a fatal error, then the server closes.
class GarbageEpisode : public Episode
{
public:
    using Episode::Episode;

protected:
    void run() override;
};
