#include "ui/tcpinfopanel.h"

#include "ui/repaintthrottle.h"
#include "ui/roundtripgraphwidget.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace synack::ui {

QList<TcpInfoPanel::Field> TcpInfoPanel::fields()
{
    return {Field::Rtt,     Field::RttVar, Field::Retransmits, Field::TotalRetrans, Field::Cwnd,
            Field::Unacked, Field::Lost,   Field::BytesSent,   Field::BytesReceived};
}

TcpInfoPanel::TcpInfoPanel(QWidget *parent)
    : QWidget(parent)
    , m_throttle(new RepaintThrottle([this] { rebuild(); }, this))
    , m_status(new QLabel(this))
{
    auto *grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    grid->setHorizontalSpacing(16);
    const QList<Field> all = fields();
    for (int i = 0; i < all.size(); ++i) {
        auto *name = new QLabel(fieldName(all[i]), this);
        name->setToolTip(fieldToolTip(all[i]));
        auto *value = new QLabel(this);
        value->setToolTip(fieldToolTip(all[i]));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Figures line up.
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QFont mono = value->font();
        mono.setStyleHint(QFont::Monospace);
        mono.setFamily(QStringLiteral("monospace"));
        value->setFont(mono);
        grid->addWidget(name, i, 0);
        grid->addWidget(value, i, 1);
        m_values.append(value);
    }
    m_status->setWordWrap(true);
    QFont italic = m_status->font();
    italic.setItalic(true);
    m_status->setFont(italic);

    auto *title = new QLabel(tr("The kernel's figures for this socket (TCP_INFO)"), this);
    title->setWordWrap(true);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(grid);
    layout->addWidget(m_status);
    layout->addStretch(1);
    rebuild();
}

TcpInfoPanel::~TcpInfoPanel() = default;

void TcpInfoPanel::setTrace(net::ConnectionTrace *trace)
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

QString TcpInfoPanel::fieldName(Field field)
{
    switch (field) {
    case Field::Rtt:
        return tr("Round trip time (rtt)");
    case Field::RttVar:
        return tr("Round trip variation (rttvar)");
    case Field::Retransmits:
        return tr("Retransmitting now");
    case Field::TotalRetrans:
        return tr("Retransmissions in all");
    case Field::Cwnd:
        return tr("Congestion window (cwnd)");
    case Field::Unacked:
        return tr("Not yet acknowledged");
    case Field::Lost:
        return tr("Thought lost");
    case Field::BytesSent:
        return tr("Bytes sent");
    case Field::BytesReceived:
        return tr("Bytes received");
    }
    return {};
}

QString TcpInfoPanel::fieldToolTip(Field field)
{
    switch (field) {
    case Field::Rtt:
        return tr("The kernel's smoothed estimate of the time from sending a segment to its ACK.");
    case Field::RttVar:
        return tr("How much the round trip time varies; the retransmission timeout is the rtt "
                  "plus four times this.");
    case Field::Retransmits:
        return tr("How many times the oldest unacknowledged segment has been sent again.");
    case Field::TotalRetrans:
        return tr("Segments sent again since the connection opened.");
    case Field::Cwnd:
        return tr("How many segments the sender may have in flight before waiting for ACKs.");
    case Field::Unacked:
        return tr("Segments sent but not acknowledged by the peer yet.");
    case Field::Lost:
        return tr("Segments the kernel believes were lost on the way.");
    case Field::BytesSent:
        return tr("All bytes this socket sent, retransmissions included.");
    case Field::BytesReceived:
        return tr("All bytes this socket received.");
    }
    return {};
}

QString TcpInfoPanel::fieldText(Field field) const
{
    const std::optional<net::TcpInfo> info = m_trace ? m_trace->lastTcpInfo() : std::nullopt;
    if (!info)
        return QStringLiteral("—");
    const QLocale l = locale();
    const auto segments = [&](quint32 n) { return tr("%n segment(s)", nullptr, int(n)); };
    const auto bytes = [&](quint64 n) {
        if (n < 1024)
            return tr("%1 B").arg(l.toString(n));
        return tr("%1 B (%2)").arg(l.toString(n), l.formattedDataSize(qint64(n)));
    };
    switch (field) {
    case Field::Rtt:
        return RoundTripGraphWidget::formatRtt(info->rttUs);
    case Field::RttVar:
        return RoundTripGraphWidget::formatRtt(info->rttVarUs);
    case Field::Retransmits:
        return l.toString(info->retransmits);
    case Field::TotalRetrans:
        return l.toString(info->totalRetrans);
    case Field::Cwnd:
        return segments(info->sndCwnd);
    case Field::Unacked:
        return segments(info->unacked);
    case Field::Lost:
        return segments(info->lost);
    case Field::BytesSent:
        return bytes(info->bytesSent);
    case Field::BytesReceived:
        return bytes(info->bytesReceived);
    }
    return {};
}

QString TcpInfoPanel::statusText() const
{
    if (!m_trace)
        return tr("No connection selected.");
    if (!m_trace->lastTcpInfo()) {
        return m_trace->isClosed() ? tr("No figures: the socket closed before any were read.")
                                   : tr("No figures yet: TCP_INFO is read once a second.");
    }
    if (m_trace->isClosed())
        return tr("The socket is closed: these are its last figures.");
    return tr("Read from the kernel once a second.");
}

void TcpInfoPanel::rebuild()
{
    const QList<Field> all = fields();
    for (int i = 0; i < all.size(); ++i)
        m_values[i]->setText(fieldText(all[i]));
    m_status->setText(statusText());
}

void TcpInfoPanel::refreshNow()
{
    m_throttle->flushNow();
}

} // namespace synack::ui
