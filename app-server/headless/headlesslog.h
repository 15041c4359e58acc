#pragma once

// The headless server's voice: one line per connection event on stdout, as
// text for people or JSON Lines for scripts. Each JSON line has "ts" (local
// time, ISO 8601 with milliseconds) and "event"; the rest depends on it:
//   listening {address, port, name, discovery_port}   accepted {session, peer}
//   registered {session, nick, peer}                   renamed {session, from, to}
//   left {session, nick, reason, detail}               closed {session}
//   error {session, code, text, fatal}                 warning {text}
//   shutdown {}                                        reloaded {config, motd_changed,
//                                                                password_changed}
//   throttled {session, peer}
//   segment {session, peer, dir, flags, seq, ack, seq_abs, ack_abs, len, win,
//            win_raw, marks[, mss, ws, sack, ts], wall_us}   (with --capture)
// What a peer chose is escaped in a text line (text/peertext.h) and kept
// exact in a JSON one, where JSON's own escaping keeps it one valid line.

#include "serveroptions.h"

#include <QBasicTimer>
#include <QJsonObject>
#include <QObject>
#include <QStringEncoder>

namespace synack::net {
class SegmentRouter;
struct TcpSegment;
} // namespace synack::net

namespace synack::server {

class ChatServer;

class HeadlessLog : public QObject
{
    Q_OBJECT

public:
    HeadlessLog(ChatServer *server, LogFormat format, QObject *parent = nullptr);
    ~HeadlessLog() override; // writes out what is pending

    void write(const QString &event, const QJsonObject &fields, const QString &text);
    // Writes what is pending now (the log also does at the end of each turn).
    void flush();
    // Logs the TCP segments of each session from now on (--capture): the
    // router's capture filters the listening port.
    void followSegments(net::SegmentRouter *router);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // Builds only what the format needs: a JSON object or a line of text.
    template <class Fields, class Text>
    void log(const QString &event, Fields &&fields, Text &&text)
    {
        if (m_format == LogFormat::Json)
            writeJson(event, fields());
        else
            writeText(text());
    }
    void writeJson(const QString &event, QJsonObject fields);
    void writeText(const QString &text);
    // Lines of one turn of the event loop leave together, in one write.
    void writeLine(const QByteArray &line);
    void endLine();
    void logSegment(quint64 session, const QString &peer, const net::TcpSegment &segment);

    // The local time of a log line. The zone's offset is looked up once a
    // minute: asking for it each time costs a stat() of the zone file.
    QDateTime localNow();
    // Milliseconds since the epoch (UTC); m_offsetSeconds is current after it.
    qint64 nowMs();

    ChatServer *m_server;
    LogFormat m_format;
    qint64 m_offsetCheckedUntilMs = 0;
    int m_offsetSeconds = 0;
    QByteArray m_pending;
    QStringEncoder m_utf8{QStringEncoder::Utf8, QStringConverter::Flag::Stateless};
    QBasicTimer m_flushTimer;
    net::SegmentRouter *m_segments = nullptr;
};

} // namespace synack::server
