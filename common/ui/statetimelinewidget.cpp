#include "ui/statetimelinewidget.h"

#include "ui/repaintthrottle.h"

#include <QPainter>
#include <QScrollBar>
#include <QtMath>
#include <algorithm>

namespace synack::ui {

namespace {

QList<StateTimelineWidget::Span> spansOf(const QList<net::ConnectionTrace::Transition> &changes)
{
    QList<StateTimelineWidget::Span> spans;
    for (qsizetype i = 0; i < changes.size(); ++i) {
        StateTimelineWidget::Span span;
        span.state = changes[i].state;
        span.startUs = changes[i].monotonicUs;
        span.observed = changes[i].observed;
        if (i + 1 < changes.size())
            span.endUs = changes[i + 1].monotonicUs;
        spans.append(span);
    }
    return spans;
}

// Qt's names are long; the lane says "Qt" already.
QString shortQtName(const QString &state)
{
    QString s = state;
    if (s.endsWith(QLatin1String("State")))
        s.chop(5);
    return s;
}

} // namespace

StateTimelineWidget::StateTimelineWidget(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // The current state's "for 3.2 s" grows while nothing else changes.
    m_clock.setInterval(std::chrono::milliseconds(1000));
    connect(&m_clock, &QTimer::timeout, viewport(), [this] { viewport()->update(); });
}

StateTimelineWidget::~StateTimelineWidget() = default;

void StateTimelineWidget::setTrace(net::ConnectionTrace *trace)
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
    m_follow = true;
    rebuild();
}

QList<StateTimelineWidget::Span> StateTimelineWidget::qtSpans() const
{
    return m_trace ? spansOf(m_trace->qtTransitions()) : QList<Span>();
}

QList<StateTimelineWidget::Span> StateTimelineWidget::kernelSpans() const
{
    return m_trace ? spansOf(m_trace->kernelTransitions()) : QList<Span>();
}

void StateTimelineWidget::setFollow(bool follow)
{
    m_follow = follow;
    if (follow)
        updateScrollBar();
}

QString StateTimelineWidget::formatOffset(qint64 us)
{
    // Milliseconds resolution, as seconds from the first change.
    return tr("+%1 s").arg(double(us) / 1e6, 0, 'f', 3);
}

QString StateTimelineWidget::formatDuration(qint64 us)
{
    if (us < 1000)
        return tr("%1 µs").arg(us);
    if (us < 10'000)
        return tr("%1 ms").arg(double(us) / 1000.0, 0, 'f', 2);
    if (us < 1'000'000)
        return tr("%1 ms").arg(us / 1000);
    if (us < 60'000'000)
        return tr("%1 s").arg(double(us) / 1e6, 0, 'f', 3);
    const qint64 s = us / 1'000'000;
    return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

int StateTimelineWidget::laneTitleWidth() const
{
    const QFontMetrics fm(font());
    return std::max(fm.horizontalAdvance(tr("Qt socket")), fm.horizontalAdvance(tr("Kernel TCP"))) +
           16;
}

int StateTimelineWidget::minimumGap() const
{
    // Room for a state's name and its duration between two changes.
    const QFontMetrics fm(font());
    return std::max(fm.horizontalAdvance(QStringLiteral("ESTABLISHED")),
                    fm.horizontalAdvance(tr("+%1 s").arg(QStringLiteral("000.000")))) +
           24;
}

QSize StateTimelineWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    return {laneTitleWidth() + minimumGap() * 6, fm.height() * 13};
}

QSize StateTimelineWidget::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {laneTitleWidth() + minimumGap() * 2, fm.height() * 12};
}

void StateTimelineWidget::rebuild()
{
    m_columns.clear();
    if (m_trace) {
        // One column per moment something changed, in either lane.
        QList<qint64> times;
        for (const auto &t : m_trace->qtTransitions())
            times.append(t.monotonicUs);
        for (const auto &t : m_trace->kernelTransitions())
            times.append(t.monotonicUs);
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end()), times.end());
        int x = laneTitleWidth() + 8;
        const int gap = minimumGap();
        const int perDecade = gap / 3;
        for (qsizetype i = 0; i < times.size(); ++i) {
            if (i > 0) {
                // Longer stretches look longer, without a minute dwarfing a handshake.
                const double ms = double(times[i] - times[i - 1]) / 1000.0;
                x += gap + int(perDecade * std::log10(1.0 + ms));
            }
            m_columns.append({times[i], x});
        }
        m_contentWidth = x + gap * 2;
    } else {
        m_contentWidth = 0;
    }
    const bool live = m_trace && !m_trace->isKernelFinished();
    if (live && !m_clock.isActive())
        m_clock.start();
    else if (!live)
        m_clock.stop();
    updateScrollBar();
    viewport()->update();
}

void StateTimelineWidget::updateScrollBar()
{
    QScrollBar *bar = horizontalScrollBar();
    m_adjustingScroll = true;
    bar->setPageStep(viewport()->width());
    bar->setSingleStep(minimumGap() / 2);
    bar->setRange(0, std::max(0, m_contentWidth - viewport()->width()));
    if (m_follow)
        bar->setValue(bar->maximum());
    m_adjustingScroll = false;
}

void StateTimelineWidget::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void StateTimelineWidget::scrollContentsBy(int, int)
{
    // Scrolled back by the reader: stop following; back at the end: follow.
    if (!m_adjustingScroll)
        m_follow = horizontalScrollBar()->value() >= horizontalScrollBar()->maximum();
    viewport()->update();
}

bool StateTimelineWidget::viewportEvent(QEvent *event)
{
    return QAbstractScrollArea::viewportEvent(event);
}

int StateTimelineWidget::columnX(qint64 us) const
{
    for (const Column &c : m_columns) {
        if (c.us == us)
            return c.x;
    }
    return m_columns.isEmpty() ? 0 : m_columns.last().x;
}

void StateTimelineWidget::paintEvent(QPaintEvent *)
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
    const QColor text = pal.color(QPalette::Text);
    QColor faint = text;
    faint.setAlphaF(0.55);
    const QColor accent = pal.color(QPalette::Highlight);

    const qreal axisH = fm.height() * 2.6;
    const qreal laneH = fm.height() * 3.0;
    const qreal laneGap = fm.height() * 0.6;
    const qreal qtTop = axisH;
    const qreal kernelTop = axisH + laneH + laneGap;
    const int scroll = horizontalScrollBar()->value();
    const int titleW = laneTitleWidth();

    if (!m_trace) {
        p.setPen(faint);
        p.drawText(r, Qt::AlignCenter, tr("No connection selected."));
        return;
    }

    const qint64 start = m_trace->startUs();
    const qint64 now =
        m_trace->isKernelFinished() ? m_trace->lastUs() : net::ConnectionTrace::nowUs();

    // The columns: a tick and the time of each change.
    p.setFont(small);
    QString lastLabel;
    for (const Column &c : m_columns) {
        const qreal x = c.x - scroll;
        if (x < titleW - 40 || x > r.width() + 80)
            continue;
        bool observed = false;
        for (const auto &t : m_trace->qtTransitions())
            observed = observed || (t.monotonicUs == c.us && t.observed);
        for (const auto &t : m_trace->kernelTransitions())
            observed = observed || (t.monotonicUs == c.us && t.observed);
        QPen tick(faint, 1, observed ? Qt::SolidLine : Qt::DotLine);
        p.setPen(tick);
        p.drawLine(QPointF(x, axisH - fm.height() * 0.5), QPointF(x, kernelTop + laneH + 4));
        // Changes within the same millisecond share one label.
        const QString label = formatOffset(c.us - start);
        // A label half hidden under the lane titles is left out.
        const qreal half = sfm.horizontalAdvance(label) / 2 + 2;
        if (observed && label != lastLabel && x - half >= titleW) {
            p.setPen(text);
            p.drawText(QRectF(x - half, 2, half * 2, sfm.height()), Qt::AlignHCenter, label);
        }
        if (observed)
            lastLabel = label;
    }

    // The lanes: one bar per state, its name and how long it lasted.
    const auto drawLane = [&](const QList<Span> &spans, qreal laneTop, bool qt) {
        for (qsizetype i = 0; i < spans.size(); ++i) {
            const Span &s = spans[i];
            const qreal x0 = columnX(s.startUs) - scroll;
            const bool current = !s.endUs;
            const qreal x1 =
                (current ? m_contentWidth - minimumGap() / 2 : columnX(*s.endUs)) - scroll;
            if (x1 < titleW || x0 > r.width())
                continue;
            const QRectF bar(x0 + 1, laneTop, std::max<qreal>(2, x1 - x0 - 2), laneH);
            QColor fill = current ? accent : pal.color(QPalette::AlternateBase);
            p.setPen(QPen(current ? accent : faint, 1, s.observed ? Qt::SolidLine : Qt::DashLine));
            p.setBrush(fill);
            p.drawRoundedRect(bar, 4, 4);
            const QString name = qt ? shortQtName(s.state) : s.state;
            QString duration;
            if (!s.observed)
                duration = tr("passed");
            else if (current && m_trace->isKernelFinished())
                duration = tr("final");
            else if (current)
                duration = tr("for %1").arg(formatDuration(std::max<qint64>(0, now - s.startUs)));
            else
                duration = formatDuration(*s.endUs - s.startUs);
            const QColor ink = current ? pal.color(QPalette::HighlightedText) : text;
            p.setPen(ink);
            QFont nameFont = font();
            nameFont.setItalic(!s.observed);
            p.setFont(nameFont);
            const QRectF inner = bar.adjusted(4, 2, -4, -2);
            p.drawText(QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 2),
                       Qt::AlignHCenter | Qt::AlignBottom,
                       fm.elidedText(name, Qt::ElideRight, inner.width()));
            p.setFont(small);
            p.drawText(QRectF(inner.left(), inner.center().y(), inner.width(), inner.height() / 2),
                       Qt::AlignHCenter | Qt::AlignTop,
                       sfm.elidedText(duration, Qt::ElideRight, inner.width()));
        }
    };
    p.save();
    p.setClipRect(QRectF(titleW, 0, r.width() - titleW, r.height()));
    drawLane(qtSpans(), qtTop, true);
    drawLane(kernelSpans(), kernelTop, false);
    p.restore();

    // The lane titles, fixed at the left.
    p.fillRect(QRectF(0, 0, titleW, r.height()), pal.color(QPalette::Base));
    p.setFont(font());
    p.setPen(text);
    p.drawText(QRectF(4, qtTop, titleW - 8, laneH), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Qt socket"));
    p.drawText(QRectF(4, kernelTop, titleW - 8, laneH), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Kernel TCP"));
    p.setFont(small);
    p.setPen(faint);
    const qreal noteTop = kernelTop + laneH + 6;
    QString note = tr("Columns in time order, not to scale; times from the first change.");
    if (m_trace->kernelTransitions().isEmpty())
        note = tr("The kernel's TCP state is not known for this connection.");
    p.drawText(QRectF(4, noteTop, r.width() - 8, sfm.height() * 1.2),
               Qt::AlignLeft | Qt::AlignVCenter,
               sfm.elidedText(note, Qt::ElideRight, r.width() - 8));
}

void StateTimelineWidget::refreshNow()
{
    m_throttle->flushNow();
}

} // namespace synack::ui
