#include "ui/statediagramwidget.h"

#include "ui/repaintthrottle.h"

namespace synack::ui {

StateDiagramWidget::StateDiagramWidget(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{}
StateDiagramWidget::~StateDiagramWidget() = default;
void StateDiagramWidget::setTrace(net::ConnectionTrace *trace)
{
    m_trace = trace;
}
net::TcpState StateDiagramWidget::currentState() const
{
    return m_current;
}
QList<StateDiagramWidget::PathStep> StateDiagramWidget::path() const
{
    return m_path;
}
std::optional<qint64> StateDiagramWidget::timerLeftMs() const
{
    return std::nullopt;
}
QRectF StateDiagramWidget::stateRect(net::TcpState) const
{
    return {};
}
net::TcpState StateDiagramWidget::stateAt(const QPointF &) const
{
    return net::TcpState::Unknown;
}
QString StateDiagramWidget::stateLabel(net::TcpState state)
{
    return net::tcpStateName(state);
}
QString StateDiagramWidget::stateToolTip(net::TcpState)
{
    return {};
}
QList<net::TcpState> StateDiagramWidget::states()
{
    return {};
}
QSize StateDiagramWidget::sizeHint() const
{
    return {600, 600};
}
QSize StateDiagramWidget::minimumSizeHint() const
{
    return {300, 300};
}
bool StateDiagramWidget::event(QEvent *event)
{
    return QWidget::event(event);
}
void StateDiagramWidget::paintEvent(QPaintEvent *) {}
void StateDiagramWidget::rebuild() {}

} // namespace synack::ui
