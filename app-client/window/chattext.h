#pragma once

// A chat message as rich text for the view: HTML-escaped, line breaks kept,
// bidi and control characters shown as <U+XXXX>, and web addresses made into
// links (http, https, www.).

#include <QList>
#include <QString>

namespace synack::client {

struct TextLink
{
    qsizetype start = 0;
    qsizetype length = 0;
    QString url; // what opening it opens: "www.x" becomes "https://www.x"
};

// The links in `text`, left to right; trailing punctuation stays out.
QList<TextLink> findLinks(const QString &text);
// `text` as HTML with its links as <a href>.
QString chatTextToHtml(const QString &text);

} // namespace synack::client
