#include "net/eventlogfilter.h"

#include "net/eventlog.h"

namespace synack::net {

EventLogFilter::EventLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    m_matcher.setCaseSensitivity(Qt::CaseInsensitive);
}

void EventLogFilter::setConnectionFilter(const QSet<quint64> &connectionIds)
{
    if (connectionIds == m_connections)
        return;
    m_connections = connectionIds;
    invalidateRowsFilter();
}

void EventLogFilter::setKindFilter(const QSet<EventKind> &kinds)
{
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    m_kindMask = 0;
    for (EventKind kind : kinds)
        m_kindMask |= 1u << unsigned(kind);
    invalidateRowsFilter();
}

void EventLogFilter::setTextFilter(const QString &text)
{
    if (text == m_matcher.pattern())
        return;
    m_matcher.setPattern(text);
    invalidateRowsFilter();
}

bool EventLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Looked up each time: a destroyed source is replaced without a call to
    // setSourceModel().
    const auto *log = qobject_cast<const EventLog *>(sourceModel());
    if (!log)
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    const ConnectionEvent &e = log->event(sourceRow);
    if (!m_connections.isEmpty() && !m_connections.contains(e.connectionId))
        return false;
    if (m_kindMask != 0 && !(m_kindMask & (1u << unsigned(e.kind))))
        return false;
    if (m_matcher.pattern().isEmpty())
        return true;
    return m_matcher.indexIn(e.type) >= 0 || m_matcher.indexIn(e.summary) >= 0 ||
           m_matcher.indexIn(log->connectionLabel(e.connectionId)) >= 0;
}

} // namespace synack::net
