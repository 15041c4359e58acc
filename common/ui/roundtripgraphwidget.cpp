#include "ui/roundtripgraphwidget.h"

#include "ui/repaintthrottle.h"

#include <QPainter>
#include <QPainterPath>
#include <QtMath>
#include <algorithm>

namespace synack::ui {

namespace {

// 1, 2 or 5 times a power of ten, at least `value`.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

RoundTripGraphWidget::RoundTripGraphWidget(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
{}

RoundTripGraphWidget::~RoundTripGraphWidget() = default;

void RoundTripGraphWidget::setTrace(net::ConnectionTrace *trace)
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

void RoundTripGraphWidget::setWindow(std::chrono::seconds window)
{
    m_window = std::max(window, std::chrono::seconds(10));
    rebuild();
}

QString RoundTripGraphWidget::formatRtt(qint64 us)
{
    if (us < 10'000)
        return tr("%1 ms").arg(double(us) / 1000.0, 0, 'f', 3);
    if (us < 1'000'000)
        return tr("%1 ms").arg(double(us) / 1000.0, 0, 'f', 1);
    return tr("%1 s").arg(double(us) / 1e6, 0, 'f', 2);
}

void RoundTripGraphWidget::rebuild()
{
    m_points.clear();
    m_stats = {};
    if (m_trace) {
        const QList<std::pair<qint64, qint64>> all = m_trace->roundTrips();
        if (!all.isEmpty()) {
            const qint64 end = all.last().first;
            const qint64 begin = end - qint64(m_window.count()) * 1'000'000;
            qint64 sum = 0;
            for (const auto &point : all) {
                if (point.first < begin)
                    continue;
                m_points.append(point);
                sum += point.second;
                m_stats.minUs =
                    m_stats.count == 0 ? point.second : std::min(m_stats.minUs, point.second);
                m_stats.maxUs = std::max(m_stats.maxUs, point.second);
                ++m_stats.count;
            }
            m_stats.lastUs = all.last().second;
            m_stats.avgUs = m_stats.count > 0 ? sum / m_stats.count : 0;
        }
    }
    update();
}

QSize RoundTripGraphWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QLatin1Char('0')) * 70, fm.height() * 14};
}

QSize RoundTripGraphWidget::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QLatin1Char('0')) * 40, fm.height() * 9};
}

void RoundTripGraphWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetricsF fm(font());
    QFont small = font();
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetricsF sfm(small);
    const QColor text = pal.color(QPalette::Text);
    QColor faint = text;
    faint.setAlphaF(0.5);
    QColor grid = text;
    grid.setAlphaF(0.15);
    const QColor accent = pal.color(QPalette::Highlight);

    // The figures, on top.
    QStringList figures;
    if (m_stats.count > 0) {
        figures << tr("last %1").arg(formatRtt(m_stats.lastUs))
                << tr("min %1").arg(formatRtt(m_stats.minUs))
                << tr("avg %1").arg(formatRtt(m_stats.avgUs))
                << tr("max %1").arg(formatRtt(m_stats.maxUs))
                << tr("%n round trip(s)", nullptr, m_stats.count);
    }
    p.setPen(text);
    const QRectF head(8, 4, width() - 16, fm.height() * 1.3);
    const QString heading =
        figures.isEmpty()
            ? (m_trace ? tr("No heartbeat round trips yet (a ping every few seconds).")
                       : tr("No connection selected."))
            : figures.join(QStringLiteral("   "));
    p.drawText(head, Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(heading, Qt::ElideRight, head.width()));

    // The plot.
    const qreal yAxisW = sfm.horizontalAdvance(formatRtt(999'999)) + 10;
    const QRectF plot(8 + yAxisW, head.bottom() + fm.height() * 0.6, width() - 16 - yAxisW - 8,
                      height() - head.bottom() - fm.height() * 0.6 - sfm.height() * 2.2);
    if (plot.width() < 20 || plot.height() < 20)
        return;
    p.setPen(QPen(faint, 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());

    const double top = niceCeiling(std::max<double>(double(m_stats.maxUs) * 1.1, 100.0));
    p.setFont(small);
    for (int i = 0; i <= 4; ++i) {
        const double value = top * i / 4;
        const qreal y = plot.bottom() - plot.height() * i / 4;
        p.setPen(QPen(grid, 1));
        if (i > 0)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(faint);
        p.drawText(QRectF(2, y - sfm.height() / 2, yAxisW + 2, sfm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, formatRtt(qint64(value)));
    }
    // Minutes back from the newest round trip.
    const qint64 windowUs = qint64(m_window.count()) * 1'000'000;
    const int minutes = int(m_window.count() / 60);
    const int ticks = minutes >= 2 ? minutes : 4;
    for (int i = 0; i <= ticks; ++i) {
        const qreal x = plot.left() + plot.width() * i / ticks;
        const qint64 backS = (windowUs / 1'000'000) * (ticks - i) / ticks;
        const QString label = i == ticks        ? tr("newest")
                              : backS % 60 == 0 ? tr("−%1 min").arg(backS / 60)
                                                : tr("−%1 s").arg(backS);
        p.setPen(QPen(grid, 1));
        if (i < ticks)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(faint);
        const qreal w = sfm.horizontalAdvance(label) + 4;
        const qreal lx = std::clamp(x - w / 2, plot.left() - yAxisW / 2, plot.right() - w + 8);
        p.drawText(QRectF(lx, plot.bottom() + 2, w, sfm.height()), Qt::AlignCenter, label);
    }

    if (m_points.isEmpty())
        return;
    const qint64 end = m_points.last().first;
    const auto pointAt = [&](const std::pair<qint64, qint64> &pt) {
        const qreal x = plot.right() - plot.width() * double(end - pt.first) / double(windowUs);
        const qreal y = plot.bottom() - plot.height() * double(pt.second) / top;
        return QPointF(x, y);
    };
    QPainterPath line;
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const QPointF pt = pointAt(m_points[i]);
        if (i == 0)
            line.moveTo(pt);
        else
            line.lineTo(pt);
    }
    p.setPen(QPen(accent, 2));
    p.setBrush(Qt::NoBrush);
    p.drawPath(line);
    p.setBrush(accent);
    const qreal dot = m_points.size() > 120 ? 1.5 : 3;
    for (const auto &pt : m_points)
        p.drawEllipse(pointAt(pt), dot, dot);
    // The average as a dashed line.
    const qreal avgY = plot.bottom() - plot.height() * double(m_stats.avgUs) / top;
    p.setPen(QPen(faint, 1, Qt::DashLine));
    p.drawLine(QPointF(plot.left(), avgY), QPointF(plot.right(), avgY));
    p.setPen(faint);
    p.drawText(QRectF(plot.left() + 4, avgY - sfm.height(), plot.width() / 2, sfm.height()),
               Qt::AlignLeft | Qt::AlignBottom, tr("average"));
}

void RoundTripGraphWidget::refreshNow()
{
    m_throttle->flushNow();
}

} // namespace synack::ui
