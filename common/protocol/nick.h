#pragma once

// Nicknames (docs/protocol.md, "Nicknames"): 1 to 32 code points, each a
// letter, mark or decimal digit of any script, or one of `_ - .`, and none
// that is invisible (Unicode's default-ignorable code points: U+034F, the
// variation selectors, the Hangul fillers, ...). No normalisation: a nick is
// never rewritten. Uniqueness is case-insensitive by simple Unicode case
// folding; a server also refuses a nick that would display like one in the
// room (the same confusable skeleton, Unicode UTS #39).

#include <QString>

namespace synack::protocol {

inline constexpr int kMaxNickCodePoints = 32;

bool isValidNick(QStringView nick);
// The form two nicks are compared in: equal keys mean the same user.
QString nickKey(QStringView nick);
bool sameNick(QStringView a, QStringView b);
// The form in which nicks that look alike are equal: `bob`, `ｂｏｂ`, `𝐛𝐨𝐛`
// and `Bob`; `аlice` with a Cyrillic а and `alice` (UTS #39's skeleton of the
// case-folded nick, through ICU).
QString nickSkeleton(QStringView nick);

} // namespace synack::protocol
