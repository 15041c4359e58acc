#include "fakeserver.h"

#include "protocol/codec.h"

#include <QTcpSocket>
#include <QTest>

namespace synack::test {

FakeServer::FakeServer()
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeServer::onNewConnection);
}

FakeServer::~FakeServer()
{
    // Before the members go: a dying connection still calls back into them.
    qDeleteAll(findChildren<net::Connection *>(Qt::FindDirectChildrenOnly));
}

bool FakeServer::listen(quint16 port)
{
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void FakeServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        net::ConnectionSettings settings;
        settings.role = protocol::Role::Server;
        settings.lingerTime = std::chrono::milliseconds(200);
        auto *connection = new net::Connection(socket, settings, this);
        const int number = ++m_accepted;
        m_waiting.append({connection, number});
        connect(connection, &net::Connection::messageReceived, this,
                [this, number](const protocol::Envelope &envelope) {
                    const auto decoded = protocol::decodeMessage(envelope, protocol::Role::Server);
                    if (decoded.message)
                        m_inboxes[number].append(*decoded.message);
                });
        connect(connection, &net::Connection::byeReceived, this,
                [this, number](const QString &reason, const std::optional<QString> &text) {
                    m_inboxes[number].append(protocol::Bye{reason, text});
                });
        connect(connection, &net::Connection::closed, connection, &QObject::deleteLater);
    }
}

net::Connection *FakeServer::nextClient(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return !m_waiting.isEmpty(); }, timeoutMs))
        return nullptr;
    const Accepted next = m_waiting.takeFirst();
    m_current = next.connection;
    m_currentNumber = next.number;
    return m_current;
}

std::optional<protocol::Message> FakeServer::nextMessage(int timeoutMs)
{
    // The inbox outlives its connection: a bye and the FIN after it may be
    // read in one turn, and the connection is gone before the test looks.
    const auto hasMail = [this] { return !m_inboxes.value(m_currentNumber).isEmpty(); };
    if (!QTest::qWaitFor(hasMail, timeoutMs))
        return std::nullopt;
    return m_inboxes[m_currentNumber].takeFirst();
}

void FakeServer::send(const protocol::Message &message)
{
    if (m_current)
        m_current->send(message);
}

std::optional<protocol::Hello> FakeServer::acceptHello(const QStringList &others,
                                                       quint64 heartbeatMs, quint64 timeoutMs)
{
    auto hello = next<protocol::Hello>();
    if (!hello)
        return std::nullopt;
    protocol::Welcome welcome =
        welcomeFor(hello->nick, QStringList{hello->nick} + others, heartbeatMs, timeoutMs);
    welcome.session = quint64(m_accepted);
    send(welcome);
    return hello;
}

protocol::Welcome FakeServer::welcomeFor(const QString &nick, const QStringList &users,
                                         quint64 heartbeatMs, quint64 timeoutMs)
{
    protocol::Welcome welcome;
    welcome.nick = nick;
    welcome.server = QStringLiteral("fake");
    welcome.session = 1;
    welcome.heartbeatMs = heartbeatMs;
    welcome.timeoutMs = timeoutMs;
    welcome.maxFrame = 65536;
    welcome.maxText = 8192;
    welcome.users = users;
    return welcome;
}

void FakeServer::mute()
{
    if (m_current)
        m_current->setFrozen(true); // no pings, no pongs: the server falls silent
}

void FakeServer::drop()
{
    if (m_current)
        m_current->abort();
}

} // namespace synack::test
