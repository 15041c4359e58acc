#pragma once

// The bottom line: the session's state ("Online as alice", "Reconnecting in
// 4 s" with a Try now button), the server, and the heartbeat's round trip.

#include <QStatusBar>

class QLabel;
class QToolButton;

namespace synack::client {

class ChatClient;

class ClientStatusBar : public QStatusBar
{
    Q_OBJECT

public:
    explicit ClientStatusBar(ChatClient *client, QWidget *parent = nullptr);

    QString stateText() const;
    QString serverText() const;
    QString roundTripText() const;
    QToolButton *reconnectNowButton() const { return m_reconnectNow; }

private:
    void refresh();
    void updateRoundTrip();

    ChatClient *m_client;
    QLabel *m_state;
    QToolButton *m_reconnectNow;
    QLabel *m_server;
    QLabel *m_roundTrip;
    int m_secondsLeft = 0;
};

} // namespace synack::client
