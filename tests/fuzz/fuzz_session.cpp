// libFuzzer target over a server session: a real ChatServer on 127.0.0.1 in
// this process, a registered good client, and for each input one more TCP
// connection that sends the input's bytes.
//
// Input: one byte of settings, then the bytes the peer sends.
//   bit 0:    the harness registers the peer first (hello "fz"), so the bytes
//             reach the registered state's code without having to spell hello
//   bits 1-3: the size of the writes, from kChunks (0: one write); between two
//             writes the server runs, so its reads split where the writes do
//   bit 4:    the peer ends with FIN instead of RST
// After each input it aborts when:
//   - the server did not take the bytes or close within kStepTimeout;
//   - the peer's session outlives its connection (no leaked session);
//   - the good client is not served: its `who` gets no `users`, or the room
//     or the listener is not as it was.
// The server's timers are long (no heartbeat, hello timeout 10 s) so that
// what happens depends on the bytes, not on the clock; the rate limit is
// high enough for the good client and low enough that a burst in one input
// reaches it.

#include "core/chatserver.h"
#include "core/session.h"

#include "net/socketops.h"
#include "protocol/codec.h"
#include "protocol/framing.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace synack;
using namespace std::chrono_literals;

namespace {

constexpr int kStepTimeoutMs = 3000;
constexpr qsizetype kChunks[] = {0, 1, 3, 16, 100, 1000, 4096, 16384};
constexpr int kMaxWrites = 64; // past this many writes the rest goes at once
const QString kGoodNick = QStringLiteral("good");

[[noreturn]] void violated(const char *what)
{
    std::fprintf(stderr, "fuzz_session: invariant broken: %s\n", what);
    std::abort();
}

// Runs the event loop until `done` or the timeout; a 1 ms timer keeps each
// wait short.
template <class F>
bool spinUntil(F done, int timeoutMs = kStepTimeoutMs)
{
    static QTimer *tick = [] {
        auto *t = new QTimer(QCoreApplication::instance());
        t->setInterval(1);
        return t;
    }();
    const QDeadlineTimer deadline(timeoutMs);
    tick->start();
    bool ok = true;
    while (!done()) {
        if (deadline.hasExpired()) {
            ok = false;
            break;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    tick->stop();
    return ok;
}

// A raw client: reads and decodes everything, answers pings.
class Peer
{
public:
    bool connectTo(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(kStepTimeoutMs);
    }
    void send(const protocol::Message &m) { socket.write(protocol::encodeMessageFrame(m)); }
    // Reads and drops what the server sent.
    void discard()
    {
        if (socket.isOpen())
            socket.readAll();
    }
    void poll()
    {
        if (!socket.isOpen())
            return;
        decoder.append(socket.readAll());
        while (decoder.hasFrame()) {
            auto result = protocol::decodePayload(decoder.takeFrame(), protocol::Role::Client);
            if (!result.message)
                continue;
            if (const auto *ping = std::get_if<protocol::Ping>(&*result.message))
                send(protocol::Pong{ping->seq, ping->ts});
            received.append(std::move(*result.message));
        }
    }
    template <class T>
    const T *last() const
    {
        for (auto it = received.crbegin(); it != received.crend(); ++it) {
            if (const T *typed = std::get_if<T>(&*it))
                return typed;
        }
        return nullptr;
    }

    QTcpSocket socket;
    protocol::FrameDecoder decoder{protocol::kClientMaxFrame};
    QList<protocol::Message> received;
};

struct Harness
{
    std::unique_ptr<server::ChatServer> server;
    Peer good;
};

Harness *g_harness = nullptr;

server::ServerConfig fuzzConfig()
{
    server::ServerConfig c;
    c.bindAddress = QHostAddress::LocalHost;
    c.port = 0;
    c.name = QStringLiteral("fuzz");
    c.discovery = false;
    c.kernelStates = false;
    c.heartbeatInterval = 1h;
    c.heartbeatTimeout = 2h;
    c.helloTimeout = 10s;
    c.floodRate = 2000;
    c.floodBurst = 40;
    c.backlog = 5;
    return c;
}

void startHarness()
{
    g_harness = new Harness;
    g_harness->server = std::make_unique<server::ChatServer>(fuzzConfig());
    QString error;
    if (!g_harness->server->start(&error)) {
        std::fprintf(stderr, "fuzz_session: %s\n", qPrintable(error));
        std::abort();
    }
    Peer &good = g_harness->good;
    QObject::connect(&good.socket, &QTcpSocket::readyRead, [&good] { good.poll(); });
    if (!good.connectTo(g_harness->server->port()))
        violated("the good client cannot connect");
    good.send(protocol::Hello{protocol::kProtocolVersion, kGoodNick, {}, {}});
    if (!spinUntil([&] { return good.last<protocol::Welcome>() != nullptr; }))
        violated("the good client is not welcomed");
}

// The good client asks who is there and must hear that it is alone.
void checkGoodClientServed()
{
    Peer &good = g_harness->good;
    good.received.clear();
    good.send(protocol::Who{});
    if (!spinUntil([&] { return good.last<protocol::Users>() != nullptr; }))
        violated("the good client's who got no answer");
    if (good.last<protocol::Users>()->users != QStringList{kGoodNick})
        violated("the room is not the good client alone");
    if (good.socket.state() != QAbstractSocket::ConnectedState)
        violated("the good client was disconnected");
    good.received.clear();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    new QCoreApplication(*argc, *argv); // lives as long as the process
    startHarness();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const quint8 settings = data[0];
    const QByteArrayView bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const bool preRegister = settings & 1;
    const qsizetype chunk = kChunks[(settings >> 1) & 7];
    const bool endWithFin = settings & 0x10;

    server::ChatServer &server = *g_harness->server;
    const qsizetype sessionsBefore = server.sessions().size();

    Peer peer;
    if (!peer.connectTo(server.port()))
        violated("the peer cannot connect");
    if (!spinUntil([&] { return server.sessions().size() > sessionsBefore; }))
        violated("the server did not accept the peer");
    server::Session *session = nullptr;
    for (server::Session *s : server.sessions()) {
        if (!session || s->id() > session->id())
            session = s;
    }
    const quint64 sessionId = session->id();
    const auto alive = [&] { return server.session(sessionId) != nullptr; };
    const auto open = [&] { return alive() && session->connection()->isOpen(); };

    if (preRegister) {
        QObject::connect(&peer.socket, &QTcpSocket::readyRead, [&peer] { peer.poll(); });
        peer.send(protocol::Hello{protocol::kProtocolVersion, QStringLiteral("fz"), {}, {}});
        if (!spinUntil([&] { return peer.last<protocol::Welcome>() || !open(); }))
            violated("the peer's hello got no answer");
        QObject::disconnect(&peer.socket, nullptr, nullptr, nullptr);
    }
    const qint64 receivedBefore = alive() ? session->connection()->bytesReceived() : 0;

    // Send the bytes, letting the server run between writes, and drain what
    // it answers so that it never waits on this side.
    qsizetype sent = 0;
    for (int writes = 0; sent < bytes.size() && peer.socket.isOpen(); ++writes) {
        const qsizetype n = (chunk == 0 || writes + 1 >= kMaxWrites)
                                ? bytes.size() - sent
                                : qMin(chunk, bytes.size() - sent);
        peer.socket.write(bytes.sliced(sent, n).toByteArray());
        sent += n;
        peer.socket.flush();
        QCoreApplication::processEvents();
        peer.discard();
    }
    const bool consumed = spinUntil([&] {
        peer.socket.flush();
        peer.discard();
        return !open() || session->connection()->bytesReceived() - receivedBefore >= sent;
    });
    if (!consumed)
        violated("the server neither read the bytes nor closed");

    // End the connection and make sure its session goes with it.
    if (endWithFin) {
        peer.socket.disconnectFromHost();
    } else {
        net::setLingerZero(peer.socket.socketDescriptor());
        peer.socket.abort();
    }
    if (!spinUntil([&] {
            peer.discard();
            return !alive();
        }))
        violated("the peer's session outlived its connection");
    peer.socket.abort();

    if (!server.isListening())
        violated("the server stopped listening");
    if (server.sessions().size() != 1 || server.room().size() != 1)
        violated("sessions or room members left behind");
    checkGoodClientServed();
    return 0;
}
