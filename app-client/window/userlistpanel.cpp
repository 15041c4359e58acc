#include "userlistpanel.h"

#include "nickcolors.h"
#include "protocol/nick.h"

#include <QLabel>
#include <QListView>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace synack::client {

UserListPanel::UserListPanel(QWidget *parent)
    : QWidget(parent)
    , m_count(new QLabel(this))
    , m_view(new QListView(this))
    , m_model(new QStandardItemModel(this))
{
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setToolTip(tr("Double-click someone to send them a private message."));
    m_view->setAccessibleName(tr("People in the room"));
    m_count->setBuddy(m_view);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_count);
    layout->addWidget(m_view, 1);
    connect(m_view, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        emit privateMessageRequested(index.data(NickRole).toString());
    });
    setUsers({}, {});
}

void UserListPanel::setUsers(const QStringList &nicks, const QString &self)
{
    m_model->clear();
    for (const QString &nick : nicks) {
        const bool isSelf = protocol::sameNick(nick, self);
        auto *item = new QStandardItem(isSelf ? tr("%1 (you)").arg(nick) : nick);
        item->setData(nick, NickRole);
        item->setForeground(nickColor(nick, m_view->palette()));
        if (isSelf) {
            QFont font = m_view->font();
            font.setBold(true);
            item->setFont(font);
            item->setToolTip(tr("You"));
        } else {
            item->setToolTip(tr("Double-click to send %1 a private message.").arg(nick));
        }
        m_model->appendRow(item);
    }
    m_count->setText(nicks.isEmpty() ? tr("Not in the room")
                                     : tr("In the room: %n", nullptr, int(nicks.size())));
}

QStringList UserListPanel::users() const
{
    QStringList nicks;
    for (int row = 0; row < m_model->rowCount(); ++row)
        nicks.append(m_model->item(row)->data(NickRole).toString());
    return nicks;
}

int UserListPanel::count() const
{
    return m_model->rowCount();
}

} // namespace synack::client
