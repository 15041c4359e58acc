#pragma once

// All the pictures of one connection in one widget: the state diagram and the
// ladder side by side, and below them tabs with the timeline, the round trips,
// TCP_INFO and (given a log) the connection's socket log. Both windows embed
// it and hand it the trace of the selected connection.

#include "net/connectiontrace.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace synack::net {
class EventLog;
} // namespace synack::net

namespace synack::ui {

class LadderWidget;
class RepaintThrottle;
class RoundTripGraphWidget;
class SocketLogView;
class StateDiagramWidget;
class StateTimelineWidget;
class TcpInfoPanel;

class ConnectionInspector : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionInspector(QWidget *parent = nullptr);
    ~ConnectionInspector() override;

    // nullptr: "no connection selected".
    void setTrace(net::ConnectionTrace *trace);
    net::ConnectionTrace *trace() const { return m_trace; }

    // Adds a "Socket log" tab showing this connection's rows of `log`.
    void setEventLog(net::EventLog *log);

    // The headline: label, kernel state, closed or not.
    QString headlineText() const;

    StateDiagramWidget *stateDiagram() const { return m_diagram; }
    LadderWidget *ladder() const { return m_ladder; }
    StateTimelineWidget *timeline() const { return m_timeline; }
    RoundTripGraphWidget *roundTripGraph() const { return m_roundTrips; }
    TcpInfoPanel *tcpInfoPanel() const { return m_tcpInfo; }
    SocketLogView *socketLogView() const { return m_logView; } // null without setEventLog
    QTabWidget *tabs() const { return m_tabs; }

private:
    void updateHeadline();

    QPointer<net::ConnectionTrace> m_trace;
    RepaintThrottle *m_throttle;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QLabel *m_headline;
    StateDiagramWidget *m_diagram;
    LadderWidget *m_ladder;
    StateTimelineWidget *m_timeline;
    RoundTripGraphWidget *m_roundTrips;
    TcpInfoPanel *m_tcpInfo;
    QTabWidget *m_tabs;
    SocketLogView *m_logView = nullptr;
};

} // namespace synack::ui
