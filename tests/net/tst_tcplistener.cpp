// TcpListener on real loopback sockets: what it hands over, a crowd at once,
// and running out of descriptors without stopping for good.

#include "net/socketops.h"
#include "net/tcplistener.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <vector>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace synack::net;

namespace {

#ifdef Q_OS_UNIX
// A blocking connect with no event loop: the kernel completes the handshake
// and queues the connection, and the listener has not seen it yet.
int connectQueued(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}
#endif

} // namespace

class TestTcpListener : public QObject
{
    Q_OBJECT

private slots:
    void handsOverNonBlockingCloseOnExecDescriptors();
    void acceptsACrowdQueuedAtOnce();
    void pausesWhileOutOfDescriptorsThenGoesOn();
    void closedListenerAcceptsNoMore();
    void closingInTheAcceptedSlotStopsAccepting();
};

void TestTcpListener::handsOverNonBlockingCloseOnExecDescriptors()
{
#ifndef Q_OS_UNIX
    QSKIP("descriptor flags are checked on Unix");
#else
    TcpListener listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QVERIFY(listener.isListening());
    QVERIFY(listener.serverPort() != 0);
    QSignalSpy accepted(&listener, &TcpListener::accepted);
    const int client = connectQueued(listener.serverPort());
    QVERIFY(client >= 0);
    QTRY_COMPARE(accepted.size(), 1);
    const int fd = int(accepted.at(0).at(0).value<qintptr>());
    QVERIFY(::fcntl(fd, F_GETFL) & O_NONBLOCK);
    QVERIFY(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
    QHostAddress peer;
    quint16 peerPort = 0;
    QVERIFY(peerEndpoint(fd, &peer, &peerPort));
    QHostAddress clientAddress;
    quint16 clientPort = 0;
    QVERIFY(localEndpoint(client, &clientAddress, &clientPort));
    QCOMPARE(peerPort, clientPort);
    ::close(fd);
    ::close(client);
#endif
}

void TestTcpListener::acceptsACrowdQueuedAtOnce()
{
#ifndef Q_OS_UNIX
    QSKIP("queued with raw sockets on Unix");
#else
    // More than one wake-up's worth (64): the rest come on the next turns.
    constexpr int kCrowd = 150;
    TcpListener listener;
    listener.setListenBacklogSize(kCrowd + 10);
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QSignalSpy accepted(&listener, &TcpListener::accepted);
    std::vector<int> clients;
    for (int i = 0; i < kCrowd; ++i) {
        clients.push_back(connectQueued(listener.serverPort()));
        QVERIFY(clients.back() >= 0);
    }
    QTRY_COMPARE(accepted.size(), kCrowd);
    for (const QList<QVariant> &arguments : accepted)
        ::close(int(arguments.at(0).value<qintptr>()));
    for (const int fd : clients)
        ::close(fd);
#endif
}

void TestTcpListener::pausesWhileOutOfDescriptorsThenGoesOn()
{
#if !defined(Q_OS_UNIX)
    QSKIP("descriptor limits are set with setrlimit on Unix");
#elif defined(SYNACK_SANITIZED)
    QSKIP("the sanitizers cannot run without descriptors; the default build runs this test");
#else
    TcpListener listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QSignalSpy accepted(&listener, &TcpListener::accepted);
    QSignalSpy paused(&listener, &TcpListener::acceptPaused);
    const int client = connectQueued(listener.serverPort());
    QVERIFY(client >= 0);

    // Use up every descriptor under a low limit, with the connection queued.
    rlimit original{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &original), 0);
    rlimit low = original;
    low.rlim_cur = std::min<rlim_t>(original.rlim_cur, 512);
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
    std::vector<int> fillers;
    for (int fd; (fd = ::dup(client)) >= 0;)
        fillers.push_back(fd);
    const bool outOfDescriptors = errno == EMFILE;

    const bool pausedInTime = paused.wait(5000);
    const qsizetype acceptedWhileOut = accepted.size();
    // Some descriptors back: the queued connection is taken on the next try.
    for (const int fd : fillers)
        ::close(fd);
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &original), 0);

    QVERIFY(outOfDescriptors);
    QVERIFY(pausedInTime);
    QVERIFY2(paused.at(0).at(0).toString().contains(QLatin1StringView("file")),
             qPrintable(paused.at(0).at(0).toString()));
    QCOMPARE(acceptedWhileOut, 0);
    QTRY_COMPARE(accepted.size(), 1);
    ::close(int(accepted.at(0).at(0).value<qintptr>()));
    ::close(client);
#endif
}

void TestTcpListener::closedListenerAcceptsNoMore()
{
    TcpListener listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    const quint16 port = listener.serverPort();
    listener.close();
    QVERIFY(!listener.isListening());
    QTcpSocket client;
    QSignalSpy failed(&client, &QTcpSocket::errorOccurred);
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(failed.wait(5000));
    QCOMPARE(client.error(), QAbstractSocket::ConnectionRefusedError);
}

// A listener closed by a slot of accepted(), from inside its own wake-up:
// the queued connections after it stay unaccepted, and nothing breaks.
void TestTcpListener::closingInTheAcceptedSlotStopsAccepting()
{
#ifndef Q_OS_UNIX
    QSKIP("queued with raw sockets on Unix");
#else
    TcpListener listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QList<qintptr> accepted;
    connect(&listener, &TcpListener::accepted, &listener, [&](qintptr fd) {
        accepted.append(fd);
        listener.close();
    });
    std::vector<int> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(connectQueued(listener.serverPort()));
        QVERIFY(clients.back() >= 0);
    }
    QTRY_COMPARE(accepted.size(), 1);
    QVERIFY(!listener.isListening());
    // A live notifier would fire at once: the two others are still queued.
    for (int turn = 0; turn < 3; ++turn)
        QCoreApplication::processEvents();
    QCOMPARE(accepted.size(), 1);
    ::close(int(accepted.first()));
    for (const int fd : clients)
        ::close(fd);
#endif
}

QTEST_MAIN(TestTcpListener)
#include "tst_tcplistener.moc"
