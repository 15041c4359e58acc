#pragma once

// The heartbeat's round trip times over the last minutes, as a line over a
// time axis, with the last, min, average and max of what is shown.

#include "net/connectiontrace.h"

#include <QPointer>
#include <QWidget>
#include <chrono>

namespace synack::ui {

class RepaintThrottle;

class RoundTripGraphWidget : public QWidget
{
    Q_OBJECT

public:
    struct Stats
    {
        int count = 0; // round trips in the window
        qint64 lastUs = 0;
        qint64 minUs = 0;
        qint64 avgUs = 0;
        qint64 maxUs = 0;
    };

    explicit RoundTripGraphWidget(QWidget *parent = nullptr);
    ~RoundTripGraphWidget() override;

    void setTrace(net::ConnectionTrace *trace);
    net::ConnectionTrace *trace() const { return m_trace; }
    // Applies the changes waiting for the next coalesced repaint now (tests,
    // and before grabbing a picture).
    void refreshNow();

    // How far back the graph reaches (5 minutes by default).
    void setWindow(std::chrono::seconds window);
    std::chrono::seconds window() const { return m_window; }

    // Over the round trips in the window, ending at the newest one.
    Stats stats() const { return m_stats; }
    // "0.084 ms", "12.5 ms", "1.20 s".
    static QString formatRtt(qint64 us);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void rebuild();

    QPointer<net::ConnectionTrace> m_trace;
    RepaintThrottle *m_throttle;
    std::chrono::seconds m_window{300};
    QList<std::pair<qint64, qint64>> m_points; // in the window
    Stats m_stats;
};

} // namespace synack::ui
