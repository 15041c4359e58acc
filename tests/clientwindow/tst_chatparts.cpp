// The client window's parts on their own: the conversation model, links,
// nick colours, the host field, the message box and its counter, the host
// list, the settings.

#include "chatdelegate.h"
#include "chatmodel.h"
#include "chattext.h"
#include "chatview.h"
#include "clientsettings.h"
#include "composebox.h"
#include "connectpanel.h"
#include "hostlistmodel.h"
#include "messageinput.h"
#include "nickcolors.h"

#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace synack;
using namespace synack::client;

class TestChatParts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void ownMessageFollowsItsStatus();
    void echoOfOwnMessageUpdatesItsRow();
    void receivedLinesCarryNickAndPrivacy();
    void capacityDropsTheOldest();
    void linksAreFound_data();
    void linksAreFound();
    void htmlIsEscaped();
    void htmlShowsBidiControls();
    void nickColoursAreStableAndReadable();
    void hostFieldIsSplit_data();
    void hostFieldIsSplit();
    void counterAppearsNearTheLimit();
    void historyIsBounded();
    void hostListShowsNamesButEditsAddresses();
    void recentHostsAreRememberedNewestFirst();
    void longLinesWrapIntoTallerRows();
};

void TestChatParts::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("SynAck"), QStringLiteral("synack-client")).clear();
}

void TestChatParts::ownMessageFollowsItsStatus()
{
    ChatModel model;
    model.addOwn(7, QStringLiteral("ann"), QStringLiteral("hi"), std::nullopt);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex row = model.index(0);
    QCOMPARE(DeliveryStatus(row.data(ChatModel::StatusRole).toInt()), DeliveryStatus::Pending);
    QVERIFY(row.data(ChatModel::OwnRole).toBool());
    QCOMPARE(row.data(ChatModel::LocalIdRole).toULongLong(), 7u);

    model.setStatus(7, DeliveryStatus::Rejected, QStringLiteral("too fast (rate)"));
    QCOMPARE(DeliveryStatus(row.data(ChatModel::StatusRole).toInt()), DeliveryStatus::Rejected);
    QCOMPARE(row.data(ChatModel::ReasonRole).toString(), QStringLiteral("too fast (rate)"));
    QVERIFY(row.data(Qt::ToolTipRole).toString().contains(QStringLiteral("too fast")));
    model.setStatus(99, DeliveryStatus::Delivered, {}); // not ours: ignored
    QCOMPARE(model.rowCount(), 1);
}

void TestChatParts::echoOfOwnMessageUpdatesItsRow()
{
    ChatModel model;
    model.addOwn(3, QStringLiteral("ann"), QStringLiteral("hello"), std::nullopt);
    ChatLine echo;
    echo.seq = 12;
    echo.from = QStringLiteral("Ann");
    echo.text = QStringLiteral("hello");
    echo.ts = 1'700'000'000'000;
    echo.isOwn = true;
    echo.localId = 3;
    model.addLine(echo);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(ChatModel::NickRole).toString(), QStringLiteral("Ann"));
    QCOMPARE(model.index(0).data(ChatModel::TimeRole).toDateTime().toMSecsSinceEpoch(), echo.ts);
    model.setStatus(3, DeliveryStatus::Delivered, {});
    QCOMPARE(DeliveryStatus(model.index(0).data(ChatModel::StatusRole).toInt()),
             DeliveryStatus::Delivered);
}

void TestChatParts::receivedLinesCarryNickAndPrivacy()
{
    ChatModel model;
    ChatLine room{1,    QStringLiteral("bob"), QStringLiteral("hi"), 1000, std::nullopt, false,
                  true, std::nullopt};
    ChatLine whisper{std::nullopt, QStringLiteral("bob"), QStringLiteral("psst"),
                     2000,         QStringLiteral("ann"), false,
                     false,        std::nullopt};
    model.addLine(room);
    model.addLine(whisper);
    model.addSystem(QStringLiteral("carol joined"));
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.index(0).data(ChatModel::BacklogRole).toBool());
    QVERIFY(!model.index(0).data(ChatModel::StatusRole).isValid());
    QVERIFY(model.index(1).data(ChatModel::PrivateRole).toBool());
    QCOMPARE(model.index(1).data(ChatModel::PeerRole).toString(), QStringLiteral("bob"));
    QVERIFY(model.index(1).data().toString().endsWith(QStringLiteral("*bob* -> you: psst")));
    QCOMPARE(model.index(2).data(ChatModel::KindRole).value<ChatModel::Kind>(),
             ChatModel::Kind::System);
    QVERIFY(model.index(0).data().toString().endsWith(QStringLiteral("<bob> hi")));
}

void TestChatParts::capacityDropsTheOldest()
{
    ChatModel model;
    model.setCapacity(20);
    for (quint64 id = 1; id <= 50; ++id)
        model.addOwn(id, QStringLiteral("ann"), QString::number(id), std::nullopt);
    QVERIFY(model.rowCount() <= 20);
    QCOMPARE(model.index(model.rowCount() - 1).data(ChatModel::TextRole).toString(),
             QStringLiteral("50"));
    QCOMPARE(model.rowOfLocalId(1), -1);
    const int row = model.rowOfLocalId(50);
    QCOMPARE(row, model.rowCount() - 1);
    model.setStatus(50, DeliveryStatus::Delivered, {});
    QCOMPARE(DeliveryStatus(model.index(row).data(ChatModel::StatusRole).toInt()),
             DeliveryStatus::Delivered);
    model.setStatus(1, DeliveryStatus::Delivered, {}); // gone: ignored
}

void TestChatParts::linksAreFound_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("urls");
    QTest::newRow("none") << QStringLiteral("no links here") << QStringList{};
    QTest::newRow("https") << QStringLiteral("see https://qt.io/docs.")
                           << QStringList{QStringLiteral("https://qt.io/docs")};
    QTest::newRow("www") << QStringLiteral("www.example.org, then")
                         << QStringList{QStringLiteral("https://www.example.org")};
    QTest::newRow("parens") << QStringLiteral("(http://a.b/c_(d))")
                            << QStringList{QStringLiteral("http://a.b/c_(d)")};
    QTest::newRow("two") << QStringLiteral("http://a.io and https://b.io/x?y=1")
                         << QStringList{QStringLiteral("http://a.io"),
                                        QStringLiteral("https://b.io/x?y=1")};
}

void TestChatParts::linksAreFound()
{
    QFETCH(QString, text);
    QFETCH(QStringList, urls);
    QStringList found;
    for (const TextLink &link : findLinks(text))
        found.append(link.url);
    QCOMPARE(found, urls);
}

void TestChatParts::htmlIsEscaped()
{
    const QString html = chatTextToHtml(QStringLiteral("<b>x</b> & https://x.io/?a=1&b=2\nnext"));
    QVERIFY(html.startsWith(QStringLiteral("&lt;b&gt;x&lt;/b&gt; &amp; ")));
    QVERIFY(html.contains(QStringLiteral("<a href=\"https://x.io/?a=1&amp;b=2\">")));
    QVERIFY(html.contains(QStringLiteral("<br>next")));
}

// A right-to-left override or an isolate would reorder the rest of the line
// as it is drawn: the view shows them as marks instead; line breaks stay.
void TestChatParts::htmlShowsBidiControls()
{
    const QString html = chatTextToHtml(
        QStringLiteral("pay \u202E01$\u202C now\u2066x\u2069\u2028\u200F\u061C\x1b[1m\nnext"));
    QCOMPARE(html,
             QStringLiteral("pay &lt;U+202E&gt;01$&lt;U+202C&gt; now&lt;U+2066&gt;x&lt;U+2069&gt;"
                            "&lt;U+2028&gt;&lt;U+200F&gt;&lt;U+061C&gt;&lt;U+001B&gt;[1m<br>next"));
}

void TestChatParts::nickColoursAreStableAndReadable()
{
    QCOMPARE(nickColorIndex(QStringLiteral("Alice")), nickColorIndex(QStringLiteral("alice")));
    QSet<int> used;
    for (const char *nick : {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"})
        used.insert(nickColorIndex(QString::fromLatin1(nick)));
    QVERIFY(used.size() >= 4); // spread, not all one colour
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
    for (int i = 0; i < 50; ++i) {
        const QString nick = QStringLiteral("user%1").arg(i);
        QVERIFY(nickColor(nick, light).lightness() < 120);
        QVERIFY(nickColor(nick, dark).lightness() > 140);
    }
}

void TestChatParts::hostFieldIsSplit_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("name") << QStringLiteral(" lab.local ") << QStringLiteral("lab.local") << 9527;
    QTest::newRow("name:port") << QStringLiteral("10.0.0.2:7000") << QStringLiteral("10.0.0.2")
                               << 7000;
    QTest::newRow("bad port") << QStringLiteral("x:99999") << QStringLiteral("x:99999") << 9527;
    QTest::newRow("v6") << QStringLiteral("fe80::1") << QStringLiteral("fe80::1") << 9527;
    QTest::newRow("[v6]:port") << QStringLiteral("[::1]:8000") << QStringLiteral("::1") << 8000;
}

void TestChatParts::hostFieldIsSplit()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    const HostAndPort split = splitHostField(text, 9527);
    QCOMPARE(split.host, host);
    QCOMPARE(int(split.port), port);
}

void TestChatParts::counterAppearsNearTheLimit()
{
    ComposeBox box;
    box.setMaxBytes(10);
    box.show();
    QVERIFY(!box.counter()->isVisible());
    QSignalSpy submitted(&box, &ComposeBox::submitted);
    QTest::keyClicks(box.input(), QStringLiteral("1234567"));
    QVERIFY(!box.counter()->isVisible());
    box.input()->insertPlainText(QStringLiteral("é")); // 2 bytes of UTF-8: 9 of 10
    QVERIFY(box.counter()->isVisible());
    QCOMPARE(box.counter()->text(), QStringLiteral("9 / 10 bytes"));
    QTest::keyClicks(box.input(), QStringLiteral("xx"));
    QVERIFY(box.isTooLong());
    QTest::keyClick(box.input(), Qt::Key_Return);
    QCOMPARE(submitted.count(), 0); // too long: not sent
    QTest::keyClick(box.input(), Qt::Key_Backspace);
    QTest::keyClick(box.input(), Qt::Key_Backspace);
    QTest::keyClick(box.input(), Qt::Key_Return);
    QCOMPARE(submitted.count(), 1);
}

void TestChatParts::historyIsBounded()
{
    MessageInput input;
    for (int i = 0; i < MessageInput::kHistorySize + 5; ++i)
        input.addToHistory(QString::number(i));
    input.addToHistory(QStringLiteral("   "));
    QCOMPARE(input.history().size(), MessageInput::kHistorySize);
    QCOMPARE(input.history().last(), QString::number(MessageInput::kHistorySize + 4));
    QTest::keyClick(&input, Qt::Key_Up);
    QCOMPARE(input.text(), input.history().last());
}

void TestChatParts::hostListShowsNamesButEditsAddresses()
{
    HostListModel model;
    model.setRecentHosts({{QStringLiteral("10.0.0.5"), 9527}});
    net::DiscoveredServer found;
    found.name = QStringLiteral("Lab");
    found.address = QHostAddress(QStringLiteral("::ffff:192.168.1.7"));
    found.port = 9600;
    found.users = 3;
    found.passwordRequired = true;
    model.addLanServer(found);
    model.addLanServer(found); // the same answer twice: one entry
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex lan = model.index(0);
    QCOMPARE(lan.data(Qt::EditRole).toString(), QStringLiteral("192.168.1.7"));
    QCOMPARE(lan.data(HostListModel::PortRole).toInt(), 9600);
    QVERIFY(lan.data().toString().startsWith(QStringLiteral("Lab - 192.168.1.7:9600")));
    QVERIFY(lan.data().toString().contains(QStringLiteral("password")));
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("10.0.0.5:9527"));
    model.clearLanServers();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.recentHosts().size(), 1);
}

void TestChatParts::recentHostsAreRememberedNewestFirst()
{
    ClientSettings settings;
    for (int i = 0; i < ClientSettings::kMaxRecentHosts + 3; ++i)
        settings.addRecentHost({QStringLiteral("host%1").arg(i), quint16(9000 + i)});
    settings.addRecentHost({QStringLiteral("host5"), 9005}); // again: moves to the front
    const QList<HostAndPort> hosts = ClientSettings().recentHosts();
    QCOMPARE(hosts.size(), ClientSettings::kMaxRecentHosts);
    QCOMPARE(hosts.first().host, QStringLiteral("host5"));
    QCOMPARE(hosts.at(1).host, QStringLiteral("host12"));
}

void TestChatParts::longLinesWrapIntoTallerRows()
{
    ChatModel model;
    ChatView view;
    view.setChatModel(&model);
    view.resize(400, 300);
    view.show();
    model.addSystem(QStringLiteral("short"));
    model.addLine({1, QStringLiteral("bob"), QString(600, u'x') + QStringLiteral(" end"), 1,
                   std::nullopt, false, false, std::nullopt});
    const QStyleOptionViewItem option;
    const int shortHeight = view.chatDelegate()->sizeHint(option, model.index(0)).height();
    const int longHeight = view.chatDelegate()->sizeHint(option, model.index(1)).height();
    QVERIFY2(longHeight > 3 * shortHeight,
             qPrintable(QStringLiteral("%1 vs %2").arg(longHeight).arg(shortHeight)));
}

QTEST_MAIN(TestChatParts)
#include "tst_chatparts.moc"
