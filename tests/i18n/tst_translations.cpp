// installTranslations() loads the Chinese catalogue the programs carry, leaves
// English alone, and turns down languages SynAck does not ship.

#include "platform/translations.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>

using synack::platform::installTranslations;

namespace {

// Strings the user reads, from the protocol module and from both windows.
struct Known
{
    const char *context;
    const char *source;
    const char *chinese;
};

constexpr Known kKnown[] = {
    {"synack::protocol", "That nickname is already in use.", "该昵称已被占用。"},
    {"synack::protocol", "Too many messages; slow down.", "消息太多，请放慢速度。"},
    {"synack::ui::StateDiagramWidget", "rcv ACK", "收 ACK"},
};

QString translated(const Known &known)
{
    return QCoreApplication::translate(known.context, known.source);
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    // The order matters: once Chinese is installed it stays for the process.
    void unknownLanguage();
    void english();
    void chinese();
    void chinesePlural();
};

void TestTranslations::unknownLanguage()
{
    QCOMPARE(installTranslations(*QCoreApplication::instance(), QStringLiteral("xx")), QString());
    QCOMPARE(installTranslations(*QCoreApplication::instance(), QStringLiteral("fr_FR")),
             QString());
    for (const Known &known : kKnown)
        QCOMPARE(translated(known), QString::fromUtf8(known.source));
}

void TestTranslations::english()
{
    QCOMPARE(installTranslations(*QCoreApplication::instance(), QStringLiteral("en")),
             QStringLiteral("en"));
    for (const Known &known : kKnown)
        QCOMPARE(translated(known), QString::fromUtf8(known.source));
}

void TestTranslations::chinese()
{
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/synack_zh_CN.qm")));
    QCOMPARE(installTranslations(*QCoreApplication::instance(), QStringLiteral("zh_CN")),
             QStringLiteral("zh_CN"));
    for (const Known &known : kKnown)
        QCOMPARE(translated(known), QString::fromUtf8(known.chinese));
}

void TestTranslations::chinesePlural()
{
    // One form in Chinese, %n filled in.
    QCOMPARE(QCoreApplication::translate("synack::ui::SocketLogView", "%n event(s)", nullptr, 3),
             QString::fromUtf8("3 个事件"));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
