#include "historystore.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace synack::server {
namespace {

std::optional<protocol::ChatMsg> parseLine(const QByteArray &line)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    const QJsonValue seq = o.value(QLatin1StringView("seq"));
    const QJsonValue from = o.value(QLatin1StringView("from"));
    const QJsonValue text = o.value(QLatin1StringView("text"));
    const QJsonValue ts = o.value(QLatin1StringView("ts"));
    if (!seq.isDouble() || seq.toDouble() < 1 || !from.isString() || !text.isString() ||
        !ts.isDouble())
        return std::nullopt;
    protocol::ChatMsg msg;
    msg.seq = quint64(seq.toInteger());
    msg.from = from.toString();
    msg.text = text.toString();
    msg.ts = ts.toInteger();
    return msg;
}

} // namespace

bool HistoryStore::open(const QString &path, int keep, LoadResult *loaded, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append)) {
        *error = QStringLiteral("cannot open history file %1: %2").arg(path, m_file.errorString());
        return false;
    }
    m_file.seek(0);
    int lineNumber = 0;
    bool endsWithNewline = true;
    while (!m_file.atEnd()) {
        QByteArray line = m_file.readLine();
        ++lineNumber;
        endsWithNewline = line.endsWith('\n');
        if (line.trimmed().isEmpty())
            continue;
        const auto msg = parseLine(line);
        if (!msg) {
            loaded->warnings.append(
                QStringLiteral("%1:%2: skipped a %3 line")
                    .arg(path)
                    .arg(lineNumber)
                    .arg(endsWithNewline ? QStringLiteral("malformed") : QStringLiteral("torn")));
            continue;
        }
        ++loaded->linesRead;
        loaded->lastSeq = qMax(loaded->lastSeq, *msg->seq);
        loaded->lastMessages.append(*msg);
        if (loaded->lastMessages.size() > keep)
            loaded->lastMessages.removeFirst();
    }
    // A torn last line gets its newline, so the next message starts a line.
    if (!endsWithNewline)
        m_file.write("\n");
    m_file.flush();
    return true;
}

bool HistoryStore::append(const protocol::ChatMsg &message)
{
    QJsonObject o;
    o.insert(QLatin1StringView("seq"), qint64(message.seq.value_or(0)));
    o.insert(QLatin1StringView("from"), message.from);
    o.insert(QLatin1StringView("text"), message.text);
    o.insert(QLatin1StringView("ts"), message.ts);
    QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    line.append('\n');
    return m_file.write(line) == line.size() && m_file.flush();
}

} // namespace synack::server
