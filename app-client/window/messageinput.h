#pragma once

// Where a message is typed: Enter sends, Shift+Enter starts a new line, Up
// and Down walk through the lines sent before (from the first or last line
// of the box), and the box grows with its text up to a few lines.

#include <QPlainTextEdit>
#include <QStringList>

namespace synack::client {

class MessageInput : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int kHistorySize = 100;
    static constexpr int kMaxVisibleLines = 6;

    explicit MessageInput(QWidget *parent = nullptr);

    QString text() const { return toPlainText(); }
    void setText(const QString &text);
    // Bytes of UTF-8: what max_text counts.
    qsizetype byteCount() const;

    // Lines sent, oldest first.
    QStringList history() const { return m_history; }
    void addToHistory(const QString &line);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // Enter was pressed; the box is not cleared (the owner decides).
    void submitted(const QString &text);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    bool cursorOnFirstLine() const;
    bool cursorOnLastLine() const;
    void recall(int step);
    int heightForLines(int lines) const;
    void fitHeight();

    QStringList m_history;
    int m_historyPos = -1; // -1: not browsing; else an index into m_history
    QString m_draft;       // what was typed before browsing began
};

} // namespace synack::client
