#include "platform/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace synack::platform {

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString installTranslations(QCoreApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty() && !availableLanguages().contains(language) &&
        !availableLanguages().contains(locale.name()))
        return {};
    // Chinese in any region reads the Simplified catalogue; other languages English.
    if (locale.language() != QLocale::Chinese)
        return QStringLiteral("en");

    auto *own = new QTranslator(&app);
    if (own->load(QStringLiteral(":/i18n/synack_zh_CN.qm")))
        app.installTranslator(own);
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(QStringLiteral("zh_CN")), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    return QStringLiteral("zh_CN");
}

} // namespace synack::platform
