#pragma once

// The conversation: a list of ChatModel rows drawn by ChatDelegate. It keeps
// the newest line in view while the reader is at the bottom, opens links on
// click, copies the selected lines with Ctrl+C, and tells when a nick is
// double-clicked (to start a private message).

#include <QListView>

namespace synack::client {

class ChatDelegate;
class ChatModel;

class ChatView : public QListView
{
    Q_OBJECT

public:
    explicit ChatView(QWidget *parent = nullptr);

    void setChatModel(ChatModel *model);
    ChatModel *chatModel() const { return m_model; }
    ChatDelegate *chatDelegate() const { return m_delegate; }
    bool isAtBottom() const;
    // The selected rows as plain text lines, oldest first.
    QString selectedText() const;
    // Whether a click on a link opens it in the browser (tests turn this off).
    void setOpenLinks(bool open) { m_openLinks = open; }

signals:
    void linkActivated(const QUrl &url);
    void nickActivated(const QString &nick);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QString anchorAt(const QPoint &pos) const;
    void copySelection() const;

    ChatModel *m_model = nullptr;
    ChatDelegate *m_delegate;
    bool m_followBottom = true;
    bool m_openLinks = true;
    QString m_pressedAnchor;
};

} // namespace synack::client
