#include "net/tcplistener.h"

#include "net/socketops.h"

#include <QSocketNotifier>
#include <QTcpServer>
#include <cerrno>
#include <chrono>

namespace synack::net {
namespace {

// Accepted per wake-up: the rest wait one turn of the event loop, so that a
// crowd connecting at once does not hold up those already connected.
constexpr int kMaxAcceptsPerWakeUp = 64;
// How long accepting rests after the process ran out of descriptors.
constexpr std::chrono::milliseconds kRetryAfterResourceError{100};

bool isResourceError(int error)
{
    return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

} // namespace

TcpListener::TcpListener(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(kRetryAfterResourceError);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
}

TcpListener::~TcpListener()
{
    close();
}

void TcpListener::setListenBacklogSize(int size)
{
    m_server->setListenBacklogSize(size);
}

bool TcpListener::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port))
        return false;
    m_server->pauseAccepting(); // Qt's own notifier off: ours accepts
    m_notifier = new QSocketNotifier(m_server->socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TcpListener::acceptPending);
    return true;
}

void TcpListener::close()
{
    m_retry.stop();
    if (m_notifier) {
        // Off before its descriptor is closed; deleted later, since close()
        // may run in a slot of its own activated() (a listener closed on
        // accepting).
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    m_server->close();
}

bool TcpListener::isListening() const
{
    return m_server->isListening();
}

QHostAddress TcpListener::serverAddress() const
{
    return m_server->serverAddress();
}

quint16 TcpListener::serverPort() const
{
    return m_server->serverPort();
}

QString TcpListener::errorString() const
{
    return m_server->errorString();
}

qintptr TcpListener::socketDescriptor() const
{
    return m_server->socketDescriptor();
}

void TcpListener::acceptPending()
{
    for (int i = 0; i < kMaxAcceptsPerWakeUp && m_notifier; ++i) {
        const qintptr result = acceptConnection(m_server->socketDescriptor());
        if (result >= 0) {
            m_pauseReported = false;
            emit accepted(result); // a slot may close the listener
            continue;
        }
        const int error = int(-result);
        if (error == EAGAIN || error == EWOULDBLOCK)
            return;
        if (isResourceError(error)) {
            // The connection stays queued, and a level-triggered notifier
            // would report it again at once: rest instead of spinning. The
            // kernel wants the descriptor before it looks at the queue, so
            // the queue may also be empty: then there is nothing to say yet.
            m_notifier->setEnabled(false);
            m_retry.start();
            if (!m_pauseReported && isReadableNow(m_server->socketDescriptor())) {
                m_pauseReported = true;
                emit acceptPaused(qt_error_string(error));
            }
            return;
        }
        // Anything else (ECONNABORTED: the peer gave up while queued) is
        // about that one connection: go on with the next.
    }
}

} // namespace synack::net
