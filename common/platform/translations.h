#pragma once

// SynAck speaks English and Simplified Chinese. The catalogue is built into
// the programs (:/i18n/synack_<lang>.qm); Qt's own (dialog buttons, ...) is
// taken from the system when it is installed.

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace synack::platform {

// The languages SynAck ships, as locale names ("en", "zh_CN").
QStringList availableLanguages();

// Installs the translators for `language` (a locale name such as "zh_CN";
// empty: the system's locale). English needs none. Returns the language in
// use, or an empty string when `language` is not one SynAck ships.
QString installTranslations(QCoreApplication &app, const QString &language = {});

} // namespace synack::platform
