#include "chattext.h"

#include "text/peertext.h"

#include <QRegularExpression>

namespace synack::client {

QList<TextLink> findLinks(const QString &text)
{
    static const QRegularExpression link(QStringLiteral(R"((?:https?://|www\.)[^\s<>"]+)"),
                                         QRegularExpression::CaseInsensitiveOption |
                                             QRegularExpression::UseUnicodePropertiesOption);
    QList<TextLink> links;
    auto matches = link.globalMatch(text);
    while (matches.hasNext()) {
        const auto match = matches.next();
        QString url = match.captured();
        // "see https://x.org/a." and "(https://x.org)": the punctuation is the sentence's.
        while (!url.isEmpty()) {
            const QChar last = url.back();
            const bool closesUnopened = (last == u')' && url.count(u'(') < url.count(u')')) ||
                                        (last == u']' && url.count(u'[') < url.count(u']'));
            if (QStringLiteral(".,;:!?'").contains(last) || closesUnopened)
                url.chop(1);
            else
                break;
        }
        if (url.size() <= 4 || url.compare(QStringLiteral("www."), Qt::CaseInsensitive) == 0)
            continue;
        const QString target = url.startsWith(QStringLiteral("www."), Qt::CaseInsensitive)
                                   ? QStringLiteral("https://") + url
                                   : url;
        links.append({match.capturedStart(), url.size(), target});
    }
    return links;
}

QString chatTextToHtml(const QString &rawText)
{
    // Bidi controls and stray control characters are shown, not obeyed: no
    // text reorders what its line seems to say (docs/reliability.md, "Forged lines").
    const QString text = text::visiblePeerText(rawText, text::Layout::Block);
    const auto escape = [](QStringView part) {
        QString html = part.toString().toHtmlEscaped();
        html.replace(u'\n', QStringLiteral("<br>"));
        return html;
    };
    QString html;
    qsizetype at = 0;
    for (const TextLink &link : findLinks(text)) {
        html += escape(QStringView(text).mid(at, link.start - at));
        html += QStringLiteral("<a href=\"%1\">%2</a>")
                    .arg(link.url.toHtmlEscaped(),
                         escape(QStringView(text).mid(link.start, link.length)));
        at = link.start + link.length;
    }
    html += escape(QStringView(text).mid(at));
    return html;
}

} // namespace synack::client
