#include "ui/ladderwidget.h"

#include "ui/repaintthrottle.h"
#include "ui/statetimelinewidget.h"

#include <QAction>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>

namespace synack::ui {

namespace {

// A red that reads on light and dark windows alike, for RST.
QColor resetColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(255, 120, 110)
                                                             : QColor(190, 30, 30);
}

// An orange for what TCP's analysis marks (retransmission, duplicate ACK,
// zero window), on light and dark windows alike.
QColor markColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(255, 180, 80)
                                                             : QColor(200, 100, 0);
}

bool isTrouble(const net::TcpSegment &s)
{
    using namespace net::segmentmark;
    return s.isMarked(Retransmission) || s.isMarked(DuplicateAck) || s.isMarked(ZeroWindow);
}

} // namespace

LadderWidget::LadderWidget(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        m_atEnd = value >= verticalScrollBar()->maximum();
        viewport()->update();
    });
    auto *absolute = new QAction(tr("Absolute sequence numbers"), this);
    absolute->setCheckable(true);
    connect(absolute, &QAction::toggled, this, &LadderWidget::setAbsoluteNumbers);
    addAction(absolute);
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void LadderWidget::setAbsoluteNumbers(bool absolute)
{
    if (absolute == m_absolute)
        return;
    m_absolute = absolute;
    for (QAction *action : actions()) {
        if (action->isCheckable())
            action->setChecked(absolute);
    }
    viewport()->update();
}

QString LadderWidget::numbersOf(const net::LadderSegment &segment) const
{
    const net::TcpSegment &s = segment.captured;
    QString line = QStringLiteral("seq=") + QString::number(m_absolute ? s.seq : s.relativeSeq);
    if (s.has(net::tcpflag::Ack))
        line += QStringLiteral(" ack=") + QString::number(m_absolute ? s.ack : s.relativeAck);
    line += QStringLiteral(" len=") + QString::number(s.payloadLength);
    return line;
}

QString LadderWidget::markWord(const net::TcpSegment &s)
{
    using namespace net::segmentmark;
    QStringList words;
    if (s.isMarked(Retransmission))
        words << tr("retransmission");
    if (s.isMarked(DuplicateAck))
        words << tr("dup ACK #%1").arg(s.duplicateAckNumber);
    if (s.isMarked(ZeroWindow))
        words << tr("zero window");
    if (s.isMarked(WindowUpdate))
        words << tr("window update");
    if (s.isMarked(KeepAlive))
        words << tr("keep-alive");
    return words.join(QStringLiteral(", "));
}

QString LadderWidget::markExplanation(const net::TcpSegment &s)
{
    using namespace net::segmentmark;
    QStringList sentences;
    if (s.isMarked(Retransmission))
        sentences << tr("Retransmission: these bytes were sent before, and the sender sent them "
                        "again because no acknowledgement came in time.");
    if (s.isMarked(DuplicateAck))
        sentences << tr("Duplicate ACK: the receiver acknowledges the same byte again, because "
                        "a segment arrived after a gap: one before it may be lost.");
    if (s.isMarked(ZeroWindow))
        sentences << tr("Zero window: the receiver's buffer is full, and the sender must wait "
                        "until it announces room again.");
    if (s.isMarked(WindowUpdate))
        sentences << tr("Window update: the receiver announces more room in its buffer, with "
                        "no new data and nothing new acknowledged.");
    if (s.isMarked(KeepAlive))
        sentences << tr("Keep-alive: a probe one byte before the next sequence number, to see "
                        "whether the peer is still there.");
    return sentences.join(QLatin1Char('\n'));
}

qsizetype LadderWidget::rowAt(int y) const
{
    const int firstRow = headerHeight() + fontMetrics().height() * 2 - verticalScrollBar()->value();
    if (y < headerHeight() || y < firstRow - rowHeight() / 2)
        return -1;
    const qsizetype row = (y - firstRow + rowHeight() / 2) / rowHeight();
    return row < m_segments.size() ? row : -1;
}

bool LadderWidget::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const qsizetype row = rowAt(help->pos().y());
        const QString tip = row >= 0 && !m_segments[row].inferred
                                ? markExplanation(m_segments[row].captured)
                                : QString();
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

LadderWidget::~LadderWidget() = default;

void LadderWidget::setTrace(net::ConnectionTrace *trace)
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
    m_atEnd = true;
    rebuild();
}

void LadderWidget::watchPeer()
{
    net::ConnectionTrace *peer = m_trace ? m_trace->peerTrace() : nullptr;
    if (peer == m_watchedPeer)
        return;
    disconnect(m_peerConnection);
    m_watchedPeer = peer;
    if (peer)
        m_peerConnection =
            connect(peer, &net::ConnectionTrace::changed, m_throttle, &RepaintThrottle::markDirty);
}

void LadderWidget::rebuild()
{
    watchPeer();
    if (!m_trace)
        m_segments.clear();
    else if (!m_trace->segments().isEmpty())
        m_segments = net::capturedSegments(*m_trace, m_trace->peerTrace());
    else
        m_segments = net::inferSegments(*m_trace, m_trace->peerTrace());
    updateScrollBar();
    viewport()->update();
}

QString LadderWidget::localEndLabel() const
{
    if (!m_trace)
        return tr("this side");
    return m_trace->isLocalActiveOpener() ? tr("client (this side)") : tr("server (this side)");
}

QString LadderWidget::peerEndLabel() const
{
    if (!m_trace)
        return tr("peer");
    return m_trace->isLocalActiveOpener() ? tr("server (peer)") : tr("client (peer)");
}

bool LadderWidget::isCombined() const
{
    return m_trace && m_trace->peerTrace();
}

int LadderWidget::rowHeight() const
{
    // Room for the name above an arrow and, on each side, a time and a state;
    // and for a captured segment's numbers under it.
    return fontMetrics().height() * (isCaptured() ? 4 : 7) / (isCaptured() ? 1 : 2);
}

int LadderWidget::headerHeight() const
{
    // The ends' names and the note on inference.
    return fontMetrics().height() * 4;
}

QSize LadderWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) * 5,
            headerHeight() + rowHeight() * 9};
}

QSize LadderWidget::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) * 3 + 60,
            headerHeight() + rowHeight() * 3};
}

void LadderWidget::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void LadderWidget::updateScrollBar()
{
    const int content =
        headerHeight() + rowHeight() * (int(m_segments.size()) + 1) + fontMetrics().height() * 2;
    QScrollBar *bar = verticalScrollBar();
    const bool follow = m_atEnd;
    bar->setPageStep(viewport()->height());
    bar->setSingleStep(rowHeight());
    bar->setRange(0, std::max(0, content - viewport()->height()));
    // Follow the newest arrows unless the reader scrolled back.
    if (follow)
        bar->setValue(bar->maximum());
}

void LadderWidget::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QRect r = viewport()->rect();
    p.fillRect(r, pal.color(QPalette::Base));
    const QFontMetricsF fm(font());
    QFont small = font();
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetricsF sfm(small);
    QFont bold = font();
    bold.setBold(true);

    // Margins outside the lines for each end's states and times.
    const qreal margin = std::max(sfm.horizontalAdvance(QStringLiteral("ESTABLISHED")),
                                  sfm.horizontalAdvance(QStringLiteral("+000.000 s"))) +
                         12;
    const qreal leftX = margin + 4;
    const qreal rightX = std::max(leftX + 80, r.width() - margin - 4);
    const int scroll = verticalScrollBar()->value();
    const QColor text = pal.color(QPalette::Text);
    QColor faint = text;
    faint.setAlphaF(0.6);
    const QColor accent = pal.color(QPalette::Highlight);
    const qreal slant = rowHeight() * 0.45;

    // The two ends, down the whole height.
    const qreal top = headerHeight() - scroll;
    p.setPen(QPen(text, 2));
    p.drawLine(QPointF(leftX, std::max<qreal>(top, 0)), QPointF(leftX, r.height()));
    p.drawLine(QPointF(rightX, std::max<qreal>(top, 0)), QPointF(rightX, r.height()));

    const net::ConnectionTrace *peer = m_trace ? m_trace->peerTrace() : nullptr;
    const qint64 start = [this, peer] {
        qint64 s = m_trace ? m_trace->startUs() : 0;
        if (peer && peer->startUs() > 0)
            s = s > 0 ? std::min(s, peer->startUs()) : peer->startUs();
        return s;
    }();

    // A state by a line: left of the left one, right of the right one.
    QString lastLeft;
    QString lastRight;
    const auto drawState = [&](bool left, qreal y, const QString &state) {
        QString &last = left ? lastLeft : lastRight;
        if (state.isEmpty() || state == last)
            return;
        last = state;
        p.setFont(small);
        p.setPen(accent);
        const QRectF box = left ? QRectF(2, y, leftX - 8, sfm.height())
                                : QRectF(rightX + 6, y, r.width() - rightX - 8, sfm.height());
        p.drawText(box, (left ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                   sfm.elidedText(state, Qt::ElideRight, box.width()));
    };
    const auto firstState = [](const net::ConnectionTrace *t) {
        return t && !t->kernelTransitions().isEmpty() ? t->kernelTransitions().first().state
                                                      : QString();
    };
    // Where each end started (CLOSED, LISTEN).
    drawState(true, top + 2, firstState(m_trace));
    drawState(false, top + 2, firstState(peer));

    const qreal firstRow = top + fm.height() * 2;
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const net::LadderSegment &s = m_segments[i];
        const qreal y0 = firstRow + rowHeight() * i;
        const qreal y1 = y0 + slant;
        if (y1 < -rowHeight() || y0 > r.height() + rowHeight())
            continue;
        const bool senderLeft = s.fromLocal;
        const qreal fromX = senderLeft ? leftX : rightX;
        const qreal toX = senderLeft ? rightX : leftX;
        const bool reset =
            s.inferred ? s.label == QLatin1String("RST") : s.captured.has(net::tcpflag::Rst);
        const bool trouble = !s.inferred && isTrouble(s.captured);
        const QColor color = reset ? resetColor(pal) : trouble ? markColor(pal) : text;

        QPen pen(color, reset ? 2.2 : 1.6);
        if (s.inferred)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(fromX, y0), QPointF(toX, y1));
        // The head, solid.
        const qreal angle = std::atan2(y1 - y0, toX - fromX);
        const qreal size = fm.height() * 0.55;
        QPolygonF head;
        head << QPointF(toX, y1)
             << QPointF(toX - std::cos(angle - 0.4) * size, y1 - std::sin(angle - 0.4) * size)
             << QPointF(toX - std::cos(angle + 0.4) * size, y1 - std::sin(angle + 0.4) * size);
        p.setPen(QPen(color, 1));
        p.setBrush(color);
        p.drawPolygon(head);
        p.setBrush(Qt::NoBrush);

        // The segment's name, above the middle of the arrow (and what the
        // analysis marked in it).
        p.setFont(bold);
        const QPointF mid((fromX + toX) / 2, (y0 + y1) / 2);
        const QString mark = s.inferred ? QString() : markWord(s.captured);
        const QString name = mark.isEmpty() ? s.label : s.label + QStringLiteral(" \u00b7 ") + mark;
        const qreal w = QFontMetricsF(bold).horizontalAdvance(name) + 8;
        const QRectF nameRect(mid.x() - w / 2, mid.y() - fm.height() * 1.2, w, fm.height());
        QColor bg = pal.color(QPalette::Base);
        bg.setAlpha(230);
        p.fillRect(nameRect, bg);
        p.setPen(color);
        p.drawText(nameRect, Qt::AlignCenter, name);
        // Its numbers under the arrow, and why a FIN carries an ACK.
        if (!s.inferred) {
            p.setFont(small);
            QString below = numbersOf(s);
            if (s.finCarriesAck)
                below += QLatin1Char('\n') + tr("(the ACK of the other FIN travels with this FIN)");
            const qreal bw = rightX - leftX - 16;
            const QRectF numbersRect(mid.x() - bw / 2, mid.y() + sfm.height() * 0.15, bw,
                                     sfm.height() * 2.2);
            p.setPen(trouble ? color : faint);
            p.drawText(numbersRect, Qt::AlignHCenter | Qt::AlignTop, below);
        }

        // When the sender sent it, level with the arrow's tail...
        p.setFont(small);
        p.setPen(faint);
        const QString when =
            start > 0 ? StateTimelineWidget::formatOffset(s.monotonicUs - start) : QString();
        const QRectF timeBox =
            senderLeft
                ? QRectF(2, y0 - sfm.height() / 2, leftX - 8, sfm.height())
                : QRectF(rightX + 6, y0 - sfm.height() / 2, r.width() - rightX - 8, sfm.height());
        p.drawText(timeBox, (senderLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, when);
        // ... and the state each end went to: the sender's under the time,
        // the receiver's by the head.
        drawState(senderLeft, y0 + sfm.height() / 2, s.senderState);
        drawState(!senderLeft, y1 - sfm.height() / 2, s.receiverState);
    }

    // Where each end is now, if no segment took it there (TIME_WAIT over).
    const qreal after = firstRow + rowHeight() * (m_segments.size() - 0.4);
    if (m_trace && !m_trace->kernelTransitions().isEmpty())
        drawState(true, after, m_trace->kernelTransitions().last().state);
    if (peer && !peer->kernelTransitions().isEmpty())
        drawState(false, after, peer->kernelTransitions().last().state);

    // What the lab did to this connection, under the arrows.
    if (m_trace) {
        QStringList notes;
        const auto lab = m_trace->labFlags();
        if (lab.halfClosed)
            notes << tr("This side half-closed: it sent its FIN and reads on; the peer may "
                        "still send.");
        if (lab.peerHalfClosed)
            notes << tr("The peer half-closed: it sent its FIN and reads on; this side may "
                        "still send.");
        if (lab.holdingCloseWait)
            notes << tr("Holding CLOSE_WAIT: the peer has closed, this program has not.");
        if (m_trace->sawReset())
            notes << (m_trace->resetSentByLocal()
                          ? tr("This side reset the connection (RST): no TIME_WAIT.")
                          : tr("The peer reset the connection (RST): no TIME_WAIT."));
        if (!notes.isEmpty()) {
            p.setFont(small);
            p.setPen(faint);
            const qreal y = after + sfm.height() * 1.5;
            p.drawText(QRectF(leftX + 8, y, rightX - leftX - 16, sfm.height() * 6),
                       Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                       notes.join(QLatin1Char('\n')));
        }
    }

    // The header over the lines, drawn last so it stays on top when scrolled.
    const qreal hh = headerHeight();
    p.fillRect(QRectF(0, 0, r.width(), hh), pal.color(QPalette::Base));
    p.setPen(text);
    p.setFont(bold);
    const QFontMetricsF bfm(bold);
    const qreal nameWidth = std::min<qreal>(margin * 2, r.width() / 2.0 - 4);
    p.drawText(QRectF(leftX - nameWidth / 2, 4, nameWidth, fm.height() * 1.2), Qt::AlignCenter,
               bfm.elidedText(localEndLabel(), Qt::ElideRight, nameWidth));
    p.drawText(QRectF(rightX - nameWidth / 2, 4, nameWidth, fm.height() * 1.2), Qt::AlignCenter,
               bfm.elidedText(peerEndLabel(), Qt::ElideRight, nameWidth));
    p.setFont(small);
    p.setPen(faint);
    QString note =
        isCaptured()
            ? (m_absolute ? tr("Captured from the wire, one arrow per segment; absolute numbers.")
                          : tr("Captured from the wire, one arrow per segment; numbers relative "
                               "to each side's initial sequence number."))
            : tr("Dashed: inferred from the kernel states, not captured from the wire.");
    if (isCaptured() && m_trace && m_trace->droppedSegmentCount() > 0)
        note += QLatin1Char(' ') +
                tr("%n earlier segment(s) not kept.", "", int(m_trace->droppedSegmentCount()));
    if (isCombined())
        note += QLatin1Char(' ') + tr("Both ends' observations combined.");
    else if (m_trace)
        note += QLatin1Char(' ') + tr("Seen from this side only.");
    p.drawText(QRectF(8, fm.height() * 1.4, r.width() - 16, hh - fm.height() * 1.4 - 2),
               Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, note);
    p.setPen(QPen(text, 2));
    p.drawLine(QPointF(leftX, hh - 4), QPointF(leftX, hh));
    p.drawLine(QPointF(rightX, hh - 4), QPointF(rightX, hh));

    if (m_segments.isEmpty()) {
        p.setFont(font());
        p.setPen(faint);
        const QString empty = m_trace ? tr("No segments yet.") : tr("No connection selected.");
        p.drawText(QRectF(leftX, hh + fm.height() * 2, rightX - leftX, fm.height() * 3),
                   Qt::AlignCenter, empty);
    }
}

void LadderWidget::refreshNow()
{
    m_throttle->flushNow();
}

} // namespace synack::ui
