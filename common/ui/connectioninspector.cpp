#include "ui/connectioninspector.h"

#include "ui/ladderwidget.h"
#include "ui/repaintthrottle.h"
#include "ui/roundtripgraphwidget.h"
#include "ui/socketlogview.h"
#include "ui/statediagramwidget.h"
#include "ui/statetimelinewidget.h"
#include "ui/tcpinfopanel.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>

namespace synack::ui {

ConnectionInspector::ConnectionInspector(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { updateHeadline(); }, this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_headline(new QLabel(this))
    , m_diagram(new StateDiagramWidget(this))
    , m_ladder(new LadderWidget(this))
    , m_timeline(new StateTimelineWidget(this))
    , m_roundTrips(new RoundTripGraphWidget(this))
    , m_tcpInfo(new TcpInfoPanel(this))
    , m_tabs(new QTabWidget(this))
{}
ConnectionInspector::~ConnectionInspector() = default;
void ConnectionInspector::setTrace(net::ConnectionTrace *trace)
{
    m_trace = trace;
}
void ConnectionInspector::setEventLog(net::EventLog *) {}
QString ConnectionInspector::headlineText() const
{
    return {};
}
void ConnectionInspector::updateHeadline() {}

} // namespace synack::ui
