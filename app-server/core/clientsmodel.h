#pragma once

// The server's clients as a table, one row per session, for the window.
//
// Rows are fed by ChatServer's signals and by one ConnectionTrace per session,
// which follows the connection and then its kernel socket: a closed session's
// row stays (greyed by the view) while the kernel still holds the socket
// (TIME_WAIT, LAST_ACK, ...) and shows CLOSED once the kernel forgets it.
//
// Nothing here runs per message: one timer (4 times a second) reads the live
// counters and states of every row, adds new rows in one insert and tells the
// views with one dataChanged, so a thousand busy clients cost a thousand
// reads a quarter second, whatever the message rate.

#include "net/tcpstate.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHostAddress>
#include <QPointer>
#include <QTimer>
#include <chrono>
#include <functional>
#include <optional>

namespace synack::net {
class ConnectionTrace;
} // namespace synack::net

namespace synack::server {

class ChatServer;
class Session;

inline constexpr std::chrono::milliseconds kClientsRefreshInterval{250};
// Rows of connections the kernel has forgotten, kept for "Clear closed";
// beyond this the oldest go by themselves, so that churn cannot grow the table.
inline constexpr int kMaxFinishedRows = 1000;

class ClientsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NickColumn,
        PeerColumn,
        QtStateColumn,
        KernelStateColumn,
        ConnectedSinceColumn,
        RoundTripColumn,
        LastHeardColumn,
        BytesInColumn,
        BytesOutColumn,
        MessagesInColumn,
        MessagesOutColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SessionIdRole = Qt::UserRole + 1, // quint64
        ConnectionIdRole,                 // quint64, the socket log's id
        SortRole,                         // a value that sorts the column right
        ClosedRole,                       // bool: the session is over
        KernelFinishedRole,               // bool: ... and the kernel forgot the socket
        KernelStateRole,                  // int, a net::TcpState
    };
    Q_ENUM(Role)

    // Totals over every row ever shown for the current server, counting
    // rows that were cleared: they only grow, so rates can be taken from them.
    struct Totals
    {
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
    };

    explicit ClientsModel(QObject *parent = nullptr);
    ~ClientsModel() override;

    // Follows `server` from now on; the rows of the previous one go. Null:
    // no server (the rows stay as they are).
    void setServer(ChatServer *server);
    ChatServer *server() const;

    void setRefreshInterval(std::chrono::milliseconds interval);
    // Reads every row's state and counters now (the timer does it).
    void refresh();
    // Removes the rows of connections the kernel has forgotten.
    void clearClosed();
    int finishedCount() const;
    int openCount() const;
    Totals totals() const { return m_totals; }

    int rowOfSession(quint64 sessionId) const;
    quint64 sessionIdAt(int row) const;
    quint64 connectionIdOf(quint64 sessionId) const;
    bool isOpen(quint64 sessionId) const;
    QString nickOf(quint64 sessionId) const;
    // The trace of a session's connection, alive until its row is removed.
    net::ConnectionTrace *trace(quint64 sessionId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    // After each refresh: rows were added, changed or removed.
    void refreshed();

private:
    struct Row
    {
        quint64 sessionId = 0;
        quint64 connectionId = 0;
        QPointer<Session> session;
        net::ConnectionTrace *trace = nullptr; // owned
        QString nick;
        QString peer;
        QHostAddress peerAddress;
        quint16 peerPort = 0;
        QDateTime connectedSince;
        QString qtState;
        net::TcpState kernelState = net::TcpState::Unknown;
        std::optional<qint64> timerLeftMs;
        QString labNote; // "frozen", "holding CLOSE_WAIT", ...
        bool closed = false;
        bool kernelFinished = false;
        std::optional<qint64> roundTripUs;
        std::chrono::steady_clock::time_point lastHeard;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        qint64 messagesIn = 0;
        qint64 messagesOut = 0;
        QString leaveReason;
        QString closeDetail;
    };

    void onAccepted(quint64 sessionId);
    void onLeft(quint64 sessionId, const QString &reason, const QString &detail);
    void onClosed(quint64 sessionId);
    Row *findRow(quint64 sessionId);
    const Row *findRow(quint64 sessionId) const;
    // Reads the live values into `row`; true if anything shown changed.
    bool update(Row &row);
    void insertPending();
    void removeRowsWhere(const std::function<bool(const Row &)> &remove);
    void pruneFinished();
    void reindex();
    void removeAll();
    QVariant display(const Row &row, int column) const;
    QVariant sortKey(const Row &row, int column) const;
    QString toolTip(const Row &row, int column) const;
    QString kernelText(const Row &row) const;

    QPointer<ChatServer> m_server;
    QList<QMetaObject::Connection> m_serverConnections;
    QList<Row> m_rows;
    QList<Row> m_pending; // accepted, not yet in the table
    QHash<quint64, int> m_rowOfSession;
    Totals m_totals;
    QTimer m_timer;
    bool m_kernelFollowed = false;
};

} // namespace synack::server
