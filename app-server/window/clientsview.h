#pragma once

// The clients table: ClientsModel through a sorting proxy, closed rows drawn
// greyed (the palette's disabled colours, so light and dark themes both read
// well), a hint while there is no client, and the selection as session ids.

#include <QTableView>

class QSortFilterProxyModel;

namespace synack::server {

class ClientsModel;

class ClientsView : public QTableView
{
    Q_OBJECT

public:
    explicit ClientsView(ClientsModel *model, QWidget *parent = nullptr);

    ClientsModel *clientsModel() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

    // In the order shown; the current row's first.
    QList<quint64> selectedSessionIds() const;
    // The session of the current row, or 0.
    quint64 currentSessionId() const;
    void selectSessions(const QList<quint64> &sessionIds);

    void setEmptyHint(const QString &hint);

signals:
    void sessionSelectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    ClientsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QString m_emptyHint;
};

} // namespace synack::server
