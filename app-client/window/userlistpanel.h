#pragma once

// Who is in the room, with the count; double-clicking someone starts a
// private message to them.

#include <QWidget>

class QLabel;
class QListView;
class QStandardItemModel;

namespace synack::client {

class UserListPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int NickRole = Qt::UserRole + 1;

    explicit UserListPanel(QWidget *parent = nullptr);

    // `self` is marked "(you)".
    void setUsers(const QStringList &nicks, const QString &self);
    QStringList users() const;
    int count() const;

    QLabel *countLabel() const { return m_count; }
    QListView *listView() const { return m_view; }

signals:
    void privateMessageRequested(const QString &nick);

private:
    QLabel *m_count;
    QListView *m_view;
    QStandardItemModel *m_model;
};

} // namespace synack::client
