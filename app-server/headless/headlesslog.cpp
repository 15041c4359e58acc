#include "headlesslog.h"

#include "core/chatserver.h"
#include "core/session.h"
#include "net/capture/segmentrouter.h"
#include "text/peertext.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimerEvent>
#include <cstdio>

namespace synack::server {
namespace {

// "#12": how the log names a session.
QString sessionTag(quint64 id)
{
    return u'#' + QString::number(id);
}

} // namespace

HeadlessLog::HeadlessLog(ChatServer *server, LogFormat format, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_format(format)
{
    connect(server, &ChatServer::listening, this,
            [this](const QHostAddress &address, quint16 port) {
                const QString shown = address.protocol() == QAbstractSocket::IPv6Protocol
                                          ? QStringLiteral("[%1]").arg(address.toString())
                                          : address.toString();
                log(
                    QStringLiteral("listening"),
                    [&] {
                        return QJsonObject{
                            {QStringLiteral("address"), address.toString()},
                            {QStringLiteral("port"), port},
                            {QStringLiteral("name"), m_server->name()},
                            {QStringLiteral("discovery_port"), m_server->discoveryPort()}};
                    },
                    [&] {
                        return QStringLiteral("listening on %1:%2 as \"%3\"%4")
                            .arg(shown)
                            .arg(port)
                            .arg(m_server->name(), m_server->discoveryPort()
                                                       ? QStringLiteral(", LAN discovery on UDP %1")
                                                             .arg(m_server->discoveryPort())
                                                       : QString());
                    });
            });
    connect(server, &ChatServer::warning, this, [this](const QString &text) {
        log(
            QStringLiteral("warning"),
            [&] {
                return QJsonObject{{QStringLiteral("text"), text}};
            },
            [&] { return QStringLiteral("warning: %1").arg(text); });
    });
    connect(server, &ChatServer::sessionAccepted, this, [this](quint64 id, const QString &peer) {
        log(
            QStringLiteral("accepted"),
            [&] {
                return QJsonObject{{QStringLiteral("session"), qint64(id)},
                                   {QStringLiteral("peer"), peer}};
            },
            [&]() -> QString { return sessionTag(id) + u" accepted from " + peer; });
    });
    connect(server, &ChatServer::sessionThrottled, this, [this](quint64 id, const QString &peer) {
        log(
            QStringLiteral("throttled"),
            [&] {
                return QJsonObject{{QStringLiteral("session"), qint64(id)},
                                   {QStringLiteral("peer"), peer}};
            },
            [&]() -> QString {
                return sessionTag(id) +
                       u" throttled: its input took its share of the server's time";
            });
    });
    connect(server, &ChatServer::sessionRegistered, this, [this](quint64 id, const QString &nick) {
        const Session *s = m_server->session(id);
        const QString peer = s ? s->peer() : QString();
        log(
            QStringLiteral("registered"),
            [&] {
                return QJsonObject{{QStringLiteral("session"), qint64(id)},
                                   {QStringLiteral("nick"), nick},
                                   {QStringLiteral("peer"), peer}};
            },
            [&]() -> QString { return sessionTag(id) + u" registered as " + nick; });
    });
    connect(server, &ChatServer::sessionRenamed, this,
            [this](quint64 id, const QString &from, const QString &to) {
                log(
                    QStringLiteral("renamed"),
                    [&] {
                        return QJsonObject{{QStringLiteral("session"), qint64(id)},
                                           {QStringLiteral("from"), from},
                                           {QStringLiteral("to"), to}};
                    },
                    [&] { return QStringLiteral("#%1 %2 is now %3").arg(id).arg(from, to); });
            });
    connect(server, &ChatServer::sessionLeft, this,
            [this](quint64 id, const QString &nick, const QString &reason, const QString &detail) {
                log(
                    QStringLiteral("left"),
                    [&] {
                        return QJsonObject{{QStringLiteral("session"), qint64(id)},
                                           {QStringLiteral("nick"), nick},
                                           {QStringLiteral("reason"), reason},
                                           {QStringLiteral("detail"), detail}};
                    },
                    [&]() -> QString {
                        const QString who =
                            nick.isEmpty() ? QStringLiteral("(unregistered)") : nick;
                        return sessionTag(id) + u' ' + who + u" left (" + reason + u"): " + detail;
                    });
            });
    connect(server, &ChatServer::sessionClosed, this, [this](quint64 id) {
        log(
            QStringLiteral("closed"),
            [&] {
                return QJsonObject{{QStringLiteral("session"), qint64(id)}};
            },
            [&] {
                QString line = sessionTag(id);
                line += u" connection closed";
                return line;
            });
    });
    connect(server, &ChatServer::kernelStateChanged, this,
            [this](quint64 id, const QString &peer, net::TcpState from, net::TcpState to,
                   const QList<net::TcpState> &passed, qint64 timerMs) {
                const auto fields = [&] {
                    QJsonArray passedNames;
                    for (net::TcpState state : passed)
                        passedNames.append(net::tcpStateName(state));
                    QJsonObject object{{QStringLiteral("session"), qint64(id)},
                                       {QStringLiteral("peer"), peer},
                                       {QStringLiteral("from"), net::tcpStateName(from)},
                                       {QStringLiteral("to"), net::tcpStateName(to)},
                                       {QStringLiteral("passed"), passedNames}};
                    if (timerMs >= 0)
                        object.insert(QStringLiteral("timer_ms"), timerMs);
                    return object;
                };
                // Several lines of every connection: built in one piece, not
                // with arg(), which parses its pattern and allocates per call.
                const auto text = [&] {
                    QString line =
                        id == 0 ? QStringLiteral("listener") : sessionTag(id) + u' ' + peer;
                    line += u" kernel TCP state " + net::tcpStateName(from) + u" -> " +
                            net::tcpStateName(to);
                    QStringView separator = u" (passed, not observed: ";
                    for (const net::TcpState state : passed) {
                        line += separator;
                        line += net::tcpStateName(state);
                        separator = u", ";
                    }
                    if (!passed.isEmpty())
                        line += u')';
                    if (timerMs >= 0)
                        line += u", timer " + QString::number(timerMs) + u" ms";
                    return line;
                };
                log(QStringLiteral("kernel-state"), fields, text);
            });
    connect(server, &ChatServer::errorSent, this,
            [this](quint64 id, const QString &code, const QString &text, bool fatal) {
                log(
                    QStringLiteral("error"),
                    [&] {
                        return QJsonObject{{QStringLiteral("session"), qint64(id)},
                                           {QStringLiteral("code"), code},
                                           {QStringLiteral("text"), text},
                                           {QStringLiteral("fatal"), fatal}};
                    },
                    [&] {
                        return QStringLiteral("#%1 %2 error %3: %4")
                            .arg(id)
                            .arg(fatal ? QStringLiteral("fatal") : QStringLiteral("non-fatal"),
                                 code, text);
                    });
            });
}

void HeadlessLog::followSegments(net::SegmentRouter *router)
{
    m_segments = router;
    // A session's handshake came before accept(): the router holds it until
    // the claim. The claim ends with the connection (both FINs acknowledged,
    // or an RST), so a session that is gone still logs its last ACK.
    connect(m_server, &ChatServer::sessionAccepted, this, [this](quint64 id, const QString &peer) {
        const Session *session = m_server->session(id);
        if (!m_segments || !session || !session->connection())
            return;
        const net::Connection *c = session->connection();
        m_segments->claim(
            net::TcpEndpoint::fromAddress(c->localAddress(), c->localPort()),
            net::TcpEndpoint::fromAddress(c->peerAddress(), c->peerPort()),
            [this, id, peer](const net::TcpSegment &segment) { logSegment(id, peer, segment); });
    });
}

void HeadlessLog::logSegment(quint64 id, const QString &peer, const net::TcpSegment &s)
{
    const bool out = s.direction == net::SegmentDirection::Outgoing;
    log(
        QStringLiteral("segment"),
        [&] {
            QJsonArray marks;
            if (s.isMarked(net::segmentmark::Retransmission))
                marks.append(QStringLiteral("retransmission"));
            if (s.isMarked(net::segmentmark::DuplicateAck))
                marks.append(QStringLiteral("dup-ack"));
            if (s.isMarked(net::segmentmark::ZeroWindow))
                marks.append(QStringLiteral("zero-window"));
            if (s.isMarked(net::segmentmark::WindowUpdate))
                marks.append(QStringLiteral("window-update"));
            if (s.isMarked(net::segmentmark::KeepAlive))
                marks.append(QStringLiteral("keep-alive"));
            QJsonObject object{
                {QStringLiteral("session"), qint64(id)},
                {QStringLiteral("peer"), peer},
                {QStringLiteral("dir"), out ? QStringLiteral("out") : QStringLiteral("in")},
                {QStringLiteral("flags"), s.flagNames()},
                {QStringLiteral("seq"), qint64(s.relativeSeq)},
                {QStringLiteral("ack"), qint64(s.relativeAck)},
                {QStringLiteral("seq_abs"), qint64(s.seq)},
                {QStringLiteral("ack_abs"), qint64(s.ack)},
                {QStringLiteral("len"), qint64(s.payloadLength)},
                {QStringLiteral("win"), qint64(s.scaledWindow)},
                {QStringLiteral("win_raw"), s.window},
                {QStringLiteral("marks"), marks},
                {QStringLiteral("wall_us"), s.wallUs}};
            if (s.has(net::tcpflag::Syn)) {
                if (s.options.mss)
                    object.insert(QStringLiteral("mss"), *s.options.mss);
                if (s.options.windowScale)
                    object.insert(QStringLiteral("ws"), *s.options.windowScale);
                object.insert(QStringLiteral("sack"), s.options.sackPermitted);
                object.insert(QStringLiteral("ts"), s.hasTimestamps);
            }
            return object;
        },
        [&]() -> QString {
            // "#3 127.0.0.1:35526 < SYN seq=0 len=0 win=65495 mss=65495 ws=7 sack ts"
            return sessionTag(id) + u' ' + peer + (out ? u" > " : u" < ") + s.summary();
        });
}

qint64 HeadlessLog::nowMs()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now >= m_offsetCheckedUntilMs) {
        m_offsetSeconds = QDateTime::currentDateTime().offsetFromUtc();
        m_offsetCheckedUntilMs = now - now % 60000 + 60000;
    }
    return now;
}

QDateTime HeadlessLog::localNow()
{
    return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::OffsetFromUTC, m_offsetSeconds);
}

HeadlessLog::~HeadlessLog()
{
    flush();
}

void HeadlessLog::write(const QString &event, const QJsonObject &fields, const QString &text)
{
    log(
        event, [&] { return fields; }, [&] { return text; });
}

void HeadlessLog::writeJson(const QString &event, QJsonObject fields)
{
    fields.insert(QStringLiteral("ts"), localNow().toString(Qt::ISODateWithMs));
    fields.insert(QStringLiteral("event"), event);
    writeLine(QJsonDocument(fields).toJson(QJsonDocument::Compact));
}

void HeadlessLog::writeText(const QString &text)
{
    // "[HH:mm:ss.zzz] ", written by hand: QDateTime::toString() was a tenth
    // of the cost of a short-lived connection's log lines.
    constexpr qint64 kMsPerDay = 24 * 3600 * 1000;
    const qint64 localMs = nowMs() + qint64(m_offsetSeconds) * 1000;
    const qint64 msOfDay = ((localMs % kMsPerDay) + kMsPerDay) % kMsPerDay;
    const int fields[] = {int(msOfDay / 3600000), int(msOfDay / 60000 % 60),
                          int(msOfDay / 1000 % 60)};
    char stamp[] = "[00:00:00.000] ";
    for (int i = 0; i < 3; ++i) {
        stamp[1 + 3 * i] = char('0' + fields[i] / 10);
        stamp[2 + 3 * i] = char('0' + fields[i] % 10);
    }
    const int ms = int(msOfDay % 1000);
    stamp[10] = char('0' + ms / 100);
    stamp[11] = char('0' + ms / 10 % 10);
    stamp[12] = char('0' + ms % 10);
    m_pending.append(stamp, qsizetype(sizeof stamp - 1));
    // Nicks, types, bye and error texts are a peer's choice: one line each,
    // shown and not obeyed by the operator's terminal (docs/reliability.md,
    // "Forged lines"). Lines with nothing to escape are not copied.
    const QString shown = synack::text::visiblePeerText(text);
    // Encoded straight into the pending bytes: no QByteArray per line.
    const qsizetype at = m_pending.size();
    m_pending.resize(at + m_utf8.requiredSpace(shown.size()));
    char *end = m_utf8.appendToBuffer(m_pending.data() + at, shown);
    m_pending.truncate(end - m_pending.constData());
    endLine();
}

void HeadlessLog::writeLine(const QByteArray &line)
{
    m_pending.append(line);
    endLine();
}

void HeadlessLog::endLine()
{
    m_pending.append('\n');
    // stdout is a pipe for scripts: each event must reach them at once, that
    // is by the end of this turn of the event loop, with the turn's others.
    // A zero timer, not a posted call: it needs no wake-up of the loop (a
    // write() to glib's eventfd each time).
    if (!m_flushTimer.isActive())
        m_flushTimer.start(0, this);
}

void HeadlessLog::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_flushTimer.timerId())
        flush();
    else
        QObject::timerEvent(event);
}

void HeadlessLog::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    std::fwrite(m_pending.constData(), 1, size_t(m_pending.size()), stdout);
    std::fflush(stdout);
    m_pending.clear();
}

} // namespace synack::server
