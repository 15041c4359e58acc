#pragma once

// The two ends of the connection as vertical lines and the segments between
// them as arrows in time order (SYN, SYN+ACK, ACK; FIN, ACK, FIN, ACK; RST),
// as a TCP textbook draws them. When the trace has captured segments, those
// are drawn, one arrow each, with their flags, sequence and acknowledgement
// numbers (relative, or absolute on the context menu's toggle) and length;
// a retransmission, duplicate ACK or zero window stands out in colour, with
// a tooltip that explains it. Without capture the segments are inferred from
// the kernel states each end went through, and labelled as inferred. Either
// way each end's kernel states are written beside its line; when both ends
// are in this process their observations are combined
// (ConnectionTrace::peerTrace).

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

    // The arrows drawn, in order (capturedSegments() or inferSegments() of the
    // trace and its peer).
    QList<net::LadderSegment> segments() const { return m_segments; }
    // Whether the arrows are captured segments, not inferred ones.
    bool isCaptured() const { return !m_segments.isEmpty() && !m_segments.first().inferred; }
    // Absolute sequence and acknowledgement numbers instead of relative ones.
    void setAbsoluteNumbers(bool absolute);
    bool absoluteNumbers() const { return m_absolute; }
    // The numbers line under a captured arrow: "seq=0 ack=1 len=0".
    QString numbersOf(const net::LadderSegment &segment) const;
    // What a mark means, in one sentence (the tooltip); empty for none.
    static QString markExplanation(const net::TcpSegment &segment);
    // The mark's word: "retransmission", "dup ACK #2", "zero window", ...
    static QString markWord(const net::TcpSegment &segment);
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
    bool viewportEvent(QEvent *event) override;

private:
    void rebuild();
    void watchPeer();
    void updateScrollBar();
    int rowHeight() const;
    int headerHeight() const;
    // The row of the arrow at `y` in the viewport, or -1.
    qsizetype rowAt(int y) const;

    QPointer<net::ConnectionTrace> m_trace;
    QPointer<net::ConnectionTrace> m_watchedPeer;
    QMetaObject::Connection m_peerConnection;
    RepaintThrottle *m_throttle;
    QList<net::LadderSegment> m_segments;
    bool m_atEnd = true;
    bool m_absolute = false;
};

} // namespace synack::ui
