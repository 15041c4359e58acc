#pragma once

// A SynAck server the test scripts by hand: a QTcpServer on 127.0.0.1 whose
// accepted sockets are net::Connections (Role::Server). The test reads what
// the client sent, in order, and answers whatever it likes.

#include "net/connection.h"
#include "protocol/messages.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <optional>

namespace synack::test {

class FakeServer : public QObject
{
    Q_OBJECT

public:
    FakeServer();
    ~FakeServer() override;

    bool listen(quint16 port = 0);
    void stopListening() { m_server.close(); }
    quint16 port() const { return m_port; }

    // The next connection accepted (waits for it), or nullptr.
    net::Connection *nextClient(int timeoutMs = 5000);
    net::Connection *current() const { return m_current; }
    int accepted() const { return m_accepted; }

    // The next message the current client sent, or nothing after the timeout.
    std::optional<protocol::Message> nextMessage(int timeoutMs = 5000);
    template <typename T>
    std::optional<T> next(int timeoutMs = 5000)
    {
        const auto message = nextMessage(timeoutMs);
        if (!message || !std::holds_alternative<T>(*message))
            return std::nullopt;
        return std::get<T>(*message);
    }

    void send(const protocol::Message &message);
    // The welcome acceptHello answers with.
    static protocol::Welcome welcomeFor(const QString &nick, const QStringList &users,
                                        quint64 heartbeatMs = 5000, quint64 timeoutMs = 15000);
    // Waits for hello and answers welcome; returns the hello.
    std::optional<protocol::Hello> acceptHello(const QStringList &others = {},
                                               quint64 heartbeatMs = 5000,
                                               quint64 timeoutMs = 15000);
    // Freezes the current client's heartbeat: no ping, no pong comes back.
    void mute();
    // Closes the current client's socket without a bye (RST).
    void drop();

private:
    void onNewConnection();

    QTcpServer m_server;
    quint16 m_port = 0;
    struct Accepted
    {
        QPointer<net::Connection> connection;
        int number; // in the order accepted, from 1
    };
    QList<Accepted> m_waiting; // accepted, not yet taken by nextClient
    QPointer<net::Connection> m_current;
    int m_currentNumber = 0;
    QHash<int, QList<protocol::Message>> m_inboxes; // what each client sent, by number
    int m_accepted = 0;
};

} // namespace synack::test
