#include "linereader.h"

#include <QSocketNotifier>
#include <cerrno>
#include <unistd.h>

namespace synack::client {

namespace {

QString decodeLine(QByteArray bytes)
{
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    return QString::fromUtf8(bytes);
}

} // namespace

LineReader::LineReader(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_notifier(new QSocketNotifier(fd, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &LineReader::readAvailable);
}

LineReader::~LineReader() = default;

void LineReader::setEnabled(bool enabled)
{
    m_notifier->setEnabled(enabled && !m_atEnd);
}

void LineReader::readAvailable()
{
    char buffer[4096];
    const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return; // the notifier fires again
    if (n <= 0) {
        // End of input (or an unreadable descriptor, which is the same to us).
        m_atEnd = true;
        m_notifier->setEnabled(false);
        if (!m_partial.isEmpty())
            emit lineRead(decodeLine(std::exchange(m_partial, {})));
        emit endOfInput();
        return;
    }
    m_partial.append(buffer, n);
    qsizetype start = 0;
    for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
        const QByteArray line = m_partial.mid(start, nl - start);
        start = nl + 1;
        emit lineRead(decodeLine(line));
    }
    m_partial.remove(0, start);
}

} // namespace synack::client
