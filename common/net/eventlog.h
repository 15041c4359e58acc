#pragma once

// The socket log of all connections as one table: a bounded ring of
// ConnectionEvents that views, filters and exports read.
//
// append() is on the network path (up to ~100k calls a second), so it only
// queues the event; one timer moves the queue into the ring at most 20 times
// a second, telling views with one insert (and, when the ring is full, one
// remove of the oldest rows) per batch. Events pushed out of the ring, or out
// of the queue before they ever reached it, are counted in droppedCount().

#include "net/connectionevent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>
#include <chrono>
#include <deque>

namespace synack::net {

inline constexpr qsizetype kDefaultEventLogCapacity = 100000;
// The delay between an append() and the batch that shows it: at most 20
// batches a second, whatever the rate of events.
inline constexpr std::chrono::milliseconds kEventLogBatchInterval{50};

class EventLog : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        ConnectionColumn,
        DirectionColumn,
        KindColumn,
        TypeColumn,
        SizeColumn,
        SummaryColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        EventRole = Qt::UserRole + 1, // the whole ConnectionEvent
        RawBytesRole,                 // QByteArray
        MonotonicUsRole,              // qint64
        ConnectionIdRole,             // quint64
        KindRole,                     // EventKind
    };
    Q_ENUM(Role)

    explicit EventLog(QObject *parent = nullptr);
    explicit EventLog(qsizetype capacity, QObject *parent = nullptr);

    // Queues `event` for the next batch. Not thread-safe: call it from the
    // model's thread (queued connections from others are fine).
    void append(const ConnectionEvent &event);
    // Moves the queued events into the table now (tests, exports).
    void flush();
    // Removes all rows and queued events and resets droppedCount().
    void clear();

    qsizetype capacity() const { return m_capacity; }
    // Drops the oldest rows (counted) if the new capacity is smaller.
    void setCapacity(qsizetype capacity);
    qint64 droppedCount() const { return m_dropped; }
    qsizetype pendingCount() const { return qsizetype(m_pending.size()); }

    // How the connection column names `id` ("#3 alice 127.0.0.1:5555");
    // "#<id>" when no label is set.
    void setConnectionLabel(quint64 id, const QString &label);
    QString connectionLabel(quint64 id) const;

    // The event of `row`, 0 <= row < rowCount(): the fast path for filters
    // and exports, without QVariants.
    const ConnectionEvent &event(int row) const { return m_rows[size_t(row)]; }
    using QAbstractTableModel::event; // QObject's, which the one above would hide

    // hh:mm:ss.zzz in local time, as the time column shows it.
    static QString formatWallTime(qint64 wallMs);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void droppedCountChanged(qint64 dropped);

private:
    QVariant displayData(const ConnectionEvent &event, int column) const;
    void removeOldestRows(qsizetype count);
    void reportDropped();

    qsizetype m_capacity = kDefaultEventLogCapacity;
    // std::deque: O(1) at both ends and by index, and memory follows the size.
    std::deque<ConnectionEvent> m_rows;
    std::deque<ConnectionEvent> m_pending;
    qint64 m_dropped = 0;
    qint64 m_reportedDropped = 0; // what droppedCountChanged() last said
    QHash<quint64, QString> m_labels;
    QTimer m_batchTimer;
};

} // namespace synack::net
