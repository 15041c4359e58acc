#include "protocol/nick.h"

#include <QChar>

namespace synack::protocol {
namespace {

bool isNickCodePoint(char32_t cp)
{
    if (cp == U'_' || cp == U'-' || cp == U'.')
        return true;
    switch (QChar::category(cp)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Number_DecimalDigit:
        return true;
    default:
        return false;
    }
}

} // namespace

bool isValidNick(QStringView nick)
{
    int count = 0;
    for (qsizetype i = 0; i < nick.size(); ++i) {
        char32_t cp = nick[i].unicode();
        if (QChar::isHighSurrogate(cp) && i + 1 < nick.size() && nick[i + 1].isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(nick[i], nick[i + 1]);
            ++i;
        } else if (QChar::isSurrogate(cp))
            return false; // unpaired half of a pair
        if (!isNickCodePoint(cp) || ++count > kMaxNickCodePoints)
            return false;
    }
    return count >= 1;
}

QString nickKey(QStringView nick)
{
    return nick.toString().toCaseFolded();
}

bool sameNick(QStringView a, QStringView b)
{
    return nickKey(a) == nickKey(b);
}

} // namespace synack::protocol
