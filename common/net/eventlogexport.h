#pragma once

// Writes the rows of an EventLog, or those an EventLogFilter over it lets
// through, as text to read or as JSON Lines for tools, and reads JSON Lines
// back. Only rows already in the log are written: flush() it first to include
// the events of the last few milliseconds.
//
// Text, one event per line, fields separated by tabs:
//   14:03:07.125  #3 alice 127.0.0.1:5555  in  frame  say  27  say "hello"
// JSON Lines, one object per line:
//   {"conn":3,"label":"#3 alice 127.0.0.1:5555","wall_ms":1763733787125,
//    "mono_us":81234567,"kind":"frame","dir":"in","type":"say","size":27,
//    "summary":"say \"hello\"","raw_hex":"0000001b..."}
// "kind" is eventKindName(), "dir" is directionName() ("" for none).

#include "net/connectionevent.h"

#include <QHash>
#include <QList>
#include <functional>

class QIODevice;

namespace synack::net {

class EventLog;
class EventLogFilter;

enum class ExportFormat { Text, JsonLines };

// Told (rows written, rows in all) every kExportProgressStep rows and once at
// the end; returning false cancels the export.
using ExportProgress = std::function<bool(qint64 done, qint64 total)>;
inline constexpr qint64 kExportProgressStep = 10000;

// `filter`, when given, must have `log` as its source model. False on a write
// error, a cancel, or a filter over another model.
bool exportText(const EventLog &log, const EventLogFilter *filter, QIODevice *device,
                const ExportProgress &progress = {});
bool exportJsonLines(const EventLog &log, const EventLogFilter *filter, QIODevice *device,
                     const ExportProgress &progress = {});
// Through QSaveFile: the file is replaced only by a complete export.
bool exportToFile(const QString &path, ExportFormat format, const EventLog &log,
                  const EventLogFilter *filter = nullptr, const ExportProgress &progress = {},
                  QString *error = nullptr);

// The events of a JSON Lines export, in order, and the labels it named. Stops
// at the first line that is not an event, with the reason in `error` (empty
// when all was read).
QList<ConnectionEvent> importJsonLines(QIODevice *device, QString *error = nullptr,
                                       QHash<quint64, QString> *labels = nullptr);

} // namespace synack::net
