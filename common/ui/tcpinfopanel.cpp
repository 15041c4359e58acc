#include "ui/tcpinfopanel.h"

#include "ui/repaintthrottle.h"

#include <QLabel>

namespace synack::ui {

QList<TcpInfoPanel::Field> TcpInfoPanel::fields()
{
    return {};
}
TcpInfoPanel::TcpInfoPanel(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
    , m_status(new QLabel(this))
{}
TcpInfoPanel::~TcpInfoPanel() = default;
void TcpInfoPanel::setTrace(net::ConnectionTrace *trace)
{
    m_trace = trace;
}
QString TcpInfoPanel::fieldText(Field) const
{
    return {};
}
QString TcpInfoPanel::fieldName(Field)
{
    return {};
}
QString TcpInfoPanel::fieldToolTip(Field)
{
    return {};
}
QString TcpInfoPanel::statusText() const
{
    return {};
}
void TcpInfoPanel::rebuild() {}

} // namespace synack::ui
