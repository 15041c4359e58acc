#pragma once

// Two lanes across time, the Qt socket state above and the kernel's TCP state
// below. Each change is a column with its time (ms, from the first change)
// and how long the state before it lasted. Columns are in time order but not
// to scale (a handshake takes microseconds, TIME_WAIT a minute): a gap grows
// with the logarithm of its length. Follows the live end; scroll back freely.

#include "net/connectiontrace.h"

#include <QAbstractScrollArea>
#include <QPointer>
#include <QTimer>
#include <optional>

namespace synack::ui {

class RepaintThrottle;

class StateTimelineWidget : public QAbstractScrollArea
{
    Q_OBJECT

public:
    // One stretch of one lane: a state from its start to the next change.
    struct Span
    {
        QString state;
        qint64 startUs = 0;          // monotonic
        std::optional<qint64> endUs; // nullopt: still in it
        bool observed = true;        // false: passed, not observed
        qint64 durationUs(qint64 nowUs) const { return endUs.value_or(nowUs) - startUs; }
    };

    explicit StateTimelineWidget(QWidget *parent = nullptr);
    ~StateTimelineWidget() override;

    void setTrace(net::ConnectionTrace *trace);
    net::ConnectionTrace *trace() const { return m_trace; }
    // Applies the changes waiting for the next coalesced repaint now (tests,
    // and before grabbing a picture).
    void refreshNow();

    QList<Span> qtSpans() const;
    QList<Span> kernelSpans() const;

    // Keep the newest change in view (on by default); scrolling back turns it off.
    void setFollow(bool follow);
    bool isFollowing() const { return m_follow; }

    // "+1.234 s", "850 ms", "0.042 ms", for the labels.
    static QString formatOffset(qint64 us);
    static QString formatDuration(qint64 us);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent *event) override;

private:
    void rebuild();
    void updateScrollBar();
    int laneTitleWidth() const;
    int minimumGap() const;
    int columnX(qint64 us) const;

    struct Column
    {
        qint64 us = 0;
        int x = 0;
    };

    QPointer<net::ConnectionTrace> m_trace;
    RepaintThrottle *m_throttle;
    QList<Column> m_columns; // one per distinct change time, in order
    int m_contentWidth = 0;
    bool m_follow = true;
    bool m_adjustingScroll = false;
    QTimer m_clock; // the current state's duration grows: a repaint a second
};

} // namespace synack::ui
