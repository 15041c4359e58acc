#include "chatdelegate.h"

#include "chatmodel.h"
#include "chattext.h"
#include "nickcolors.h"
#include "text/peertext.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QPainter>
#include <QTextDocument>

namespace synack::client {

namespace {

constexpr int kPadX = 8;
constexpr int kPadY = 3;
constexpr int kGap = 8;
constexpr int kNickChars = 11;

const QChar kPendingMark(0x25F7);   // ◷
const QChar kDeliveredMark(0x2713); // ✓
const QChar kFailedMark(0x2717);    // ✗

struct Colors
{
    QColor quiet, warning, failed, delivered, privateTint, privateAccent;
};

Colors colorsFor(const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor accent = dark ? QColor(0xb3, 0x9d, 0xdb) : QColor(0x7e, 0x57, 0xc2);
    const auto blend = [](const QColor &a, const QColor &b, double t) {
        return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                                float(a.greenF() * (1 - t) + b.greenF() * t),
                                float(a.blueF() * (1 - t) + b.blueF() * t));
    };
    // Opaque, since the rich text's colours lose any alpha.
    return {blend(base, palette.color(QPalette::Text), dark ? 0.55 : 0.5),
            dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb2, 0x4a, 0x00),
            dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28),
            dark ? QColor(0xa5, 0xd6, 0xa7) : QColor(0x2e, 0x7d, 0x32),
            blend(base, accent, dark ? 0.18 : 0.09),
            accent};
}

ChatModel::Kind kindOf(const QModelIndex &index)
{
    return index.data(ChatModel::KindRole).value<ChatModel::Kind>();
}

std::optional<DeliveryStatus> statusOf(const QModelIndex &index)
{
    const QVariant status = index.data(ChatModel::StatusRole);
    return status.isValid() ? std::optional(DeliveryStatus(status.toInt())) : std::nullopt;
}

bool failed(std::optional<DeliveryStatus> status)
{
    return status == DeliveryStatus::Rejected || status == DeliveryStatus::NotDelivered;
}

} // namespace

ChatDelegate::ChatDelegate(QAbstractItemView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{}

ChatDelegate::~ChatDelegate() = default;

int ChatDelegate::rowWidth() const
{
    return std::max(200, m_view->viewport()->width());
}

ChatDelegate::Layout ChatDelegate::layout(const QRect &rect, const QModelIndex &index) const
{
    const QFontMetrics metrics(m_view->font());
    const int timeWidth = metrics.horizontalAdvance(QStringLiteral("88:88"));
    const int nickWidth = metrics.averageCharWidth() * kNickChars;
    const int statusWidth = metrics.horizontalAdvance(kPendingMark) + kGap;
    const int lineHeight = metrics.height();
    Layout l;
    const QRect inner = rect.adjusted(kPadX, kPadY, -kPadX, -kPadY);
    l.time = QRect(inner.left(), inner.top(), timeWidth, lineHeight);
    l.nick = QRect(l.time.right() + 1 + kGap, inner.top(), nickWidth, lineHeight);
    l.status = QRect(inner.right() - statusWidth + 1, inner.top(), statusWidth, lineHeight);
    const int textLeft =
        kindOf(index) == ChatModel::Kind::Message ? l.nick.right() + 1 + kGap : l.nick.left();
    l.text = QRect(textLeft, inner.top(), std::max(40, l.status.left() - textLeft), inner.height());
    return l;
}

std::unique_ptr<QTextDocument> ChatDelegate::document(const QModelIndex &index, int width) const
{
    const QPalette &palette = m_view->palette();
    const Colors colors = colorsFor(palette);
    auto doc = std::make_unique<QTextDocument>();
    doc->setDocumentMargin(0);
    doc->setDefaultFont(m_view->font());
    doc->setDefaultStyleSheet(
        QStringLiteral("a { color: %1; } .quiet { color: %2; } .failed { color: %3; }")
            .arg(palette.color(QPalette::Link).name(), colors.quiet.name(), colors.failed.name()));
    const ChatModel::Kind kind = kindOf(index);
    const QString text = index.data(ChatModel::TextRole).toString();
    QString html = QStringLiteral("<div style=\"white-space: pre-wrap\">");
    if (kind == ChatModel::Kind::Message) {
        if (index.data(ChatModel::PrivateRole).toBool()) {
            const QString peer =
                text::visiblePeerText(index.data(ChatModel::PeerRole).toString()).toHtmlEscaped();
            const QString tag = index.data(ChatModel::OwnRole).toBool()
                                    ? tr("private to %1:").arg(peer)
                                    : tr("private:");
            html += QStringLiteral("<i class=\"quiet\">%1</i> ").arg(tag);
        }
        html += chatTextToHtml(text);
        const auto status = statusOf(index);
        if (failed(status)) {
            const QString reason = index.data(ChatModel::ReasonRole).toString();
            const QString said = ChatModel::statusText(*status);
            html +=
                QStringLiteral("<br><small class=\"failed\">%1</small>")
                    .arg(
                        (reason.isEmpty() ? said : tr("%1: %2").arg(said, reason)).toHtmlEscaped());
        }
    } else {
        const QColor color = kind == ChatModel::Kind::Warning ? colors.warning : colors.quiet;
        html += QStringLiteral("<span style=\"color: %1\">%2</span>")
                    .arg(color.name(), chatTextToHtml(text));
    }
    html += QStringLiteral("</div>");
    doc->setHtml(html);
    doc->setTextWidth(width);
    return doc;
}

QSize ChatDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &index) const
{
    const int width = rowWidth();
    if (width != m_heightsWidth) {
        m_heights.clear();
        m_heightsWidth = width;
    }
    const quint64 serial = index.data(ChatModel::SerialRole).toULongLong();
    auto cached = m_heights.constFind(serial);
    if (cached == m_heights.constEnd()) {
        const Layout l = layout(QRect(0, 0, width, 0), index);
        const int textHeight = int(std::ceil(document(index, l.text.width())->size().height()));
        const int height = std::max(textHeight, QFontMetrics(m_view->font()).height()) + 2 * kPadY;
        cached = m_heights.insert(serial, height);
    }
    return {width, *cached};
}

void ChatDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    const QPalette &palette = option.palette;
    const Colors colors = colorsFor(palette);
    const ChatModel::Kind kind = kindOf(index);
    const bool isPrivate = index.data(ChatModel::PrivateRole).toBool();
    const Layout l = layout(option.rect, index);
    painter->save();

    if (isPrivate) {
        painter->fillRect(option.rect, colors.privateTint);
        painter->fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height()),
                          colors.privateAccent);
    }
    if (option.state & QStyle::State_Selected) {
        QColor highlight = palette.color(QPalette::Highlight);
        highlight.setAlphaF(0.25f);
        painter->fillRect(option.rect, highlight);
    }

    QFont font = m_view->font();
    painter->setFont(font);
    painter->setPen(colors.quiet);
    painter->drawText(
        l.time, Qt::AlignLeft | Qt::AlignVCenter,
        index.data(ChatModel::TimeRole).toDateTime().toString(QStringLiteral("HH:mm")));

    if (kind == ChatModel::Kind::Message) {
        const QString nick = index.data(ChatModel::NickRole).toString();
        QFont bold = font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(nickColor(nick, palette));
        // A nick is the server's word: shown, never obeyed (text/peertext.h).
        const QString shown = QFontMetrics(bold).elidedText(text::visiblePeerText(nick),
                                                            Qt::ElideRight, l.nick.width());
        painter->drawText(l.nick, Qt::AlignRight | Qt::AlignVCenter, shown);
        painter->setFont(font);

        if (const auto status = statusOf(index)) {
            QChar mark = kPendingMark;
            QColor color = colors.quiet;
            if (*status == DeliveryStatus::Delivered) {
                mark = kDeliveredMark;
                color = colors.delivered;
            } else if (failed(status)) {
                mark = kFailedMark;
                color = colors.failed;
            }
            painter->setPen(color);
            painter->drawText(l.status, Qt::AlignRight | Qt::AlignVCenter, QString(mark));
        }
    }

    auto doc = document(index, l.text.width());
    painter->translate(l.text.topLeft());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette;
    context.palette.setColor(QPalette::Text, palette.color(QPalette::Text));
    context.clip = QRectF(0, 0, l.text.width(), option.rect.height());
    doc->documentLayout()->draw(painter, context);
    painter->restore();
}

QString ChatDelegate::anchorAt(const QRect &rect, const QModelIndex &index, const QPoint &pos) const
{
    const Layout l = layout(rect, index);
    if (!l.text.contains(pos))
        return {};
    const auto doc = document(index, l.text.width());
    return doc->documentLayout()->anchorAt(QPointF(pos - l.text.topLeft()));
}

void ChatDelegate::invalidate()
{
    m_heights.clear();
}

void ChatDelegate::invalidate(const QModelIndex &index)
{
    m_heights.remove(index.data(ChatModel::SerialRole).toULongLong());
    emit sizeHintChanged(index);
}

} // namespace synack::client
