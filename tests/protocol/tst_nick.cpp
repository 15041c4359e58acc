// Nicknames: PROTOCOL.md section 5.

#include "protocol/nick.h"

#include <QTest>

using namespace synack::protocol;

class TestNick : public QObject
{
    Q_OBJECT

private slots:
    void validity_data();
    void validity();
    void caseInsensitiveEquality();
    void lookalikesShareASkeleton_data();
    void lookalikesShareASkeleton();
};

void TestNick::validity_data()
{
    QTest::addColumn<QString>("nick");
    QTest::addColumn<bool>("valid");
    QTest::newRow("chinese") << QStringLiteral("小明") << true;
    QTest::newRow("latin with marks") << QStringLiteral("Zoë_1.b-2") << true;
    QTest::newRow("combining mark") << QStringLiteral("e\u0301") << true;
    QTest::newRow("arabic-indic digits") << QStringLiteral("\u0661\u0662") << true;
    QTest::newRow("32 code points") << QString(32, QChar(u'a')) << true;
    QTest::newRow("32 astral letters")
        << QString::fromUcs4(std::u32string(32, U'\U00020000').c_str(), 32) << true;
    QTest::newRow("33 code points") << QString(33, QChar(u'a')) << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("control character") << QStringLiteral("a\u0007") << false;
    QTest::newRow("emoji") << QStringLiteral("😀") << false;
    QTest::newRow("punctuation") << QStringLiteral("a!") << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << false;
    // Invisible code points (default-ignorable): letters and marks to the
    // category, nothing on the screen.
    QTest::newRow("combining grapheme joiner") << QStringLiteral("bob\u034F") << false;
    QTest::newRow("variation selector") << QStringLiteral("bob\uFE0F") << false;
    QTest::newRow("Hangul filler alone") << QStringLiteral("\u3164") << false;
    QTest::newRow("halfwidth Hangul filler") << QStringLiteral("a\uFFA0") << false;
}

void TestNick::validity()
{
    QFETCH(QString, nick);
    QFETCH(bool, valid);
    QCOMPARE(isValidNick(nick), valid);
}

void TestNick::caseInsensitiveEquality()
{
    QVERIFY(sameNick(u"Alice", u"alice"));
    QVERIFY(sameNick(u"ZOË", u"zoë"));
    QVERIFY(!sameNick(u"alice", u"alice2"));
    QCOMPARE(nickKey(u"Alice"), nickKey(u"ALICE"));
}

void TestNick::lookalikesShareASkeleton_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("alike");
    QTest::newRow("Cyrillic a") << QStringLiteral("\u0430lice") << QStringLiteral("alice") << true;
    QTest::newRow("fullwidth") << QStringLiteral("\uFF42\uFF4F\uFF42") << QStringLiteral("bob")
                               << true;
    QTest::newRow("mathematical bold")
        << QStringLiteral("\U0001D41B\U0001D428\U0001D41B") << QStringLiteral("bob") << true;
    QTest::newRow("case") << QStringLiteral("BOB") << QStringLiteral("bob") << true;
    QTest::newRow("Greek omicron") << QStringLiteral("b\u03BFb") << QStringLiteral("bob") << true;
    QTest::newRow("different nicks") << QStringLiteral("bob") << QStringLiteral("rob") << false;
    QTest::newRow("Chinese") << QStringLiteral("小明") << QStringLiteral("小红") << false;
}

void TestNick::lookalikesShareASkeleton()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, alike);
    QCOMPARE(nickSkeleton(a) == nickSkeleton(b), alike);
}

QTEST_APPLESS_MAIN(TestNick)
#include "tst_nick.moc"
