#include "testclient.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using namespace synack;

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &TestClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_peerClosed = true; });
}

bool TestClient::connectTo(quint16 port, const QString &host)
{
    m_socket.connectToHost(host, port);
    return m_socket.waitForConnected(5000);
}

void TestClient::send(const protocol::Message &message)
{
    m_socket.write(protocol::encodeMessageFrame(message));
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

bool TestClient::registerAs(const QString &nick, const std::optional<QString> &password)
{
    send(protocol::Hello{protocol::kProtocolVersion, nick, QStringLiteral("synack-tests"),
                         password});
    waitUntil(
        [this] { return !all<protocol::Welcome>().isEmpty() || lastError() || m_peerClosed; });
    return !all<protocol::Welcome>().isEmpty();
}

void TestClient::setReading(bool reading)
{
    m_reading = reading;
    // A 1-byte read buffer stops Qt from draining the kernel's buffer.
    m_socket.setReadBufferSize(reading ? 0 : 1);
    if (reading)
        onReadyRead();
}

QList<protocol::ChatMsg> TestClient::liveMessages() const
{
    QList<protocol::ChatMsg> out;
    for (const auto &msg : all<protocol::ChatMsg>()) {
        if (!msg.backlog.value_or(false))
            out.append(msg);
    }
    return out;
}

std::optional<protocol::Error> TestClient::lastError() const
{
    const auto errors = all<protocol::Error>();
    if (errors.isEmpty())
        return std::nullopt;
    return errors.last();
}

bool TestClient::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(5); // runs the event loop; the condition is the synchronisation
    }
    return true;
}

bool TestClient::waitForClose(int timeoutMs)
{
    return waitUntil(
        [this] { return m_peerClosed || m_socket.state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
}

void TestClient::onReadyRead()
{
    if (!m_reading)
        return;
    m_decoder.append(m_socket.readAll());
    while (m_decoder.hasFrame()) {
        const protocol::DecodeResult result =
            protocol::decodePayload(m_decoder.takeFrame(), protocol::Role::Client);
        if (!result.message)
            continue;
        if (const auto *ping = std::get_if<protocol::Ping>(&*result.message); ping && m_answerPings)
            send(protocol::Pong{ping->seq, ping->ts});
        m_received.append(*result.message);
    }
}
