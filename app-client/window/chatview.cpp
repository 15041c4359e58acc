#include "chatview.h"

#include "chatdelegate.h"
#include "chatmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTimer>

namespace synack::client {

ChatView::ChatView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new ChatDelegate(this))
{
    setItemDelegate(m_delegate);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setWordWrap(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setMouseTracking(true);
    setAccessibleName(tr("Conversation"));
    // Whether the reader was at the bottom is decided before the new rows
    // move the scroll range.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
            [this] { m_followBottom = isAtBottom(); });
}

void ChatView::setChatModel(ChatModel *model)
{
    m_model = model;
    setModel(model);
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                    m_delegate->invalidate(m_model->index(row));
            });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { m_delegate->invalidate(); });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followBottom)
            QTimer::singleShot(0, this, [this] {
                scrollToBottom();
                m_followBottom = true;
            });
    });
}

bool ChatView::isAtBottom() const
{
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 2;
}

QString ChatView::selectedText() const
{
    QModelIndexList rows = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &row : rows)
        lines.append(row.data(Qt::DisplayRole).toString());
    return lines.join(u'\n');
}

void ChatView::copySelection() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

QString ChatView::anchorAt(const QPoint &pos) const
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return {};
    return m_delegate->anchorAt(visualRect(index), index, pos);
}

void ChatView::resizeEvent(QResizeEvent *event)
{
    const bool atBottom = isAtBottom();
    m_delegate->invalidate();
    QListView::resizeEvent(event);
    if (atBottom)
        QTimer::singleShot(0, this, [this] { scrollToBottom(); });
}

void ChatView::mouseMoveEvent(QMouseEvent *event)
{
    viewport()->setCursor(anchorAt(event->position().toPoint()).isEmpty() ? Qt::ArrowCursor
                                                                          : Qt::PointingHandCursor);
    QListView::mouseMoveEvent(event);
}

void ChatView::mousePressEvent(QMouseEvent *event)
{
    m_pressedAnchor =
        event->button() == Qt::LeftButton ? anchorAt(event->position().toPoint()) : QString();
    QListView::mousePressEvent(event);
}

void ChatView::mouseReleaseEvent(QMouseEvent *event)
{
    const QString anchor = anchorAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && !anchor.isEmpty() && anchor == m_pressedAnchor) {
        const QUrl url(anchor);
        emit linkActivated(url);
        if (m_openLinks)
            QDesktopServices::openUrl(url);
    }
    m_pressedAnchor.clear();
    QListView::mouseReleaseEvent(event);
}

void ChatView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    if (index.isValid() &&
        index.data(ChatModel::KindRole).value<ChatModel::Kind>() == ChatModel::Kind::Message &&
        !index.data(ChatModel::OwnRole).toBool()) {
        emit nickActivated(index.data(ChatModel::NickRole).toString());
        return;
    }
    QListView::mouseDoubleClickEvent(event);
}

void ChatView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        return;
    }
    QListView::keyPressEvent(event);
}

void ChatView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        m_delegate->invalidate();
        scheduleDelayedItemsLayout();
    }
    QListView::changeEvent(event);
}

} // namespace synack::client
