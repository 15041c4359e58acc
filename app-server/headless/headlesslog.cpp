#include "headlesslog.h"

#include "core/chatserver.h"
#include "core/session.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <cstdio>

namespace synack::server {

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
                write(QStringLiteral("listening"),
                      {{QStringLiteral("address"), address.toString()},
                       {QStringLiteral("port"), port},
                       {QStringLiteral("name"), m_server->name()},
                       {QStringLiteral("discovery_port"), m_server->discoveryPort()}},
                      QStringLiteral("listening on %1:%2 as \"%3\"%4")
                          .arg(shown)
                          .arg(port)
                          .arg(m_server->name(), m_server->discoveryPort()
                                                     ? QStringLiteral(", LAN discovery on UDP %1")
                                                           .arg(m_server->discoveryPort())
                                                     : QString()));
            });
    connect(server, &ChatServer::warning, this, [this](const QString &text) {
        write(QStringLiteral("warning"), {{QStringLiteral("text"), text}},
              QStringLiteral("warning: %1").arg(text));
    });
    connect(server, &ChatServer::sessionAccepted, this, [this](quint64 id, const QString &peer) {
        write(QStringLiteral("accepted"),
              {{QStringLiteral("session"), qint64(id)}, {QStringLiteral("peer"), peer}},
              QStringLiteral("#%1 accepted from %2").arg(id).arg(peer));
    });
    connect(server, &ChatServer::sessionRegistered, this, [this](quint64 id, const QString &nick) {
        const Session *s = m_server->session(id);
        const QString peer = s ? s->peer() : QString();
        write(QStringLiteral("registered"),
              {{QStringLiteral("session"), qint64(id)},
               {QStringLiteral("nick"), nick},
               {QStringLiteral("peer"), peer}},
              QStringLiteral("#%1 registered as %2").arg(id).arg(nick));
    });
    connect(server, &ChatServer::sessionRenamed, this,
            [this](quint64 id, const QString &from, const QString &to) {
                write(QStringLiteral("renamed"),
                      {{QStringLiteral("session"), qint64(id)},
                       {QStringLiteral("from"), from},
                       {QStringLiteral("to"), to}},
                      QStringLiteral("#%1 %2 is now %3").arg(id).arg(from, to));
            });
    connect(server, &ChatServer::sessionLeft, this,
            [this](quint64 id, const QString &nick, const QString &reason, const QString &detail) {
                write(QStringLiteral("left"),
                      {{QStringLiteral("session"), qint64(id)},
                       {QStringLiteral("nick"), nick},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("detail"), detail}},
                      QStringLiteral("#%1 %2 left (%3): %4")
                          .arg(id)
                          .arg(nick.isEmpty() ? QStringLiteral("(unregistered)") : nick, reason,
                               detail));
            });
    connect(server, &ChatServer::sessionClosed, this, [this](quint64 id) {
        write(QStringLiteral("closed"), {{QStringLiteral("session"), qint64(id)}},
              QStringLiteral("#%1 connection closed").arg(id));
    });
    connect(server, &ChatServer::kernelStateChanged, this,
            [this](quint64 id, const QString &peer, net::TcpState from, net::TcpState to,
                   const QList<net::TcpState> &passed, qint64 timerMs) {
                QJsonArray passedNames;
                QStringList passedText;
                for (net::TcpState state : passed) {
                    passedNames.append(net::tcpStateName(state));
                    passedText.append(net::tcpStateName(state));
                }
                QJsonObject fields{{QStringLiteral("session"), qint64(id)},
                                   {QStringLiteral("peer"), peer},
                                   {QStringLiteral("from"), net::tcpStateName(from)},
                                   {QStringLiteral("to"), net::tcpStateName(to)},
                                   {QStringLiteral("passed"), passedNames}};
                if (timerMs >= 0)
                    fields.insert(QStringLiteral("timer_ms"), timerMs);
                const QString who = id == 0 ? QStringLiteral("listener")
                                            : QStringLiteral("#%1 %2").arg(id).arg(peer);
                write(QStringLiteral("kernel-state"), fields,
                      QStringLiteral("%1 kernel TCP state %2 -> %3%4%5")
                          .arg(who, net::tcpStateName(from), net::tcpStateName(to),
                               passed.isEmpty() ? QString()
                                                : QStringLiteral(" (passed, not observed: %1)")
                                                      .arg(passedText.join(QStringLiteral(", "))),
                               timerMs >= 0 ? QStringLiteral(", timer %1 ms").arg(timerMs)
                                            : QString()));
            });
    connect(server, &ChatServer::errorSent, this,
            [this](quint64 id, const QString &code, const QString &text, bool fatal) {
                write(QStringLiteral("error"),
                      {{QStringLiteral("session"), qint64(id)},
                       {QStringLiteral("code"), code},
                       {QStringLiteral("text"), text},
                       {QStringLiteral("fatal"), fatal}},
                      QStringLiteral("#%1 %2 error %3: %4")
                          .arg(id)
                          .arg(fatal ? QStringLiteral("fatal") : QStringLiteral("non-fatal"), code,
                               text));
            });
}

QDateTime HeadlessLog::localNow()
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (nowMs >= m_offsetCheckedUntilMs) {
        m_offsetSeconds = QDateTime::currentDateTime().offsetFromUtc();
        m_offsetCheckedUntilMs = nowMs - nowMs % 60000 + 60000;
    }
    return QDateTime::fromMSecsSinceEpoch(nowMs, Qt::OffsetFromUTC, m_offsetSeconds);
}

void HeadlessLog::write(const QString &event, const QJsonObject &fields, const QString &text)
{
    const QDateTime now = localNow();
    QByteArray line;
    if (m_format == LogFormat::Json) {
        QJsonObject object = fields;
        object.insert(QStringLiteral("ts"), now.toString(Qt::ISODateWithMs));
        object.insert(QStringLiteral("event"), event);
        line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    } else {
        line = (QStringLiteral("[%1] ").arg(now.toString(QStringLiteral("HH:mm:ss.zzz"))) + text)
                   .toUtf8();
    }
    line.append('\n');
    // stdout is a pipe for scripts: each event must reach them at once.
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

} // namespace synack::server
