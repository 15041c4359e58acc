#pragma once

// Room history on disk: JSON Lines, one relayed room message a line,
//   {"seq":12,"from":"alice","text":"hi","ts":1700000000000}
// Each line is written straight to the file (no buffer that could write it
// later) and synced before the message is relayed; a line that could not be
// written whole is cut off again, so the file holds exactly the messages
// append() said yes to (docs/protocol.md, "History on disk"). At start the
// file is read back so that backlog and seq survive a restart; a torn line
// (a power cut in the middle of a write) and a line that parses but could not
// have been written by the server (its seq does not follow, its nick or text
// breaks the protocol's rules) are skipped with a warning naming the line.

#include "protocol/messages.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace synack::server {

class HistoryStore
{
public:
    HistoryStore() = default;
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    struct LoadResult
    {
        QList<protocol::ChatMsg> lastMessages; // up to `keep`, oldest first
        quint64 lastSeq = 0;
        int linesRead = 0;
        QStringList warnings; // one per skipped line
    };

    // Reads `path` (a missing file is an empty history) and opens it for
    // appending. Lines whose text is over `maxText` bytes are refused. False
    // with `error` when the file cannot be opened.
    bool open(const QString &path, int keep, quint64 maxText, LoadResult *loaded, QString *error);
    bool isOpen() const { return m_fd >= 0; }

    // Appends one message and syncs it to the operating system. False, with
    // the file as it was before the call and `error` saying why, when the
    // line could not be written whole.
    bool append(const protocol::ChatMsg &message, QString *error = nullptr);

private:
    // Cuts the file back to the last line append() reported written.
    bool rollBack();

    int m_fd = -1;
    qint64 m_goodLength = 0;
    bool m_partialLine = false; // the file is longer than m_goodLength
    bool m_tornEnd = false;     // the file ends in a torn line without its newline
};

} // namespace synack::server
