// SocketStream and IoReactor on real loopback TCP connections, with both
// reactor backends: bytes in order both ways, writes batched per loop turn, a
// slow reader's queue, the peer's FIN told from its RST, half-close, a
// stream deleted by its own listener, and input read before a turn's writes.

#include "net/ioreactor.h"
#include "net/socketstream.h"

#include <QTest>
#include <functional>
#include <memory>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace synack::net;

namespace {

// A connected loopback pair of plain descriptors: `ours` for the stream,
// `peer` driven by the test with non-blocking calls.
struct TcpPair
{
    int ours = -1;
    int peer = -1;
};

TcpPair connectedPair()
{
    TcpPair pair;
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(listener, 1) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(listener);
        return pair;
    }
    pair.peer = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(pair.peer, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0)
        pair.ours = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ::close(listener);
    ::fcntl(pair.peer, F_SETFL, ::fcntl(pair.peer, F_GETFL) | O_NONBLOCK);
    return pair;
}

// Reads what the peer has now; false at its end of stream.
bool readPeer(int fd, QByteArray *into)
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0)
            into->append(buffer, n);
        else
            return n != 0;
    }
}

QByteArray pattern(int size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed) & 0xff);
    return bytes;
}

struct Recorder : SocketStream::Listener
{
    QByteArray read;
    qint64 written = 0;
    int writtenCalls = 0;
    bool drained = false;
    QList<SocketStream::End> ends;
    int lastError = 0;
    std::unique_ptr<SocketStream> *deleteOnRead = nullptr;
    std::function<void()> onRead;

    virtual ~Recorder() = default;

    void streamRead(QByteArrayView bytes) override
    {
        read.append(bytes);
        if (onRead)
            onRead();
        if (deleteOnRead)
            deleteOnRead->reset();
    }
    void streamWritten(qint64 bytes, bool isDrained) override
    {
        written += bytes;
        ++writtenCalls;
        drained = isDrained;
    }
    void streamEnded(SocketStream::End end, int error) override
    {
        ends.append(end);
        lastError = error;
    }
};

} // namespace

class TestSocketStream : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<IoReactor> m_reactor;
    TcpPair m_pair;

private slots:
    void init()
    {
        QFETCH(IoReactor::Backend, backend);
        m_reactor = IoReactor::create(backend);
        if (!m_reactor)
            QSKIP("this backend is not available here");
        m_pair = connectedPair();
        QVERIFY(m_pair.ours >= 0 && m_pair.peer >= 0);
    }
    void cleanup()
    {
        if (m_pair.peer >= 0)
            ::close(m_pair.peer);
        m_pair = {};
        m_reactor.reset();
    }

    void bytesArriveInOrderBothWays_data() { backends(); }
    void bytesArriveInOrderBothWays()
    {
        Recorder recorder;
        SocketStream stream(m_pair.ours, &recorder, m_reactor.get());
        const QByteArray toPeer = pattern(3 * 1024 * 1024, 1);
        for (qsizetype at = 0; at < toPeer.size(); at += 1000)
            stream.write(toPeer.mid(at, 1000));
        const QByteArray fromPeer = pattern(200 * 1000, 2);
        qsizetype sent = 0;
        QByteArray atPeer;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (sent < fromPeer.size()) {
                    const ssize_t n = ::write(m_pair.peer, fromPeer.constData() + sent,
                                              std::size_t(fromPeer.size() - sent));
                    sent += qMax<ssize_t>(n, 0);
                }
                readPeer(m_pair.peer, &atPeer);
                return atPeer.size() == toPeer.size() && recorder.read.size() == fromPeer.size();
            }(),
            10000);
        QCOMPARE(atPeer, toPeer);
        QCOMPARE(recorder.read, fromPeer);
        QCOMPARE(recorder.written, toPeer.size());
        QVERIFY(recorder.drained);
        QCOMPARE(stream.bytesQueued(), 0);
        QVERIFY(recorder.ends.isEmpty());
    }

    // A hundred frames queued in one turn leave in one flush, not a hundred.
    void writesOfOneTurnLeaveTogether_data() { backends(); }
    void writesOfOneTurnLeaveTogether()
    {
        Recorder recorder;
        SocketStream stream(m_pair.ours, &recorder, m_reactor.get());
        QByteArray expected;
        for (int i = 0; i < 100; ++i) {
            const QByteArray frame = pattern(100, i);
            expected += frame;
            stream.write(frame);
        }
        QCOMPARE(stream.bytesQueued(), expected.size()); // nothing went yet
        QByteArray atPeer;
        QTRY_VERIFY((readPeer(m_pair.peer, &atPeer), atPeer.size() == expected.size()));
        QCOMPARE(atPeer, expected);
        QCOMPARE(recorder.writtenCalls, 1);
        QCOMPARE(recorder.written, expected.size());
    }

    // A peer that does not read: the queue holds the rest, and the stream
    // waits for the socket to become writable instead of spinning.
    void slowReaderKeepsTheRestQueued_data() { backends(); }
    void slowReaderKeepsTheRestQueued()
    {
        Recorder recorder;
        SocketStream stream(m_pair.ours, &recorder, m_reactor.get());
        const QByteArray frame = pattern(64 * 1024, 3);
        for (int i = 0; i < 160; ++i) // 10 MiB: more than loopback buffers hold
            stream.write(frame);
        QTRY_VERIFY(recorder.writtenCalls > 0);
        QVERIFY(stream.bytesQueued() > 0);
        QVERIFY(!recorder.drained);
        QByteArray atPeer;
        QTRY_VERIFY_WITH_TIMEOUT(
            (readPeer(m_pair.peer, &atPeer), atPeer.size() == 160 * frame.size()), 10000);
        QCOMPARE(atPeer, frame.repeated(160));
        QTRY_VERIFY(recorder.drained);
        QCOMPARE(stream.bytesQueued(), 0);
    }

    // The peer's FIN ends reading only: this side may still send (half-close).
    void peerFinIsToldAndWritingGoesOn_data() { backends(); }
    void peerFinIsToldAndWritingGoesOn()
    {
        Recorder recorder;
        SocketStream stream(m_pair.ours, &recorder, m_reactor.get());
        QCOMPARE(::write(m_pair.peer, "last words", 10), ssize_t(10));
        QCOMPARE(::shutdown(m_pair.peer, SHUT_WR), 0);
        QTRY_COMPARE(recorder.ends, QList<SocketStream::End>{SocketStream::End::Fin});
        QCOMPARE(recorder.read, QByteArray("last words"));
        stream.write("still here");
        QByteArray atPeer;
        QTRY_COMPARE((readPeer(m_pair.peer, &atPeer), atPeer), QByteArray("still here"));
        QVERIFY(stream.shutdownWrite());
        QTRY_VERIFY(!readPeer(m_pair.peer, &atPeer)); // our FIN reached the peer
        QCOMPARE(recorder.ends.size(), 1);
    }

    void peerResetIsToldApartFromFin_data() { backends(); }
    void peerResetIsToldApartFromFin()
    {
        Recorder recorder;
        SocketStream stream(m_pair.ours, &recorder, m_reactor.get());
        linger option{1, 0};
        QCOMPARE(::setsockopt(m_pair.peer, SOL_SOCKET, SO_LINGER, &option, sizeof option), 0);
        ::close(m_pair.peer);
        m_pair.peer = -1;
        QTRY_COMPARE(recorder.ends, QList<SocketStream::End>{SocketStream::End::Reset});
        QCOMPARE(recorder.lastError, ECONNRESET);
        stream.write("to nobody"); // dropped, not an error
        QTest::qWait(0);
        QCOMPARE(recorder.ends.size(), 1);
    }

    // close(true) resets: the peer reads ECONNRESET, not an end of stream.
    void closeWithResetSendsRst_data() { backends(); }
    void closeWithResetSendsRst()
    {
        Recorder recorder;
        SocketStream stream(m_pair.ours, &recorder, m_reactor.get());
        stream.close(true);
        QVERIFY(!stream.isOpen());
        // The peer reads once what came: the error is reported once only.
        int peerError = 0;
        bool peerSawEnd = false;
        const auto peerHeard = [&] {
            char byte;
            if (!peerSawEnd && peerError == 0) {
                const ssize_t n = ::read(m_pair.peer, &byte, 1);
                peerSawEnd = n == 0;
                peerError = n < 0 && errno != EAGAIN ? errno : 0;
            }
            return peerSawEnd || peerError != 0;
        };
        QTRY_VERIFY(peerHeard());
        QVERIFY(!peerSawEnd);
        QCOMPARE(peerError, ECONNRESET);
        QCOMPARE(m_reactor->watchedCount(), 0);
    }

    // A listener may delete the stream from inside a callback; nothing of it
    // is touched afterwards (ASan checks), and its descriptor is unwatched.
    void listenerMayDeleteTheStream_data() { backends(); }
    void listenerMayDeleteTheStream()
    {
        Recorder recorder;
        auto stream = std::make_unique<SocketStream>(m_pair.ours, &recorder, m_reactor.get());
        recorder.deleteOnRead = &stream;
        QCOMPARE(::write(m_pair.peer, "bye", 3), ssize_t(3));
        QTRY_VERIFY(!stream);
        QCOMPARE(recorder.read, QByteArray("bye"));
        QCOMPARE(m_reactor->watchedCount(), 0);
        QByteArray atPeer;
        QTRY_VERIFY(!readPeer(m_pair.peer, &atPeer)); // closed: the peer sees our FIN
    }

    // What arrives while a turn is handled is read before the turn's writes:
    // the reply to one peer and a message relayed to it from another, due in
    // the same turn, leave in one write (one segment instead of two).
    void inputOfATurnIsReadBeforeItsWrites_data() { backends(); }
    void inputOfATurnIsReadBeforeItsWrites()
    {
        QFETCH(IoReactor::Backend, backend);
        if (backend != IoReactor::Backend::Epoll)
            QSKIP("the notifier fallback flushes after each descriptor's turn");
        const TcpPair other = connectedPair();
        QVERIFY(other.ours >= 0 && other.peer >= 0);
        Recorder served;
        Recorder relaying;
        SocketStream stream(m_pair.ours, &served, m_reactor.get());
        SocketStream otherStream(other.ours, &relaying, m_reactor.get());
        served.onRead = [&] {
            stream.write("reply;");
            // The other peer speaks while this one is served; the handler
            // returns once the kernel has its bytes.
            QCOMPARE(::write(other.peer, "news", 4), ssize_t(4));
            pollfd arrived{int(other.ours), POLLIN, 0};
            QCOMPARE(::poll(&arrived, 1, 5000), 1);
        };
        relaying.onRead = [&] { stream.write("relayed;"); };
        QCOMPARE(::write(m_pair.peer, "hello", 5), ssize_t(5));
        QByteArray atPeer;
        QTRY_COMPARE((readPeer(m_pair.peer, &atPeer), atPeer), QByteArray("reply;relayed;"));
        QCOMPARE(relaying.read, QByteArray("news"));
        QCOMPARE(served.writtenCalls, 1);
        ::close(other.peer);
    }

private:
    static void backends()
    {
        QTest::addColumn<IoReactor::Backend>("backend");
        QTest::newRow("epoll") << IoReactor::Backend::Epoll;
        QTest::newRow("notifiers") << IoReactor::Backend::Notifiers;
    }
};

QTEST_GUILESS_MAIN(TestSocketStream)
#include "tst_socketstream.moc"
