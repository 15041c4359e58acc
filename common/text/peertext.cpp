#include "peertext.h"

namespace synack::text {
namespace {

bool isBidiOrSeparator(char16_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// Shown as <U+XXXX> in both layouts (a newline and a tab are kept in a block).
bool isMarked(char16_t c, Layout layout)
{
    if (layout == Layout::Block && (c == u'\n' || c == u'\t'))
        return false;
    return isControl(c) || isBidiOrSeparator(c);
}

// What takes room on a line without showing anything: spaces of any width,
// and the letters and symbols that draw nothing (Braille blank, Hangul fillers).
bool isBlank(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || u == u'\t' || u == 0x00A0 || u == 0x2800 || u == 0x3164 || u == 0x115F ||
           u == 0x1160 || u == 0xFFA0 || (!isControl(u) && !isBidiOrSeparator(u) && c.isSpace());
}

bool needsChange(QStringView text, Layout layout)
{
    int blankRun = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (isMarked(u, layout))
            return true;
        blankRun = isBlank(c) ? blankRun + 1 : 0;
        if (layout == Layout::OneLine && (u == u'\t' || blankRun > kMaxBlankRun))
            return true;
    }
    return false;
}

void appendMark(QString &out, char16_t c)
{
    out += QStringLiteral("<U+%1>").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
}

} // namespace

QString visiblePeerText(const QString &text, Layout layout)
{
    if (!needsChange(text, layout))
        return text;
    QString out;
    out.reserve(text.size() + 16);
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        if (layout == Layout::OneLine && isBlank(c)) {
            qsizetype end = i + 1;
            while (end < size && isBlank(text.at(end)))
                ++end;
            const qsizetype run = end - i;
            if (run > kMaxBlankRun) {
                out += QStringLiteral("<%1 spaces>").arg(run);
            } else {
                for (qsizetype j = i; j < end; ++j)
                    out += text.at(j) == u'\t' ? QChar(u' ') : text.at(j);
            }
            i = end - 1;
        } else if (layout == Layout::OneLine && u == u'\n') {
            out += QChar(0x21B5); // ↵
        } else if (isMarked(u, layout)) {
            appendMark(out, u);
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace synack::text
