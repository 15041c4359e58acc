#pragma once

// Draws one row of the conversation: the time, the nick in its colour, the
// text wrapped to the view's width (links underlined), and for our own
// messages a mark: ◷ sending, ✓ delivered, ✗ rejected or not delivered (the
// reason in a line below). Private messages are tinted; system lines are
// quiet grey, warnings orange.

#include <QHash>
#include <QStyledItemDelegate>
#include <memory>

class QAbstractItemView;
class QTextDocument;

namespace synack::client {

class ChatDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ChatDelegate(QAbstractItemView *view);
    ~ChatDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The link at `pos` (viewport coordinates) in the row `index` drawn in `rect`, or empty.
    QString anchorAt(const QRect &rect, const QModelIndex &index, const QPoint &pos) const;
    // Forget the row heights (the width or the font changed), or one row's.
    void invalidate();
    void invalidate(const QModelIndex &index);

private:
    struct Layout
    {
        QRect time;
        QRect nick;
        QRect text; // the message, or the whole system line
        QRect status;
    };

    Layout layout(const QRect &rect, const QModelIndex &index) const;
    std::unique_ptr<QTextDocument> document(const QModelIndex &index, int width) const;
    int rowWidth() const;

    QAbstractItemView *m_view;
    mutable QHash<quint64, int> m_heights; // by row serial, for m_heightsWidth
    mutable int m_heightsWidth = -1;
};

} // namespace synack::client
