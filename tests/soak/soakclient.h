#pragma once

// One protocol client of the soak: a QTcpSocket that registers, chats, and
// keeps what the server sent it, event-driven (no nested event loops), so one
// driver process can run dozens side by side. It answers pings, and can
// misbehave on request: stop reading or read slowly, abort with RST,
// half-close, send raw bytes.

#include "protocol/codec.h"
#include "protocol/framing.h"

#include <QHash>
#include <QTcpSocket>
#include <QTimer>

// A room message as a client keeps it: the text only as its digest, so that
// an hour of big messages fits in memory.
struct RoomEntry
{
    quint64 seq = 0;
    QString from;
    QByteArray digest;
};
QByteArray textDigest(const QString &text);

class SoakClient : public QObject
{
    Q_OBJECT

public:
    // An empty nick: connect only, never send hello.
    explicit SoakClient(const QString &nick, QObject *parent = nullptr);
    ~SoakClient() override;

    // Connects to 127.0.0.1:port and sends hello once connected. A
    // receiveBuffer above 0 sets SO_RCVBUF before the connect, so that a
    // reader that stalls fills the server's queue rather than the kernel's.
    void start(quint16 port, int receiveBuffer = 0);

    // A room or private say with the next id; returns the id.
    quint64 say(const QString &text, const std::optional<QString> &to = std::nullopt);
    void send(const synack::protocol::Message &message);
    void sendRaw(const QByteArray &bytes);
    void bye();
    // RST: SO_LINGER 0, then close.
    void abortWithReset();
    // shutdown(SHUT_WR): FIN, and reading goes on.
    void halfClose();
    // Never reads again (the kernel's buffers fill), or reads at most
    // `bytesPerTick` every `tick` (0: reads everything at once, the default).
    void stopReading();
    void readSlowly(qint64 bytesPerTick, std::chrono::milliseconds tick);

    QString nick() const { return m_nick; }
    bool isRegistered() const { return m_registered; }
    bool isClosed() const { return m_closed; }
    bool wasRefused() const { return m_refused; }

    // Room messages as they arrived (not the backlog), with their seq.
    const QList<RoomEntry> &roomMessages() const { return m_room; }
    // The answers to this client's says, by id: the acknowledging msg (its
    // text dropped), or the error. An id answered twice is counted in
    // duplicateAnswers().
    const QHash<quint64, synack::protocol::ChatMsg> &acks() const { return m_acks; }
    const QHash<quint64, synack::protocol::Error> &rejections() const { return m_rejections; }
    int duplicateAnswers() const { return m_duplicateAnswers; }
    // The digest of the text of this client's say `id`.
    QByteArray sentDigest(quint64 id) const { return m_sent.value(id); }
    qsizetype unansweredSays() const;
    QList<synack::protocol::Error> errors() const { return m_errors; }
    std::optional<synack::protocol::Bye> lastBye() const { return m_bye; }
    int usersAnswers() const { return m_usersAnswers; }
    qint64 bytesRead() const { return m_bytesRead; }

signals:
    void connected();
    void registered();
    void refused(const synack::protocol::Error &error);
    void closed();
    void joinSeen(const QString &nick);
    void leaveSeen(const QString &nick, const QString &reason);
    // Frames were read and handled (a cue to look at the counters).
    void progressed();

private:
    void onConnected();
    void onReadyRead();
    void readAvailable(qint64 limit);
    void handle(synack::protocol::Message &&message);
    void markClosed();

    QString m_nick;
    QTcpSocket m_socket;
    synack::protocol::FrameDecoder m_decoder{synack::protocol::kClientMaxFrame};
    QTimer m_slowRead;
    qint64 m_bytesPerTick = 0;
    bool m_reading = true;
    bool m_registered = false;
    bool m_refused = false;
    bool m_closed = false;
    quint64 m_nextId = 1;
    QList<RoomEntry> m_room;
    QHash<quint64, QByteArray> m_sent;
    QHash<quint64, synack::protocol::ChatMsg> m_acks;
    QHash<quint64, synack::protocol::Error> m_rejections;
    int m_duplicateAnswers = 0;
    QList<synack::protocol::Error> m_errors;
    std::optional<synack::protocol::Bye> m_bye;
    int m_usersAnswers = 0;
    qint64 m_bytesRead = 0;
};
