// The inspector's widgets fed scripted lives of a connection (open, chat,
// close by either side, abort, half-close): what each reports through its
// accessors, that repaints are coalesced, and pictures of each rendered
// offscreen to PNG (light and dark palettes, 1x and 2x, and with longer
// pseudo-translated labels) in SYNACK_UI_ARTEFACTS for a person to look at.

#include "net/eventlog.h"
#include "net/eventlogfilter.h"
#include "protocol/codec.h"
#include "protocol/messages.h"
#include "scriptedlives.h"
#include "ui/connectioninspector.h"
#include "ui/ladderwidget.h"
#include "ui/repaintthrottle.h"
#include "ui/roundtripgraphwidget.h"
#include "ui/socketlogview.h"
#include "ui/statediagramwidget.h"
#include "ui/statetimelinewidget.h"
#include "ui/tcpinfopanel.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHelpEvent>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QTranslator>

using namespace synack;
using namespace synack::net;
using namespace synack::test;
using namespace synack::ui;

namespace {

QString artefactDir()
{
    return QStringLiteral(SYNACK_UI_ARTEFACTS);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2c, 0x30));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xd4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4b));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    return p;
}

// Renders `widget` at `size` (logical pixels) and `scale`, the way a screen of
// that device pixel ratio would show it, and saves it as `name`.png.
QImage renderTo(QWidget *widget, const QString &name, QSize size, qreal scale = 1.0)
{
    widget->resize(size);
    widget->show();
    QCoreApplication::processEvents();
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::transparent);
    widget->render(&image);
    QDir().mkpath(artefactDir());
    image.save(artefactDir() + QLatin1Char('/') + name + QStringLiteral(".png"));
    return image;
}

// Not blank: more than a couple of colours.
bool hasContent(const QImage &image)
{
    if (image.isNull())
        return false;
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            colours.insert(image.pixel(x, y));
            if (colours.size() > 8)
                return true;
        }
    }
    return false;
}

QStringList namesOf(const QList<StateDiagramWidget::PathStep> &path)
{
    QStringList out;
    for (const auto &step : path)
        out.append(tcpStateName(step.state) + (step.observed ? QString() : QStringLiteral("?")));
    return out;
}

QStringList namesOf(const QList<LadderSegment> &segments, bool clientLocal)
{
    QStringList out;
    for (const LadderSegment &s : segments)
        out.append((s.fromLocal == clientLocal ? QStringLiteral("c>") : QStringLiteral("s>")) +
                   s.label);
    return out;
}

QStringList split(const char *names)
{
    return QString::fromLatin1(names).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QString lifeName(Life life)
{
    switch (life) {
    case Life::Chatting:
        return QStringLiteral("chatting");
    case Life::ClientCloses:
        return QStringLiteral("client-closes");
    case Life::ServerCloses:
        return QStringLiteral("server-closes");
    case Life::ClientAborts:
        return QStringLiteral("client-aborts");
    case Life::ClientHalfCloses:
        return QStringLiteral("client-half-closes");
    case Life::ClientCloseFinished:
        return QStringLiteral("client-close-finished");
    }
    return {};
}

// Pseudo-translation: every label of the widgets half as long again, or in
// CJK glyphs, to see that layouts leave room for a translation.
class PseudoTranslator : public QTranslator
{
public:
    explicit PseudoTranslator(bool cjk)
        : m_cjk(cjk)
    {}
    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        if (!QByteArray(context).startsWith("synack::ui::"))
            return {};
        const QString source = QString::fromUtf8(sourceText);
        QString out;
        static const QString glyphs = QStringLiteral("连接状态内核时间往返发送接收关闭等待确认");
        int letters = 0;
        for (qsizetype i = 0; i < source.size(); ++i) {
            const QChar c = source[i];
            // Keep placeholders (%1, %n) and line breaks.
            if (c == QLatin1Char('%') && i + 1 < source.size()) {
                out += c;
                out += source[++i];
                continue;
            }
            if (m_cjk) {
                if (c.isLetter()) {
                    // About one glyph for two letters, as Chinese tends to be.
                    if (letters++ % 2 == 0)
                        out += glyphs[(letters / 2) % glyphs.size()];
                } else if (c != QLatin1Char(' ')) {
                    out += c;
                }
            } else {
                out += c;
                if (c.isLetter() && letters++ % 2 == 0)
                    out += c; // one letter in two doubled: 1.5x
            }
        }
        return out;
    }

private:
    bool m_cjk;
};

} // namespace

class TestInspectorWidgets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void diagramFollowsEachLife_data();
    void diagramFollowsEachLife();
    void diagramLayoutAndToolTips();
    void timelineSpansAndDurations();
    void ladderSegments();
    void roundTripStats();
    void tcpInfoFields();
    void socketLogViewFiltersFollowsAndExports();
    void inspectorComposite();
    void repaintsAreCoalesced();

    void renderPictures();
    void renderPseudoTranslated();
};

void TestInspectorWidgets::initTestCase()
{
    // The same look wherever the test runs.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QDir(artefactDir()).removeRecursively();
    QVERIFY(QDir().mkpath(artefactDir()));
}

void TestInspectorWidgets::diagramFollowsEachLife_data()
{
    QTest::addColumn<int>("life");
    QTest::addColumn<bool>("client");
    QTest::addColumn<int>("current");
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<bool>("timer");
    QTest::newRow("chatting, client") << int(Life::Chatting) << true << int(TcpState::Established)
                                      << split("CLOSED SYN_SENT ESTABLISHED") << false;
    QTest::newRow("chatting, server") << int(Life::Chatting) << false << int(TcpState::Established)
                                      << split("LISTEN SYN_RECV? ESTABLISHED") << false;
    QTest::newRow("client closes, client")
        << int(Life::ClientCloses) << true << int(TcpState::TimeWait)
        << split("CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT") << true;
    QTest::newRow("client closes, server")
        << int(Life::ClientCloses) << false << int(TcpState::Closed)
        << split("LISTEN SYN_RECV? ESTABLISHED CLOSE_WAIT LAST_ACK? CLOSED") << false;
    QTest::newRow("server closes, server")
        << int(Life::ServerCloses) << false << int(TcpState::TimeWait)
        << split("LISTEN SYN_RECV? ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT") << true;
    QTest::newRow("time-wait over, client")
        << int(Life::ClientCloseFinished) << true << int(TcpState::Closed)
        << split("CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT CLOSED") << false;
    QTest::newRow("client aborts, client")
        << int(Life::ClientAborts) << true << int(TcpState::Closed)
        << split("CLOSED SYN_SENT ESTABLISHED CLOSED") << false;
    QTest::newRow("client half-closes, client")
        << int(Life::ClientHalfCloses) << true << int(TcpState::FinWait2)
        << split("CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2") << false;
    QTest::newRow("client half-closes, server")
        << int(Life::ClientHalfCloses) << false << int(TcpState::CloseWait)
        << split("LISTEN SYN_RECV? ESTABLISHED CLOSE_WAIT") << false;
}

void TestInspectorWidgets::diagramFollowsEachLife()
{
    QFETCH(int, life);
    QFETCH(bool, client);
    QFETCH(int, current);
    QFETCH(QStringList, path);
    QFETCH(bool, timer);
    const auto p = scriptedLife(Life(life));
    StateDiagramWidget diagram;
    diagram.resize(diagram.sizeHint());
    diagram.setTrace(client ? p->client.get() : p->server.get());
    QCOMPARE(int(diagram.currentState()), current);
    QCOMPARE(namesOf(diagram.path()), path);
    for (int i = 0; i < diagram.path().size(); ++i)
        QCOMPARE(diagram.path()[i].number, i + 1);
    QCOMPARE(diagram.timerLeftMs().has_value(), timer);
    if (timer)
        QVERIFY(*diagram.timerLeftMs() > 50000 && *diagram.timerLeftMs() <= 59000);
    // CLOSED at the end of a life is the bottom box, not the top one.
    if (TcpState(current) == TcpState::Closed)
        QVERIFY(diagram.stateRect(TcpState::Closed).top() >
                diagram.stateRect(TcpState::TimeWait).top() - 1);
}

void TestInspectorWidgets::diagramLayoutAndToolTips()
{
    StateDiagramWidget diagram;
    const QList<TcpState> states = StateDiagramWidget::states();
    QCOMPARE(states.size(), 11);
    QSet<QString> tips;
    for (TcpState s : states) {
        const QString tip = StateDiagramWidget::stateToolTip(s);
        QVERIFY2(!tip.isEmpty(), qPrintable(tcpStateName(s)));
        tips.insert(tip);
    }
    QCOMPARE(tips.size(), 11);
    QVERIFY(StateDiagramWidget::stateToolTip(TcpState::CloseWait)
                .contains(QStringLiteral("has not closed yet")));

    for (const QSize size : {diagram.minimumSizeHint(), diagram.sizeHint(), QSize(1400, 1100)}) {
        diagram.resize(size);
        const QFontMetrics fm(diagram.font());
        for (TcpState s : states) {
            const QRectF r = diagram.stateRect(s);
            QVERIFY(diagram.rect().contains(r.toRect()));
            QCOMPARE(diagram.stateAt(r.center()), s);
            // The names fit their boxes.
            QVERIFY2(fm.horizontalAdvance(StateDiagramWidget::stateLabel(s)) <= r.width(),
                     qPrintable(tcpStateName(s)));
            for (TcpState other : states) {
                if (other != s)
                    QVERIFY(!r.intersects(diagram.stateRect(other)));
            }
        }
    }

    // The tooltip of a box says what the state means.
    diagram.resize(diagram.sizeHint());
    diagram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&diagram));
    const QPoint at = diagram.stateRect(TcpState::CloseWait).center().toPoint();
    QHelpEvent help(QEvent::ToolTip, at, diagram.mapToGlobal(at));
    QApplication::sendEvent(&diagram, &help);
    QTRY_VERIFY(QToolTip::text().contains(QStringLiteral("CLOSE_WAIT")));
    QVERIFY(QToolTip::text().contains(QStringLiteral("has not closed yet")));
    QToolTip::hideText();
}

void TestInspectorWidgets::timelineSpansAndDurations()
{
    QCOMPARE(StateTimelineWidget::formatOffset(1234567), QStringLiteral("+1.235 s"));
    QCOMPARE(StateTimelineWidget::formatDuration(450), QStringLiteral("450 µs"));
    QCOMPARE(StateTimelineWidget::formatDuration(2500), QStringLiteral("2.50 ms"));
    QCOMPARE(StateTimelineWidget::formatDuration(61'500'000), QStringLiteral("1 min 1 s"));

    const auto p = scriptedLife(Life::ClientCloses);
    StateTimelineWidget timeline;
    timeline.setTrace(p->client.get());
    const auto kernel = timeline.kernelSpans();
    QStringList states;
    for (const auto &s : kernel)
        states.append(s.state);
    QCOMPARE(states, split("CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT"));
    const qint64 t0 = p->t0;
    const qint64 end = t0 + 62 * kS;
    QCOMPARE(kernel[1].durationUs(0), 900 - 450);              // SYN_SENT: the handshake
    QCOMPARE(kernel[2].durationUs(0), end + 200 - (t0 + 900)); // ESTABLISHED: the chat
    QVERIFY(!kernel.last().endUs);                             // still in TIME_WAIT
    const auto qt = timeline.qtSpans();
    QCOMPARE(qt.first().state, QStringLiteral("UnconnectedState"));
    QCOMPARE(qt.last().state, QStringLiteral("UnconnectedState"));
    QCOMPARE(qt.size(), 6);

    // Follows the newest change until scrolled back.
    timeline.resize(400, 240);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    QScrollBar *bar = timeline.horizontalScrollBar();
    QVERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(timeline.isFollowing());
    bar->setValue(0);
    QVERIFY(!timeline.isFollowing());
    p->client->addKernelState(end + 70 * kS, TcpState::Closed, {});
    QCOMPARE(timeline.kernelSpans().size(), 7);
    timeline.refreshNow();
    QCOMPARE(bar->value(), 0);
    timeline.setFollow(true);
    QCOMPARE(bar->value(), bar->maximum());
}

void TestInspectorWidgets::ladderSegments()
{
    const auto p = scriptedLife(Life::ClientCloses);
    LadderWidget ladder;
    ladder.setTrace(p->client.get());
    QVERIFY(!ladder.isCombined());
    QCOMPARE(namesOf(ladder.segments(), true),
             split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK s>FIN c>ACK"));
    QCOMPARE(ladder.localEndLabel(), QStringLiteral("client (this side)"));
    QCOMPARE(ladder.peerEndLabel(), QStringLiteral("server (peer)"));

    // Pairing the traces later combines the two ends' observations.
    p->client->setPeerTrace(p->server.get());
    QTRY_VERIFY(ladder.isCombined());
    QTRY_COMPARE(namesOf(ladder.segments(), true),
                 split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK s>FIN c>ACK"));

    const auto aborted = scriptedLife(Life::ClientAborts);
    ladder.setTrace(aborted->server.get());
    QCOMPARE(ladder.localEndLabel(), QStringLiteral("server (this side)"));
    QCOMPARE(namesOf(ladder.segments(), false), split("c>SYN s>SYN+ACK c>ACK c>RST"));

    const auto half = scriptedLife(Life::ClientHalfCloses);
    ladder.setTrace(half->client.get());
    QCOMPARE(namesOf(ladder.segments(), true), split("c>SYN s>SYN+ACK c>ACK c>FIN s>ACK"));
    ladder.setTrace(nullptr);
    QVERIFY(ladder.segments().isEmpty());
}

void TestInspectorWidgets::roundTripStats()
{
    const auto p = scriptedLife(Life::Chatting);
    RoundTripGraphWidget graph;
    QCOMPARE(graph.stats().count, 0);
    graph.setTrace(p->client.get());
    QList<qint64> rtts;
    for (int i = 1; i <= 12; ++i)
        rtts.append(80 + (i * 37) % 60 + (i == 7 ? 400 : 0));
    auto stats = graph.stats();
    QCOMPARE(stats.count, 12);
    QCOMPARE(stats.lastUs, rtts.last());
    QCOMPARE(stats.minUs, *std::min_element(rtts.begin(), rtts.end()));
    QCOMPARE(stats.maxUs, *std::max_element(rtts.begin(), rtts.end()));
    QCOMPARE(stats.avgUs, std::accumulate(rtts.begin(), rtts.end(), qint64(0)) / 12);
    // Only the window's round trips count: 30 s back from the newest (at 60 s).
    graph.setWindow(std::chrono::seconds(30));
    stats = graph.stats();
    QCOMPARE(stats.count, 7);
    QCOMPARE(stats.maxUs, rtts[6]);
    QCOMPARE(RoundTripGraphWidget::formatRtt(84), QStringLiteral("0.084 ms"));
    QCOMPARE(RoundTripGraphWidget::formatRtt(12500), QStringLiteral("12.5 ms"));
    QCOMPARE(RoundTripGraphWidget::formatRtt(1'200'000), QStringLiteral("1.20 s"));
}

void TestInspectorWidgets::tcpInfoFields()
{
    TcpInfoPanel panel;
    panel.setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::Rtt), QStringLiteral("—"));
    QCOMPARE(panel.statusText(), QStringLiteral("No connection selected."));
    const auto p = scriptedLife(Life::Chatting);
    panel.setTrace(p->client.get());
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::Rtt), QStringLiteral("0.052 ms"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::RttVar), QStringLiteral("0.026 ms"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::Retransmits), QStringLiteral("0"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::TotalRetrans), QStringLiteral("1"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::Cwnd), QStringLiteral("10 segment(s)"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::Unacked), QStringLiteral("2 segment(s)"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::BytesSent), QStringLiteral("1,234 B (1.21 KiB)"));
    QCOMPARE(panel.fieldText(TcpInfoPanel::Field::BytesReceived),
             QStringLiteral("5,678,901 B (5.42 MiB)"));
    QCOMPARE(panel.statusText(), QStringLiteral("Read from the kernel once a second."));
    for (TcpInfoPanel::Field f : TcpInfoPanel::fields()) {
        QVERIFY(!TcpInfoPanel::fieldName(f).isEmpty());
        QVERIFY(!TcpInfoPanel::fieldToolTip(f).isEmpty());
    }
    // Refreshed live: a new sample shows within a repaint interval.
    TcpInfo info = scriptedTcpInfo();
    info.rttUs = 1500;
    p->client->setTcpInfo(info);
    QTRY_COMPARE(panel.fieldText(TcpInfoPanel::Field::Rtt), QStringLiteral("1.500 ms"));
    p->client->markClosed();
    QTRY_VERIFY(panel.statusText().contains(QStringLiteral("last figures")));
}

void TestInspectorWidgets::socketLogViewFiltersFollowsAndExports()
{
    EventLog log;
    log.setConnectionLabel(7, QStringLiteral("#7 alice 127.0.0.1:5555"));
    const auto event = [](quint64 conn, EventKind kind, const QString &type, const QString &summary,
                          const QByteArray &raw = {}) {
        ConnectionEvent e;
        e.connectionId = conn;
        e.monotonicUs = 1;
        e.wallMs = 1763733787125;
        e.kind = kind;
        e.direction = kind == EventKind::Frame ? Direction::Out : Direction::None;
        e.type = type;
        e.summary = summary;
        e.raw = raw;
        e.size = raw.size();
        return e;
    };
    const QByteArray frame = QByteArray::fromHex("00000005") + QByteArray("hello");
    log.append(event(7, EventKind::QtState, QStringLiteral("ConnectedState"),
                     QStringLiteral("Qt socket state: ConnectedState")));
    log.append(
        event(7, EventKind::Frame, QStringLiteral("say"), QStringLiteral("say hello"), frame));
    log.append(event(8, EventKind::KernelState, QStringLiteral("ESTABLISHED"),
                     QStringLiteral("SYN_RECV → ESTABLISHED")));
    log.flush();

    SocketLogView view(&log);
    view.resize(900, 400);
    QCOMPARE(view.filter()->rowCount(), 3);
    view.setConnectionFilter({7});
    QCOMPARE(view.filter()->rowCount(), 2);
    view.setKindFilter({EventKind::Frame});
    QCOMPARE(view.kindFilter(), QSet<EventKind>{EventKind::Frame});
    QCOMPARE(view.filter()->rowCount(), 1);
    view.setKindFilter({});
    view.setTextFilter(QStringLiteral("hello"));
    QCOMPARE(view.filter()->rowCount(), 1);
    view.setTextFilter(QString());
    view.setConnectionFilter({});
    QCOMPARE(view.filter()->rowCount(), 3);

    // The detail of a frame: its summary and its bytes.
    QVERIFY(view.detailText().isEmpty());
    view.tableView()->selectRow(1);
    const QString detail = view.detailText();
    QVERIFY2(detail.contains(QStringLiteral("say hello")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("00000000  00 00 00 05 68 65 6c 6c  6f")),
             qPrintable(detail));
    QVERIFY(detail.contains(QStringLiteral("....hello")));
    QCOMPARE(SocketLogView::hexDump(QByteArray(20, 'A')).count(QLatin1Char('\n')), 2);

    // Export what the filter lets through, without a dialog.
    QTemporaryDir dir;
    view.setConnectionFilter({8});
    const QString path = dir.filePath(QStringLiteral("log.txt"));
    QString error;
    QVERIFY2(view.exportTo(path, ExportFormat::Text, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QCOMPARE(text.count('\n'), 1);
    QVERIFY(text.contains("ESTABLISHED"));
    view.setConnectionFilter({});

    // Follow keeps the newest row in view; pause leaves the view alone.
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isFollowing());
    for (int i = 0; i < 300; ++i)
        log.append(event(7, EventKind::Heartbeat, QStringLiteral("ping"),
                         QStringLiteral("ping %1").arg(i)));
    log.flush();
    QScrollBar *bar = view.tableView()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QSignalSpy followChanged(&view, &SocketLogView::followChanged);
    view.setFollow(false);
    QCOMPARE(followChanged.count(), 1);
    bar->setValue(0);
    for (int i = 0; i < 100; ++i)
        log.append(event(7, EventKind::Heartbeat, QStringLiteral("pong"), QStringLiteral("pong")));
    log.flush();
    QCoreApplication::processEvents();
    QCOMPARE(bar->value(), 0);
    view.setFollow(true);
    QTRY_COMPARE(bar->value(), bar->maximum());
    // Clicking a row to read it pauses.
    const QRect row =
        view.tableView()->visualRect(view.filter()->index(view.filter()->rowCount() - 2, 0));
    QTest::mouseClick(view.tableView()->viewport(), Qt::LeftButton, {}, row.center());
    QVERIFY(!view.isFollowing());
    QVERIFY(view.detailText().contains(QStringLiteral("pong")));
}

void TestInspectorWidgets::inspectorComposite()
{
    ConnectionInspector inspector;
    QVERIFY(inspector.headlineText().isEmpty());
    QCOMPARE(inspector.trace(), nullptr);
    auto p = scriptedLife(Life::ClientCloses);
    inspector.setTrace(p->client.get());
    QCOMPARE(inspector.stateDiagram()->trace(), p->client.get());
    QCOMPARE(inspector.ladder()->trace(), p->client.get());
    QCOMPARE(inspector.timeline()->trace(), p->client.get());
    QCOMPARE(inspector.roundTripGraph()->trace(), p->client.get());
    QCOMPARE(inspector.tcpInfoPanel()->trace(), p->client.get());
    QVERIFY(inspector.headlineText().contains(QStringLiteral("#7 to 127.0.0.1:5555")));
    QVERIFY(inspector.headlineText().contains(QStringLiteral("TIME_WAIT")));
    QCOMPARE(inspector.socketLogView(), nullptr);

    EventLog log;
    inspector.setEventLog(&log);
    QVERIFY(inspector.socketLogView());
    QCOMPARE(inspector.socketLogView()->connectionFilter(), QSet<quint64>{7});

    // A trace that goes away leaves "no connection selected".
    p->client.reset();
    QCOMPARE(inspector.trace(), nullptr);
    QCOMPARE(inspector.stateDiagram()->trace(), nullptr);
    QVERIFY(inspector.socketLogView()->connectionFilter().isEmpty());
}

void TestInspectorWidgets::repaintsAreCoalesced()
{
    // The throttle: a burst of changes is one flush.
    int flushes = 0;
    RepaintThrottle throttle([&flushes] { ++flushes; });
    for (int i = 0; i < 1000; ++i)
        throttle.markDirty();
    QVERIFY(throttle.isDirty());
    QTRY_COMPARE(flushes, 1);
    QVERIFY(!throttle.isDirty()); // nothing more will come
    QCOMPARE(throttle.flushCount(), 1);

    // A widget: a thousand changes, a handful of paints at most.
    struct PaintCounter : QObject
    {
        int paints = 0;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint)
                ++paints;
            return false;
        }
    } counter;
    auto p = scriptedLife(Life::Chatting);
    StateDiagramWidget diagram;
    diagram.setTrace(p->client.get());
    diagram.resize(diagram.sizeHint());
    diagram.show();
    QVERIFY(QTest::qWaitForWindowExposed(&diagram));
    diagram.installEventFilter(&counter);
    const qint64 t = p->t0 + 70 * kS;
    for (int i = 0; i < 1000; ++i)
        p->client->addRoundTrip(t + i, 100);
    p->client->addKernelState(t + 2000, TcpState::FinWait1, {});
    QCOMPARE(counter.paints, 0); // nothing painted per change
    QTRY_COMPARE(diagram.currentState(), TcpState::FinWait1);
    QTRY_VERIFY(counter.paints >= 1);
    QCoreApplication::processEvents();
    QVERIFY2(counter.paints <= 2, qPrintable(QString::number(counter.paints)));
}

void TestInspectorWidgets::renderPictures()
{
    const QList<Life> lives{Life::Chatting, Life::ClientCloses, Life::ServerCloses,
                            Life::ClientAborts, Life::ClientHalfCloses};
    QHash<QString, QImage> diagrams;
    for (const bool dark : {false, true}) {
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        for (Life life : lives) {
            auto p = scriptedLife(life);
            p->client->setPeerTrace(p->server.get());
            for (const bool client : {true, false}) {
                ConnectionTrace *trace = client ? p->client.get() : p->server.get();
                const QString base = lifeName(life) + (client ? QStringLiteral("-client")
                                                              : QStringLiteral("-server"));
                const QString suffix = QLatin1Char('-') + theme;

                StateDiagramWidget diagram;
                LadderWidget ladder;
                StateTimelineWidget timeline;
                for (QWidget *w : std::initializer_list<QWidget *>{&diagram, &ladder, &timeline}) {
                    if (dark)
                        w->setPalette(darkPalette());
                }
                diagram.setTrace(trace);
                ladder.setTrace(trace);
                timeline.setTrace(trace);
                const QImage d = renderTo(&diagram, QStringLiteral("diagram-") + base + suffix,
                                          diagram.sizeHint());
                QVERIFY(hasContent(d));
                diagrams.insert(base + suffix, d);
                QVERIFY(hasContent(renderTo(&ladder, QStringLiteral("ladder-") + base + suffix,
                                            ladder.sizeHint())));
                QVERIFY(hasContent(renderTo(&timeline, QStringLiteral("timeline-") + base + suffix,
                                            QSize(900, timeline.sizeHint().height()))));
            }
        }

        auto p = scriptedLife(Life::ClientCloses);
        p->client->setPeerTrace(p->server.get());
        RoundTripGraphWidget graph;
        TcpInfoPanel panel;
        ConnectionInspector inspector;
        EventLog log;
        for (int i = 0; i < 40; ++i) {
            ConnectionEvent e;
            e.connectionId = 7;
            e.wallMs = 1763733787125 + i * 250;
            e.kind = i % 3 ? EventKind::Heartbeat : EventKind::Frame;
            e.direction = i % 2 ? Direction::In : Direction::Out;
            e.type = i % 3 ? QStringLiteral("ping") : QStringLiteral("say");
            e.summary = i % 3 ? QStringLiteral("ping seq=%1").arg(i)
                              : QStringLiteral("say text=\"hello %1\"").arg(i);
            e.raw = i % 3 ? protocol::encodeMessageFrame(protocol::Ping{quint64(i), 1000 + i})
                          : protocol::encodeMessageFrame(
                                protocol::Say{QStringLiteral("hello %1").arg(i), {}, {}});
            e.size = e.raw.size();
            log.append(e);
        }
        log.setConnectionLabel(7, QStringLiteral("#7 to 127.0.0.1:5555"));
        log.flush();
        SocketLogView logView(&log);
        inspector.setEventLog(&log);
        for (QWidget *w : std::initializer_list<QWidget *>{&graph, &panel, &inspector, &logView}) {
            if (dark)
                w->setPalette(darkPalette());
        }
        graph.setTrace(p->client.get());
        panel.setTrace(p->client.get());
        inspector.setTrace(p->client.get());
        logView.tableView()->selectRow(3);
        const QString suffix = QLatin1Char('-') + theme;
        QVERIFY(
            hasContent(renderTo(&graph, QStringLiteral("roundtrips") + suffix, graph.sizeHint())));
        QVERIFY(hasContent(renderTo(&panel, QStringLiteral("tcpinfo") + suffix, panel.sizeHint())));
        QVERIFY(
            hasContent(renderTo(&logView, QStringLiteral("socketlog") + suffix, QSize(1000, 520))));
        QVERIFY(hasContent(
            renderTo(&inspector, QStringLiteral("inspector") + suffix, QSize(1280, 900))));
        // 2x, as on a high-DPI screen.
        QVERIFY(hasContent(renderTo(&inspector,
                                    QStringLiteral("inspector") + suffix + QStringLiteral("-2x"),
                                    QSize(1280, 900), 2.0)));
        QVERIFY(hasContent(renderTo(inspector.stateDiagram(),
                                    QStringLiteral("diagram-client-closes-client") + suffix +
                                        QStringLiteral("-2x"),
                                    inspector.stateDiagram()->sizeHint(), 2.0)));
        inspector.setTrace(nullptr);
        QVERIFY(hasContent(
            renderTo(&inspector, QStringLiteral("inspector-empty") + suffix, QSize(800, 500))));
    }
    // Different states, different pictures; different palettes too.
    QVERIFY(diagrams.value(QStringLiteral("chatting-client-light")) !=
            diagrams.value(QStringLiteral("client-closes-client-light")));
    QVERIFY(diagrams.value(QStringLiteral("client-closes-client-light")) !=
            diagrams.value(QStringLiteral("client-aborts-client-light")));
    QVERIFY(diagrams.value(QStringLiteral("client-closes-client-light")) !=
            diagrams.value(QStringLiteral("client-closes-server-light")));
    QVERIFY(diagrams.value(QStringLiteral("chatting-client-light")) !=
            diagrams.value(QStringLiteral("chatting-client-dark")));
}

void TestInspectorWidgets::renderPseudoTranslated()
{
    for (const bool cjk : {false, true}) {
        PseudoTranslator translator(cjk);
        QVERIFY(QCoreApplication::installTranslator(&translator));
        const QString suffix = cjk ? QStringLiteral("-pseudo-cjk") : QStringLiteral("-pseudo-long");
        auto p = scriptedLife(Life::ClientCloses);
        p->client->setPeerTrace(p->server.get());
        ConnectionInspector inspector;
        EventLog log;
        inspector.setEventLog(&log);
        inspector.setTrace(p->client.get());
        QVERIFY(hasContent(
            renderTo(&inspector, QStringLiteral("inspector") + suffix, QSize(1280, 900))));
        StateDiagramWidget diagram;
        diagram.setTrace(p->client.get());
        QVERIFY(
            hasContent(renderTo(&diagram, QStringLiteral("diagram") + suffix, diagram.sizeHint())));
        inspector.tabs()->setCurrentWidget(inspector.tcpInfoPanel());
        QVERIFY(hasContent(
            renderTo(&inspector, QStringLiteral("inspector-tcpinfo") + suffix, QSize(1280, 900))));
        QCoreApplication::removeTranslator(&translator);
    }
}

QTEST_MAIN(TestInspectorWidgets)
#include "tst_inspectorwidgets.moc"
