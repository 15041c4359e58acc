#pragma once

// Nicknames (PROTOCOL.md section 5): 1 to 32 code points, each a letter, mark
// or decimal digit of any script, or one of `_ - .`. No normalisation.
// Uniqueness is case-insensitive by simple Unicode case folding.

#include <QString>

namespace synack::protocol {

inline constexpr int kMaxNickCodePoints = 32;

bool isValidNick(QStringView nick);
// The form two nicks are compared in: equal keys mean the same user.
QString nickKey(QStringView nick);
bool sameNick(QStringView a, QStringView b);

} // namespace synack::protocol
