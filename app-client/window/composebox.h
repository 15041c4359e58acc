#pragma once

// The message box, its Send button, and the byte counter that appears as
// the text nears the server's max_text.

#include <QWidget>

class QLabel;
class QPushButton;

namespace synack::client {

class MessageInput;

class ComposeBox : public QWidget
{
    Q_OBJECT

public:
    // The counter shows from this share of the limit on.
    static constexpr double kCounterFrom = 0.8;

    explicit ComposeBox(QWidget *parent = nullptr);

    MessageInput *input() const { return m_input; }
    QLabel *counter() const { return m_counter; }
    QPushButton *sendButton() const { return m_send; }

    // The server's max_text, in bytes of UTF-8.
    void setMaxBytes(qsizetype bytes);
    qsizetype maxBytes() const { return m_maxBytes; }
    bool isTooLong() const;

signals:
    // Enter or Send, with text within the limit.
    void submitted(const QString &text);

private:
    void updateCounter();
    void submit(const QString &text);

    MessageInput *m_input;
    QLabel *m_counter;
    QPushButton *m_send;
    qsizetype m_maxBytes;
};

} // namespace synack::client
