#include "composebox.h"

#include "messageinput.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace synack::client {

namespace {

constexpr qsizetype kDefaultMaxText = 8192; // PROTOCOL.md section 5, until a welcome says

} // namespace

ComposeBox::ComposeBox(QWidget *parent)
    : QWidget(parent)
    , m_input(new MessageInput(this))
    , m_counter(new QLabel(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_maxBytes(kDefaultMaxText)
{
    m_input->setPlaceholderText(tr("Message the room (Enter sends, Shift+Enter: new line)"));
    m_input->setToolTip(tr("Enter sends, Shift+Enter starts a new line, Up recalls what you "
                           "sent. Commands: /msg NICK text (private), /nick NEW, /who, /quit."));
    m_counter->setVisible(false);
    m_counter->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_send->setToolTip(tr("Send the message (Enter)."));
    m_send->setAutoDefault(false);

    auto *side = new QVBoxLayout;
    side->setContentsMargins(0, 0, 0, 0);
    side->addWidget(m_send);
    side->addWidget(m_counter);
    side->addStretch();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_input, 1);
    layout->addLayout(side);

    connect(m_input, &QPlainTextEdit::textChanged, this, &ComposeBox::updateCounter);
    connect(m_input, &MessageInput::submitted, this, &ComposeBox::submit);
    connect(m_send, &QPushButton::clicked, this, [this] {
        submit(m_input->text());
        m_input->setFocus();
    });
}

void ComposeBox::setMaxBytes(qsizetype bytes)
{
    m_maxBytes = bytes > 0 ? bytes : kDefaultMaxText;
    updateCounter();
}

bool ComposeBox::isTooLong() const
{
    return m_input->byteCount() > m_maxBytes;
}

void ComposeBox::updateCounter()
{
    const qsizetype bytes = m_input->byteCount();
    const bool show = double(bytes) >= kCounterFrom * double(m_maxBytes);
    m_counter->setVisible(show);
    if (!show)
        return;
    const QLocale locale;
    m_counter->setText(
        tr("%1 / %2 bytes").arg(locale.toString(bytes), locale.toString(m_maxBytes)));
    QPalette palette = m_counter->palette();
    palette.setColor(QPalette::WindowText,
                     bytes > m_maxBytes ? QColor(0xc6, 0x28, 0x28)
                                        : QApplication::palette().color(QPalette::PlaceholderText));
    m_counter->setPalette(palette);
    m_counter->setToolTip(bytes > m_maxBytes
                              ? tr("Too long for this server: shorten it by %n byte(s).", nullptr,
                                   int(bytes - m_maxBytes))
                              : tr("The server takes at most %1 bytes of UTF-8 per message.")
                                    .arg(locale.toString(m_maxBytes)));
}

void ComposeBox::submit(const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    if (isTooLong()) {
        QApplication::beep();
        m_counter->setVisible(true);
        return;
    }
    emit submitted(text);
}

} // namespace synack::client
