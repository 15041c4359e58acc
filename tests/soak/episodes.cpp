#include "episodes.h"

#include "soakdriver.h"

#include "protocol/framing.h"

#include <QDateTime>
#include <QSet>
#include <QTimer>
#include <csignal>
#include <memory>

using namespace synack;
using namespace std::chrono_literals;

namespace {

// A text of exactly `bytes` bytes of UTF-8, with some 2- and 3-byte
// characters, so that byte and character counts differ.
QString textOfBytes(QRandomGenerator &random, qsizetype bytes, const QString &tag)
{
    QString text = tag;
    qsizetype size = tag.toUtf8().size();
    for (int guard = 0; size < bytes && guard < 100000; ++guard) {
        const qsizetype left = bytes - size;
        const quint32 pick = random.bounded(10);
        if (pick == 0 && left >= 3) {
            text += QChar(0x4F60); // 你
            size += 3;
        } else if (pick == 1 && left >= 2) {
            text += QChar(0xE9); // é
            size += 2;
        } else {
            text += QChar(u'a' + char16_t(random.bounded(26)));
            size += 1;
        }
    }
    return text;
}

} // namespace

// --- Episode -----------------------------------------------------------------

Episode::Episode(SoakDriver *driver, const QString &kind)
    : m_driver(driver)
    , m_kind(kind)
{}

std::chrono::milliseconds Episode::budget() const
{
    return 15s;
}

void Episode::start()
{
    const auto limit = m_driver->bound(budget());
    QTimer::singleShot(limit, this, [this, limit] {
        fail(QStringLiteral("no end within %1 s, at: %2").arg(limit.count() / 1000).arg(m_stage));
    });
    run();
}

void Episode::succeed()
{
    if (m_done)
        return;
    m_ok = true;
    end();
}

void Episode::fail(const QString &why)
{
    if (m_done)
        return;
    m_ok = false;
    m_note = why;
    end();
}

void Episode::end()
{
    m_done = true;
    for (const QPointer<SoakClient> &client : std::as_const(m_clients)) {
        if (client) {
            m_driver->keep(*client);
            client->disconnect(this);
        }
    }
    QMetaObject::invokeMethod(
        this, [this] { emit finished(this); }, Qt::QueuedConnection);
}

SoakClient *Episode::newClient(const QString &prefix, bool registers)
{
    auto *client = new SoakClient(registers ? m_driver->nextNick(prefix) : QString(), this);
    m_clients.append(client);
    if (registers) {
        connect(client, &SoakClient::refused, this, [this, client](const protocol::Error &e) {
            fail(QStringLiteral("%1 refused: %2 (%3)").arg(client->nick(), e.code, e.text));
        });
    }
    return client;
}

void Episode::whenLeft(const QString &nick, const std::function<void(const QString &)> &then)
{
    if (const auto reason = m_driver->leaveOf(nick)) {
        then(*reason);
        return;
    }
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_driver, &SoakDriver::leaveSeen, this,
                          [this, nick, then, connection](const QString &who, const QString &why) {
                              if (who != nick || m_done)
                                  return;
                              disconnect(*connection);
                              then(why);
                          });
}

void Episode::after(std::chrono::milliseconds delay, const std::function<void()> &then)
{
    QTimer::singleShot(delay, this, [this, then] {
        if (!m_done)
            then();
    });
}

// --- join and leave ------------------------------------------------------------

void ChurnEpisode::run()
{
    SoakClient *c = newClient(QStringLiteral("churn"));
    auto saidBye = std::make_shared<bool>(false);
    connect(c, &SoakClient::registered, this, [this, c] {
        stage(QStringLiteral("chatting"));
        QRandomGenerator &random = m_driver->random();
        c->say(QStringLiteral("%1 says hello").arg(c->nick()));
        c->say(QStringLiteral("psst from %1").arg(c->nick()),
               m_driver->stayerNick(int(random.bounded(m_driver->settings().stayers))));
        if (random.bounded(2))
            c->send(protocol::NickChange{c->nick() + QStringLiteral("r")});
        c->say(textOfBytes(random, random.bounded(1, 600), QStringLiteral("churn ")));
        c->send(protocol::Who{});
    });
    connect(c, &SoakClient::progressed, this, [this, c, saidBye] {
        if (!*saidBye && c->isRegistered() && c->unansweredSays() == 0 && c->usersAnswers() > 0) {
            *saidBye = true;
            stage(QStringLiteral("bye sent, waiting for the server to close"));
            c->bye();
        }
    });
    connect(c, &SoakClient::closed, this, [this, c, saidBye] {
        if (*saidBye)
            succeed();
        else
            fail(QStringLiteral("%1: closed by the server while chatting").arg(c->nick()));
    });
    c->start(m_driver->settings().port);
}

// --- SIGKILL and SIGSTOP -----------------------------------------------------

KillEpisode::KillEpisode(SoakDriver *driver, bool stopFirst)
    : Episode(driver, stopFirst ? QStringLiteral("sigstop") : QStringLiteral("sigkill"))
    , m_stopFirst(stopFirst)
{}

KillEpisode::~KillEpisode()
{
    if (m_child.state() != QProcess::NotRunning) {
        signalChild(SIGCONT);
        m_child.kill();
        m_child.waitForFinished(2000);
    }
}

std::chrono::milliseconds KillEpisode::budget() const
{
    return 10s + m_driver->settings().heartbeatTimeout * 2;
}

void KillEpisode::signalChild(int signalNumber)
{
    if (m_child.processId() > 0)
        ::kill(pid_t(m_child.processId()), signalNumber);
}

void KillEpisode::run()
{
    m_nick = m_driver->nextNick(m_stopFirst ? QStringLiteral("frozen") : QStringLiteral("killed"));
    const auto childEnded = [this](bool mustExitByItself) {
        const auto check = [this, mustExitByItself] {
            if (mustExitByItself &&
                (m_child.exitStatus() != QProcess::NormalExit || m_child.exitCode() != 0))
                fail(QStringLiteral("%1: woken, it did not exit by itself").arg(m_nick));
            else
                succeed();
        };
        stage(QStringLiteral("waiting for the child to end"));
        if (m_child.state() == QProcess::NotRunning)
            check();
        else
            connect(&m_child, &QProcess::finished, this, check);
    };
    auto registered = std::make_shared<bool>(false);
    connect(&m_child, &QProcess::readyReadStandardOutput, this, [=, this] {
        if (*registered || !m_child.readAllStandardOutput().contains("registered"))
            return;
        *registered = true;
        QRandomGenerator &random = m_driver->random();
        if (!m_stopFirst) {
            after(std::chrono::milliseconds(random.bounded(200, 1500)), [=, this] {
                stage(QStringLiteral("SIGKILLed, waiting for the room to hear"));
                signalChild(SIGKILL);
                whenLeft(m_nick, [=, this](const QString &reason) {
                    if (reason != protocol::reason::Closed)
                        fail(QStringLiteral("%1 left with reason %2, not closed")
                                 .arg(m_nick, reason));
                    else
                        childEnded(false);
                });
            });
            return;
        }
        after(std::chrono::milliseconds(random.bounded(100, 500)), [=, this] {
            stage(QStringLiteral("SIGSTOPped, waiting for the server's timeout"));
            signalChild(SIGSTOP);
            const bool wake = m_driver->random().bounded(2) == 0;
            whenLeft(m_nick, [=, this](const QString &reason) {
                // Timed out; or, if a burst filled its queue first, dropped.
                if (reason != protocol::reason::Timeout && reason != protocol::reason::Error) {
                    fail(QStringLiteral("%1 left with reason %2, not timeout").arg(m_nick, reason));
                    return;
                }
                if (reason == protocol::reason::Error)
                    m_driver->countDrop(QStringLiteral("frozen child dropped at the send queue"));
                signalChild(wake ? SIGCONT : SIGKILL);
                childEnded(wake);
            });
        });
    });
    connect(&m_child, &QProcess::finished, this, [this, registered] {
        if (!*registered)
            fail(QStringLiteral("%1: the child ended before registering: %2")
                     .arg(m_nick, QString::fromLocal8Bit(m_child.readAllStandardError())));
    });
    m_child.setProgram(m_driver->settings().program);
    m_child.setArguments({QStringLiteral("--child"), QStringLiteral("--port"),
                          QString::number(m_driver->settings().port), QStringLiteral("--nick"),
                          m_nick});
    stage(QStringLiteral("starting the child"));
    m_child.start();
}

// --- RST ---------------------------------------------------------------------

void AbortEpisode::run()
{
    SoakClient *c = newClient(QStringLiteral("reset"));
    auto id = std::make_shared<quint64>(0);
    connect(c, &SoakClient::registered, this, [this, c, id] {
        stage(QStringLiteral("waiting for the ack"));
        *id = c->say(QStringLiteral("%1 is about to reset").arg(c->nick()));
    });
    connect(c, &SoakClient::progressed, this, [this, c, id] {
        if (*id == 0 || !c->acks().contains(*id) || c->isClosed())
            return;
        stage(QStringLiteral("RST sent, waiting for the room to hear"));
        const QString nick = c->nick();
        c->disconnect(this);
        c->abortWithReset();
        whenLeft(nick, [this, nick](const QString &reason) {
            if (reason == protocol::reason::Closed)
                succeed();
            else
                fail(QStringLiteral("%1 left with reason %2, not closed").arg(nick, reason));
        });
    });
    connect(c, &SoakClient::closed, this,
            [this, c] { fail(QStringLiteral("%1: closed by the server").arg(c->nick())); });
    c->start(m_driver->settings().port);
}

// --- half-close ----------------------------------------------------------------

void HalfCloseEpisode::run()
{
    SoakClient *c = newClient(QStringLiteral("halfclose"));
    auto id = std::make_shared<quint64>(0);
    auto finSent = std::make_shared<bool>(false);
    auto left = std::make_shared<bool>(false);
    connect(c, &SoakClient::registered, this, [this, c, id] {
        stage(QStringLiteral("waiting for the ack"));
        *id = c->say(QStringLiteral("%1 will half-close").arg(c->nick()));
    });
    connect(c, &SoakClient::progressed, this, [this, c, id, finSent, left] {
        if (*finSent || *id == 0 || !c->acks().contains(*id))
            return;
        *finSent = true;
        stage(QStringLiteral("FIN sent, waiting for the server to close"));
        c->halfClose();
        whenLeft(c->nick(), [this, c, left](const QString &reason) {
            if (reason != protocol::reason::Closed) {
                fail(QStringLiteral("%1 left with reason %2, not closed").arg(c->nick(), reason));
                return;
            }
            *left = true;
            if (c->isClosed())
                succeed();
        });
    });
    connect(c, &SoakClient::closed, this, [this, c, finSent, left] {
        if (!*finSent)
            fail(QStringLiteral("%1: closed by the server before the FIN").arg(c->nick()));
        else if (*left)
            succeed();
    });
    c->start(m_driver->settings().port);
}

// --- no hello --------------------------------------------------------------------

std::chrono::milliseconds SilentEpisode::budget() const
{
    return m_driver->settings().helloTimeout + 8s;
}

void SilentEpisode::run()
{
    stage(QStringLiteral("waiting for hello-timeout"));
    const int count = 5;
    auto open = std::make_shared<int>(count);
    const auto earliest = m_driver->settings().helloTimeout - 300ms;
    for (int i = 0; i < count; ++i) {
        SoakClient *c = newClient({}, false);
        auto since = std::make_shared<QElapsedTimer>();
        since->start();
        connect(c, &SoakClient::closed, this, [this, c, since, open, earliest] {
            const auto errors = c->errors();
            if (errors.isEmpty() || errors.last().code != QLatin1StringView("hello-timeout")) {
                fail(QStringLiteral("closed without hello-timeout (%1)")
                         .arg(errors.isEmpty() ? QStringLiteral("no error") : errors.last().code));
            } else if (since->elapsed() < earliest.count()) {
                fail(QStringLiteral("hello-timeout after %1 ms, before its time")
                         .arg(since->elapsed()));
            } else if (--*open == 0) {
                succeed();
            }
        });
        c->start(m_driver->settings().port);
    }
}

// --- flood ---------------------------------------------------------------------

void FloodEpisode::run()
{
    SoakClient *c = newClient(QStringLiteral("flood"));
    auto tooLong = std::make_shared<QSet<quint64>>();
    auto saidBye = std::make_shared<bool>(false);
    connect(c, &SoakClient::registered, this, [this, c, tooLong] {
        stage(QStringLiteral("flooding"));
        QRandomGenerator &random = m_driver->random();
        const qsizetype maxText = 8192;
        const auto pings = [](int count) {
            QByteArray frames;
            for (int i = 0; i < count; ++i)
                frames += protocol::encodeMessageFrame(protocol::Ping{quint64(i), qint64(i)});
            return frames;
        };
        for (int i = 0; i < 60; ++i) {
            const qsizetype bytes = i % 15 == 0  ? maxText
                                    : i % 7 == 0 ? random.bounded(2000, int(maxText))
                                                 : random.bounded(1, 200);
            c->say(textOfBytes(random, bytes, QStringLiteral("flood %1 ").arg(i)));
            if (i % 20 == 5)
                tooLong->insert(c->say(textOfBytes(random, maxText + 1, QStringLiteral("long "))));
            if (i % 10 == 0)
                c->sendRaw(pings(int(random.bounded(100))));
        }
    });
    connect(c, &SoakClient::progressed, this, [this, c, tooLong, saidBye] {
        if (*saidBye || c->unansweredSays() > 0)
            return;
        for (auto it = c->rejections().cbegin(); it != c->rejections().cend(); ++it) {
            // Over max_text: text-size, unless the rate limit came first.
            const bool allowed =
                it->code == QLatin1StringView("rate-limited") ||
                (tooLong->contains(it.key()) && it->code == QLatin1StringView("text-size"));
            if (!allowed) {
                fail(QStringLiteral("say %1 refused with %2").arg(it.key()).arg(it->code));
                return;
            }
        }
        for (const quint64 id : std::as_const(*tooLong)) {
            if (c->acks().contains(id)) {
                fail(QStringLiteral("a text over max_text was accepted"));
                return;
            }
        }
        *saidBye = true;
        stage(QStringLiteral("bye sent, waiting for the server to close"));
        c->bye();
    });
    connect(c, &SoakClient::closed, this, [this, c, saidBye] {
        if (*saidBye)
            succeed();
        else
            fail(QStringLiteral("%1: closed by the server while flooding").arg(c->nick()));
    });
    c->start(m_driver->settings().port);
}

// --- slow and stalled readers ----------------------------------------------------

SlowReaderEpisode::SlowReaderEpisode(SoakDriver *driver, bool stalled)
    : Episode(driver, stalled ? QStringLiteral("stalled-reader") : QStringLiteral("slow-reader"))
    , m_stalled(stalled)
{}

std::chrono::milliseconds SlowReaderEpisode::budget() const
{
    return 40s;
}

void SlowReaderEpisode::run()
{
    SoakClient *reader = newClient(m_stalled ? QStringLiteral("stalled") : QStringLiteral("slow"));
    m_reader = reader;

    // Keeps the reader alive for the heartbeat while it reads nothing.
    auto *keepAlive = new QTimer(reader);
    connect(keepAlive, &QTimer::timeout, reader, [reader] {
        reader->send(protocol::Ping{1, QDateTime::currentMSecsSinceEpoch()});
    });

    connect(reader, &SoakClient::registered, this, [=, this] {
        if (m_stalled)
            reader->stopReading();
        else
            reader->readSlowly(1024, 100ms);
        keepAlive->start(500);
        stage(QStringLiteral("talkers sending to a %1 reader")
                  .arg(m_stalled ? QStringLiteral("stalled") : QStringLiteral("slow")));
        whenLeft(reader->nick(), [=, this](const QString &reason) {
            if (m_readerDone)
                return; // the slow reader's own RST, after it was let off
            if (reason != protocol::reason::Error) {
                fail(QStringLiteral("%1 left with reason %2, not error (sendq-exceeded)")
                         .arg(reader->nick(), reason));
                return;
            }
            m_driver->countDrop(
                QStringLiteral("%1 reader dropped at the send queue")
                    .arg(m_stalled ? QStringLiteral("stalled") : QStringLiteral("slow")));
            m_readerDone = true;
            maybeSucceed();
        });
        startTalker(0);
    });
    connect(reader, &SoakClient::closed, this, [=, this] {
        if (!reader->isRegistered())
            fail(QStringLiteral("%1: closed before welcome").arg(reader->nick()));
    });
    // A small receive buffer, so the server's queue fills rather than the kernel's.
    reader->start(m_driver->settings().port, 4096);
}

void SlowReaderEpisode::maybeSucceed()
{
    if (m_talkersDone < m_talkersStarted)
        return;
    if (!m_readerDone && m_talkersStarted < maxTalkers()) {
        startTalker(m_talkersStarted);
        return;
    }
    if (!m_readerDone) {
        if (m_stalled) {
            fail(QStringLiteral("%1 talkers' bursts and the stalled reader is still served")
                     .arg(m_talkersStarted));
            return;
        }
        // A reader that crawls may or may not be dropped; either is right.
        m_readerDone = true;
        if (m_reader)
            m_reader->abortWithReset();
    }
    succeed();
}

int SlowReaderEpisode::maxTalkers() const
{
    // The stalled reader's bytes pile up first in the kernel (up to tcp_wmem's
    // 4 MiB on Linux), then in the server's queue (1 MiB): 24 bursts of 320 kB
    // are more than both.
    return m_stalled ? 24 : 2;
}

// Talkers one after the other, each with a full burst (the rate limit's 40) of
// 8000-byte says: fast readers take each burst in stride (a third of the send
// queue limit), the stalled reader's queue grows past the limit.
void SlowReaderEpisode::startTalker(int index)
{
    ++m_talkersStarted;
    SoakClient *talker = newClient(QStringLiteral("talker"));
    auto saidBye = std::make_shared<bool>(false);
    connect(talker, &SoakClient::registered, this, [this, talker, index] {
        stage(QStringLiteral("talker %1 of at most %2 sending").arg(index + 1).arg(maxTalkers()));
        // The crawler only needs company; the stalled reader needs volume.
        const qsizetype size = m_stalled ? 8000 : 2000;
        for (int i = 0; i < 40; ++i)
            talker->say(textOfBytes(m_driver->random(), size,
                                    QStringLiteral("%1 big %2 ").arg(talker->nick()).arg(i)));
    });
    connect(talker, &SoakClient::progressed, this, [talker, saidBye] {
        if (!*saidBye && talker->isRegistered() && talker->unansweredSays() == 0) {
            *saidBye = true;
            talker->bye();
        }
    });
    connect(talker, &SoakClient::closed, this, [this, talker, saidBye] {
        if (!*saidBye) {
            fail(QStringLiteral("%1: closed by the server while talking").arg(talker->nick()));
            return;
        }
        ++m_talkersDone;
        maybeSucceed();
    });
    talker->start(m_driver->settings().port);
}

// --- garbage ---------------------------------------------------------------------

void GarbageEpisode::run()
{
    stage(QStringLiteral("waiting for the fatal errors"));
    const int count = 4;
    auto open = std::make_shared<int>(count);
    QRandomGenerator &random = m_driver->random();
    for (int i = 0; i < count; ++i) {
        const bool registers = random.bounded(2) == 0;
        SoakClient *c = newClient(QStringLiteral("junk"), registers);
        QByteArray junk;
        switch (random.bounded(7)) {
        case 0:
            junk = QByteArray::fromHex("ffffffff"); // 4 GiB
            break;
        case 1:
            junk = QByteArray::fromHex("00000000"); // zero length
            break;
        case 2:
            junk = QByteArray::fromHex("00010001") + QByteArray(100, 'x'); // max_frame + 1
            break;
        case 3: { // random bytes behind a plausible length, not a map
            QByteArray payload(int(random.bounded(1, 300)), '\0');
            for (char &b : payload)
                b = char(random.bounded(256));
            payload[0] = random.bounded(2) ? '\x1c' : '\xff';
            junk = protocol::encodeFrame(payload);
            break;
        }
        case 4: // invalid UTF-8 in a say
            junk = protocol::encodeFrame(QByteArray::fromHex("a2617463736179647465787462c328"));
            break;
        case 5: // no "t"
            junk = protocol::encodeFrame(QByteArray::fromHex("a0"));
            break;
        default: // a say whose text is an integer
            junk = protocol::encodeFrame(QByteArray::fromHex("a2617463736179647465787401"));
            break;
        }
        const auto sendJunk = [c, junk] { c->sendRaw(junk); };
        connect(c, registers ? &SoakClient::registered : &SoakClient::connected, this, sendJunk);
        connect(c, &SoakClient::closed, this, [this, c, open] {
            const auto errors = c->errors();
            if (errors.isEmpty() || !errors.last().fatal) {
                fail(QStringLiteral("closed without a fatal error"));
                return;
            }
            if (--*open == 0)
                succeed();
        });
        c->start(m_driver->settings().port);
    }
}
