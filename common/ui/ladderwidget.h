#pragma once

// The two ends of the connection as vertical lines and the segments between
// them as arrows in time order (SYN, SYN+ACK, ACK; FIN, ACK, FIN, ACK; RST),
// as a TCP textbook draws them. The segments are inferred from the kernel
// states each end went through, and labelled as inferred; when both ends are
// in this process their observations are combined (ConnectionTrace::peerTrace).

#include "net/connectiontrace.h"

#include <QAbstractScrollArea>
#include <QPointer>

namespace synack::ui {

class RepaintThrottle;

class LadderWidget : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit LadderWidget(QWidget *parent = nullptr);
    ~LadderWidget() override;

    void setTrace(net::ConnectionTrace *trace);
    net::ConnectionTrace *trace() const { return m_trace; }
    // Applies the changes waiting for the next coalesced repaint now (tests,
    // and before grabbing a picture).
    void refreshNow();

    // The arrows drawn, in order (inferSegments() of the trace and its peer).
    QList<net::LadderSegment> segments() const { return m_segments; }
    // The headings of the two lines: "client (this side)", "server (peer)", ...
    QString localEndLabel() const;
    QString peerEndLabel() const;
    // Whether the peer's own observations were combined in.
    bool isCombined() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void watchPeer();
    void updateScrollBar();
    int rowHeight() const;
    int headerHeight() const;

    QPointer<net::ConnectionTrace> m_trace;
    QPointer<net::ConnectionTrace> m_watchedPeer;
    QMetaObject::Connection m_peerConnection;
    RepaintThrottle *m_throttle;
    QList<net::LadderSegment> m_segments;
    bool m_atEnd = true;
};

} // namespace synack::ui
