#pragma once

// The kernel's figures for the socket (getsockopt TCP_INFO): round trip time
// and its variance, retransmissions, congestion window, unacknowledged
// segments, bytes sent and received; refreshed as the trace is.

#include "net/connectiontrace.h"

#include <QPointer>
#include <QWidget>

class QLabel;

namespace synack::ui {

class RepaintThrottle;

class TcpInfoPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Field {
        Rtt,
        RttVar,
        Retransmits,
        TotalRetrans,
        Cwnd,
        Unacked,
        Lost,
        BytesSent,
        BytesReceived,
    };
    static QList<Field> fields();

    explicit TcpInfoPanel(QWidget *parent = nullptr);
    ~TcpInfoPanel() override;

    void setTrace(net::ConnectionTrace *trace);
    net::ConnectionTrace *trace() const { return m_trace; }
    // Applies the changes waiting for the next coalesced repaint now (tests,
    // and before grabbing a picture).
    void refreshNow();

    // The value shown for `field` ("0.052 ms", "10 segments", "1,234 B"), or
    // "—" without figures.
    QString fieldText(Field field) const;
    // The row's name ("Round trip (rtt)") and its tooltip.
    static QString fieldName(Field field);
    static QString fieldToolTip(Field field);
    // The line under the figures ("updated 0.4 s ago", "socket closed: last figures").
    QString statusText() const;

private:
    void rebuild();

    QPointer<net::ConnectionTrace> m_trace;
    RepaintThrottle *m_throttle;
    QList<QLabel *> m_values; // by Field
    QLabel *m_status;
};

} // namespace synack::ui
