#include "soakclient.h"

#include "net/socketops.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCryptographicHash>

using namespace synack;

QByteArray textDigest(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1);
}

SoakClient::SoakClient(const QString &nick, QObject *parent)
    : QObject(parent)
    , m_nick(nick)
{
    connect(&m_socket, &QTcpSocket::connected, this, &SoakClient::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &SoakClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, &SoakClient::markClosed);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            markClosed();
    });
    connect(&m_slowRead, &QTimer::timeout, this, [this] { readAvailable(m_bytesPerTick); });
}

SoakClient::~SoakClient()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void SoakClient::start(quint16 port, int receiveBuffer)
{
    if (receiveBuffer <= 0) {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return;
    }
    // A blocking connect on loopback (bounded by SO_SNDTIMEO), so that
    // SO_RCVBUF is in place before the handshake fixes the window scale.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        QTimer::singleShot(0, this, &SoakClient::markClosed);
        return;
    }
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    const timeval connectTimeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connectTimeout, sizeof connectTimeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 ||
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 ||
        !m_socket.setSocketDescriptor(fd)) {
        ::close(fd);
        QTimer::singleShot(0, this, &SoakClient::markClosed);
        return;
    }
    QTimer::singleShot(0, this, &SoakClient::onConnected);
}

void SoakClient::onConnected()
{
    emit connected();
    if (!m_nick.isEmpty())
        send(
            protocol::Hello{protocol::kProtocolVersion, m_nick, QStringLiteral("synack-soak"), {}});
}

quint64 SoakClient::say(const QString &text, const std::optional<QString> &to)
{
    const quint64 id = m_nextId++;
    m_sent.insert(id, textDigest(text));
    send(protocol::Say{text, to, id});
    return id;
}

void SoakClient::send(const protocol::Message &message)
{
    sendRaw(protocol::encodeMessageFrame(message));
}

void SoakClient::sendRaw(const QByteArray &bytes)
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        m_socket.write(bytes);
}

void SoakClient::bye()
{
    send(protocol::Bye{protocol::reason::Quit, QStringLiteral("soak: done")});
}

void SoakClient::abortWithReset()
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        net::setLingerZero(m_socket.socketDescriptor());
    m_socket.abort();
    markClosed();
}

void SoakClient::halfClose()
{
    m_socket.flush();
    net::shutdownWrite(m_socket.socketDescriptor());
}

void SoakClient::stopReading()
{
    m_reading = false;
    m_slowRead.stop();
    // A 1-byte read buffer stops Qt from draining the kernel's buffer.
    m_socket.setReadBufferSize(1);
}

void SoakClient::readSlowly(qint64 bytesPerTick, std::chrono::milliseconds tick)
{
    m_bytesPerTick = bytesPerTick;
    m_socket.setReadBufferSize(bytesPerTick);
    m_slowRead.start(tick);
}

qsizetype SoakClient::unansweredSays() const
{
    return qsizetype(m_nextId - 1) - m_acks.size() - m_rejections.size();
}

void SoakClient::onReadyRead()
{
    if (m_reading && m_bytesPerTick == 0)
        readAvailable(-1);
}

void SoakClient::readAvailable(qint64 limit)
{
    if (!m_reading || !m_socket.isOpen())
        return;
    const QByteArray bytes = limit < 0 ? m_socket.readAll() : m_socket.read(limit);
    m_bytesRead += bytes.size();
    m_decoder.append(bytes);
    while (m_decoder.hasFrame()) {
        protocol::DecodeResult result =
            protocol::decodePayload(m_decoder.takeFrame(), protocol::Role::Client);
        if (result.message)
            handle(std::move(*result.message));
    }
    if (!bytes.isEmpty())
        emit progressed();
}

void SoakClient::handle(protocol::Message &&message)
{
    if (const auto *ping = std::get_if<protocol::Ping>(&message)) {
        send(protocol::Pong{ping->seq, ping->ts});
    } else if (std::holds_alternative<protocol::Welcome>(message)) {
        m_registered = true;
        emit registered();
    } else if (const auto *msg = std::get_if<protocol::ChatMsg>(&message)) {
        if (msg->id) {
            if (m_acks.contains(*msg->id) || m_rejections.contains(*msg->id))
                ++m_duplicateAnswers;
            else
                m_acks.insert(*msg->id, {msg->seq, msg->from, {}, msg->ts, msg->to, msg->id, {}});
        }
        if (msg->seq && !msg->backlog.value_or(false))
            m_room.append({*msg->seq, msg->from, textDigest(msg->text)});
    } else if (const auto *error = std::get_if<protocol::Error>(&message)) {
        m_errors.append(*error);
        if (error->id) {
            if (m_acks.contains(*error->id) || m_rejections.contains(*error->id))
                ++m_duplicateAnswers;
            else
                m_rejections.insert(*error->id, *error);
        }
        if (error->fatal && !m_registered) {
            m_refused = true;
            emit refused(*error);
        }
    } else if (const auto *join = std::get_if<protocol::Join>(&message)) {
        emit joinSeen(join->nick);
    } else if (const auto *leave = std::get_if<protocol::Leave>(&message)) {
        emit leaveSeen(leave->nick, leave->reason);
    } else if (std::holds_alternative<protocol::Users>(message)) {
        ++m_usersAnswers;
    } else if (const auto *bye = std::get_if<protocol::Bye>(&message)) {
        m_bye = *bye;
    }
}

void SoakClient::markClosed()
{
    if (m_closed)
        return;
    m_closed = true;
    m_slowRead.stop();
    emit closed();
}
