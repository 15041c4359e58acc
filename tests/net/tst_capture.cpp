// Real segments of real SynAck connections, captured with libpcap in a
// network namespace this test makes for itself (so that nothing else is on
// its loopback, and so that it may capture without being root outside): the
// handshake numbered as the textbook numbers it, the data, the close where
// a FIN takes one sequence number, an abort's RST, a half-close's FIN with
// data after it; the count checked against a second, plain pcap handle; the
// capture file read back with tshark. Then the programs: synack-server
// --headless --capture logs each segment, synack-client --cli --capture FILE
// writes its connection's, and without CAP_NET_RAW both exit with status 2.
//
// Not in a namespace of its own yet, the test runs itself again under
// `unshare --user --map-root-user --net` (netnamespace.h); where the kernel
// forbids that, every case is skipped with the reason.

#include "../client/clientprocess.h"
#include "../support/serverprocess.h"
#include "net/capture/packetcapture.h"
#include "net/capture/segmentrouter.h"
#include "net/connection.h"
#include "net/connectiontrace.h"
#include "netnamespace.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <pcap/pcap.h>

using namespace synack;
using namespace synack::net;
using namespace std::chrono_literals;

namespace {

QString g_skipReason; // why there is no namespace to capture in

ConnectionSettings settingsFor(protocol::Role role)
{
    ConnectionSettings s;
    s.role = role;
    // No heartbeat during a case: every segment is one the case caused.
    s.heartbeatInterval = 60s;
    s.heartbeatTimeout = 120s;
    s.lingerTime = 1s;
    return s;
}

// A second, plain libpcap handle with the same filter: the independent count.
class IndependentCounter
{
public:
    bool open(const QString &filter)
    {
        char errbuf[PCAP_ERRBUF_SIZE] = {};
        m_handle = pcap_open_live("lo", 128, 0, 1, errbuf);
        if (!m_handle)
            return false;
        pcap_set_immediate_mode(m_handle, 1);
        bpf_program program{};
        if (pcap_compile(m_handle, &program, filter.toLatin1().constData(), 1,
                         PCAP_NETMASK_UNKNOWN) != 0)
            return false;
        const bool set = pcap_setfilter(m_handle, &program) == 0;
        pcap_freecode(&program);
        pcap_setnonblock(m_handle, 1, errbuf);
        return set;
    }
    ~IndependentCounter()
    {
        if (m_handle)
            pcap_close(m_handle);
    }
    int count()
    {
        while (m_handle) {
            const int n = pcap_dispatch(
                m_handle, -1,
                [](u_char *user, const pcap_pkthdr *, const u_char *) {
                    ++*reinterpret_cast<int *>(user);
                },
                reinterpret_cast<u_char *>(&m_count));
            if (n <= 0)
                break;
        }
        return m_count;
    }

private:
    pcap_t *m_handle = nullptr;
    int m_count = 0;
};

// Both ends of one SynAck connection on 127.0.0.1, each with its trace
// capturing.
struct CapturedPair
{
    explicit CapturedPair(bool serverToleratesHalfClose = false)
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return;
        filter = PacketCapture::filterForListener(QHostAddress::LocalHost, listener.serverPort());
        if (!capture.open(QHostAddress::LocalHost, filter, &error))
            return;
        if (!counter.open(filter)) {
            error = QStringLiteral("the independent handle did not open");
            return;
        }
        router.setCapture(&capture);
        client = std::make_unique<Connection>(new QTcpSocket, settingsFor(protocol::Role::Client));
        clientTrace = std::make_unique<ConnectionTrace>(client.get(), nullptr);
        clientTrace->captureFrom(&router);
        client->connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
        if (!listener.waitForNewConnection(5000))
            return;
        ConnectionSettings serverSettings = settingsFor(protocol::Role::Server);
        serverSettings.halfCloseTolerant = serverToleratesHalfClose;
        server = std::make_unique<Connection>(listener.nextPendingConnection(), serverSettings);
        serverTrace = std::make_unique<ConnectionTrace>(server.get(), nullptr);
        serverTrace->captureFrom(&router);
        QSignalSpy connected(client.get(), &Connection::connected);
        ready = client->isOpen() || connected.wait(5000);
    }

    QTcpServer listener;
    QString filter;
    QString error;
    PacketCapture capture;
    IndependentCounter counter;
    SegmentRouter router;
    std::unique_ptr<Connection> client;
    std::unique_ptr<Connection> server;
    std::unique_ptr<ConnectionTrace> clientTrace;
    std::unique_ptr<ConnectionTrace> serverTrace;
    bool ready = false;
};

bool isOut(const TcpSegment &s)
{
    return s.direction == SegmentDirection::Outgoing;
}

// The segments of `trace` as "> SYN seq=0" lines, for failure messages.
QString listing(const ConnectionTrace &trace)
{
    QStringList lines;
    for (const TcpSegment &s : trace.segments())
        lines.append((isOut(s) ? u"> " : u"< ") + s.summary());
    return lines.join(u'\n');
}

// The index of the first segment from `from` on with all of `flags`, in the
// direction given; -1 if none.
qsizetype find(const QList<TcpSegment> &segments, quint8 flags, bool outgoing, qsizetype from = 0)
{
    for (qsizetype i = from; i < segments.size(); ++i) {
        if ((segments[i].flags & flags) == flags && isOut(segments[i]) == outgoing)
            return i;
    }
    return -1;
}

// Every FIN is acknowledged by the other side with its sequence number plus
// its payload plus one: a FIN takes one sequence number.
bool finsAcknowledged(const QList<TcpSegment> &segments)
{
    int fins = 0;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const TcpSegment &fin = segments[i];
        if (!fin.has(tcpflag::Fin))
            continue;
        ++fins;
        const quint32 next = fin.seq + fin.payloadLength + 1;
        const bool acked =
            std::any_of(segments.begin() + i + 1, segments.end(), [&](const TcpSegment &s) {
                return isOut(s) != isOut(fin) && s.has(tcpflag::Ack) && s.ack == next;
            });
        if (!acked)
            return false;
    }
    return fins == 2;
}

} // namespace

class TestCapture : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void handshakeDataAndClose();
    void abortEndsWithReset();
    void halfCloseShowsFinThenData();
    void exportedFileReadsBackWithTshark();
    void headlessServerAndCliClientCapture();
    void explicitCaptureWithoutTheRightExits2();
};

void TestCapture::initTestCase()
{
    if (!g_skipReason.isEmpty())
        QSKIP(qPrintable(g_skipReason));
}

void TestCapture::handshakeDataAndClose()
{
    CapturedPair p;
    QVERIFY2(p.ready, qPrintable(p.error));
    QSignalSpy received(p.server.get(), &Connection::messageReceived);
    protocol::Say say;
    say.text = QStringLiteral("hello, wire");
    p.client->send(say);
    QVERIFY(received.wait(3000));

    QSignalSpy serverClosed(p.server.get(), &Connection::closed);
    p.client->closeWithBye(QStringLiteral("quit"));
    QVERIFY(serverClosed.wait(3000));
    // Both FINs and the last ACK captured.
    QTRY_VERIFY2(finsAcknowledged(p.clientTrace->segments()), qPrintable(listing(*p.clientTrace)));

    const QList<TcpSegment> c = p.clientTrace->segments();
    QVERIFY2(c.size() >= 7, qPrintable(listing(*p.clientTrace)));
    // The handshake, as the textbook numbers it.
    QCOMPARE(c[0].flags, tcpflag::Syn);
    QVERIFY(isOut(c[0]));
    QCOMPARE(c[0].relativeSeq, 0u);
    QVERIFY(c[0].options.mss && c[0].options.windowScale && c[0].options.sackPermitted);
    QCOMPARE(c[1].flags, quint8(tcpflag::Syn | tcpflag::Ack));
    QVERIFY(!isOut(c[1]));
    QCOMPARE(c[1].relativeSeq, 0u);
    QCOMPARE(c[1].relativeAck, 1u);
    QCOMPARE(c[1].ack, c[0].seq + 1);
    QCOMPARE(c[2].flags, tcpflag::Ack);
    QVERIFY(isOut(c[2]));
    QCOMPARE(c[2].relativeSeq, 1u);
    QCOMPARE(c[2].relativeAck, 1u);
    QCOMPARE(c[2].ack, c[1].seq + 1);

    // The data: the client's frames (say, bye), then its FIN right after them.
    quint32 sent = 0;
    for (const TcpSegment &s : c) {
        if (isOut(s))
            sent += s.payloadLength;
    }
    QVERIFY(sent > 0);
    const qsizetype fin = find(c, tcpflag::Fin, true);
    QVERIFY(fin > 2);
    QCOMPARE(c[fin].relativeSeq + c[fin].payloadLength, 1 + sent);
    const qsizetype peerFin = find(c, tcpflag::Fin, false);
    QVERIFY(peerFin > 2);
    // After the close nothing but what the close needs, and no marks.
    for (const TcpSegment &s : c)
        QVERIFY2(s.marks == 0, qPrintable(listing(*p.clientTrace)));

    // The server's trace holds the same segments, the other way round.
    QTRY_COMPARE(p.serverTrace->segments().size(), c.size());
    const QList<TcpSegment> srv = p.serverTrace->segments();
    for (qsizetype i = 0; i < c.size(); ++i) {
        QCOMPARE(srv[i].seq, c[i].seq);
        QCOMPARE(isOut(srv[i]), !isOut(c[i]));
    }
    QCOMPARE(srv[1].relativeSeq, 0u);
    QCOMPARE(srv[2].relativeAck, 1u);

    // libpcap on its own, on the same interface with the same filter, counts
    // as many: none missed, none seen twice.
    QTRY_COMPARE(p.counter.count(), int(c.size()));
    QCOMPARE(p.clientTrace->droppedSegmentCount(), 0);
    QCOMPARE(p.capture.kernelDrops(), 0u);
}

void TestCapture::abortEndsWithReset()
{
    CapturedPair p;
    QVERIFY2(p.ready, qPrintable(p.error));
    QSignalSpy serverClosed(p.server.get(), &Connection::closed);
    p.client->abort();
    QVERIFY(serverClosed.wait(3000));
    QTRY_VERIFY2(!p.clientTrace->segments().isEmpty() &&
                     p.clientTrace->segments().constLast().has(tcpflag::Rst),
                 qPrintable(listing(*p.clientTrace)));
    const QList<TcpSegment> c = p.clientTrace->segments();
    QVERIFY(isOut(c.constLast()));
    QCOMPARE(c.size(), 4); // SYN, SYN+ACK, ACK, RST: no FIN
    QCOMPARE(find(c, tcpflag::Fin, true), -1);
    QCOMPARE(find(c, tcpflag::Fin, false), -1);
    QCOMPARE(c.constLast().relativeSeq, 1u);
    QTRY_COMPARE(p.serverTrace->segments().size(), 4);
    QVERIFY(!isOut(p.serverTrace->segments().constLast()));
    QTRY_COMPARE(p.counter.count(), 4);
}

void TestCapture::halfCloseShowsFinThenData()
{
    CapturedPair p(true);
    QVERIFY2(p.ready, qPrintable(p.error));
    QSignalSpy peerHalfClosed(p.server.get(), &Connection::peerHalfClosed);
    p.client->halfClose();
    QVERIFY(peerHalfClosed.wait(3000));
    QSignalSpy received(p.client.get(), &Connection::messageReceived);
    protocol::ChatMsg msg;
    msg.seq = 1;
    msg.from = QStringLiteral("srv");
    msg.text = QStringLiteral("after your FIN");
    p.server->send(msg);
    QVERIFY(received.wait(3000));
    // The client's ACK of that data, after its own FIN.
    const auto dataAcked = [&] {
        const QList<TcpSegment> c = p.clientTrace->segments();
        const qsizetype fin = find(c, tcpflag::Fin, true);
        if (fin < 0)
            return false;
        for (qsizetype i = fin + 1; i < c.size(); ++i) {
            if (isOut(c[i]) || c[i].payloadLength == 0)
                continue;
            const quint32 end = c[i].seq + c[i].payloadLength;
            for (qsizetype j = i + 1; j < c.size(); ++j) {
                if (isOut(c[j]) && c[j].ack == end)
                    return true;
            }
        }
        return false;
    };
    QTRY_VERIFY2(dataAcked(), qPrintable(listing(*p.clientTrace)));
    const QList<TcpSegment> c = p.clientTrace->segments();
    const qsizetype fin = find(c, tcpflag::Fin, true);
    // The FIN went first, alone: the server's FIN has not come.
    QCOMPARE(find(c, tcpflag::Fin, false), -1);
    QCOMPARE(c[fin].relativeSeq, 1u); // nothing was sent before it
    // Every segment the client sends after its FIN is numbered past it.
    for (qsizetype i = fin + 1; i < c.size(); ++i) {
        if (isOut(c[i]))
            QCOMPARE(c[i].relativeSeq, 2u);
    }
}

void TestCapture::exportedFileReadsBackWithTshark()
{
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    if (tshark.isEmpty())
        QSKIP("tshark is not installed (Debian: apt install tshark)");
    CapturedPair p;
    QVERIFY2(p.ready, qPrintable(p.error));
    QSignalSpy serverClosed(p.server.get(), &Connection::closed);
    p.client->closeWithBye(QStringLiteral("quit"));
    QVERIFY(serverClosed.wait(3000));
    QTRY_VERIFY(finsAcknowledged(p.clientTrace->segments()));

    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("connection.pcap"));
    QString error;
    QVERIFY2(PacketCapture::writeFile(file, p.clientTrace->segments(), &error), qPrintable(error));
    QProcess read;
    read.start(tshark,
               {QStringLiteral("-r"), file, QStringLiteral("-T"), QStringLiteral("fields"),
                QStringLiteral("-e"), QStringLiteral("tcp.flags.str"), QStringLiteral("-e"),
                QStringLiteral("tcp.seq"), QStringLiteral("-e"), QStringLiteral("tcp.ack")});
    QVERIFY(read.waitForFinished(30000));
    QCOMPARE(read.exitCode(), 0);
    const QStringList lines =
        QString::fromUtf8(read.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), p.clientTrace->segments().size());
    // tshark numbers the handshake the same way: relative, from 0.
    QVERIFY2(lines[0].contains(u"S") && lines[0].endsWith(u"\t0\t0"), qPrintable(lines[0]));
    QVERIFY2(lines[1].endsWith(u"\t0\t1"), qPrintable(lines[1]));
    QVERIFY2(lines[2].endsWith(u"\t1\t1"), qPrintable(lines[2]));
}

namespace {

// The records of a capture file, one "flags<TAB>seq<TAB>ack" line each.
QStringList readWithTshark(const QString &file)
{
    QProcess read;
    read.start(QStandardPaths::findExecutable(QStringLiteral("tshark")),
               {QStringLiteral("-r"), file, QStringLiteral("-T"), QStringLiteral("fields"),
                QStringLiteral("-e"), QStringLiteral("tcp.flags.str"), QStringLiteral("-e"),
                QStringLiteral("tcp.seq"), QStringLiteral("-e"), QStringLiteral("tcp.ack")});
    if (!read.waitForFinished(30000) || read.exitCode() != 0)
        return {};
    return QString::fromUtf8(read.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

void TestCapture::headlessServerAndCliClientCapture()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
        QSKIP("tshark is not installed (Debian: apt install tshark)");
    ServerProcess server({QStringLiteral("--capture")});
    QVERIFY2(server.start(), qPrintable(server.standardError()));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("cli.pcap"));
    test::ClientProcess cli({QStringLiteral("--cli"), QStringLiteral("--host"),
                             QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                             QString::number(server.port()), QStringLiteral("--nick"),
                             QStringLiteral("tester"), QStringLiteral("--no-reconnect"),
                             QStringLiteral("--capture"), file});
    QVERIFY(cli.start());
    cli.writeLine(QStringLiteral("over the wire"));
    cli.closeInput();
    QVERIFY2(cli.waitForExit(15000), qPrintable(cli.standardError()));
    QCOMPARE(cli.exitCode(), 0);

    // The client's file: the whole connection, its close included.
    const QStringList records = readWithTshark(file);
    QVERIFY2(records.size() >= 9, qPrintable(records.join(u'\n')));
    QVERIFY2(records[0].endsWith(u"\t0\t0"), qPrintable(records[0]));
    QVERIFY2(records[1].endsWith(u"\t0\t1"), qPrintable(records[1]));
    QVERIFY2(records[2].endsWith(u"\t1\t1"), qPrintable(records[2]));

    // The server logged the same segments, from its side.
    const auto segmentsOf = [&server] {
        QList<QJsonObject> found;
        for (const QJsonObject &e : server.events()) {
            if (e.value(u"event").toString() == u"segment" && e.value(u"session").toInteger() == 1)
                found.append(e);
        }
        return found;
    };
    QTRY_COMPARE_WITH_TIMEOUT(segmentsOf().size(), records.size(), 5000);
    const QList<QJsonObject> logged = segmentsOf();
    QCOMPARE(logged[0].value(u"flags").toString(), QStringLiteral("SYN"));
    QCOMPARE(logged[0].value(u"dir").toString(), QStringLiteral("in"));
    QCOMPARE(logged[0].value(u"seq").toInteger(), 0);
    QVERIFY(logged[0].contains(u"mss"));
    QCOMPARE(logged[1].value(u"flags").toString(), QStringLiteral("SYN+ACK"));
    QCOMPARE(logged[1].value(u"dir").toString(), QStringLiteral("out"));
    QCOMPARE(logged[1].value(u"ack").toInteger(), 1);
    QCOMPARE(logged[1].value(u"ack_abs").toInteger(), logged[0].value(u"seq_abs").toInteger() + 1);
    QCOMPARE(logged[2].value(u"flags").toString(), QStringLiteral("ACK"));
    QCOMPARE(logged[2].value(u"ack").toInteger(), 1);
    qint64 payload = 0;
    for (const QJsonObject &e : logged)
        payload += e.value(u"len").toInteger();
    QVERIFY(payload > 0); // hello, welcome, say, msg, bye
}

void TestCapture::explicitCaptureWithoutTheRightExits2()
{
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty())
        QSKIP("setpriv (util-linux) is not installed");
    const QStringList withoutRaw = {QStringLiteral("--bounding-set=-net_raw,-net_admin"),
                                    QStringLiteral("--")};
    const QList<QStringList> commands = {
        {ServerProcess::serverBinary(), QStringLiteral("--headless"), QStringLiteral("--capture"),
         QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--no-discovery")},
        {test::ClientProcess::clientBinary(), QStringLiteral("--cli"), QStringLiteral("--host"),
         QStringLiteral("127.0.0.1"), QStringLiteral("--nick"), QStringLiteral("tester"),
         QStringLiteral("--capture"), QStringLiteral("unused.pcap")},
    };
    for (const QStringList &command : commands) {
        QProcess p;
        p.start(setpriv, withoutRaw + command);
        QVERIFY(p.waitForFinished(10000));
        const QString err = QString::fromLocal8Bit(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains(u"CAP_NET_RAW") && err.contains(u"setcap cap_net_raw"),
                 qPrintable(err));
    }
}

// Runs the cases in a network namespace of their own (see the top).
int main(int argc, char *argv[])
{
    return test::runInOwnNetworkNamespace(argc, argv, [&](const QString &skipReason) {
        QCoreApplication app(argc, argv);
        g_skipReason = skipReason;
        TestCapture test;
        return QTest::qExec(&test, argc, argv);
    });
}

#include "tst_capture.moc"
