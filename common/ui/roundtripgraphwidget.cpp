#include "ui/roundtripgraphwidget.h"

#include "ui/repaintthrottle.h"

namespace synack::ui {

RoundTripGraphWidget::RoundTripGraphWidget(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{}
RoundTripGraphWidget::~RoundTripGraphWidget() = default;
void RoundTripGraphWidget::setTrace(net::ConnectionTrace *trace)
{
    m_trace = trace;
}
void RoundTripGraphWidget::setWindow(std::chrono::seconds window)
{
    m_window = window;
}
QString RoundTripGraphWidget::formatRtt(qint64 us)
{
    return QString::number(us);
}
QSize RoundTripGraphWidget::sizeHint() const
{
    return {500, 250};
}
QSize RoundTripGraphWidget::minimumSizeHint() const
{
    return {250, 150};
}
void RoundTripGraphWidget::paintEvent(QPaintEvent *) {}
void RoundTripGraphWidget::rebuild() {}

} // namespace synack::ui
