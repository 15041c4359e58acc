#include "ui/connectioninspector.h"

#include "net/eventlog.h"
#include "ui/ladderwidget.h"
#include "ui/repaintthrottle.h"
#include "ui/roundtripgraphwidget.h"
#include "ui/socketlogview.h"
#include "ui/statediagramwidget.h"
#include "ui/statetimelinewidget.h"
#include "ui/tcpinfopanel.h"

#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

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
{
    m_empty->setText(tr("No connection selected.\nSelect one to see how its TCP connection "
                        "opens, lives and closes."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);

    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setContentsMargins(8, 6, 8, 6);

    // The two textbook pictures side by side, the figures in tabs below.
    auto *pictures = new QSplitter(Qt::Horizontal);
    pictures->addWidget(m_diagram);
    pictures->addWidget(m_ladder);
    pictures->setStretchFactor(0, 3);
    pictures->setStretchFactor(1, 2);
    pictures->setChildrenCollapsible(false);

    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_tabs->addTab(m_roundTrips, tr("Round trips"));
    m_tabs->addTab(m_tcpInfo, tr("TCP_INFO"));
    m_tabs->setDocumentMode(true);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(pictures);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *page = new QWidget;
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(m_headline);
    pageLayout->addWidget(split, 1);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(page);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    setTrace(nullptr);
}

ConnectionInspector::~ConnectionInspector() = default;

void ConnectionInspector::setTrace(net::ConnectionTrace *trace)
{
    if (m_trace)
        disconnect(m_trace, nullptr, this, nullptr);
    m_trace = trace;
    if (trace) {
        connect(trace, &net::ConnectionTrace::changed, m_throttle, &RepaintThrottle::markDirty);
        connect(trace, &QObject::destroyed, this, [this] {
            m_trace = nullptr; // already gone: never read it here
            setTrace(nullptr);
        });
    }
    m_diagram->setTrace(trace);
    m_ladder->setTrace(trace);
    m_timeline->setTrace(trace);
    m_roundTrips->setTrace(trace);
    m_tcpInfo->setTrace(trace);
    if (m_logView)
        m_logView->setConnectionFilter(trace ? QSet<quint64>{trace->connectionId()}
                                             : QSet<quint64>{});
    m_stack->setCurrentIndex(trace ? 1 : 0);
    updateHeadline();
}

void ConnectionInspector::setEventLog(net::EventLog *log)
{
    if (m_logView) {
        m_tabs->removeTab(m_tabs->indexOf(m_logView));
        delete m_logView;
        m_logView = nullptr;
    }
    if (!log)
        return;
    m_logView = new SocketLogView(log, this);
    m_tabs->addTab(m_logView, tr("Socket log"));
    if (m_trace)
        m_logView->setConnectionFilter({m_trace->connectionId()});
}

QString ConnectionInspector::headlineText() const
{
    if (!m_trace)
        return {};
    QString name = m_trace->label();
    if (name.isEmpty())
        name = tr("Connection #%1").arg(m_trace->connectionId());
    QStringList parts{name};
    if (m_trace->kernelState() != net::TcpState::Unknown)
        parts << tr("kernel: %1").arg(net::tcpStateName(m_trace->kernelState()));
    const auto lab = m_trace->labFlags();
    if (lab.halfClosed)
        parts << tr("half-closed (this side sent FIN)");
    if (lab.peerHalfClosed)
        parts << tr("the peer half-closed");
    if (lab.holdingCloseWait)
        parts << tr("holding CLOSE_WAIT");
    if (lab.frozen)
        parts << tr("heartbeat frozen");
    if (m_trace->isKernelFinished())
        parts << tr("over: the kernel has forgotten the socket");
    else if (m_trace->isClosed())
        parts << (m_trace->closeDetail().isEmpty() ? tr("closed")
                                                   : tr("closed: %1").arg(m_trace->closeDetail()));
    return parts.join(QStringLiteral(" · "));
}

void ConnectionInspector::updateHeadline()
{
    m_headline->setText(headlineText());
}

} // namespace synack::ui
