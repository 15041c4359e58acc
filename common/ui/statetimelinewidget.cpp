#include "ui/statetimelinewidget.h"

#include "ui/repaintthrottle.h"

namespace synack::ui {

StateTimelineWidget::StateTimelineWidget(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{}
StateTimelineWidget::~StateTimelineWidget() = default;
void StateTimelineWidget::setTrace(net::ConnectionTrace *trace)
{
    m_trace = trace;
}
QList<StateTimelineWidget::Span> StateTimelineWidget::qtSpans() const
{
    return {};
}
QList<StateTimelineWidget::Span> StateTimelineWidget::kernelSpans() const
{
    return {};
}
void StateTimelineWidget::setFollow(bool follow)
{
    m_follow = follow;
}
QString StateTimelineWidget::formatOffset(qint64 us)
{
    return QString::number(us);
}
QString StateTimelineWidget::formatDuration(qint64 us)
{
    return QString::number(us);
}
QSize StateTimelineWidget::sizeHint() const
{
    return {600, 200};
}
QSize StateTimelineWidget::minimumSizeHint() const
{
    return {200, 150};
}
void StateTimelineWidget::paintEvent(QPaintEvent *) {}
void StateTimelineWidget::resizeEvent(QResizeEvent *) {}
void StateTimelineWidget::scrollContentsBy(int, int) {}
bool StateTimelineWidget::viewportEvent(QEvent *event)
{
    return QAbstractScrollArea::viewportEvent(event);
}
void StateTimelineWidget::rebuild() {}
void StateTimelineWidget::updateScrollBar() {}

} // namespace synack::ui
