// EventLog: the bounded ring, batching, filters, and the text and JSON Lines
// exports.

#include "net/eventlog.h"
#include "net/eventlogexport.h"
#include "net/eventlogfilter.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace synack::net;

namespace {

// Event number `n`: its number is in monotonicUs and the summary.
ConnectionEvent numbered(qint64 n, quint64 connection = 1, EventKind kind = EventKind::Frame)
{
    ConnectionEvent e;
    e.connectionId = connection;
    e.monotonicUs = n;
    e.wallMs = 1763733787000 + n;
    e.kind = kind;
    e.direction = n % 2 ? Direction::In : Direction::Out;
    e.type = QStringLiteral("say");
    e.summary = QStringLiteral("event %1").arg(n);
    e.size = 20 + n % 7;
    return e;
}

void appendRange(EventLog &log, qint64 from, qint64 to)
{
    for (qint64 n = from; n <= to; ++n)
        log.append(numbered(n));
}

QList<qint64> numbersOf(const QAbstractItemModel &model)
{
    QList<qint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.index(row, 0).data(EventLog::MonotonicUsRole).toLongLong());
    return out;
}

QList<QByteArray> linesOf(QBuffer &buffer)
{
    QList<QByteArray> lines = buffer.data().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// A mixed log: two connections, all kinds, some text to find.
void fillMixed(EventLog &log)
{
    log.setConnectionLabel(7, QStringLiteral("#7 alice 127.0.0.1:5555"));
    log.setConnectionLabel(8, QStringLiteral("#8 bob 127.0.0.1:5556"));
    for (int n = 0; n < 40; ++n) {
        const quint64 connection = n % 2 ? 8 : 7;
        const auto kind = EventKind(n % 8);
        ConnectionEvent e = numbered(n, connection, kind);
        e.type = n % 5 == 0 ? QStringLiteral("PING") : QStringLiteral("say");
        if (n == 13)
            e.summary = QStringLiteral("the Needle is here");
        log.append(e);
    }
    log.flush();
}

} // namespace

class TestEventLog : public QObject
{
    Q_OBJECT

private slots:
    void ringBoundHolds_data();
    void ringBoundHolds();
    void appendOnlyQueuesUntilTheBatch();
    void oneInsertAndOneRemovePerBatch();
    void timerBatchesAtMostTwentyPerSecond();
    void modelStaysConsistentForViews();
    void pendingAndRawBytesStayBounded();
    void rolesAndHeaders();
    void labelLaterUpdatesTheRows();
    void filtersByConnectionKindAndText();
    void filterFollowsNewRows();
    void textExportHasOneLinePerRow();
    void jsonLinesRoundTrip();
    void exportThroughFilterHasOnlyItsRows();
    void exportToFileReportsProgressAndCancels();
    void importStopsAtABadLine();
};

void TestEventLog::ringBoundHolds_data()
{
    QTest::addColumn<int>("batch");
    QTest::newRow("one batch") << 2500;     // the pending buffer overflows
    QTest::newRow("batches of 100") << 100; // the ring overflows
    QTest::newRow("batches of 999") << 999;
}

void TestEventLog::ringBoundHolds()
{
    QFETCH(int, batch);
    EventLog log(1000);
    QSignalSpy dropped(&log, &EventLog::droppedCountChanged);
    for (qint64 from = 1; from <= 2500; from += batch) {
        appendRange(log, from, std::min<qint64>(from + batch - 1, 2500));
        log.flush();
    }
    QCOMPARE(log.rowCount(), 1000);
    QCOMPARE(log.droppedCount(), 1500);
    QVERIFY(!dropped.isEmpty());
    QCOMPARE(dropped.last().at(0).toLongLong(), 1500);
    const QList<qint64> numbers = numbersOf(log);
    QCOMPARE(numbers.first(), 1501);
    QCOMPARE(numbers.last(), 2500);
    for (int i = 1; i < numbers.size(); ++i)
        QCOMPARE(numbers.at(i), numbers.at(i - 1) + 1);
}

void TestEventLog::appendOnlyQueuesUntilTheBatch()
{
    EventLog log;
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    appendRange(log, 1, 10);
    QCOMPARE(log.rowCount(), 0);
    QCOMPARE(log.pendingCount(), 10);
    QVERIFY(inserted.wait(1000)); // the batch timer
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(log.rowCount(), 10);
    QCOMPARE(log.pendingCount(), 0);
    QCOMPARE(numbersOf(log), (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

void TestEventLog::oneInsertAndOneRemovePerBatch()
{
    EventLog log(1000);
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
    appendRange(log, 1, 600);
    log.flush();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 599);
    QCOMPARE(removed.count(), 0);

    appendRange(log, 601, 1300); // 300 past the capacity
    log.flush();
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 299);
    QCOMPARE(inserted.at(1).at(1).toInt(), 300);
    QCOMPARE(inserted.at(1).at(2).toInt(), 999);

    log.flush(); // nothing pending: no signal
    QCOMPARE(inserted.count(), 2);
}

void TestEventLog::timerBatchesAtMostTwentyPerSecond()
{
    EventLog log;
    QList<qint64> batchTimes;
    QElapsedTimer clock;
    connect(&log, &QAbstractItemModel::rowsInserted, &log,
            [&] { batchTimes.append(clock.elapsed()); });
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);

    // A steady stream: 50 events every millisecond (50,000 a second).
    qint64 next = 1;
    QTimer source;
    source.setTimerType(Qt::PreciseTimer);
    source.setInterval(1);
    connect(&source, &QTimer::timeout, &log, [&] {
        appendRange(log, next, next + 49);
        next += 50;
    });
    clock.start();
    source.start();
    while (inserted.count() < 8)
        QVERIFY(inserted.wait(1000));
    source.stop();
    const qint64 elapsed = clock.elapsed();

    QVERIFY2(batchTimes.size() <= elapsed / 50 + 1,
             qPrintable(QStringLiteral("%1 batches in %2 ms").arg(batchTimes.size()).arg(elapsed)));
    for (int i = 1; i < batchTimes.size(); ++i)
        QVERIFY2(batchTimes.at(i) - batchTimes.at(i - 1) >= 49,
                 qPrintable(QStringLiteral("batch %1 after %2 ms")
                                .arg(i)
                                .arg(batchTimes.at(i) - batchTimes.at(i - 1))));
    // Nothing lost on the way.
    log.flush();
    QCOMPARE(qint64(log.rowCount()), next - 1);
    QCOMPARE(log.droppedCount(), 0);
}

void TestEventLog::modelStaysConsistentForViews()
{
    EventLog log(500);
    EventLogFilter filter;
    filter.setSourceModel(&log);
    QAbstractItemModelTester logTester(&log,
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(&filter,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setTextFilter(QStringLiteral("event 1"));

    appendRange(log, 1, 300);
    log.flush();
    appendRange(log, 301, 700); // removes 200
    log.flush();
    QCOMPARE(log.rowCount(), 500);
    appendRange(log, 701, 2000); // more than the capacity in one batch
    log.flush();
    QCOMPARE(log.rowCount(), 500);
    QCOMPARE(numbersOf(log).first(), 1501);
    log.setConnectionLabel(1, QStringLiteral("#1 alice"));
    log.setCapacity(100);
    QCOMPARE(log.rowCount(), 100);
    QCOMPARE(log.droppedCount(), 1900);
    appendRange(log, 2001, 2010);
    QVERIFY(QSignalSpy(&log, &QAbstractItemModel::rowsInserted).wait(1000));
    log.clear();
    QCOMPARE(log.rowCount(), 0);
    QCOMPARE(filter.rowCount(), 0);
    QCOMPARE(log.droppedCount(), 0);
}

void TestEventLog::pendingAndRawBytesStayBounded()
{
    EventLog log(100);
    appendRange(log, 1, 1000); // no flush between
    QCOMPARE(log.pendingCount(), 100);
    QCOMPARE(log.droppedCount(), 900);
    QCOMPARE(log.rowCount(), 0);

    ConnectionEvent big = numbered(1001);
    big.raw = QByteArray(3 * kMaxRawBytes, 'x');
    big.size = big.raw.size();
    log.append(big);
    log.flush();
    QCOMPARE(log.rowCount(), 100);
    QCOMPARE(log.event(99).raw.size(), kMaxRawBytes);
    QCOMPARE(log.event(99).size, 3 * kMaxRawBytes); // the size still tells the truth
    QCOMPARE(numbersOf(log).first(), 902);
}

void TestEventLog::rolesAndHeaders()
{
    EventLog log;
    ConnectionEvent e = numbered(5, 42, EventKind::Heartbeat);
    e.raw = QByteArray("\x00\x01\xff", 3);
    log.append(e);
    log.append(numbered(6, 43, EventKind::Lifecycle));
    log.flush();

    const QModelIndex first = log.index(0, EventLog::SummaryColumn);
    const auto whole = first.data(EventLog::EventRole).value<ConnectionEvent>();
    QCOMPARE(whole.summary, e.summary);
    QCOMPARE(whole.raw, e.raw);
    QCOMPARE(first.data(EventLog::RawBytesRole).toByteArray(), e.raw);
    QCOMPARE(first.data(EventLog::MonotonicUsRole).toLongLong(), 5);
    QCOMPARE(first.data(EventLog::ConnectionIdRole).toULongLong(), quint64(42));
    QCOMPARE(first.data(EventLog::KindRole).value<EventKind>(), EventKind::Heartbeat);

    const auto display = [&](int row, int column) {
        return log.index(row, column).data().toString();
    };
    QCOMPARE(display(0, EventLog::TimeColumn), EventLog::formatWallTime(e.wallMs));
    QVERIFY(display(0, EventLog::TimeColumn)
                .contains(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"))));
    // The same as QDateTime says, across a second's boundary too.
    for (qint64 ms :
         {e.wallMs, e.wallMs + 994, e.wallMs + 995, e.wallMs + 1000, qint64(7), qint64(-1)})
        QCOMPARE(EventLog::formatWallTime(ms),
                 QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("hh:mm:ss.zzz")));
    QCOMPARE(display(0, EventLog::ConnectionColumn), QStringLiteral("#42"));
    QCOMPARE(display(0, EventLog::DirectionColumn), QString(QChar(0x2190))); // in
    QCOMPARE(display(1, EventLog::DirectionColumn), QString(QChar(0x2192))); // out
    QCOMPARE(display(0, EventLog::KindColumn), QStringLiteral("heartbeat"));
    QCOMPARE(display(0, EventLog::TypeColumn), QStringLiteral("say"));
    QCOMPARE(display(0, EventLog::SizeColumn), QString::number(e.size));
    QCOMPARE(display(0, EventLog::SummaryColumn), QStringLiteral("event 5"));

    QCOMPARE(log.columnCount(), int(EventLog::ColumnCount));
    QCOMPARE(log.headerData(EventLog::TimeColumn, Qt::Horizontal).toString(),
             QStringLiteral("Time"));
    QCOMPARE(log.headerData(EventLog::SummaryColumn, Qt::Horizontal).toString(),
             QStringLiteral("Summary"));
}

void TestEventLog::labelLaterUpdatesTheRows()
{
    EventLog log;
    log.append(numbered(1, 3));
    log.append(numbered(2, 4));
    log.append(numbered(3, 3));
    log.append(numbered(4, 4));
    log.flush();
    QSignalSpy changed(&log, &QAbstractItemModel::dataChanged);
    log.setConnectionLabel(4, QStringLiteral("#4 bob"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), log.index(1, EventLog::ConnectionColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), log.index(3, EventLog::ConnectionColumn));
    QCOMPARE(log.index(3, EventLog::ConnectionColumn).data().toString(), QStringLiteral("#4 bob"));
    log.setConnectionLabel(9, QStringLiteral("#9 nobody yet")); // no rows: no signal
    QCOMPARE(changed.count(), 1);
}

void TestEventLog::filtersByConnectionKindAndText()
{
    EventLog log;
    fillMixed(log);
    EventLogFilter filter;
    filter.setSourceModel(&log);
    QCOMPARE(filter.rowCount(), 40);

    filter.setConnectionFilter({7});
    QCOMPARE(filter.rowCount(), 20);
    for (int row = 0; row < filter.rowCount(); ++row)
        QCOMPARE(filter.index(row, 0).data(EventLog::ConnectionIdRole).toULongLong(), quint64(7));

    filter.setKindFilter({EventKind::QtState, EventKind::Bytes});
    // Connection 7 has the even numbers, kind n % 8: 0, 2 (and 8, 10, ...).
    QCOMPARE(numbersOf(filter), (QList<qint64>{0, 2, 8, 10, 16, 18, 24, 26, 32, 34}));

    filter.setConnectionFilter({});
    filter.setKindFilter({});
    filter.setTextFilter(QStringLiteral("ping")); // the type, any case
    QCOMPARE(numbersOf(filter), (QList<qint64>{0, 5, 10, 15, 20, 25, 30, 35}));
    filter.setTextFilter(QStringLiteral("NEEDLE")); // the summary
    QCOMPARE(numbersOf(filter), (QList<qint64>{13}));
    filter.setTextFilter(QStringLiteral("Bob")); // the label
    QCOMPARE(filter.rowCount(), 20);
    filter.setTextFilter(QStringLiteral("5556"));
    filter.setKindFilter({EventKind::SocketError});
    QCOMPARE(numbersOf(filter), (QList<qint64>{1, 9, 17, 25, 33}));
    filter.setTextFilter(QString());
    filter.setKindFilter({});
    QCOMPARE(filter.rowCount(), 40);
}

void TestEventLog::filterFollowsNewRows()
{
    EventLog log(10);
    EventLogFilter filter;
    filter.setSourceModel(&log);
    filter.setConnectionFilter({2});
    for (int n = 1; n <= 12; ++n)
        log.append(numbered(n, n % 3 == 0 ? 2 : 1));
    log.flush(); // keeps 3..12
    QCOMPARE(numbersOf(filter), (QList<qint64>{3, 6, 9, 12}));
    for (int n = 13; n <= 18; ++n)
        log.append(numbered(n, n % 3 == 0 ? 2 : 1));
    log.flush(); // keeps 9..18
    QCOMPARE(numbersOf(filter), (QList<qint64>{9, 12, 15, 18}));

    // A label given later makes its rows match the text.
    filter.setConnectionFilter({});
    filter.setTextFilter(QStringLiteral("carol"));
    QCOMPARE(filter.rowCount(), 0);
    log.setConnectionLabel(2, QStringLiteral("#2 carol"));
    QCOMPARE(numbersOf(filter), (QList<qint64>{9, 12, 15, 18}));
}

void TestEventLog::textExportHasOneLinePerRow()
{
    EventLog log;
    fillMixed(log);
    ConnectionEvent multiLine = numbered(40, 7);
    multiLine.summary = QStringLiteral("two\nlines\twith a tab");
    log.append(multiLine);
    log.flush();

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(exportText(log, nullptr, &buffer));
    const QList<QByteArray> lines = linesOf(buffer);
    QCOMPARE(lines.size(), log.rowCount());
    const QList<QByteArray> fields = lines.at(13).split('\t');
    QCOMPARE(fields.size(), 7);
    QCOMPARE(QString::fromUtf8(fields.at(0)), EventLog::formatWallTime(log.event(13).wallMs));
    QCOMPARE(fields.at(1), QByteArray("#8 bob 127.0.0.1:5556"));
    QCOMPARE(fields.at(2), QByteArray("in"));
    QCOMPARE(fields.at(3), QByteArray("kernel-state"));
    QCOMPARE(fields.at(4), QByteArray("say"));
    QCOMPARE(fields.at(5), QByteArray::number(log.event(13).size));
    QCOMPARE(fields.at(6), QByteArray("the Needle is here"));
    QCOMPARE(lines.last().split('\t').at(6), QByteArray("two lines with a tab"));
}

void TestEventLog::jsonLinesRoundTrip()
{
    EventLog log;
    log.setConnectionLabel(3, QStringLiteral("#3 \u00e9lise \"q\" 127.0.0.1:5555"));
    QList<ConnectionEvent> events;
    for (int n = 0; n < 8; ++n) {
        ConnectionEvent e = numbered(n, n < 4 ? 3 : 0xfffffffffffull, EventKind(n));
        e.direction = Direction(n % 3);
        e.monotonicUs = 9007199254740993ll + n; // past a double's exact integers
        e.summary = QStringLiteral("line %1 \u2192 \"quoted\" \\ back").arg(n);
        for (int b = 0; b < 256; ++b)
            e.raw.append(char(b + n));
        events.append(e);
    }
    events[5].raw.clear();
    events[5].type.clear();
    for (const ConnectionEvent &e : events)
        log.append(e);
    log.flush();

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::ReadWrite));
    QVERIFY(exportJsonLines(log, nullptr, &buffer));
    QCOMPARE(linesOf(buffer).size(), events.size());
    buffer.seek(0);
    QString error;
    QHash<quint64, QString> labels;
    const QList<ConnectionEvent> back = importJsonLines(&buffer, &error, &labels);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.size(), events.size());
    for (int i = 0; i < events.size(); ++i) {
        const ConnectionEvent &a = events.at(i);
        const ConnectionEvent &b = back.at(i);
        QCOMPARE(b.connectionId, a.connectionId);
        QCOMPARE(b.monotonicUs, a.monotonicUs);
        QCOMPARE(b.wallMs, a.wallMs);
        QCOMPARE(b.kind, a.kind);
        QCOMPARE(b.direction, a.direction);
        QCOMPARE(b.type, a.type);
        QCOMPARE(b.summary, a.summary);
        QCOMPARE(b.size, a.size);
        QCOMPARE(b.raw, a.raw);
    }
    QCOMPARE(labels.value(3), log.connectionLabel(3));
    QCOMPARE(labels.value(0xfffffffffffull), QStringLiteral("#17592186044415"));
}

void TestEventLog::exportThroughFilterHasOnlyItsRows()
{
    EventLog log;
    fillMixed(log);
    EventLogFilter filter;
    filter.setSourceModel(&log);
    filter.setConnectionFilter({8});
    filter.setKindFilter({EventKind::Frame});
    QCOMPARE(filter.rowCount(), 5); // 3, 11, 19, 27, 35

    QBuffer text;
    QVERIFY(text.open(QIODevice::WriteOnly));
    QVERIFY(exportText(log, &filter, &text));
    QCOMPARE(linesOf(text).size(), 5);
    for (const QByteArray &line : linesOf(text))
        QVERIFY(line.contains("\t#8 bob 127.0.0.1:5556\t") && line.contains("\tframe\t"));

    QBuffer json;
    QVERIFY(json.open(QIODevice::ReadWrite));
    QVERIFY(exportJsonLines(log, &filter, &json));
    json.seek(0);
    QList<qint64> numbers;
    for (const ConnectionEvent &e : importJsonLines(&json))
        numbers.append(e.monotonicUs);
    QCOMPARE(numbers, (QList<qint64>{3, 11, 19, 27, 35}));

    EventLog other;
    QVERIFY(!exportText(other, &filter, &text)); // a filter over another log
}

void TestEventLog::exportToFileReportsProgressAndCancels()
{
    EventLog log;
    appendRange(log, 1, 25000);
    log.flush();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    const QString path = dir.filePath(QStringLiteral("log.jsonl"));
    QList<std::pair<qint64, qint64>> reports;
    QString error;
    QVERIFY(exportToFile(
        path, ExportFormat::JsonLines, log, nullptr,
        [&](qint64 done, qint64 total) {
            reports.append({done, total});
            return true;
        },
        &error));
    QVERIFY(error.isEmpty());
    QCOMPARE(reports,
             (QList<std::pair<qint64, qint64>>{{10000, 25000}, {20000, 25000}, {25000, 25000}}));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<ConnectionEvent> back = importJsonLines(&file);
    QCOMPARE(back.size(), 25000);
    QCOMPARE(back.last().summary, QStringLiteral("event 25000"));

    const QString cancelled = dir.filePath(QStringLiteral("cancelled.txt"));
    QVERIFY(!exportToFile(
        cancelled, ExportFormat::Text, log, nullptr, [](qint64, qint64) { return false; }, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(cancelled));

    QVERIFY(exportToFile(cancelled, ExportFormat::Text, log));
    QFile textFile(cancelled);
    QVERIFY(textFile.open(QIODevice::ReadOnly));
    QCOMPARE(textFile.readAll().count('\n'), 25000);
}

void TestEventLog::importStopsAtABadLine()
{
    EventLog log;
    appendRange(log, 1, 2);
    log.flush();
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::ReadWrite));
    QVERIFY(exportJsonLines(log, nullptr, &buffer));
    buffer.write("\n{\"conn\":1,\"kind\":\"no-such-kind\",\"dir\":\"in\"}\n");
    QVERIFY(exportJsonLines(log, nullptr, &buffer));
    buffer.seek(0);
    QString error;
    const QList<ConnectionEvent> back = importJsonLines(&buffer, &error);
    QCOMPARE(back.size(), 2);
    QVERIFY2(error.contains(QStringLiteral("line 4")), qPrintable(error));

    QBuffer garbage;
    garbage.setData("not json\n");
    QVERIFY(garbage.open(QIODevice::ReadOnly));
    QVERIFY(importJsonLines(&garbage, &error).isEmpty());
    QVERIFY(error.startsWith(QStringLiteral("line 1:")));
}

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
