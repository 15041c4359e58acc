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

QTEST_APPLESS_MAIN(TestNick)
#include "tst_nick.moc"
