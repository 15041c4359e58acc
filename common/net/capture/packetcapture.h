#pragma once

// Live capture of TCP headers (libpcap on Linux): a snap length of 128 bytes,
// a BPF filter run in the kernel so that other traffic costs nothing, a
// non-blocking handle read when its descriptor is readable. Each decoded
// segment is announced once, with its time in the clock of
// KernelStateTracker::monotonicUs(). Reading packets needs CAP_NET_RAW:
// without it, open() fails with one line that says how to get it, and
// nothing else changes. Elsewhere than Linux, open() says capture is not
// available here.
//
// A capture is off until open() is called: a program that does not capture
// pays nothing.

#include "net/capture/tcpsegment.h"

#include <QList>
#include <QObject>
#include <QString>
#include <memory>

namespace synack::net {

class PacketCapture : public QObject
{
    Q_OBJECT

public:
    // Headers only: IPv6 (40) + TCP with every option (60) + Linux "any" (20).
    static constexpr int kSnapLength = 128;

    explicit PacketCapture(QObject *parent = nullptr);
    ~PacketCapture() override;

    // Opens a capture on the interface that owns `localAddress` (the loopback
    // interface for 127.0.0.1 or ::1; every interface, "any", for an
    // unspecified address or one no interface has), with `filter` (BPF
    // syntax, see filterFor*()). On failure, `error` gets one line; when the
    // right to capture is missing, it also says how to get it.
    bool open(const QHostAddress &localAddress, const QString &filter, QString *error = nullptr);
    // Replaces the kernel filter of an open capture.
    bool setFilter(const QString &filter, QString *error = nullptr);
    void close();
    bool isOpen() const;
    QString interfaceName() const;
    // Segments the kernel dropped since open() (its buffer was full).
    quint64 kernelDrops() const;

    // The filters: one connection's segments, both ways; every connection of a
    // listener (address unspecified: on any address); every connection to one
    // server.
    static QString filterForConnection(const TcpEndpoint &local, const TcpEndpoint &peer);
    static QString filterForListener(const QHostAddress &address, quint16 port);
    static QString filterForPeer(const QHostAddress &address, quint16 port);

    // One line for a window or a terminal: how to get the right to capture.
    static QString howToEnable();

    // Writes `segments` to a pcap file (link type RAW: each record is the
    // captured IP packet), which Wireshark and tshark read.
    static bool writeFile(const QString &path, const QList<TcpSegment> &segments,
                          QString *error = nullptr);

signals:
    void segmentCaptured(const synack::net::TcpSegment &segment);

private:
    struct Private;
    void readAvailable();

    std::unique_ptr<Private> d;
};

} // namespace synack::net
