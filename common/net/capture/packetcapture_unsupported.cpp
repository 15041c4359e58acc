// PacketCapture where libpcap is not used: open() says so, and the ladder
// stays inferred.

#include "net/capture/packetcapture.h"

namespace synack::net {

struct PacketCapture::Private
{};

PacketCapture::PacketCapture(QObject *parent)
    : QObject(parent)
{}

PacketCapture::~PacketCapture() = default;

bool PacketCapture::open(const QHostAddress &, const QString &, QString *error)
{
    if (error)
        *error = QStringLiteral("packet capture is not available here (Linux only)");
    return false;
}

bool PacketCapture::setFilter(const QString &, QString *error)
{
    return open({}, {}, error);
}

void PacketCapture::close() {}

bool PacketCapture::isOpen() const
{
    return false;
}

QString PacketCapture::interfaceName() const
{
    return {};
}

quint64 PacketCapture::kernelDrops() const
{
    return 0;
}

void PacketCapture::readAvailable() {}

bool PacketCapture::writeFile(const QString &, const QList<TcpSegment> &, QString *error)
{
    if (error)
        *error = QStringLiteral("capture files are not available here (Linux only)");
    return false;
}

} // namespace synack::net
