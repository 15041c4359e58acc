#include "ui/ladderwidget.h"

#include "ui/repaintthrottle.h"

namespace synack::ui {

LadderWidget::LadderWidget(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{}
LadderWidget::~LadderWidget() = default;
void LadderWidget::setTrace(net::ConnectionTrace *trace)
{
    m_trace = trace;
}
QString LadderWidget::localEndLabel() const
{
    return {};
}
QString LadderWidget::peerEndLabel() const
{
    return {};
}
bool LadderWidget::isCombined() const
{
    return false;
}
QSize LadderWidget::sizeHint() const
{
    return {400, 400};
}
QSize LadderWidget::minimumSizeHint() const
{
    return {250, 200};
}
void LadderWidget::paintEvent(QPaintEvent *) {}
void LadderWidget::resizeEvent(QResizeEvent *) {}
void LadderWidget::rebuild() {}
void LadderWidget::watchPeer() {}
void LadderWidget::updateScrollBar() {}
int LadderWidget::rowHeight() const
{
    return 20;
}
int LadderWidget::headerHeight() const
{
    return 20;
}

} // namespace synack::ui
