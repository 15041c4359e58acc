#include "historystore.h"

#include "protocol/nick.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace synack::server {
namespace {

// Seqs past 2^53 do not survive a JSON number; the server never gets there.
constexpr qint64 kMaxSeq = qint64(1) << 53;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// One history line, checked against what the server itself writes: the
// rules of a relayed room message (docs/protocol.md, "History on disk").
// A line is refused with the reason; `seq` is set whenever the line has a
// whole-number seq, so that the caller can follow the order even through a
// line refused for its nick or text.
struct ParsedLine
{
    std::optional<protocol::ChatMsg> message;
    std::optional<qint64> seq;
    QString problem; // empty: the line did not even parse
};

ParsedLine parseLine(const QByteArray &line, qint64 expectedSeq, quint64 maxText)
{
    ParsedLine parsed;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return parsed;
    const QJsonObject o = doc.object();
    const QJsonValue seq = o.value(QLatin1StringView("seq"));
    const QJsonValue from = o.value(QLatin1StringView("from"));
    const QJsonValue text = o.value(QLatin1StringView("text"));
    const QJsonValue ts = o.value(QLatin1StringView("ts"));
    if (!seq.isDouble() || !from.isString() || !text.isString() || !ts.isDouble())
        return parsed;

    // toInteger() gives the default for a fraction and for what a qint64
    // cannot hold.
    const qint64 number = seq.toInteger(-1);
    if (number < 1 || number > kMaxSeq) {
        parsed.problem = QStringLiteral("seq %1 is not a whole number from 1 to 2^53")
                             .arg(seq.toDouble(), 0, 'g', 17);
        return parsed;
    }
    parsed.seq = number;
    if (expectedSeq > 0 && number != expectedSeq) {
        parsed.problem =
            QStringLiteral("seq %1 does not follow %2").arg(number).arg(expectedSeq - 1);
        return parsed;
    }
    const QString nick = from.toString();
    if (!protocol::isValidNick(nick)) {
        parsed.problem = QStringLiteral("\"from\" is not a valid nickname");
        return parsed;
    }
    const QString body = text.toString();
    // A lone surrogate (a "\ud800" escape) has no UTF-8: the wire could not
    // have carried it.
    const qsizetype bytes = body.toUtf8().size();
    if (bytes == 0 || quint64(bytes) > maxText || !body.isValidUtf16()) {
        parsed.problem = QStringLiteral("text of %1 bytes is not 1 to %2 bytes of UTF-8")
                             .arg(bytes)
                             .arg(maxText);
        return parsed;
    }
    const qint64 stamp = ts.toInteger(std::numeric_limits<qint64>::min());
    if (stamp == std::numeric_limits<qint64>::min()) {
        parsed.problem = QStringLiteral("ts is not a whole number");
        return parsed;
    }
    protocol::ChatMsg msg;
    msg.seq = quint64(number);
    msg.from = nick;
    msg.text = body;
    msg.ts = stamp;
    parsed.message = std::move(msg);
    return parsed;
}

// Writes all of `bytes` at the end of `fd`; false with errno set when the
// system takes only part of it or none.
bool writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, size_t(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        left -= written;
    }
    return true;
}

} // namespace

HistoryStore::~HistoryStore()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool HistoryStore::open(const QString &path, int keep, quint64 maxText, LoadResult *loaded,
                        QString *error)
{
    QFile reader(path);
    bool endsWithNewline = true;
    if (reader.exists()) {
        if (!reader.open(QIODevice::ReadOnly)) {
            *error =
                QStringLiteral("cannot open history file %1: %2").arg(path, reader.errorString());
            return false;
        }
        int lineNumber = 0;
        qint64 expectedSeq = 0; // 0: the first line may start anywhere
        while (!reader.atEnd()) {
            const QByteArray line = reader.readLine();
            ++lineNumber;
            endsWithNewline = line.endsWith('\n');
            if (line.trimmed().isEmpty())
                continue;
            const ParsedLine parsed = parseLine(line, expectedSeq, maxText);
            // A line whose seq is in order holds its place even when the rest
            // of it is wrong, so one bad nick does not refuse the lines after.
            if (parsed.seq && (expectedSeq == 0 || *parsed.seq == expectedSeq))
                expectedSeq = *parsed.seq + 1;
            if (!parsed.message) {
                const QString what =
                    parsed.problem.isEmpty()
                        ? (endsWithNewline ? QStringLiteral("malformed") : QStringLiteral("torn"))
                        : QStringLiteral("wrong");
                QString warning =
                    QStringLiteral("%1:%2: skipped a %3 line").arg(path).arg(lineNumber).arg(what);
                if (!parsed.problem.isEmpty())
                    warning += QStringLiteral(": ") + parsed.problem;
                loaded->warnings.append(warning);
                continue;
            }
            ++loaded->linesRead;
            loaded->lastSeq = *parsed.message->seq;
            loaded->lastMessages.append(*parsed.message);
            if (loaded->lastMessages.size() > keep)
                loaded->lastMessages.removeFirst();
        }
        // A last line refused for its nick or text still took its seq.
        loaded->lastSeq = quint64(qMax<qint64>(0, expectedSeq - 1));
    }

    const QByteArray native = QFile::encodeName(path);
    m_fd = ::open(native.constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        *error = QStringLiteral("cannot open history file %1: %2").arg(path, systemError(errno));
        return false;
    }
    struct stat status = {};
    if (::fstat(m_fd, &status) != 0) {
        *error = QStringLiteral("cannot read history file %1: %2").arg(path, systemError(errno));
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    m_goodLength = status.st_size;
    // A torn last line gets its newline, so the next message starts a line;
    // if the disk takes not even that now, the next line brings it.
    m_tornEnd = !endsWithNewline;
    if (m_tornEnd && writeAll(m_fd, QByteArrayLiteral("\n"))) {
        ++m_goodLength;
        m_tornEnd = false;
    }
    return true;
}

bool HistoryStore::append(const protocol::ChatMsg &message, QString *error)
{
    if (m_fd < 0 || (m_partialLine && !rollBack())) {
        if (error)
            *error = QStringLiteral("a partly written line could not be cut off");
        return false;
    }
    QJsonObject o;
    o.insert(QLatin1StringView("seq"), qint64(message.seq.value_or(0)));
    o.insert(QLatin1StringView("from"), message.from);
    o.insert(QLatin1StringView("text"), message.text);
    o.insert(QLatin1StringView("ts"), message.ts);
    QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    line.append('\n');
    if (m_tornEnd)
        line.prepend('\n');
    // fdatasync reports what the file system could not place after all (a
    // delayed allocation on a full disk): the line counts only once it is in.
    if (!writeAll(m_fd, line) || ::fdatasync(m_fd) != 0) {
        const int cause = errno;
        rollBack();
        if (error)
            *error = systemError(cause);
        return false;
    }
    m_goodLength += line.size();
    m_tornEnd = false;
    return true;
}

bool HistoryStore::rollBack()
{
    // O_APPEND writes go to the end whatever the offset, so cutting the file
    // is all it takes for the next line to start where this one did. Until
    // it is cut, nothing more is written after the partial line.
    int result;
    do
        result = ::ftruncate(m_fd, m_goodLength);
    while (result != 0 && errno == EINTR);
    m_partialLine = result != 0;
    return !m_partialLine;
}

} // namespace synack::server
