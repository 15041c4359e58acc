#include "ui/ladderwidget.h"

#include "ui/repaintthrottle.h"
#include "ui/statetimelinewidget.h"

#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <algorithm>

namespace synack::ui {

namespace {

// A red that reads on light and dark windows alike, for RST.
QColor resetColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(255, 120, 110)
                                                             : QColor(190, 30, 30);
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
    m_segments =
        m_trace ? net::inferSegments(*m_trace, m_trace->peerTrace()) : QList<net::LadderSegment>();
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
    // Room for the name above an arrow and, on each side, a time and a state.
    return fontMetrics().height() * 7 / 2;
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
        const bool reset = s.label == QLatin1String("RST");
        const QColor color = reset ? resetColor(pal) : text;

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

        // The segment's name, above the middle of the arrow.
        p.setFont(bold);
        const QPointF mid((fromX + toX) / 2, (y0 + y1) / 2);
        const qreal w = QFontMetricsF(bold).horizontalAdvance(s.label) + 8;
        const QRectF nameRect(mid.x() - w / 2, mid.y() - fm.height() * 1.2, w, fm.height());
        QColor bg = pal.color(QPalette::Base);
        bg.setAlpha(230);
        p.fillRect(nameRect, bg);
        p.setPen(color);
        p.drawText(nameRect, Qt::AlignCenter, s.label);

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
    QString note = tr("Dashed: inferred from the kernel states, not captured from the wire.");
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
