#include "clientsview.h"

#include "core/clientsmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>

namespace synack::server {

namespace {

// A closed connection's row in the palette's disabled colours.
class ClosedRowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(ClientsModel::ClosedRole).toBool()) {
            option->state &= ~QStyle::State_Enabled;
            option->palette.setCurrentColorGroup(QPalette::Disabled);
            option->font.setItalic(true);
        }
    }
};

} // namespace

ClientsView::ClientsView(ClientsModel *model, QWidget *parent)
    : QTableView(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ClientsModel::SortRole);
    setModel(m_proxy);
    setItemDelegate(new ClosedRowDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTabKeyNavigation(false);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    setSortingEnabled(true);
    setAccessibleName(tr("Clients"));

    // Wide enough for the longest usual text of each column, and its title.
    const QFontMetrics metrics(font());
    const int padding = 2 * metrics.averageCharWidth();
    const auto fit = [this, &metrics, padding](int column, const QString &sample) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        setColumnWidth(column, std::max(metrics.horizontalAdvance(sample) + padding,
                                        metrics.horizontalAdvance(title) + 2 * padding));
    };
    fit(ClientsModel::NickColumn, QStringLiteral("somebody"));
    fit(ClientsModel::PeerColumn, QStringLiteral("192.168.1.10:55555"));
    fit(ClientsModel::QtStateColumn, QStringLiteral("Unconnected"));
    fit(ClientsModel::KernelStateColumn, QStringLiteral("TIME_WAIT, 60 s left"));
    fit(ClientsModel::ConnectedSinceColumn, QStringLiteral("00:00:00"));
    fit(ClientsModel::RoundTripColumn, QStringLiteral("0.00 ms"));
    fit(ClientsModel::LastHeardColumn, QStringLiteral("10 s ago"));
    fit(ClientsModel::BytesInColumn, QStringLiteral("1,023 bytes"));
    fit(ClientsModel::BytesOutColumn, QStringLiteral("1,023 bytes"));
    fit(ClientsModel::MessagesInColumn, QStringLiteral("1,000"));
    fit(ClientsModel::MessagesOutColumn, QStringLiteral("1,000"));

    // Room for a few clients whatever the docks around take.
    setMinimumHeight(horizontalHeader()->sizeHint().height() +
                     6 * verticalHeader()->defaultSectionSize());

    connect(selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ClientsView::sessionSelectionChanged);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ClientsView::sessionSelectionChanged);
    // Repaint the hint away or back.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, viewport(), qOverload<>(&QWidget::update));
    connect(m_proxy, &QAbstractItemModel::modelReset, viewport(), qOverload<>(&QWidget::update));
}

QList<quint64> ClientsView::selectedSessionIds() const
{
    QList<quint64> ids;
    const quint64 current = currentSessionId();
    QModelIndexList rows = selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : std::as_const(rows)) {
        const quint64 id = index.data(ClientsModel::SessionIdRole).toULongLong();
        if (id == current)
            ids.prepend(id);
        else
            ids.append(id);
    }
    return ids;
}

quint64 ClientsView::currentSessionId() const
{
    const QModelIndex current = selectionModel()->currentIndex();
    if (!current.isValid() || !selectionModel()->isRowSelected(current.row()))
        return 0;
    return current.data(ClientsModel::SessionIdRole).toULongLong();
}

void ClientsView::selectSessions(const QList<quint64> &sessionIds)
{
    QItemSelection selection;
    QModelIndex first;
    for (quint64 id : sessionIds) {
        const int row = m_model->rowOfSession(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (!first.isValid())
            first = index;
        selection.select(index, index.siblingAtColumn(ClientsModel::ColumnCount - 1));
    }
    selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (first.isValid())
        scrollTo(first);
}

void ClientsView::setEmptyHint(const QString &hint)
{
    m_emptyHint = hint;
    viewport()->update();
}

void ClientsView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (m_proxy->rowCount() > 0 || m_emptyHint.isEmpty())
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const int margin = 2 * fontMetrics().height();
    painter.drawText(viewport()->rect().adjusted(margin, margin, -margin, -margin),
                     Qt::AlignCenter | Qt::TextWordWrap, m_emptyHint);
}

} // namespace synack::server
