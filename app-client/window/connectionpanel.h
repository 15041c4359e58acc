#pragma once

// The TCP lab side of the window: the inspector showing one of this
// client's connections (the current one, or one that is closing or in
// TIME_WAIT), and the buttons that end the current connection on purpose.
//
// A ConnectionTrace is made for each connection the client opens and kept
// after the connection is gone, so the closing states stay visible until the
// kernel forgets the socket; the last kKeptTraces are kept.

#include <QList>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTimer;

namespace synack::net {
class Connection;
class ConnectionTrace;
class EventLog;
class KernelWatch;
} // namespace synack::net

namespace synack::ui {
class ConnectionInspector;
} // namespace synack::ui

namespace synack::client {

class ChatClient;

class ConnectionPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kKeptTraces = 4;

    // `watch` and `log` may be null.
    ConnectionPanel(ChatClient *client, net::KernelWatch *watch, net::EventLog *log,
                    QWidget *parent = nullptr);
    ~ConnectionPanel() override;

    ui::ConnectionInspector *inspector() const { return m_inspector; }
    // The trace shown, and all kept, oldest first.
    net::ConnectionTrace *shownTrace() const;
    QList<net::ConnectionTrace *> traces() const;
    // What the chooser says about `trace`: "#3 to host:port: ESTABLISHED".
    QString describe(const net::ConnectionTrace *trace) const;

    QComboBox *traceChooser() const { return m_chooser; }
    QPushButton *disconnectButton() const { return m_disconnect; }
    QPushButton *abortButton() const { return m_abort; }
    QPushButton *halfCloseButton() const { return m_halfClose; }
    QPushButton *freezeButton() const { return m_freeze; }
    // Whether the next connection takes the server's FIN without bye as a
    // half-close and goes on sending (the lab), or as the server leaving.
    bool tolerateHalfClose() const;
    QCheckBox *tolerateHalfCloseBox() const { return m_tolerateHalfClose; }

signals:
    // A lab action was taken, in a sentence for the conversation.
    void labAction(const QString &description);

private:
    void onConnectionChanged(net::Connection *connection);
    void showTraceAt(int row);
    void prune();
    void refreshChooser();
    void updateButtons();
    void abortConnection();
    void halfCloseConnection();
    void setFrozen(bool frozen);

    ChatClient *m_client;
    QPointer<net::KernelWatch> m_watch;
    QList<QPointer<net::ConnectionTrace>> m_traces; // oldest first
    QPointer<net::Connection> m_connection;         // the current one, for its signals
    ui::ConnectionInspector *m_inspector;
    QComboBox *m_chooser;
    QLabel *m_note;
    QPushButton *m_disconnect;
    QPushButton *m_abort;
    QPushButton *m_halfClose;
    QPushButton *m_freeze;
    QCheckBox *m_tolerateHalfClose;
    QTimer *m_refresh; // the chooser's TIME_WAIT countdown
};

} // namespace synack::client
