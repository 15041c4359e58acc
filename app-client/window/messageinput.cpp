#include "messageinput.h"

#include <QKeyEvent>
#include <QTextBlock>
#include <QTextLayout>

namespace synack::client {

MessageInput::MessageInput(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Message"));
    connect(this, &QPlainTextEdit::textChanged, this, &MessageInput::fitHeight);
    fitHeight();
}

void MessageInput::setText(const QString &text)
{
    setPlainText(text);
    moveCursor(QTextCursor::End);
}

qsizetype MessageInput::byteCount() const
{
    return toPlainText().toUtf8().size();
}

void MessageInput::addToHistory(const QString &line)
{
    if (line.trimmed().isEmpty())
        return;
    if (m_history.isEmpty() || m_history.last() != line)
        m_history.append(line);
    while (m_history.size() > kHistorySize)
        m_history.removeFirst();
    m_historyPos = -1;
    m_draft.clear();
}

bool MessageInput::cursorOnFirstLine() const
{
    const QTextCursor cursor = textCursor();
    if (cursor.block() != document()->firstBlock())
        return false;
    const QTextLayout *layout = cursor.block().layout();
    return !layout || layout->lineCount() == 0 ||
           layout->lineForTextPosition(cursor.positionInBlock()).lineNumber() == 0;
}

bool MessageInput::cursorOnLastLine() const
{
    const QTextCursor cursor = textCursor();
    if (cursor.block() != document()->lastBlock())
        return false;
    const QTextLayout *layout = cursor.block().layout();
    return !layout || layout->lineCount() == 0 ||
           layout->lineForTextPosition(cursor.positionInBlock()).lineNumber() ==
               layout->lineCount() - 1;
}

void MessageInput::recall(int step)
{
    if (m_history.isEmpty())
        return;
    int pos = m_historyPos;
    if (pos < 0) {
        if (step > 0)
            return; // already at the draft
        m_draft = toPlainText();
        pos = int(m_history.size());
    }
    pos += step;
    if (pos < 0)
        return; // the oldest is shown
    if (pos >= m_history.size()) {
        m_historyPos = -1;
        setText(m_draft);
        return;
    }
    m_historyPos = pos;
    setText(m_history.at(pos));
}

void MessageInput::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && (event->modifiers() & Qt::ShiftModifier)) {
        insertPlainText(QStringLiteral("\n"));
        return;
    }
    if (enter && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
        emit submitted(toPlainText());
        return;
    }
    if (event->modifiers() == Qt::NoModifier || event->modifiers() == Qt::KeypadModifier) {
        if (event->key() == Qt::Key_Up && cursorOnFirstLine()) {
            recall(-1);
            return;
        }
        if (event->key() == Qt::Key_Down && cursorOnLastLine() && m_historyPos >= 0) {
            recall(+1);
            return;
        }
    }
    QPlainTextEdit::keyPressEvent(event);
}

void MessageInput::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    fitHeight(); // a new width wraps the text into more or fewer lines
}

int MessageInput::heightForLines(int lines) const
{
    const QMargins margins = contentsMargins();
    return lines * fontMetrics().lineSpacing() + int(2 * document()->documentMargin()) +
           margins.top() + margins.bottom() + 2;
}

void MessageInput::fitHeight()
{
    // QPlainTextDocumentLayout measures its height in lines, wrapped ones included.
    const int lines = std::clamp(int(document()->size().height()), 1, kMaxVisibleLines);
    const int height = heightForLines(std::max(lines, 2));
    if (height != this->height())
        setFixedHeight(height);
}

QSize MessageInput::sizeHint() const
{
    return {QPlainTextEdit::sizeHint().width(), heightForLines(2)};
}

QSize MessageInput::minimumSizeHint() const
{
    return {100, heightForLines(1)};
}

} // namespace synack::client
