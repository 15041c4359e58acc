#pragma once

// The conversation as the window shows it: one row per chat message or
// system line, oldest first, at most capacity() rows (the oldest go first).
//
// Our own messages appear as soon as they are sent, Pending; the server's
// echo (same local id) updates that row instead of adding one, and
// messageStatusChanged moves it to Delivered, Rejected or NotDelivered with
// the reason. Lines without a local id carry no status.

#include "clienttypes.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <deque>
#include <optional>

namespace synack::client {

class ChatClient;

class ChatModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class Kind {
        Message, // room or private chat
        System,  // joins, leaves, renames, reconnects: quiet
        Warning, // something went wrong: a lost connection, an error
    };
    Q_ENUM(Kind)

    enum Role {
        KindRole = Qt::UserRole + 1, // Kind
        TimeRole,                    // QDateTime, local time
        NickRole,                    // the sender (messages only)
        TextRole,                    // the message, or the system line
        OwnRole,                     // bool: sent by this client's user
        PrivateRole,                 // bool
        PeerRole,                    // private messages: the other side's nick
        StatusRole,                  // DeliveryStatus as int; invalid for lines without one
        ReasonRole,                  // why Rejected or NotDelivered
        LocalIdRole,                 // quint64, own messages; invalid otherwise
        BacklogRole,                 // bool: history replayed at welcome
        SerialRole,                  // quint64, unique per row for this model's life
    };
    Q_ENUM(Role)

    static constexpr int kDefaultCapacity = 5000;

    explicit ChatModel(QObject *parent = nullptr);

    // Shows `client`'s messages, delivery statuses, joins, leaves, renames,
    // user listings and gaps. Own messages are added with addOwn().
    void follow(ChatClient *client);

    // Our own message, right after ChatClient::sendMessage returned `localId`.
    void addOwn(quint64 localId, const QString &nick, const QString &text,
                const std::optional<QString> &to);
    // A received message; the echo of one of ours updates its row.
    void addLine(const ChatLine &line);
    void setStatus(quint64 localId, DeliveryStatus status, const QString &reason);
    void addSystem(const QString &text, Kind kind = Kind::System);
    void clear();

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    // -1 when the row is gone or never was.
    int rowOfLocalId(quint64 localId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "delivered", "not delivered", ... in words.
    static QString statusText(DeliveryStatus status);
    // "12:01 <alice> hi", as DisplayRole says it (copying, tests).
    static QString plainText(Kind kind, const QDateTime &time, const QString &nick,
                             const QString &text, bool own, const std::optional<QString> &to);

private:
    struct Entry
    {
        quint64 serial = 0;
        Kind kind = Kind::System;
        QDateTime time;
        QString nick;
        QString text;
        bool own = false;
        std::optional<QString> to; // private: the target's nick
        std::optional<DeliveryStatus> status;
        QString reason;
        std::optional<quint64> localId;
        bool backlog = false;
    };

    void append(Entry entry);
    void trim();
    QString tooltip(const Entry &entry) const;
    QString leaveReason(const QString &reason) const;

    std::deque<Entry> m_rows;
    quint64 m_nextSerial = 1;
    QHash<quint64, quint64> m_serialOfLocalId; // local id -> row serial
    int m_capacity = kDefaultCapacity;
    ChatClient *m_client = nullptr;
};

} // namespace synack::client
