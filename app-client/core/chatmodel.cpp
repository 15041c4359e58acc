#include "chatmodel.h"

#include "chatclient.h"
#include "protocol/messages.h"
#include "protocol/nick.h"

namespace synack::client {

ChatModel::ChatModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void ChatModel::follow(ChatClient *client)
{
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    if (!client)
        return;
    connect(client, &ChatClient::messageReceived, this, &ChatModel::addLine);
    connect(client, &ChatClient::messageStatusChanged, this,
            [this](quint64 id, DeliveryStatus status, const QString &reason) {
                setStatus(id, status, reason);
            });
    connect(client, &ChatClient::userJoined, this,
            [this](const QString &nick) { addSystem(tr("%1 joined").arg(nick)); });
    connect(client, &ChatClient::userLeft, this,
            [this](const QString &nick, const QString &reason) {
                addSystem(tr("%1 left (%2)").arg(nick, leaveReason(reason)));
            });
    connect(client, &ChatClient::userRenamed, this, [this](const QString &from, const QString &to) {
        if (m_client && protocol::sameNick(to, m_client->nick()))
            addSystem(tr("You are now %1").arg(to));
        else
            addSystem(tr("%1 is now %2").arg(from, to));
    });
    connect(client, &ChatClient::usersListed, this, [this](const QStringList &users) {
        addSystem(tr("%n in the room: %1", nullptr, int(users.size()))
                      .arg(users.join(QStringLiteral(", "))));
    });
    connect(client, &ChatClient::seqGap, this, [this](quint64 expected, quint64 got) {
        addSystem(expected + 1 == got
                      ? tr("Room message %1 never arrived").arg(expected)
                      : tr("Room messages %1 to %2 never arrived").arg(expected).arg(got - 1),
                  Kind::Warning);
    });
}

void ChatModel::addOwn(quint64 localId, const QString &nick, const QString &text,
                       const std::optional<QString> &to)
{
    Entry entry;
    entry.kind = Kind::Message;
    entry.time = QDateTime::currentDateTime();
    entry.nick = nick;
    entry.text = text;
    entry.own = true;
    entry.to = to;
    entry.status = DeliveryStatus::Pending;
    entry.localId = localId;
    append(std::move(entry));
}

void ChatModel::addLine(const ChatLine &line)
{
    const QDateTime time = line.ts > 0 ? QDateTime::fromMSecsSinceEpoch(line.ts).toLocalTime()
                                       : QDateTime::currentDateTime();
    if (line.localId) {
        const int row = rowOfLocalId(*line.localId);
        if (row >= 0) {
            Entry &entry = m_rows[size_t(row)];
            entry.time = time;
            entry.nick = line.from; // as the server spells it
            const QModelIndex changed = index(row);
            emit dataChanged(changed, changed);
            return;
        }
    }
    Entry entry;
    entry.kind = Kind::Message;
    entry.time = time;
    entry.nick = line.from;
    entry.text = line.text;
    entry.own = line.isOwn;
    entry.to = line.to;
    entry.localId = line.localId;
    entry.backlog = line.backlog;
    if (line.localId)
        entry.status = DeliveryStatus::Pending; // its status follows
    append(std::move(entry));
}

void ChatModel::setStatus(quint64 localId, DeliveryStatus status, const QString &reason)
{
    const int row = rowOfLocalId(localId);
    if (row < 0)
        return;
    Entry &entry = m_rows[size_t(row)];
    entry.status = status;
    entry.reason = reason;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed);
}

void ChatModel::addSystem(const QString &text, Kind kind)
{
    Entry entry;
    entry.kind = kind == Kind::Message ? Kind::System : kind;
    entry.time = QDateTime::currentDateTime();
    entry.text = text;
    append(std::move(entry));
}

void ChatModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_serialOfLocalId.clear();
    endResetModel();
}

void ChatModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    trim();
}

int ChatModel::rowOfLocalId(quint64 localId) const
{
    const auto it = m_serialOfLocalId.constFind(localId);
    if (it == m_serialOfLocalId.constEnd() || m_rows.empty())
        return -1;
    // Rows are appended in serial order and leave only from the front.
    const quint64 first = m_rows.front().serial;
    if (*it < first)
        return -1;
    const quint64 row = *it - first;
    return row < m_rows.size() ? int(row) : -1;
}

void ChatModel::append(Entry entry)
{
    entry.serial = m_nextSerial++;
    if (entry.localId)
        m_serialOfLocalId.insert(*entry.localId, entry.serial);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(std::move(entry));
    endInsertRows();
    trim();
}

void ChatModel::trim()
{
    if (int(m_rows.size()) <= m_capacity)
        return;
    // A tenth at a time, so a full model does not remove a row per line.
    const int excess = int(m_rows.size()) - m_capacity;
    const int count = std::min(int(m_rows.size()), std::max(excess, m_capacity / 10));
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i) {
        if (m_rows.front().localId)
            m_serialOfLocalId.remove(*m_rows.front().localId);
        m_rows.pop_front();
    }
    endRemoveRows();
}

int ChatModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ChatModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount())
        return {};
    const Entry &entry = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return plainText(entry.kind, entry.time, entry.nick, entry.text, entry.own, entry.to);
    case Qt::ToolTipRole:
        return tooltip(entry);
    case KindRole:
        return QVariant::fromValue(entry.kind);
    case TimeRole:
        return entry.time;
    case NickRole:
        return entry.nick;
    case TextRole:
        return entry.text;
    case OwnRole:
        return entry.own;
    case PrivateRole:
        return entry.to.has_value();
    case PeerRole:
        if (!entry.to)
            return {};
        return entry.own ? *entry.to : entry.nick;
    case StatusRole:
        return entry.status ? QVariant(int(*entry.status)) : QVariant();
    case ReasonRole:
        return entry.reason;
    case LocalIdRole:
        return entry.localId ? QVariant(*entry.localId) : QVariant();
    case BacklogRole:
        return entry.backlog;
    case SerialRole:
        return entry.serial;
    default:
        return {};
    }
}

QHash<int, QByteArray> ChatModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{KindRole, "kind"},
                  {TimeRole, "time"},
                  {NickRole, "nick"},
                  {TextRole, "text"},
                  {OwnRole, "own"},
                  {PrivateRole, "private"},
                  {PeerRole, "peer"},
                  {StatusRole, "status"},
                  {ReasonRole, "reason"},
                  {LocalIdRole, "localId"},
                  {BacklogRole, "backlog"},
                  {SerialRole, "serial"}});
    return names;
}

QString ChatModel::statusText(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Pending:
        return tr("sending");
    case DeliveryStatus::Delivered:
        return tr("delivered");
    case DeliveryStatus::Rejected:
        return tr("rejected");
    case DeliveryStatus::NotDelivered:
        return tr("not delivered");
    }
    return {};
}

QString ChatModel::plainText(Kind kind, const QDateTime &time, const QString &nick,
                             const QString &text, bool own, const std::optional<QString> &to)
{
    const QString clock = time.toString(QStringLiteral("HH:mm"));
    if (kind != Kind::Message)
        return tr("%1 -- %2").arg(clock, text);
    if (!to)
        return tr("%1 <%2> %3").arg(clock, nick, text);
    if (own)
        return tr("%1 you -> *%2*: %3").arg(clock, *to, text);
    return tr("%1 *%2* -> you: %3").arg(clock, nick, text);
}

QString ChatModel::tooltip(const Entry &entry) const
{
    const QString when = QLocale().toString(entry.time, QLocale::LongFormat);
    if (!entry.status)
        return entry.backlog ? tr("%1 (sent before you joined)").arg(when) : when;
    const QString status = statusText(*entry.status);
    if (entry.reason.isEmpty())
        return tr("%1: %2").arg(when, status);
    return tr("%1: %2 (%3)").arg(when, status, entry.reason);
}

QString ChatModel::leaveReason(const QString &reason) const
{
    if (reason == protocol::reason::Quit)
        return tr("quit");
    if (reason == protocol::reason::Timeout)
        return tr("timed out");
    if (reason == protocol::reason::Kicked)
        return tr("kicked");
    if (reason == protocol::reason::Error)
        return tr("protocol error");
    if (reason == protocol::reason::Closed)
        return tr("connection closed");
    if (reason == protocol::reason::Shutdown)
        return tr("server shut down");
    return reason;
}

} // namespace synack::client
