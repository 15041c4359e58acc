#include "net/eventlogexport.h"

#include "net/eventlog.h"
#include "net/eventlogfilter.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <optional>

namespace synack::net {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("synack::net", text);
}

// Calls write(event) for each row the filter shows (all rows without one), in
// order, telling `progress` on the way.
template <typename Write>
bool forEachRow(const EventLog &log, const EventLogFilter *filter, const ExportProgress &progress,
                Write write)
{
    if (filter && filter->sourceModel() != &log)
        return false;
    const qint64 total = filter ? filter->rowCount() : log.rowCount();
    for (int row = 0; row < total; ++row) {
        const int sourceRow = filter ? filter->mapToSource(filter->index(row, 0)).row() : row;
        if (!write(log.event(sourceRow)))
            return false;
        const qint64 done = row + 1;
        if (progress && done % kExportProgressStep == 0 && done < total && !progress(done, total))
            return false;
    }
    return !progress || progress(total, total);
}

// A field of a text line: tabs and line breaks would split it.
QString oneField(const QString &text)
{
    if (!text.contains(QLatin1Char('\t')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r')))
        return text;
    QString flat = text;
    for (QChar &c : flat) {
        if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            c = QLatin1Char(' ');
    }
    return flat;
}

std::optional<EventKind> eventKindFromName(const QString &name)
{
    // eventKindName() is empty past the last kind.
    for (int k = 0; k <= 0xff; ++k) {
        const QString known = eventKindName(EventKind(k));
        if (known.isEmpty())
            break;
        if (known == name)
            return EventKind(k);
    }
    return std::nullopt;
}

std::optional<Direction> directionFromName(const QString &name)
{
    for (Direction d : {Direction::None, Direction::In, Direction::Out}) {
        if (directionName(d) == name)
            return d;
    }
    return std::nullopt;
}

} // namespace

bool exportText(const EventLog &log, const EventLogFilter *filter, QIODevice *device,
                const ExportProgress &progress)
{
    QTextStream out(device);
    const QChar tab = QLatin1Char('\t');
    const bool written = forEachRow(log, filter, progress, [&](const ConnectionEvent &e) {
        const QString direction = directionName(e.direction);
        out << EventLog::formatWallTime(e.wallMs) << tab
            << oneField(log.connectionLabel(e.connectionId)) << tab
            << (direction.isEmpty() ? QStringLiteral("-") : direction) << tab
            << eventKindName(e.kind) << tab << oneField(e.type) << tab << e.size << tab
            << oneField(e.summary) << '\n';
        return out.status() == QTextStream::Ok;
    });
    out.flush();
    return written && out.status() == QTextStream::Ok;
}

bool exportJsonLines(const EventLog &log, const EventLogFilter *filter, QIODevice *device,
                     const ExportProgress &progress)
{
    return forEachRow(log, filter, progress, [&](const ConnectionEvent &e) {
        const QJsonObject object{
            {QLatin1StringView("conn"), qint64(e.connectionId)},
            {QLatin1StringView("label"), log.connectionLabel(e.connectionId)},
            {QLatin1StringView("wall_ms"), e.wallMs},
            {QLatin1StringView("mono_us"), e.monotonicUs},
            {QLatin1StringView("kind"), eventKindName(e.kind)},
            {QLatin1StringView("dir"), directionName(e.direction)},
            {QLatin1StringView("type"), e.type},
            {QLatin1StringView("size"), e.size},
            {QLatin1StringView("summary"), e.summary},
            {QLatin1StringView("raw_hex"), QString::fromLatin1(e.raw.toHex())},
        };
        return device->write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n') >= 0;
    });
}

bool exportToFile(const QString &path, ExportFormat format, const EventLog &log,
                  const EventLogFilter *filter, const ExportProgress &progress, QString *error)
{
    QSaveFile file(path);
    const auto mode = format == ExportFormat::Text ? QIODevice::WriteOnly | QIODevice::Text
                                                   : QIODevice::WriteOnly;
    bool ok = file.open(mode);
    if (ok) {
        ok = format == ExportFormat::Text ? exportText(log, filter, &file, progress)
                                          : exportJsonLines(log, filter, &file, progress);
        if (ok)
            ok = file.commit();
        else
            file.cancelWriting();
    }
    if (error) {
        if (ok)
            error->clear();
        else if (file.error() != QFileDevice::NoError)
            *error = file.errorString();
        else
            *error = tr("The export was cancelled.");
    }
    return ok;
}

QList<ConnectionEvent> importJsonLines(QIODevice *device, QString *error,
                                       QHash<quint64, QString> *labels)
{
    QList<ConnectionEvent> events;
    QString reason;
    for (int line = 1; !device->atEnd(); ++line) {
        const QByteArray text = device->readLine().trimmed();
        if (text.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
        const QJsonObject o = document.object();
        const auto kind = eventKindFromName(o.value(QLatin1StringView("kind")).toString());
        const auto direction = directionFromName(o.value(QLatin1StringView("dir")).toString());
        if (parseError.error != QJsonParseError::NoError)
            reason = parseError.errorString();
        else if (!document.isObject())
            reason = tr("not a JSON object");
        else if (!kind)
            reason = tr("unknown kind");
        else if (!direction)
            reason = tr("unknown direction");
        if (!reason.isEmpty()) {
            reason = tr("line %1: %2").arg(line).arg(reason);
            break;
        }
        ConnectionEvent e;
        e.connectionId = quint64(o.value(QLatin1StringView("conn")).toInteger());
        e.monotonicUs = o.value(QLatin1StringView("mono_us")).toInteger();
        e.wallMs = o.value(QLatin1StringView("wall_ms")).toInteger();
        e.kind = *kind;
        e.direction = *direction;
        e.type = o.value(QLatin1StringView("type")).toString();
        e.summary = o.value(QLatin1StringView("summary")).toString();
        e.size = o.value(QLatin1StringView("size")).toInteger();
        e.raw = QByteArray::fromHex(o.value(QLatin1StringView("raw_hex")).toString().toLatin1());
        if (labels && o.contains(QLatin1StringView("label")))
            labels->insert(e.connectionId, o.value(QLatin1StringView("label")).toString());
        events.append(std::move(e));
    }
    if (error)
        *error = reason;
    return events;
}

} // namespace synack::net
