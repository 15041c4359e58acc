#pragma once

// Drives a ClientWindow the way a person does: through its connect bar and
// its message box, with keys and clicks.

#include "chatmodel.h"
#include "clientwindow.h"
#include "composebox.h"
#include "connectpanel.h"
#include "messageinput.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <algorithm>

namespace synack::test {

inline void fillConnectBar(client::ClientWindow &window, quint16 port, const QString &nick,
                           const QString &password = {})
{
    client::ConnectPanel *panel = window.connectPanel();
    panel->hostBox()->setEditText(QStringLiteral("127.0.0.1"));
    panel->portBox()->setValue(port);
    panel->nickEdit()->setText(nick);
    panel->passwordEdit()->setText(password);
}

inline void clickConnect(client::ClientWindow &window)
{
    QTest::mouseClick(window.connectPanel()->connectButton(), Qt::LeftButton);
}

// Types `text` into the message box and presses Enter.
inline void typeLine(client::ClientWindow &window, const QString &text)
{
    client::MessageInput *input = window.composeBox()->input();
    input->setFocus();
    const bool ascii =
        std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (ascii)
        QTest::keyClicks(input, text);
    else
        input->insertPlainText(text); // QTest types ASCII only
    QTest::keyClick(input, Qt::Key_Return);
}

// The row of the newest line whose text is `text`, or -1.
inline int rowWithText(const client::ChatModel &model, const QString &text)
{
    for (int row = model.rowCount() - 1; row >= 0; --row) {
        if (model.index(row).data(client::ChatModel::TextRole).toString() == text)
            return row;
    }
    return -1;
}

inline QVariant roleOf(const client::ChatModel &model, const QString &text, int role)
{
    const int row = rowWithText(model, text);
    return row < 0 ? QVariant() : model.index(row).data(role);
}

inline std::optional<client::DeliveryStatus> statusOf(const client::ChatModel &model,
                                                      const QString &text)
{
    const QVariant status = roleOf(model, text, client::ChatModel::StatusRole);
    return status.isValid() ? std::optional(client::DeliveryStatus(status.toInt())) : std::nullopt;
}

inline bool hasSystemLine(const client::ChatModel &model, const QString &part)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        if (index.data(client::ChatModel::KindRole).value<client::ChatModel::Kind>() !=
                client::ChatModel::Kind::Message &&
            index.data(client::ChatModel::TextRole).toString().contains(part))
            return true;
    }
    return false;
}

} // namespace synack::test
