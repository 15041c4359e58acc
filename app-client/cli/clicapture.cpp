#include "clicapture.h"

#include <QHostInfo>
#include <cstdio>

namespace synack::client {

CliCapture::CliCapture(ChatClient *client, const QString &path, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_path(path)
{
    m_closeWait.setSingleShot(true);
    m_closeWait.setInterval(kCloseWait);
    connect(&m_closeWait, &QTimer::timeout, this, &CliCapture::writeNow);
}

bool CliCapture::open(const QString &server, quint16 port, QString *error)
{
    QHostAddress address(server);
    if (address.isNull()) {
        const QHostInfo info = QHostInfo::fromName(server);
        if (info.addresses().isEmpty()) {
            *error = u"cannot resolve " + server + u": " + info.errorString();
            return false;
        }
        address = info.addresses().constFirst();
    }
    // The connection's own 4-tuple is known only once connected: until
    // then, every connection to the server, and this one's taken by its trace.
    if (!m_capture.open(address, net::PacketCapture::filterForPeer(address, port), error))
        return false;
    m_router.setCapture(&m_capture);
    connect(m_client, &ChatClient::connectionChanged, this, &CliCapture::follow);
    if (m_client->connection())
        follow(m_client->connection());
    return true;
}

void CliCapture::follow(net::Connection *connection)
{
    if (!connection)
        return;
    auto trace = std::make_unique<net::ConnectionTrace>(connection, nullptr);
    trace->captureFrom(&m_router);
    connect(trace.get(), &net::ConnectionTrace::segmentAdded, this, [this] {
        if (m_done && closeCaptured())
            writeNow();
    });
    m_traces.push_back(std::move(trace));
}

bool CliCapture::closeCaptured() const
{
    if (m_traces.empty())
        return true;
    // The last connection's end, as its analysis tells it.
    net::SegmentAnalyzer replay;
    for (net::TcpSegment s : m_traces.back()->segments())
        replay.analyze(s);
    return replay.isFinished();
}

void CliCapture::finish(std::function<void(bool)> done)
{
    m_done = std::move(done);
    if (closeCaptured())
        writeNow();
    else
        m_closeWait.start();
}

void CliCapture::writeNow()
{
    if (!m_done)
        return;
    m_closeWait.stop();
    QList<net::TcpSegment> all;
    for (const auto &trace : m_traces)
        all += trace->segments();
    QString error;
    const bool written = net::PacketCapture::writeFile(m_path, all, &error);
    if (!written)
        std::fprintf(stderr, "synack-client: --capture: %s\n", qUtf8Printable(error));
    const auto done = std::move(m_done);
    m_done = nullptr;
    done(written);
}

} // namespace synack::client
