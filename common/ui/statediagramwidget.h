#pragma once

// The TCP state machine as RFC 793 draws it (figure 6): the 11 states and the
// labelled transitions between them, painted to fit the widget. The state the
// connection is in now is highlighted, the path it took is drawn over the
// diagram with numbered steps, and TIME_WAIT shows its time left. Each
// state's tooltip says what it means.

#include "net/connectiontrace.h"
#include "net/tcpstate.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <optional>

namespace synack::ui {

class RepaintThrottle;

class StateDiagramWidget : public QWidget
{
    Q_OBJECT

public:
    // One step of this connection's path through the diagram.
    struct PathStep
    {
        int number = 0; // 1, 2, ...
        net::TcpState state = net::TcpState::Unknown;
        bool observed = true; // false: passed, not observed
        qint64 monotonicUs = 0;
    };

    explicit StateDiagramWidget(QWidget *parent = nullptr);
    ~StateDiagramWidget() override;

    void setTrace(net::ConnectionTrace *trace);
    net::ConnectionTrace *trace() const { return m_trace; }
    // Applies the changes waiting for the next coalesced repaint now (tests,
    // and before grabbing a picture).
    void refreshNow();

    // What the picture shows (Unknown / empty without a trace).
    net::TcpState currentState() const;
    QList<PathStep> path() const;
    std::optional<qint64> timerLeftMs() const;

    // Where a state's box is, in widget coordinates at the current size.
    QRectF stateRect(net::TcpState state) const;
    // The state whose box holds `pos`, or Unknown.
    net::TcpState stateAt(const QPointF &pos) const;

    // The box's text ("SYN_RCVD" for SYN_RECV, as RFC 793 names it).
    static QString stateLabel(net::TcpState state);
    // One or two sentences on what the state means.
    static QString stateToolTip(net::TcpState state);
    // The 11 states, in the order they are drawn.
    static QList<net::TcpState> states();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void rebuild();

    QPointer<net::ConnectionTrace> m_trace;
    RepaintThrottle *m_throttle;
    net::TcpState m_current = net::TcpState::Unknown;
    QList<PathStep> m_path;
    QTimer m_countdown; // repaints while TIME_WAIT counts down
};

} // namespace synack::ui
