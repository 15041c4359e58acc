#include "ui/socketlogview.h"

#include "net/eventlog.h"
#include "net/eventlogfilter.h"

#include <QTableView>

namespace synack::ui {

SocketLogView::SocketLogView(net::EventLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_filter(new net::EventLogFilter(this))
    , m_table(new QTableView(this))
    , m_textEdit(nullptr)
    , m_kindButton(nullptr)
    , m_followButton(nullptr)
    , m_countLabel(nullptr)
    , m_detail(nullptr)
{
    m_filter->setSourceModel(log);
    m_table->setModel(m_filter);
}
SocketLogView::~SocketLogView() = default;
void SocketLogView::setConnectionFilter(const QSet<quint64> &ids)
{
    m_filter->setConnectionFilter(ids);
}
QSet<quint64> SocketLogView::connectionFilter() const
{
    return m_filter->connectionFilter();
}
void SocketLogView::setKindFilter(const QSet<net::EventKind> &kinds)
{
    m_filter->setKindFilter(kinds);
}
QSet<net::EventKind> SocketLogView::kindFilter() const
{
    return m_filter->kindFilter();
}
void SocketLogView::setTextFilter(const QString &text)
{
    m_filter->setTextFilter(text);
}
QString SocketLogView::textFilter() const
{
    return m_filter->textFilter();
}
void SocketLogView::setFollow(bool follow)
{
    m_follow = follow;
}
QString SocketLogView::detailText() const
{
    return {};
}
QString SocketLogView::hexDump(const QByteArray &)
{
    return {};
}
bool SocketLogView::exportTo(const QString &path, net::ExportFormat format, QString *error)
{
    return m_log && net::exportToFile(path, format, *m_log, m_filter, {}, error);
}
void SocketLogView::onRowsInserted() {}
void SocketLogView::onSelectionChanged() {}
void SocketLogView::onKindMenuChanged() {}
void SocketLogView::exportInteractive(net::ExportFormat) {}
void SocketLogView::updateCountLabel() {}

} // namespace synack::ui
