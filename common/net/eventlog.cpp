#include "net/eventlog.h"

#include <QDateTime>
#include <algorithm>
#include <iterator>
#include <limits>

namespace synack::net {

EventLog::EventLog(QObject *parent)
    : EventLog(kDefaultEventLogCapacity, parent)
{}

EventLog::EventLog(qsizetype capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::clamp<qsizetype>(capacity, 1, std::numeric_limits<int>::max()))
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kEventLogBatchInterval);
    // A coarse timer may fire 5% early, which would make more than 20 batches
    // a second; at this rate a precise one costs nothing.
    m_batchTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_batchTimer, &QTimer::timeout, this, &EventLog::flush);
}

void EventLog::append(const ConnectionEvent &event)
{
    // The timer starts with the first event of a batch, so batches are at
    // least kEventLogBatchInterval apart.
    if (m_pending.empty()) {
        m_batchTimer.start();
    } else if (qsizetype(m_pending.size()) >= m_capacity) {
        // More than a ring's worth before one batch: the oldest could never
        // be shown. Reported at the batch, not here, to keep this cheap.
        m_pending.pop_front();
        ++m_dropped;
    }
    m_pending.push_back(event);
    // The struct promises at most kMaxRawBytes; also copy out of a larger
    // buffer the bytes may share, so that memory stays bounded.
    QByteArray &raw = m_pending.back().raw;
    if (raw.size() > kMaxRawBytes || raw.capacity() > kMaxRawBytes)
        raw = QByteArray(raw.constData(), std::min(raw.size(), kMaxRawBytes));
}

void EventLog::flush()
{
    m_batchTimer.stop();
    if (!m_pending.empty()) {
        // Taken first, so that an append() from a slot of rowsInserted goes
        // to the next batch.
        std::deque<ConnectionEvent> batch;
        batch.swap(m_pending);
        const auto incoming = qsizetype(batch.size()); // at most m_capacity
        const qsizetype overflow = qsizetype(m_rows.size()) + incoming - m_capacity;
        if (overflow > 0) {
            removeOldestRows(overflow);
            m_dropped += overflow;
        }
        const int first = rowCount();
        beginInsertRows({}, first, first + int(incoming) - 1);
        std::move(batch.begin(), batch.end(), std::back_inserter(m_rows));
        endInsertRows();
    }
    reportDropped();
}

void EventLog::clear()
{
    m_batchTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
    m_dropped = 0;
    reportDropped();
}

void EventLog::setCapacity(qsizetype capacity)
{
    m_capacity =
        std::clamp<qsizetype>(capacity, 1, std::numeric_limits<int>::max()); // rows are ints
    const qsizetype excess = qsizetype(m_rows.size()) - m_capacity;
    if (excess > 0) {
        removeOldestRows(excess);
        m_dropped += excess;
    }
    while (qsizetype(m_pending.size()) > m_capacity) {
        m_pending.pop_front();
        ++m_dropped;
    }
    reportDropped();
}

void EventLog::setConnectionLabel(quint64 id, const QString &label)
{
    if (m_labels.value(id) == label)
        return;
    if (label.isEmpty())
        m_labels.remove(id);
    else
        m_labels.insert(id, label);
    // Usually set before the connection's first event: then no row changes.
    const auto matches = [id](const ConnectionEvent &e) { return e.connectionId == id; };
    const auto first = std::find_if(m_rows.cbegin(), m_rows.cend(), matches);
    if (first == m_rows.cend())
        return;
    const auto last = std::find_if(m_rows.crbegin(), m_rows.crend(), matches);
    emit dataChanged(index(int(first - m_rows.cbegin()), ConnectionColumn),
                     index(int(m_rows.crend() - last) - 1, ConnectionColumn), {Qt::DisplayRole});
}

QString EventLog::connectionLabel(quint64 id) const
{
    const auto it = m_labels.constFind(id);
    return it != m_labels.cend() ? *it : QLatin1Char('#') + QString::number(id);
}

QString EventLog::formatWallTime(qint64 wallMs)
{
    // Local time asks the system for the time zone each time (a stat() of
    // /etc/localtime): 4 µs, most of a 100,000-row text export. The events of
    // one second share it.
    thread_local qint64 cachedSecond = std::numeric_limits<qint64>::min();
    thread_local QString cachedPrefix;
    const qint64 second = wallMs >= 0 ? wallMs / 1000 : (wallMs - 999) / 1000;
    if (second != cachedSecond) {
        cachedSecond = second;
        cachedPrefix =
            QDateTime::fromMSecsSinceEpoch(second * 1000).toString(QStringLiteral("hh:mm:ss."));
    }
    return cachedPrefix + QString::number(wallMs - second * 1000).rightJustified(3, u'0');
}

int EventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConnectionEvent &e = event(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(e, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventRole:
        return QVariant::fromValue(e);
    case RawBytesRole:
        return e.raw;
    case MonotonicUsRole:
        return e.monotonicUs;
    case ConnectionIdRole:
        return e.connectionId;
    case KindRole:
        return QVariant::fromValue(e.kind);
    }
    return {};
}

QVariant EventLog::displayData(const ConnectionEvent &e, int column) const
{
    switch (column) {
    case TimeColumn:
        return formatWallTime(e.wallMs);
    case ConnectionColumn:
        return connectionLabel(e.connectionId);
    case DirectionColumn:
        if (e.direction == Direction::None)
            return {};
        return QString(QChar(e.direction == Direction::Out ? 0x2192 : 0x2190)); // → out, ← in
    case KindColumn:
        return eventKindName(e.kind);
    case TypeColumn:
        return e.type;
    case SizeColumn:
        // A state change has no size; an empty cell says so better than 0.
        return e.size > 0 ? QVariant(e.size) : QVariant();
    case SummaryColumn:
        return e.summary;
    }
    return {};
}

QVariant EventLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ConnectionColumn:
        return tr("Connection");
    case DirectionColumn:
        return tr("Dir");
    case KindColumn:
        return tr("Kind");
    case TypeColumn:
        return tr("Type");
    case SizeColumn:
        return tr("Size");
    case SummaryColumn:
        return tr("Summary");
    }
    return {};
}

void EventLog::removeOldestRows(qsizetype count)
{
    beginRemoveRows({}, 0, int(count) - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + count);
    endRemoveRows();
}

void EventLog::reportDropped()
{
    if (m_dropped == m_reportedDropped)
        return;
    m_reportedDropped = m_dropped;
    emit droppedCountChanged(m_dropped);
}

} // namespace synack::net
