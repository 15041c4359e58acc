#include "protocol/nick.h"

#include <QChar>

#include <memory>
#include <unicode/uchar.h>
#include <unicode/uspoof.h>

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
        if (!isNickCodePoint(cp) ||
            u_hasBinaryProperty(UChar32(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
            ++count > kMaxNickCodePoints)
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

QString nickSkeleton(QStringView nick)
{
    struct Closer
    {
        void operator()(USpoofChecker *checker) const { uspoof_close(checker); }
    };
    // One checker per thread: ICU's checkers are not shared across threads.
    thread_local const std::unique_ptr<USpoofChecker, Closer> checker([] {
        UErrorCode status = U_ZERO_ERROR;
        USpoofChecker *opened = uspoof_open(&status);
        return U_SUCCESS(status) ? opened : nullptr;
    }());
    // Compatibility forms first (fullwidth, mathematical letters), which
    // the confusables table leaves to NFKC; then case, then the table.
    const QString folded = nickKey(nick.toString().normalized(QString::NormalizationForm_KC));
    if (!checker)
        return folded;
    // A skeleton is a few times the nick's length at most; a nick is short.
    QString skeleton(folded.size() * 4 + 16, Qt::Uninitialized);
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length = uspoof_getSkeleton(
        checker.get(), 0, reinterpret_cast<const UChar *>(folded.utf16()), int32_t(folded.size()),
        reinterpret_cast<UChar *>(skeleton.data()), int32_t(skeleton.size()), &status);
    if (U_FAILURE(status))
        return folded;
    skeleton.truncate(length);
    return skeleton;
}

} // namespace synack::protocol
