// PacketCapture over libpcap (Linux).
//
// On the loopback interface each packet passes the capture twice, once
// going out and once coming in; libpcap on Linux drops the outgoing copy of
// a loopback packet itself (on "lo" and on "any"), so each segment is seen
// once. tst_capture checks the count against a second, independent handle.

#include "net/capture/packetcapture.h"
#include "net/capture/segmentdecoder.h"
#include "net/kernelstatetracker.h"

#include <QNetworkInterface>
#include <QSocketNotifier>
#include <chrono>
#include <pcap/pcap.h>

namespace synack::net {

static_assert(SegmentDecoder::LinkEthernet == DLT_EN10MB);
static_assert(SegmentDecoder::LinkRaw == DLT_RAW);
static_assert(SegmentDecoder::LinkLinuxSll == DLT_LINUX_SLL);
static_assert(SegmentDecoder::LinkNull == DLT_NULL);

namespace {

// Room for a burst of a busy server's headers while the event loop is away.
constexpr int kBufferBytes = 4 * 1024 * 1024;

qint64 wallNowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The interface a capture for `address` listens on.
QString interfaceFor(const QHostAddress &address)
{
    if (address.isLoopback()) {
        for (const QNetworkInterface &i : QNetworkInterface::allInterfaces()) {
            if (i.type() == QNetworkInterface::Loopback)
                return i.name();
        }
        return QStringLiteral("lo");
    }
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    const QHostAddress plain = isV4 ? QHostAddress(v4) : address;
    if (!plain.isNull() && plain != QHostAddress::AnyIPv4 && plain != QHostAddress::AnyIPv6) {
        for (const QNetworkInterface &i : QNetworkInterface::allInterfaces()) {
            for (const QNetworkAddressEntry &entry : i.addressEntries()) {
                if (entry.ip() == plain)
                    return i.name();
            }
        }
    }
    return QStringLiteral("any");
}

} // namespace

struct PacketCapture::Private
{
    pcap_t *handle = nullptr;
    QSocketNotifier *notifier = nullptr;
    QString interfaceName;
    int linkType = 0;
    qint64 clockOffsetUs = 0; // monotonic minus wall, for this batch
    PacketCapture *owner = nullptr;

    static void onPacket(u_char *user, const pcap_pkthdr *header, const u_char *bytes)
    {
        auto *self = reinterpret_cast<Private *>(user);
        std::optional<TcpSegment> s = SegmentDecoder::decodeFrame(
            self->linkType,
            QByteArrayView(reinterpret_cast<const char *>(bytes), qsizetype(header->caplen)),
            header->len);
        if (!s)
            return;
        s->wallUs = qint64(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
        s->monotonicUs = s->wallUs + self->clockOffsetUs;
        emit self->owner->segmentCaptured(*s);
    }
};

PacketCapture::PacketCapture(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->owner = this;
}

PacketCapture::~PacketCapture()
{
    close();
}

bool PacketCapture::open(const QHostAddress &localAddress, const QString &filter, QString *error)
{
    close();
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        close();
        return false;
    };
    const QString name = interfaceFor(localAddress);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    d->handle = pcap_create(name.toLocal8Bit().constData(), errbuf);
    if (!d->handle)
        return fail(u"cannot capture on " + name + u": " + QString::fromLocal8Bit(errbuf));
    pcap_set_snaplen(d->handle, kSnapLength);
    pcap_set_promisc(d->handle, 0);
    // Each segment as it passes, not when a block of them is full.
    pcap_set_immediate_mode(d->handle, 1);
    pcap_set_buffer_size(d->handle, kBufferBytes);
    const int activated = pcap_activate(d->handle);
    if (activated == PCAP_ERROR_PERM_DENIED || activated == PCAP_ERROR_PROMISC_PERM_DENIED)
        return fail(howToEnable());
    if (activated < 0)
        return fail(u"cannot capture on " + name + u": " +
                    QString::fromLocal8Bit(pcap_geterr(d->handle)));
    d->interfaceName = name;
    d->linkType = pcap_datalink(d->handle);
    if (!setFilter(filter, error)) {
        close();
        return false;
    }
    if (pcap_setnonblock(d->handle, 1, errbuf) != 0)
        return fail(u"cannot capture without blocking: " + QString::fromLocal8Bit(errbuf));
    const int fd = pcap_get_selectable_fd(d->handle);
    if (fd < 0)
        return fail(QStringLiteral("the capture has no descriptor to wait on"));
    d->notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(d->notifier, &QSocketNotifier::activated, this, &PacketCapture::readAvailable);
    return true;
}

bool PacketCapture::setFilter(const QString &filter, QString *error)
{
    if (!d->handle) {
        if (error)
            *error = QStringLiteral("the capture is not open");
        return false;
    }
    bpf_program program{};
    if (pcap_compile(d->handle, &program, filter.toLatin1().constData(), 1, PCAP_NETMASK_UNKNOWN) !=
        0) {
        if (error)
            *error = u"bad capture filter \"" + filter + u"\": " +
                     QString::fromLocal8Bit(pcap_geterr(d->handle));
        return false;
    }
    const int set = pcap_setfilter(d->handle, &program);
    pcap_freecode(&program);
    if (set != 0) {
        if (error)
            *error =
                u"cannot set the capture filter: " + QString::fromLocal8Bit(pcap_geterr(d->handle));
        return false;
    }
    return true;
}

void PacketCapture::close()
{
    delete d->notifier;
    d->notifier = nullptr;
    if (d->handle)
        pcap_close(d->handle);
    d->handle = nullptr;
    d->interfaceName.clear();
}

bool PacketCapture::isOpen() const
{
    return d->handle != nullptr;
}

QString PacketCapture::interfaceName() const
{
    return d->interfaceName;
}

quint64 PacketCapture::kernelDrops() const
{
    pcap_stat stats{};
    if (!d->handle || pcap_stats(d->handle, &stats) != 0)
        return 0;
    return stats.ps_drop;
}

void PacketCapture::readAvailable()
{
    if (!d->handle)
        return;
    // One offset per batch: the packets' stamps are wall-clock times.
    d->clockOffsetUs = KernelStateTracker::monotonicUs() - wallNowUs();
    // A slot may close the capture: stop then.
    while (d->handle) {
        const int n =
            pcap_dispatch(d->handle, -1, &Private::onPacket, reinterpret_cast<u_char *>(d.get()));
        if (n <= 0)
            break;
    }
}

bool PacketCapture::writeFile(const QString &path, const QList<TcpSegment> &segments,
                              QString *error)
{
    pcap_t *dead = pcap_open_dead(DLT_RAW, 65535);
    if (!dead) {
        if (error)
            *error = QStringLiteral("libpcap cannot write capture files");
        return false;
    }
    pcap_dumper_t *dumper = pcap_dump_open(dead, path.toLocal8Bit().constData());
    if (!dumper) {
        if (error)
            *error = u"cannot write " + path + u": " + QString::fromLocal8Bit(pcap_geterr(dead));
        pcap_close(dead);
        return false;
    }
    for (const TcpSegment &s : segments) {
        pcap_pkthdr header{};
        header.ts.tv_sec = time_t(s.wallUs / 1000000);
        header.ts.tv_usec = suseconds_t(s.wallUs % 1000000);
        header.caplen = bpf_u_int32(s.headers.size());
        header.len = std::max<bpf_u_int32>(s.wireLength, header.caplen);
        pcap_dump(reinterpret_cast<u_char *>(dumper), &header,
                  reinterpret_cast<const u_char *>(s.headers.constData()));
    }
    const bool flushed = pcap_dump_flush(dumper) == 0;
    pcap_dump_close(dumper);
    pcap_close(dead);
    if (!flushed && error)
        *error = u"cannot write " + path;
    return flushed;
}

} // namespace synack::net
