#pragma once

// A bare protocol client for tests: a QTcpSocket that sends exactly what the
// test says (raw bytes included) and keeps every message it receives. It
// answers pings unless told not to, so it stays alive through heartbeats.

#include "protocol/codec.h"
#include "protocol/framing.h"

#include <QTcpSocket>
#include <functional>

class TestClient : public QObject
{
    Q_OBJECT

public:
    explicit TestClient(QObject *parent = nullptr);

    bool connectTo(quint16 port, const QString &host = QStringLiteral("127.0.0.1"));
    void send(const synack::protocol::Message &message);
    void sendRaw(const QByteArray &bytes);
    // hello, then waits for welcome (true) or an error (false).
    bool registerAs(const QString &nick, const std::optional<QString> &password = std::nullopt);

    void setAnswerPings(bool answer) { m_answerPings = answer; }
    // Stops reading from the socket (a slow reader), or starts again.
    void setReading(bool reading);

    QTcpSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool peerClosed() const { return m_peerClosed; }

    const QList<synack::protocol::Message> &received() const { return m_received; }
    template <class T>
    QList<T> all() const
    {
        QList<T> out;
        for (const auto &m : m_received) {
            if (const T *typed = std::get_if<T>(&m))
                out.append(*typed);
        }
        return out;
    }
    // Chat messages that are not backlog replays.
    QList<synack::protocol::ChatMsg> liveMessages() const;
    std::optional<synack::protocol::Error> lastError() const;

    // Runs the event loop until `done` is true or `timeoutMs` passes.
    bool waitUntil(const std::function<bool()> &done, int timeoutMs = 5000);
    bool waitForClose(int timeoutMs = 5000);

private:
    void onReadyRead();

    QTcpSocket m_socket;
    synack::protocol::FrameDecoder m_decoder{synack::protocol::kClientMaxFrame};
    QList<synack::protocol::Message> m_received;
    bool m_answerPings = true;
    bool m_reading = true;
    bool m_peerClosed = false;
};
