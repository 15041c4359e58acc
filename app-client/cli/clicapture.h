#pragma once

// synack-client --cli --capture FILE: the TCP segments of the client's
// connections to its server, captured while it runs and written to FILE (a
// pcap file) when it finishes, once the close is on record: both FINs
// acknowledged or an RST, or kCloseWait after the finish at most.

#include "chatclient.h"
#include "net/capture/packetcapture.h"
#include "net/capture/segmentrouter.h"
#include "net/connectiontrace.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <vector>

namespace synack::client {

class CliCapture : public QObject
{
    Q_OBJECT

public:
    static constexpr auto kCloseWait = std::chrono::seconds(1);

    CliCapture(ChatClient *client, const QString &path, QObject *parent = nullptr);

    // Starts capturing the segments to and from `server` (an address or a
    // name, resolved here) on `port`. On failure `error` says why, and how to
    // get the right to capture when that is what is missing.
    bool open(const QString &server, quint16 port, QString *error);

    // Writes the file once the close is captured, then calls `done` with
    // whether it could.
    void finish(std::function<void(bool written)> done);

private:
    void follow(net::Connection *connection);
    bool closeCaptured() const;
    void writeNow();

    ChatClient *m_client;
    QString m_path;
    net::PacketCapture m_capture;
    net::SegmentRouter m_router;
    std::vector<std::unique_ptr<net::ConnectionTrace>> m_traces;
    QTimer m_closeWait;
    std::function<void(bool)> m_done;
};

} // namespace synack::client
