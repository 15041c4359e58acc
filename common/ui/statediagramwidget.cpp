#include "ui/statediagramwidget.h"

#include "ui/repaintthrottle.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QtMath>
#include <algorithm>

namespace synack::ui {

using net::TcpState;

namespace {

// The diagram's places: the 11 states, with CLOSED drawn twice as RFC 793
// does (where a connection starts, top, and where it ends, bottom right).
enum Node {
    ClosedStart,
    Listen,
    SynRecv,
    SynSent,
    Established,
    FinWait1,
    CloseWait,
    FinWait2,
    Closing,
    LastAck,
    TimeWait,
    ClosedEnd,
    NodeCount
};

struct Place
{
    TcpState state;
    int column; // 0 left, 1 middle, 2 right
    int row;    // 0 .. kRows - 1
};

constexpr int kRows = 7;

// RFC 793, figure 6.
constexpr Place kPlaces[NodeCount] = {
    {TcpState::Closed, 1, 0},    {TcpState::Listen, 1, 1},      {TcpState::SynRecv, 0, 2},
    {TcpState::SynSent, 2, 2},   {TcpState::Established, 1, 3}, {TcpState::FinWait1, 0, 4},
    {TcpState::CloseWait, 2, 4}, {TcpState::FinWait2, 0, 5},    {TcpState::Closing, 1, 5},
    {TcpState::LastAck, 2, 5},   {TcpState::TimeWait, 1, 6},    {TcpState::Closed, 2, 6},
};

// Where an edge's label goes relative to its line.
enum class Side { Left, Right, Above, Below };

struct Edge
{
    Node from;
    Node to;
    Side side;
    int id; // the label, see edgeLabel()
};

// The transitions drawn, with the usual event / action labels.
constexpr Edge kEdges[] = {
    {ClosedStart, Listen, Side::Left, 0},     {ClosedStart, SynSent, Side::Right, 1},
    {Listen, SynRecv, Side::Left, 2},         {SynSent, SynRecv, Side::Above, 3},
    {SynRecv, Established, Side::Left, 4},    {SynSent, Established, Side::Right, 5},
    {SynRecv, FinWait1, Side::Left, 6},       {Established, FinWait1, Side::Left, 6},
    {Established, CloseWait, Side::Right, 7}, {FinWait1, FinWait2, Side::Left, 8},
    {FinWait1, Closing, Side::Right, 7},      {FinWait2, TimeWait, Side::Left, 7},
    {Closing, TimeWait, Side::Right, 8},      {CloseWait, LastAck, Side::Right, 6},
    {LastAck, ClosedEnd, Side::Right, 8},     {TimeWait, ClosedEnd, Side::Below, 9},
    {Listen, ClosedStart, Side::Right, 10},
};

QString edgeLabel(int id)
{
    switch (id) {
    case 0:
        return StateDiagramWidget::tr("passive open");
    case 1:
        return StateDiagramWidget::tr("active open\nsnd SYN");
    case 2:
        return StateDiagramWidget::tr("rcv SYN\nsnd SYN,ACK");
    case 3:
        return StateDiagramWidget::tr("rcv SYN / snd SYN,ACK");
    case 4:
        return StateDiagramWidget::tr("rcv ACK");
    case 5:
        return StateDiagramWidget::tr("rcv SYN,ACK\nsnd ACK");
    case 6:
        return StateDiagramWidget::tr("close\nsnd FIN");
    case 7:
        return StateDiagramWidget::tr("rcv FIN\nsnd ACK");
    case 8:
        return StateDiagramWidget::tr("rcv ACK of FIN");
    case 9:
        return StateDiagramWidget::tr("timeout 2MSL");
    case 10:
        return StateDiagramWidget::tr("close");
    }
    return {};
}

// The geometry of one size of the widget.
struct Layout
{
    QRectF boxes[NodeCount];
    QRectF area;
    qreal rowHeight = 0;
};

// A red that reads on light and dark windows alike, for RST.
QColor resetColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(255, 120, 110)
                                                             : QColor(190, 30, 30);
}

QFont smallerFont(const QFont &font, qreal factor)
{
    QFont f = font;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(std::max<qreal>(6.0, f.pointSizeF() * factor));
    else
        f.setPixelSize(std::max(8, int(f.pixelSize() * factor)));
    return f;
}

Layout layoutFor(const QRectF &rect, const QFont &font)
{
    Layout l;
    const QFontMetricsF fm(font);
    // Room at the bottom for the legend (two lines).
    l.area = rect.adjusted(8, 12, -8, -8 - fm.height() * 2.4);
    l.rowHeight = l.area.height() / kRows;
    const qreal textWidth = fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) + fm.height();
    const qreal columnWidth = l.area.width() / 3;
    const qreal w = std::min(textWidth * 1.15, columnWidth * 0.8);
    const qreal h = std::min(l.rowHeight * 0.55, fm.height() * 2.4);
    for (int n = 0; n < NodeCount; ++n) {
        // Columns at 1/6, 1/2 and 5/6: the outer ones leave a margin for labels.
        const qreal cx = l.area.left() + columnWidth * (kPlaces[n].column + 0.5);
        const qreal cy = l.area.top() + l.rowHeight * (kPlaces[n].row + 0.5);
        l.boxes[n] = QRectF(cx - w / 2, cy - h / 2, w, h);
    }
    return l;
}

// Where a line from the centre of `box` towards `target` leaves the box.
QPointF boxExit(const QRectF &box, const QPointF &target)
{
    const QPointF c = box.center();
    const QPointF d = target - c;
    if (qFuzzyIsNull(d.x()) && qFuzzyIsNull(d.y()))
        return c;
    const qreal sx = qFuzzyIsNull(d.x()) ? 1e9 : (box.width() / 2) / std::abs(d.x());
    const qreal sy = qFuzzyIsNull(d.y()) ? 1e9 : (box.height() / 2) / std::abs(d.y());
    const qreal s = std::min(sx, sy);
    return c + d * s;
}

// The route of an edge: straight between the boxes' rims, except the ones
// RFC 793 draws around a corner.
QPainterPath edgePath(const Layout &l, Node from, Node to, qreal offset = 0)
{
    const QRectF a = l.boxes[from];
    const QRectF b = l.boxes[to];
    QPainterPath path;
    if (from == ClosedStart && to == SynSent) {
        // Out of CLOSED's right side, along the top, down into SYN_SENT.
        path.moveTo(a.right(), a.center().y());
        path.lineTo(b.center().x(), a.center().y());
        path.lineTo(b.center().x(), b.top());
        return path;
    }
    QPointF ca = a.center();
    QPointF cb = b.center();
    // Two edges between the same boxes run side by side.
    if (offset != 0) {
        const QPointF d = cb - ca;
        const qreal len = std::hypot(d.x(), d.y());
        const QPointF n(-d.y() / len * offset, d.x() / len * offset);
        ca += n;
        cb += n;
        QRectF aa = a.translated(n);
        QRectF bb = b.translated(n);
        path.moveTo(boxExit(aa, cb));
        path.lineTo(boxExit(bb, ca));
        return path;
    }
    path.moveTo(boxExit(a, cb));
    path.lineTo(boxExit(b, ca));
    return path;
}

qreal edgeOffset(Node from, Node to)
{
    // CLOSED <-> LISTEN both ways.
    if ((from == ClosedStart && to == Listen) || (from == Listen && to == ClosedStart))
        return 6;
    return 0;
}

void drawArrowHead(QPainter &p, const QPainterPath &path, qreal size)
{
    const int n = path.elementCount();
    if (n < 2)
        return;
    const QPointF tip = path.elementAt(n - 1);
    const QPointF before = path.elementAt(n - 2);
    const qreal angle = std::atan2(tip.y() - before.y(), tip.x() - before.x());
    QPolygonF head;
    head << tip << tip - QPointF(std::cos(angle - 0.45) * size, std::sin(angle - 0.45) * size)
         << tip - QPointF(std::cos(angle + 0.45) * size, std::sin(angle + 0.45) * size);
    p.drawPolygon(head);
}

// Draws `text` (one or two lines) next to the middle of `path`.
void drawEdgeLabel(QPainter &p, const QPainterPath &path, Side side, const QString &text,
                   const QColor &background)
{
    const QFontMetricsF fm(p.font());
    const QStringList lines = text.split(QLatin1Char('\n'));
    qreal w = 0;
    for (const QString &line : lines)
        w = std::max(w, fm.horizontalAdvance(line));
    const qreal h = fm.height() * lines.size();
    // The straight piece labelled: the whole edge, or a corner route's
    // vertical leg.
    QPointF a = path.elementAt(0);
    QPointF b = path.elementAt(path.elementCount() - 1);
    if (path.elementCount() == 3) {
        a = path.elementAt(1);
        b = path.elementAt(2);
    }
    const QPointF mid = (a + b) / 2;
    // Where the line is at height y (clamped to its ends).
    const auto xAt = [&](qreal y) {
        if (qFuzzyCompare(a.y(), b.y()))
            return mid.x();
        const qreal t = std::clamp((y - a.y()) / (b.y() - a.y()), 0.0, 1.0);
        return a.x() + (b.x() - a.x()) * t;
    };
    QRectF r;
    const qreal gap = 6;
    switch (side) {
    case Side::Left: {
        // Clear of the line over the label's whole height, not only its middle.
        const qreal right = std::min(xAt(mid.y() - h / 2), xAt(mid.y() + h / 2)) - gap;
        r = QRectF(right - w, mid.y() - h / 2, w, h);
        break;
    }
    case Side::Right: {
        const qreal left = std::max(xAt(mid.y() - h / 2), xAt(mid.y() + h / 2)) + gap;
        r = QRectF(left, mid.y() - h / 2, w, h);
        break;
    }
    case Side::Above:
        r = QRectF(mid.x() - w / 2, mid.y() - gap - h, w, h);
        break;
    case Side::Below:
        r = QRectF(mid.x() - w / 2, mid.y() + gap, w, h);
        break;
    }
    // Never past the widget's edges.
    const QRectF bounds = p.window();
    if (r.left() < bounds.left() + 2)
        r.moveLeft(bounds.left() + 2);
    if (r.right() > bounds.right() - 2)
        r.moveRight(bounds.right() - 2);
    p.save();
    QColor bg = background;
    bg.setAlpha(220);
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(r.adjusted(-2, 0, 2, 0), 3, 3);
    p.restore();
    const Qt::Alignment align = side == Side::Left    ? Qt::AlignRight
                                : side == Side::Right ? Qt::AlignLeft
                                                      : Qt::AlignHCenter;
    p.drawText(r, int(align | Qt::AlignVCenter), text);
}

// The node a step of the path is drawn at: CLOSED is the start box until the
// connection has been anywhere else.
QList<Node> nodesOf(const QList<StateDiagramWidget::PathStep> &path)
{
    QList<Node> nodes;
    bool started = false;
    for (const StateDiagramWidget::PathStep &step : path) {
        Node node = NodeCount;
        if (step.state == TcpState::Closed) {
            node = started ? ClosedEnd : ClosedStart;
        } else {
            for (int n = 0; n < NodeCount; ++n) {
                if (kPlaces[n].state == step.state)
                    node = Node(n);
            }
            started = true;
        }
        nodes.append(node);
    }
    return nodes;
}

const Edge *findEdge(Node from, Node to)
{
    for (const Edge &e : kEdges) {
        if (e.from == from && e.to == to)
            return &e;
    }
    return nullptr;
}

QString formatSecondsLeft(qint64 ms)
{
    if (ms >= 10000)
        return StateDiagramWidget::tr("%1 s left").arg(ms / 1000);
    return StateDiagramWidget::tr("%1 s left").arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

StateDiagramWidget::StateDiagramWidget(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setMouseTracking(false);
    // The TIME_WAIT countdown: a repaint a second while a timer runs.
    m_countdown.setInterval(std::chrono::milliseconds(500));
    connect(&m_countdown, &QTimer::timeout, this, [this] { update(); });
}

StateDiagramWidget::~StateDiagramWidget() = default;

void StateDiagramWidget::setTrace(net::ConnectionTrace *trace)
{
    if (m_trace == trace)
        return;
    if (m_trace)
        disconnect(m_trace, nullptr, this, nullptr);
    m_trace = trace;
    if (trace) {
        connect(trace, &net::ConnectionTrace::changed, m_throttle, &RepaintThrottle::markDirty);
        connect(trace, &QObject::destroyed, this, [this] {
            m_trace = nullptr; // already gone: never read it here
            rebuild();
        });
    }
    rebuild();
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
    if (!m_trace || !(m_current == TcpState::TimeWait || m_current == TcpState::FinWait2))
        return std::nullopt;
    return m_trace->timerLeftMs();
}

QList<net::TcpState> StateDiagramWidget::states()
{
    QList<TcpState> all;
    for (int n = 0; n < ClosedEnd; ++n)
        all.append(kPlaces[n].state);
    return all;
}

QRectF StateDiagramWidget::stateRect(net::TcpState state) const
{
    const Layout l = layoutFor(rect(), font());
    if (state == TcpState::Closed) {
        const QList<Node> nodes = nodesOf(m_path);
        return l.boxes[!nodes.isEmpty() && nodes.last() == ClosedEnd ? ClosedEnd : ClosedStart];
    }
    for (int n = 0; n < NodeCount; ++n) {
        if (kPlaces[n].state == state)
            return l.boxes[n];
    }
    return {};
}

net::TcpState StateDiagramWidget::stateAt(const QPointF &pos) const
{
    const Layout l = layoutFor(rect(), font());
    for (int n = 0; n < NodeCount; ++n) {
        if (l.boxes[n].contains(pos))
            return kPlaces[n].state;
    }
    return TcpState::Unknown;
}

QString StateDiagramWidget::stateLabel(net::TcpState state)
{
    // The kernel's names, as the timeline, the log and `ss` show them.
    return net::tcpStateName(state);
}

QString StateDiagramWidget::stateToolTip(net::TcpState state)
{
    switch (state) {
    case TcpState::Closed:
        return tr("No connection. A socket is CLOSED before it connects or listens, and again "
                  "once the connection is over and the kernel has forgotten it.");
    case TcpState::Listen:
        return tr("Waiting for a connection request (a SYN) from any remote end. Servers listen; "
                  "each accepted connection gets a socket of its own.");
    case TcpState::SynRecv:
        return tr("A SYN arrived and was answered with SYN+ACK; waiting for the ACK that "
                  "completes the three-way handshake. RFC 793 calls it SYN-RECEIVED.");
    case TcpState::SynSent:
        return tr("This end sent a SYN to open the connection and is waiting for the peer's "
                  "SYN+ACK.");
    case TcpState::Established:
        return tr("The connection is open: both ends can send and receive. Chatting happens "
                  "here.");
    case TcpState::FinWait1:
        return tr("This program has closed: its FIN is sent and it waits for the peer to "
                  "acknowledge it.");
    case TcpState::FinWait2:
        return tr("The peer has acknowledged this end's FIN. Waiting for the peer to close too "
                  "(its FIN); the peer may still send data until then.");
    case TcpState::Closing:
        return tr("Both ends closed at the same time: the peer's FIN arrived before the ACK of "
                  "ours. Waiting for that ACK.");
    case TcpState::TimeWait:
        return tr("This end closed first and all is acknowledged. The kernel keeps the socket "
                  "for twice the maximum segment lifetime (60 s on Linux), so that late segments "
                  "die out and the last ACK can be sent again.");
    case TcpState::CloseWait:
        return tr("The peer has closed (its FIN arrived); this program has not closed yet. A "
                  "socket that stays here is a program that forgot to close.");
    case TcpState::LastAck:
        return tr("The peer closed first, then this program closed and sent its FIN; waiting "
                  "for the last ACK.");
    case TcpState::Unknown:
        break;
    }
    return {};
}

QSize StateDiagramWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) * 15 / 2,
            fm.height() * 9 / 2 * kRows + fm.height() * 3};
}

QSize StateDiagramWidget::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) * 4,
            fm.height() * 3 * kRows + fm.height() * 2};
}

bool StateDiagramWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const TcpState state = stateAt(help->pos());
        if (state == TcpState::Unknown) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        QString text =
            QStringLiteral("<b>%1</b><br>%2")
                .arg(stateLabel(state).toHtmlEscaped(), stateToolTip(state).toHtmlEscaped());
        if (state == m_current)
            text += QStringLiteral("<br><i>%1</i>").arg(tr("This connection is here now."));
        QToolTip::showText(help->globalPos(), text, this, stateRect(state).toRect());
        return true;
    }
    return QWidget::event(event);
}

void StateDiagramWidget::rebuild()
{
    m_path.clear();
    m_current = TcpState::Unknown;
    if (m_trace) {
        const QList<net::ConnectionTrace::Transition> transitions = m_trace->kernelTransitions();
        int number = 0;
        for (const net::ConnectionTrace::Transition &t : transitions) {
            TcpState state = TcpState::Unknown;
            for (TcpState s : states()) {
                if (stateLabel(s) == t.state)
                    state = s;
            }
            if (state == TcpState::Unknown)
                continue;
            m_path.append({++number, state, t.observed, t.monotonicUs});
        }
        m_current = m_trace->kernelState();
        if (m_trace->isKernelFinished() && m_current != TcpState::Unknown)
            m_current = TcpState::Closed;
    }
    const bool counting = timerLeftMs().has_value();
    if (counting && !m_countdown.isActive())
        m_countdown.start();
    else if (!counting)
        m_countdown.stop();
    update();
}

void StateDiagramWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Window));
    const Layout l = layoutFor(rect(), font());
    const QFont labelFont = smallerFont(font(), 0.85);
    const QColor text = pal.color(QPalette::WindowText);
    QColor faint = text;
    faint.setAlphaF(0.45);
    const QColor accent = pal.color(QPalette::Highlight);
    const QColor accentText = pal.color(QPalette::HighlightedText);
    const qreal arrow = std::max<qreal>(6, QFontMetricsF(font()).height() * 0.45);

    // Which nodes and edges this connection went through.
    const QList<Node> nodes = nodesOf(m_path);
    QHash<int, QStringList> numbers; // node -> step numbers
    bool onPath[NodeCount] = {};
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        if (nodes[i] == NodeCount)
            continue;
        numbers[nodes[i]].append(QString::number(m_path[i].number));
        onPath[nodes[i]] = true;
    }
    Node currentNode = NodeCount;
    if (m_current != TcpState::Unknown) {
        if (m_current == TcpState::Closed)
            currentNode = !nodes.isEmpty() && nodes.last() == ClosedEnd ? ClosedEnd : ClosedStart;
        else
            for (int n = 0; n < NodeCount; ++n)
                if (kPlaces[n].state == m_current)
                    currentNode = Node(n);
    }

    // 1. The textbook's edges, quiet, and their labels beside them.
    p.setFont(labelFont);
    for (const Edge &e : kEdges) {
        const QPainterPath path = edgePath(l, e.from, e.to, edgeOffset(e.from, e.to));
        p.setPen(QPen(faint, 1.2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    }
    p.setPen(text);
    for (const Edge &e : kEdges) {
        const QPainterPath path = edgePath(l, e.from, e.to, edgeOffset(e.from, e.to));
        drawEdgeLabel(p, path, e.side, edgeLabel(e.id), pal.color(QPalette::Window));
    }
    // Heads after the labels, so that no label hides where an edge goes.
    for (const Edge &e : kEdges) {
        const QPainterPath path = edgePath(l, e.from, e.to, edgeOffset(e.from, e.to));
        p.setPen(QPen(faint, 1));
        p.setBrush(faint);
        drawArrowHead(p, path, arrow);
    }

    // 2. This connection's path over them, strong; dashed where passed unseen.
    for (qsizetype i = 1; i < nodes.size(); ++i) {
        const Node from = nodes[i - 1];
        const Node to = nodes[i];
        if (from == NodeCount || to == NodeCount || from == to)
            continue;
        const Edge *edge = findEdge(from, to);
        const QPainterPath path = edgePath(l, from, to, edge ? edgeOffset(from, to) : 0);
        const bool reset = !edge && to == ClosedEnd;
        const QColor color = reset ? resetColor(pal) : accent;
        QPen pen(color, 3.0);
        if (!m_path[i].observed || !m_path[i - 1].observed)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setPen(QPen(color, 1));
        p.setBrush(color);
        drawArrowHead(p, path, arrow * 1.3);
        if (!edge) {
            // Not a textbook transition: an RST (or a jump the probe saw).
            p.setPen(color);
            QFont boldLabel = labelFont;
            boldLabel.setBold(true);
            p.setFont(boldLabel);
            drawEdgeLabel(p, path, Side::Left, reset ? tr("RST") : tr("?"),
                          pal.color(QPalette::Window));
            p.setFont(labelFont);
        }
    }

    // 4. The boxes.
    p.setFont(font());
    const QFontMetricsF fm(font());
    for (int n = 0; n < NodeCount; ++n) {
        const QRectF box = l.boxes[n];
        const bool current = n == currentNode;
        QPen border(onPath[n] ? accent : text, onPath[n] ? 2.5 : 1.2);
        p.setPen(border);
        p.setBrush(current ? accent : pal.color(QPalette::Base));
        p.drawRoundedRect(box, 6, 6);
        p.setPen(current ? accentText : pal.color(QPalette::Text));
        QString label = stateLabel(kPlaces[n].state);
        std::optional<qint64> left;
        if (current)
            left = timerLeftMs();
        if (left) {
            QRectF top = box;
            top.setBottom(box.center().y() + fm.height() * 0.1);
            QRectF bottom = box;
            bottom.setTop(box.center().y());
            p.drawText(top, Qt::AlignHCenter | Qt::AlignBottom, label);
            p.setFont(labelFont);
            p.drawText(bottom, Qt::AlignHCenter | Qt::AlignVCenter, formatSecondsLeft(*left));
            p.setFont(font());
        } else {
            p.drawText(box, Qt::AlignCenter, fm.elidedText(label, Qt::ElideRight, box.width() - 4));
        }

        // The step numbers, in a badge at the top-left corner.
        if (numbers.contains(n)) {
            p.setFont(labelFont);
            const QFontMetricsF lfm(labelFont);
            const QString badge = numbers[n].join(QLatin1Char(','));
            const qreal bh = lfm.height() + 2;
            const qreal bw = std::max(bh, lfm.horizontalAdvance(badge) + 8);
            const QRectF br(box.left() - bw * 0.6, box.top() - bh * 0.6, bw, bh);
            p.setPen(QPen(pal.color(QPalette::Base), 1.5));
            p.setBrush(accent);
            p.drawRoundedRect(br, bh / 2, bh / 2);
            p.setPen(accentText);
            p.drawText(br, Qt::AlignCenter, badge);
            p.setFont(font());
        }
    }

    // 5. The legend.
    p.setFont(labelFont);
    p.setPen(text);
    const qreal lh = QFontMetricsF(labelFont).height();
    const QRectF legend(8, height() - lh * 2.4, width() - 16, lh * 2.2);
    QString legendText;
    if (!m_trace)
        legendText = tr("No connection: the TCP state machine of RFC 793.");
    else if (m_path.isEmpty())
        legendText = tr("The kernel's TCP state is not known for this connection.");
    else
        legendText = tr("Numbers: the states this connection went through, in order; dashed: "
                        "passed, not observed. Filled: where it is now.");
    p.drawText(legend, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, legendText);
}

void StateDiagramWidget::refreshNow()
{
    m_throttle->flushNow();
}

} // namespace synack::ui
