#pragma once

// Text a peer chose (a chat line, a nick, a bye or error text, a message
// type), made safe to show to a person: it is shown, never obeyed, and it
// cannot pass for a line of someone else's (docs/reliability.md, "Forged
// lines"). What is not shown as itself is written <U+XXXX>:
//   - control characters (C0, DEL, C1): no cursor moves or colours;
//   - bidi controls (U+061C, U+200E/F, U+202A..E, U+2066..9) and the line
//     and paragraph separators (U+2028/9): no reordering of what a line says;
//   - on one line only: a newline becomes ↵ and a tab a space, and a run of
//     more than kMaxBlankRun blanks becomes <N spaces>, so that no text padded
//     to the terminal's width wraps into what looks like a new line.

#include <QString>

namespace synack::text {

inline constexpr int kMaxBlankRun = 3;

enum class Layout {
    OneLine, // a terminal or a log line: one event stays one line
    Block,   // a window's text block: line breaks and tabs are kept; it wraps in its own column
};

// `text` itself (shared, no copy) when nothing in it needs changing.
QString visiblePeerText(const QString &text, Layout layout = Layout::OneLine);

} // namespace synack::text
