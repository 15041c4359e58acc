#pragma once

// Room history on disk: JSON Lines, one relayed room message a line,
//   {"seq":12,"from":"alice","text":"hi","ts":1700000000000}
// appended and flushed before the message is relayed, and read back at start
// so that backlog and seq survive a restart. A torn line (a power cut in the
// middle of a write) is skipped with a warning.

#include "protocol/messages.h"

#include <QFile>
#include <QList>
#include <QString>

namespace synack::server {

class HistoryStore
{
public:
    struct LoadResult
    {
        QList<protocol::ChatMsg> lastMessages; // up to `keep`, oldest first
        quint64 lastSeq = 0;
        int linesRead = 0;
        QStringList warnings; // one per skipped line
    };

    // Reads `path` (a missing file is an empty history) and opens it for
    // appending. False with `error` when the file cannot be opened.
    bool open(const QString &path, int keep, LoadResult *loaded, QString *error);
    bool isOpen() const { return m_file.isOpen(); }

    // Appends one message and flushes it to the operating system.
    bool append(const protocol::ChatMsg &message);

private:
    QFile m_file;
};

} // namespace synack::server
