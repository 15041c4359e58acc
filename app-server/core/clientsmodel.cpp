#include "clientsmodel.h"

#include "chatserver.h"
#include "session.h"

#include "net/connection.h"
#include "net/connectiontrace.h"

#include <QLocale>
#include <QSet>
#include <algorithm>

namespace synack::server {

using namespace std::chrono_literals;
using net::TcpState;

namespace {

// "ConnectedState" -> "Connected": the Qt enum's name without its suffix.
QString shortQtState(const QString &name)
{
    return name.endsWith(QLatin1StringView("State")) ? name.chopped(5) : name;
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString formatRoundTrip(qint64 us)
{
    const double ms = double(us) / 1000.0;
    const int decimals = ms < 1 ? 2 : ms < 100 ? 1 : 0;
    return ClientsModel::tr("%1 ms").arg(QLocale().toString(ms, 'f', decimals));
}

QString formatAge(std::chrono::steady_clock::duration age)
{
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(age).count();
    if (seconds < 1)
        return ClientsModel::tr("just now");
    if (seconds < 120)
        return ClientsModel::tr("%n s ago", nullptr, int(seconds));
    return ClientsModel::tr("%n min ago", nullptr, int(seconds / 60));
}

} // namespace

ClientsModel::ClientsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_timer.setInterval(kClientsRefreshInterval);
    connect(&m_timer, &QTimer::timeout, this, &ClientsModel::refresh);
}

ClientsModel::~ClientsModel()
{
    // The traces are children; their rows go with them.
    for (const QMetaObject::Connection &c : std::as_const(m_serverConnections))
        disconnect(c);
}

void ClientsModel::setServer(ChatServer *server)
{
    for (const QMetaObject::Connection &c : std::as_const(m_serverConnections))
        disconnect(c);
    m_serverConnections.clear();
    m_server = server;
    if (!server)
        return;
    removeAll();
    m_totals = {};
    m_kernelFollowed = server->kernelWatch() != nullptr;
    m_serverConnections = {
        connect(server, &ChatServer::sessionAccepted, this,
                [this](quint64 id, const QString &) { onAccepted(id); }),
        connect(server, &ChatServer::sessionLeft, this,
                [this](quint64 id, const QString &, const QString &reason, const QString &detail) {
                    onLeft(id, reason, detail);
                }),
        connect(server, &ChatServer::sessionClosed, this, &ClientsModel::onClosed),
    };
    for (Session *session : server->sessions())
        onAccepted(session->id());
    m_timer.start();
}

ChatServer *ClientsModel::server() const
{
    return m_server;
}

void ClientsModel::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
}

void ClientsModel::onAccepted(quint64 sessionId)
{
    Session *session = m_server ? m_server->session(sessionId) : nullptr;
    if (!session || findRow(sessionId))
        return;
    Row row;
    row.sessionId = sessionId;
    row.connectionId = session->connection()->id();
    row.session = session;
    // Now, so that the trace sees the handshake's end and all that follows.
    row.trace = new net::ConnectionTrace(session->connection(), m_server->kernelWatch(), this);
    row.peer = session->peer();
    row.peerAddress = session->peerAddress();
    row.peerPort = session->peerPort();
    row.connectedSince = session->connectedSince();
    row.trace->setLabel(row.peer);
    update(row);
    m_pending.append(row);
    if (!m_timer.isActive())
        m_timer.start();
}

void ClientsModel::onLeft(quint64 sessionId, const QString &reason, const QString &detail)
{
    if (Row *row = findRow(sessionId)) {
        row->leaveReason = reason;
        row->closeDetail = detail;
    }
}

void ClientsModel::onClosed(quint64 sessionId)
{
    // The Session still exists: take its last counters before it goes.
    if (Row *row = findRow(sessionId)) {
        update(*row);
        row->closed = true;
        row->session = nullptr;
    }
}

ClientsModel::Row *ClientsModel::findRow(quint64 sessionId)
{
    return const_cast<Row *>(std::as_const(*this).findRow(sessionId));
}

const ClientsModel::Row *ClientsModel::findRow(quint64 sessionId) const
{
    if (const auto it = m_rowOfSession.constFind(sessionId); it != m_rowOfSession.cend())
        return &m_rows[*it];
    for (const Row &row : m_pending) {
        if (row.sessionId == sessionId)
            return &row;
    }
    return nullptr;
}

bool ClientsModel::update(Row &row)
{
    bool changed = false;
    const auto set = [&changed](auto &field, const auto &value) {
        if (field != value) {
            field = value;
            changed = true;
        }
    };

    if (const Session *session = row.session) {
        const net::Connection *connection = session->connection();
        const qint64 bytesIn = connection->bytesReceived();
        const qint64 bytesOut = connection->bytesSent();
        m_totals.bytesIn += bytesIn - row.bytesIn;
        m_totals.bytesOut += bytesOut - row.bytesOut;
        m_totals.messagesIn += session->messagesIn - row.messagesIn;
        m_totals.messagesOut += session->messagesOut - row.messagesOut;
        set(row.bytesIn, bytesIn);
        set(row.bytesOut, bytesOut);
        set(row.messagesIn, session->messagesIn);
        set(row.messagesOut, session->messagesOut);
        if (session->isRegistered() && row.nick != session->nick()) {
            row.nick = session->nick();
            row.trace->setLabel(row.nick + QLatin1Char(' ') + row.peer);
            changed = true;
        }
        row.lastHeard = connection->lastHeard();
        changed = true; // the age shown in "last heard" moves on
    }

    if (const net::ConnectionTrace *trace = row.trace) {
        const auto qt = trace->qtTransitions();
        if (!qt.isEmpty())
            set(row.qtState, shortQtState(qt.last().state));
        set(row.kernelState, trace->kernelState());
        set(row.timerLeftMs, trace->timerLeftMs());
        set(row.kernelFinished, trace->isKernelFinished());
        if (trace->isClosed())
            set(row.closed, true);
        const auto rtts = trace->roundTrips();
        if (!rtts.isEmpty())
            set(row.roundTripUs, std::optional<qint64>(rtts.last().second));
        const net::ConnectionTrace::LabFlags lab = trace->labFlags();
        QStringList notes;
        if (lab.frozen)
            notes << tr("heartbeats frozen");
        if (lab.holdingCloseWait)
            notes << tr("holding CLOSE_WAIT");
        if (lab.halfClosed)
            notes << tr("half-closed");
        if (lab.peerHalfClosed)
            notes << tr("client half-closed");
        if (trace->sawReset())
            notes << (trace->resetSentByLocal() ? tr("reset sent") : tr("reset received"));
        set(row.labNote, notes.join(QStringLiteral(", ")));
    }
    return changed;
}

void ClientsModel::refresh()
{
    bool changed = false;
    bool moving = false; // some row can still change
    for (Row &row : m_rows) {
        if (row.kernelFinished && !row.session)
            continue;
        changed |= update(row);
        moving = true;
    }
    if (changed && !m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    const bool inserting = !m_pending.isEmpty();
    insertPending();
    pruneFinished();
    if (!moving && !inserting && m_timer.isActive() && !m_server)
        m_timer.stop();
    if (changed || inserting)
        emit refreshed();
}

void ClientsModel::insertPending()
{
    if (m_pending.isEmpty())
        return;
    const int first = int(m_rows.size());
    for (Row &row : m_pending)
        update(row);
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    for (Row &row : m_pending) {
        m_rowOfSession.insert(row.sessionId, int(m_rows.size()));
        m_rows.append(std::move(row));
    }
    m_pending.clear();
    endInsertRows();
}

void ClientsModel::removeRowsWhere(const std::function<bool(const Row &)> &remove)
{
    // From the end, one contiguous run at a time, so indexes stay valid.
    int end = int(m_rows.size());
    while (end > 0) {
        while (end > 0 && !remove(m_rows[end - 1]))
            --end;
        int begin = end;
        while (begin > 0 && remove(m_rows[begin - 1]))
            --begin;
        if (begin == end)
            break;
        beginRemoveRows({}, begin, end - 1);
        for (int i = begin; i < end; ++i)
            delete m_rows[i].trace;
        m_rows.remove(begin, end - begin);
        endRemoveRows();
        end = begin;
    }
    reindex();
}

void ClientsModel::pruneFinished()
{
    int excess = finishedCount() - kMaxFinishedRows;
    if (excess <= 0)
        return;
    // The oldest first: rows are in accept order.
    QSet<quint64> drop;
    for (const Row &row : std::as_const(m_rows)) {
        if (excess == 0)
            break;
        if (row.kernelFinished && row.closed) {
            drop.insert(row.sessionId);
            --excess;
        }
    }
    removeRowsWhere([&drop](const Row &row) { return drop.contains(row.sessionId); });
    emit refreshed();
}

void ClientsModel::clearClosed()
{
    removeRowsWhere([](const Row &row) { return row.closed && row.kernelFinished; });
    emit refreshed();
}

void ClientsModel::removeAll()
{
    if (!m_rows.isEmpty()) {
        beginResetModel();
        for (const Row &row : std::as_const(m_rows))
            delete row.trace;
        m_rows.clear();
        m_rowOfSession.clear();
        endResetModel();
    }
    for (const Row &row : std::as_const(m_pending))
        delete row.trace;
    m_pending.clear();
}

void ClientsModel::reindex()
{
    m_rowOfSession.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfSession.insert(m_rows[i].sessionId, i);
}

int ClientsModel::finishedCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const Row &row) { return row.closed && row.kernelFinished; }));
}

int ClientsModel::openCount() const
{
    const auto open = [](const Row &row) { return !row.closed; };
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), open) +
               std::count_if(m_pending.cbegin(), m_pending.cend(), open));
}

int ClientsModel::rowOfSession(quint64 sessionId) const
{
    return m_rowOfSession.value(sessionId, -1);
}

quint64 ClientsModel::sessionIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].sessionId : 0;
}

quint64 ClientsModel::connectionIdOf(quint64 sessionId) const
{
    const Row *row = findRow(sessionId);
    return row ? row->connectionId : 0;
}

bool ClientsModel::isOpen(quint64 sessionId) const
{
    const Row *row = findRow(sessionId);
    return row && !row->closed;
}

QString ClientsModel::nickOf(quint64 sessionId) const
{
    const Row *row = findRow(sessionId);
    return row ? row->nick : QString();
}

net::ConnectionTrace *ClientsModel::trace(quint64 sessionId) const
{
    const Row *row = findRow(sessionId);
    return row ? row->trace : nullptr;
}

int ClientsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() >= RoundTripColumn && index.column() != LastHeardColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SortRole:
        return sortKey(row, index.column());
    case SessionIdRole:
        return row.sessionId;
    case ConnectionIdRole:
        return row.connectionId;
    case ClosedRole:
        return row.closed;
    case KernelFinishedRole:
        return row.kernelFinished;
    case KernelStateRole:
        return int(row.kernelFinished ? TcpState::Closed : row.kernelState);
    default:
        return {};
    }
}

QString ClientsModel::kernelText(const Row &row) const
{
    if (!m_kernelFollowed)
        return row.closed ? tr("closed") : QStringLiteral("\u2014");
    if (row.kernelFinished)
        return net::tcpStateName(TcpState::Closed);
    if (row.kernelState == TcpState::Unknown)
        return QStringLiteral("\u2026");
    QString text = net::tcpStateName(row.kernelState);
    if (row.timerLeftMs)
        text = tr("%1, %2 s left").arg(text).arg((*row.timerLeftMs + 999) / 1000);
    return text;
}

QVariant ClientsModel::display(const Row &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case NickColumn:
        return row.nick.isEmpty() ? QStringLiteral("\u2014") : row.nick;
    case PeerColumn:
        return row.peer;
    case QtStateColumn:
        return row.qtState;
    case KernelStateColumn:
        return row.labNote.isEmpty() ? kernelText(row)
                                     : tr("%1 (%2)").arg(kernelText(row), row.labNote);
    case ConnectedSinceColumn:
        return row.connectedSince.time().toString(QStringLiteral("HH:mm:ss"));
    case RoundTripColumn:
        return row.roundTripUs ? formatRoundTrip(*row.roundTripUs) : QString();
    case LastHeardColumn:
        if (row.lastHeard == std::chrono::steady_clock::time_point{})
            return QString();
        return formatAge(std::chrono::steady_clock::now() - row.lastHeard);
    case BytesInColumn:
        return formatBytes(row.bytesIn);
    case BytesOutColumn:
        return formatBytes(row.bytesOut);
    case MessagesInColumn:
        return locale.toString(row.messagesIn);
    case MessagesOutColumn:
        return locale.toString(row.messagesOut);
    default:
        return {};
    }
}

QVariant ClientsModel::sortKey(const Row &row, int column) const
{
    switch (column) {
    case NickColumn:
        return row.nick.toCaseFolded();
    case PeerColumn: {
        // Numerically: the address's 16 bytes (IPv4 mapped), then the port.
        const Q_IPV6ADDR bytes = row.peerAddress.toIPv6Address();
        return QString(
            QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(bytes.c), 16).toHex()) +
            QString::number(row.peerPort).rightJustified(5, u'0'));
    }
    case QtStateColumn:
        return row.qtState;
    case KernelStateColumn:
        return kernelText(row);
    case ConnectedSinceColumn:
        return row.connectedSince;
    case RoundTripColumn:
        return row.roundTripUs.value_or(-1);
    case LastHeardColumn:
        return qint64(
            std::chrono::duration_cast<std::chrono::milliseconds>(row.lastHeard.time_since_epoch())
                .count());
    case BytesInColumn:
        return row.bytesIn;
    case BytesOutColumn:
        return row.bytesOut;
    case MessagesInColumn:
        return row.messagesIn;
    case MessagesOutColumn:
        return row.messagesOut;
    default:
        return {};
    }
}

// What a student reads on hovering a state: the textbook's meaning.
static QString stateMeaning(TcpState state)
{
    switch (state) {
    case TcpState::Established:
        return ClientsModel::tr("ESTABLISHED: the handshake is done and data flows both ways.");
    case TcpState::SynRecv:
        return ClientsModel::tr("SYN_RECV: the client's SYN arrived and SYN+ACK went back; "
                                "waiting for its ACK.");
    case TcpState::FinWait1:
        return ClientsModel::tr("FIN_WAIT_1: the server sent FIN and waits for it to be "
                                "acknowledged.");
    case TcpState::FinWait2:
        return ClientsModel::tr("FIN_WAIT_2: the client acknowledged the server's FIN; waiting "
                                "for the client's own FIN.");
    case TcpState::TimeWait:
        return ClientsModel::tr("TIME_WAIT: the server closed first, so the kernel keeps the "
                                "socket for 60 s to let late segments die out.");
    case TcpState::CloseWait:
        return ClientsModel::tr("CLOSE_WAIT: the client sent FIN; the server has not closed "
                                "its side yet.");
    case TcpState::LastAck:
        return ClientsModel::tr("LAST_ACK: the server sent its FIN after the client's and waits "
                                "for the last ACK.");
    case TcpState::Closing:
        return ClientsModel::tr("CLOSING: both sides sent FIN at once; waiting for the ACK of "
                                "the server's FIN.");
    case TcpState::Closed:
        return ClientsModel::tr("CLOSED: the kernel has forgotten the socket.");
    default:
        return {};
    }
}

QString ClientsModel::toolTip(const Row &row, int column) const
{
    switch (column) {
    case NickColumn:
        return row.nick.isEmpty() ? tr("This connection has not registered (no hello yet).")
                                  : QString();
    case QtStateColumn:
        if (!row.closed)
            return QString();
        if (row.leaveReason.isEmpty())
            return tr("Closed: %1").arg(row.closeDetail);
        return tr("Closed (%1): %2").arg(row.leaveReason, row.closeDetail);
    case KernelStateColumn:
        if (!m_kernelFollowed)
            return tr("The kernel's TCP states cannot be read on this system.");
        return stateMeaning(row.kernelFinished ? TcpState::Closed : row.kernelState);
    case ConnectedSinceColumn:
        return QLocale().toString(row.connectedSince, QLocale::LongFormat);
    default:
        return QString();
    }
}

QVariant ClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NickColumn:
            return tr("Nick");
        case PeerColumn:
            return tr("Peer");
        case QtStateColumn:
            return tr("Qt socket");
        case KernelStateColumn:
            return tr("Kernel TCP state");
        case ConnectedSinceColumn:
            return tr("Since");
        case RoundTripColumn:
            return tr("RTT");
        case LastHeardColumn:
            return tr("Last heard");
        case BytesInColumn:
            return tr("Bytes in");
        case BytesOutColumn:
            return tr("Bytes out");
        case MessagesInColumn:
            return tr("Msgs in");
        case MessagesOutColumn:
            return tr("Msgs out");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case NickColumn:
            return tr("The nickname the client registered with (its hello).");
        case PeerColumn:
            return tr("The client's address and port, as the server's socket sees them.");
        case QtStateColumn:
            return tr("The server program's view of this client's socket, in Qt's state names: "
                      "connected, closing once the server starts to close, unconnected once "
                      "it has closed.");
        case KernelStateColumn:
            return tr("The server side's TCP state in the kernel (what ss shows), followed "
                      "after the socket is closed until the kernel forgets it.");
        case ConnectedSinceColumn:
            return tr("When the server accepted the connection.");
        case RoundTripColumn:
            return tr("The last heartbeat's round trip, from the server's ping to the "
                      "client's pong.");
        case LastHeardColumn:
            return tr("How long ago anything arrived from the client.");
        case BytesInColumn:
            return tr("Bytes received from the client.");
        case BytesOutColumn:
            return tr("Bytes sent to the client.");
        case MessagesInColumn:
            return tr("Protocol messages received from the client, heartbeats not counted.");
        case MessagesOutColumn:
            return tr("Chat messages sent to the client.");
        }
    }
    return {};
}

} // namespace synack::server
