#pragma once

// The room as the server sees it: who is in it, and its recent messages with
// joins, leaves and renames. Lines are queued as they come and shown a few
// times a second, the newest kRoomViewLines of them, so a busy room costs
// the window one append per batch.

#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QListView;
class QPlainTextEdit;
class QStringListModel;

namespace synack::protocol {
struct ChatMsg;
} // namespace synack::protocol

namespace synack::server {

class ChatServer;

inline constexpr int kRoomViewLines = 500;

class RoomView : public QWidget
{
    Q_OBJECT

public:
    explicit RoomView(QWidget *parent = nullptr);

    // Follows `server` (null: none); the previous server's lines stay.
    void setServer(ChatServer *server);
    // Shows what is queued now (the timer does it).
    void flush();

    QStringList users() const;
    QString messagesText() const;
    QListView *usersView() const { return m_usersView; }
    QPlainTextEdit *messagesView() const { return m_messages; }

private:
    void queue(const QString &line);
    void onMessage(const protocol::ChatMsg &message);

    QPointer<ChatServer> m_server;
    QList<QMetaObject::Connection> m_connections;
    QLabel *m_usersLabel;
    QStringListModel *m_users;
    QListView *m_usersView;
    QPlainTextEdit *m_messages;
    QStringList m_queued;
    bool m_usersDirty = false;
    QTimer m_timer;
};

} // namespace synack::server
