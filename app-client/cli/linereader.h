#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace synack::client {

// Reads lines from a file descriptor (stdin) in the event loop, whether it
// is a pipe, a terminal or a file. The descriptor is left blocking: a
// terminal shared with the shell must not change mode under it, and read()
// after the notifier fired returns at once with what is there.
class LineReader : public QObject
{
    Q_OBJECT

public:
    explicit LineReader(int fd = 0, QObject *parent = nullptr);
    ~LineReader() override;

    // Pausing leaves unread input where it is (in the pipe or terminal).
    void setEnabled(bool enabled);
    bool atEnd() const { return m_atEnd; }

signals:
    // One line, without its "\n" or "\r\n", decoded as UTF-8.
    void lineRead(const QString &line);
    // Once, after the last line.
    void endOfInput();

private:
    void readAvailable();

    int m_fd;
    QSocketNotifier *m_notifier;
    QByteArray m_partial;
    bool m_atEnd = false;
};

} // namespace synack::client
