#include "roomview.h"

#include "core/chatserver.h"

#include <QDateTime>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStringListModel>
#include <QVBoxLayout>

namespace synack::server {

namespace {

using namespace std::chrono_literals;
constexpr auto kFlushInterval = 250ms;

QString clock(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
}

QString now()
{
    return clock(QDateTime::currentMSecsSinceEpoch());
}

} // namespace

RoomView::RoomView(QWidget *parent)
    : QWidget(parent)
    , m_usersLabel(new QLabel(this))
    , m_users(new QStringListModel(this))
    , m_usersView(new QListView(this))
    , m_messages(new QPlainTextEdit(this))
{
    m_usersView->setModel(m_users);
    m_usersView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_usersView->setToolTip(tr("Who is in the room: the clients that registered."));
    m_usersView->setAccessibleName(tr("Users in the room"));
    m_messages->setReadOnly(true);
    m_messages->setMaximumBlockCount(kRoomViewLines);
    m_messages->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_messages->setPlaceholderText(tr("Room messages, joins and leaves appear here."));
    m_messages->setAccessibleName(tr("Recent room messages"));
    m_messages->setToolTip(tr("The room's recent messages, as the server relays them."));

    auto *usersBox = new QWidget(this);
    auto *usersLayout = new QVBoxLayout(usersBox);
    usersLayout->setContentsMargins(0, 0, 0, 0);
    usersLayout->addWidget(m_usersLabel);
    usersLayout->addWidget(m_usersView);
    m_usersLabel->setBuddy(m_usersView);

    auto *messagesBox = new QWidget(this);
    auto *messagesLayout = new QVBoxLayout(messagesBox);
    messagesLayout->setContentsMargins(0, 0, 0, 0);
    auto *messagesLabel = new QLabel(tr("Recent &messages"), messagesBox);
    messagesLabel->setBuddy(m_messages);
    messagesLayout->addWidget(messagesLabel);
    messagesLayout->addWidget(m_messages);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(usersBox);
    splitter->addWidget(messagesBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_usersLabel->setText(tr("&Users (%1)").arg(0));
    m_timer.setInterval(kFlushInterval);
    connect(&m_timer, &QTimer::timeout, this, &RoomView::flush);
}

void RoomView::setServer(ChatServer *server)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_server = server;
    m_usersDirty = true;
    if (!server) {
        flush();
        m_timer.stop();
        return;
    }
    m_connections = {
        connect(server, &ChatServer::roomMessage, this, &RoomView::onMessage),
        connect(server, &ChatServer::sessionRegistered, this,
                [this](quint64, const QString &nick) {
                    queue(tr("[%1] -- %2 joined").arg(now(), nick));
                    m_usersDirty = true;
                }),
        connect(server, &ChatServer::sessionRenamed, this,
                [this](quint64, const QString &from, const QString &to) {
                    queue(tr("[%1] -- %2 is now %3").arg(now(), from, to));
                    m_usersDirty = true;
                }),
        connect(server, &ChatServer::sessionLeft, this,
                [this](quint64, const QString &nick, const QString &reason, const QString &) {
                    if (nick.isEmpty())
                        return;
                    queue(tr("[%1] -- %2 left (%3)").arg(now(), nick, reason));
                    m_usersDirty = true;
                }),
        connect(server, &ChatServer::listening, this,
                [this](const QHostAddress &, quint16 port) {
                    queue(tr("[%1] -- the server is listening on port %2").arg(now()).arg(port));
                }),
    };
    m_timer.start();
}

void RoomView::onMessage(const protocol::ChatMsg &message)
{
    queue(QStringLiteral("[%1] <%2> %3").arg(clock(message.ts), message.from, message.text));
}

void RoomView::queue(const QString &line)
{
    m_queued.append(line);
    // Only the newest lines can ever be shown.
    if (m_queued.size() > 2 * kRoomViewLines)
        m_queued.remove(0, m_queued.size() - kRoomViewLines);
}

void RoomView::flush()
{
    if (!m_queued.isEmpty()) {
        if (m_queued.size() > kRoomViewLines)
            m_queued.remove(0, m_queued.size() - kRoomViewLines);
        m_messages->appendPlainText(m_queued.join(u'\n'));
        m_queued.clear();
    }
    if (m_usersDirty) {
        m_usersDirty = false;
        QStringList nicks = m_server ? m_server->room().nicks() : QStringList();
        nicks.sort(Qt::CaseInsensitive);
        if (nicks != m_users->stringList())
            m_users->setStringList(nicks);
        m_usersLabel->setText(tr("&Users (%1)").arg(nicks.size()));
    }
}

QStringList RoomView::users() const
{
    return m_users->stringList();
}

QString RoomView::messagesText() const
{
    return m_messages->toPlainText();
}

} // namespace synack::server
