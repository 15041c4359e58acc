#include "ui/socketlogview.h"

#include "net/eventlog.h"
#include "net/eventlogfilter.h"
#include "protocol/describe.h"
#include "protocol/framing.h"

#include <QAction>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace synack::ui {

namespace {

constexpr net::EventKind kAllKinds[] = {
    net::EventKind::QtState,   net::EventKind::SocketError, net::EventKind::Bytes,
    net::EventKind::Frame,     net::EventKind::Heartbeat,   net::EventKind::KernelState,
    net::EventKind::Lifecycle, net::EventKind::Lab,
};

QString kindTitle(net::EventKind kind)
{
    switch (kind) {
    case net::EventKind::QtState:
        return SocketLogView::tr("Qt socket states");
    case net::EventKind::SocketError:
        return SocketLogView::tr("Socket errors");
    case net::EventKind::Bytes:
        return SocketLogView::tr("Bytes read and written");
    case net::EventKind::Frame:
        return SocketLogView::tr("Frames");
    case net::EventKind::Heartbeat:
        return SocketLogView::tr("Heartbeats");
    case net::EventKind::KernelState:
        return SocketLogView::tr("Kernel TCP states");
    case net::EventKind::Lifecycle:
        return SocketLogView::tr("Connect and close");
    case net::EventKind::Lab:
        return SocketLogView::tr("Lab actions");
    }
    return {};
}

} // namespace

SocketLogView::SocketLogView(net::EventLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_filter(new net::EventLogFilter(this))
    , m_table(new QTableView(this))
    , m_textEdit(new QLineEdit(this))
    , m_kindButton(new QToolButton(this))
    , m_followButton(new QToolButton(this))
    , m_countLabel(new QLabel(this))
    , m_detail(new QPlainTextEdit(this))
{
    m_filter->setSourceModel(log);

    m_textEdit->setPlaceholderText(tr("Filter: text in type, summary or connection"));
    m_textEdit->setClearButtonEnabled(true);
    connect(m_textEdit, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_filter->setTextFilter(text); });

    m_kindButton->setText(tr("Kinds"));
    m_kindButton->setToolTip(tr("Which kinds of event to show; none ticked shows all."));
    m_kindButton->setPopupMode(QToolButton::InstantPopup);
    auto *kindMenu = new QMenu(m_kindButton);
    for (net::EventKind kind : kAllKinds) {
        QAction *action = kindMenu->addAction(kindTitle(kind));
        action->setCheckable(true);
        action->setData(int(kind));
        connect(action, &QAction::toggled, this, &SocketLogView::onKindMenuChanged);
    }
    m_kindButton->setMenu(kindMenu);

    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setText(tr("Follow"));
    m_followButton->setToolTip(tr("Follow: keep the newest events in view. Off: pause the view "
                                  "where it is (events are still recorded)."));
    connect(m_followButton, &QToolButton::toggled, this, &SocketLogView::setFollow);

    auto *exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setToolTip(tr("Write the events the filters let through to a file."));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    connect(exportMenu->addAction(tr("As text…")), &QAction::triggered, this,
            [this] { exportInteractive(net::ExportFormat::Text); });
    connect(exportMenu->addAction(tr("As JSON Lines…")), &QAction::triggered, this,
            [this] { exportInteractive(net::ExportFormat::JsonLines); });
    exportButton->setMenu(exportMenu);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_textEdit, 1);
    bar->addWidget(m_kindButton);
    bar->addWidget(m_followButton);
    bar->addWidget(exportButton);
    bar->addWidget(m_countLabel);

    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Sizes from the font, not the contents: measuring 100,000 rows is slow.
    const QFontMetrics fm(m_table->font());
    m_table->setColumnWidth(net::EventLog::TimeColumn,
                            fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + 16);
    m_table->setColumnWidth(net::EventLog::ConnectionColumn,
                            fm.horizontalAdvance(QStringLiteral("#00 alice 127.0.0.1:55555")) + 16);
    m_table->setColumnWidth(net::EventLog::DirectionColumn,
                            std::max(fm.horizontalAdvance(tr("Dir")), fm.height()) + 16);
    m_table->setColumnWidth(net::EventLog::KindColumn,
                            fm.horizontalAdvance(QStringLiteral("kernel-state")) + 16);
    m_table->setColumnWidth(net::EventLog::TypeColumn,
                            fm.horizontalAdvance(QStringLiteral("ConnectedState")) + 16);
    m_table->setColumnWidth(net::EventLog::SizeColumn,
                            fm.horizontalAdvance(QStringLiteral("000000")) + 16);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SocketLogView::onSelectionChanged);
    // A row clicked is a row to read: following would carry it away.
    connect(m_table, &QAbstractItemView::pressed, this, [this] { setFollow(false); });

    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select an event to see its bytes."));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    // The log inserts in batches (at most 20 a second): follow per batch.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &SocketLogView::onRowsInserted);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &SocketLogView::updateCountLabel);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &SocketLogView::updateCountLabel);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &SocketLogView::updateCountLabel);
    onKindMenuChanged();
    updateCountLabel();
    // Start at the newest rows, once the table knows its size.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_follow)
                m_table->scrollToBottom();
        },
        Qt::QueuedConnection);
}

SocketLogView::~SocketLogView() = default;

void SocketLogView::setConnectionFilter(const QSet<quint64> &ids)
{
    m_filter->setConnectionFilter(ids);
    updateCountLabel();
}

QSet<quint64> SocketLogView::connectionFilter() const
{
    return m_filter->connectionFilter();
}

void SocketLogView::setKindFilter(const QSet<net::EventKind> &kinds)
{
    // Through the menu, so that its ticks say what is shown.
    const QList<QAction *> actions = m_kindButton->menu()->actions();
    for (QAction *action : actions) {
        const QSignalBlocker blocker(action);
        action->setChecked(kinds.contains(net::EventKind(action->data().toInt())));
    }
    onKindMenuChanged();
}

QSet<net::EventKind> SocketLogView::kindFilter() const
{
    return m_filter->kindFilter();
}

void SocketLogView::setTextFilter(const QString &text)
{
    m_textEdit->setText(text); // textChanged sets the filter
    m_filter->setTextFilter(text);
    updateCountLabel();
}

QString SocketLogView::textFilter() const
{
    return m_filter->textFilter();
}

void SocketLogView::setFollow(bool follow)
{
    if (m_followButton->isChecked() != follow) {
        m_followButton->setChecked(follow); // comes back here through toggled
        return;
    }
    if (follow == m_follow)
        return;
    m_follow = follow;
    if (follow)
        m_table->scrollToBottom();
    emit followChanged(follow);
}

void SocketLogView::onKindMenuChanged()
{
    QSet<net::EventKind> kinds;
    const QList<QAction *> actions = m_kindButton->menu()->actions();
    for (QAction *action : actions) {
        if (action->isChecked())
            kinds.insert(net::EventKind(action->data().toInt()));
    }
    m_filter->setKindFilter(kinds);
    m_kindButton->setText(kinds.isEmpty() ? tr("Kinds: all") : tr("Kinds: %1").arg(kinds.size()));
    updateCountLabel();
}

void SocketLogView::onRowsInserted()
{
    updateCountLabel();
    if (m_follow)
        m_table->scrollToBottom();
}

void SocketLogView::updateCountLabel()
{
    const int shown = m_filter->rowCount();
    const int all = m_log ? m_log->rowCount() : 0;
    m_countLabel->setText(shown == all ? tr("%n event(s)", nullptr, all)
                                       : tr("%1 of %2").arg(shown).arg(all));
}

QString SocketLogView::hexDump(const QByteArray &bytes)
{
    QString out;
    constexpr int kPerLine = 16;
    for (qsizetype offset = 0; offset < bytes.size(); offset += kPerLine) {
        QString hex;
        QString ascii;
        for (int i = 0; i < kPerLine; ++i) {
            if (i == kPerLine / 2)
                hex += QLatin1Char(' ');
            if (offset + i < bytes.size()) {
                const auto byte = quint8(bytes[offset + i]);
                hex += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += byte >= 0x20 && byte < 0x7f ? QLatin1Char(char(byte)) : QLatin1Char('.');
            } else {
                hex += QStringLiteral("   ");
            }
        }
        out += QStringLiteral("%1  %2 %3\n").arg(offset, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    return out;
}

QString SocketLogView::detailText() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return {};
    const QVariant value = current.siblingAtColumn(0).data(net::EventLog::EventRole);
    if (!value.canConvert<net::ConnectionEvent>())
        return {};
    const auto e = value.value<net::ConnectionEvent>();
    QString out = QStringLiteral("%1  %2  %3  %4  %5\n")
                      .arg(net::EventLog::formatWallTime(e.wallMs),
                           m_log ? m_log->connectionLabel(e.connectionId)
                                 : QStringLiteral("#%1").arg(e.connectionId),
                           net::directionName(e.direction), net::eventKindName(e.kind), e.type);
    out += e.summary + QLatin1Char('\n');
    if (e.kind == net::EventKind::Frame && e.raw.size() >= protocol::kFrameHeaderSize) {
        out += tr("Decoded: %1")
                   .arg(protocol::describePayload(
                       QByteArrayView(e.raw).sliced(protocol::kFrameHeaderSize), 400)) +
               QLatin1Char('\n');
    }
    if (e.raw.isEmpty()) {
        out += tr("(no bytes recorded for this event)") + QLatin1Char('\n');
    } else {
        out += tr("%n byte(s)", nullptr, int(e.raw.size()));
        if (e.size > e.raw.size())
            out += QLatin1Char(' ') + tr("(the first %1 of %2)").arg(e.raw.size()).arg(e.size);
        out += QLatin1Char('\n') + hexDump(e.raw);
    }
    return out;
}

void SocketLogView::onSelectionChanged()
{
    m_detail->setPlainText(detailText());
}

bool SocketLogView::exportTo(const QString &path, net::ExportFormat format, QString *error)
{
    if (!m_log) {
        if (error)
            *error = tr("There is no log to export.");
        return false;
    }
    m_log->flush();
    return net::exportToFile(path, format, *m_log, m_filter, {}, error);
}

void SocketLogView::exportInteractive(net::ExportFormat format)
{
    if (!m_log)
        return;
    const bool text = format == net::ExportFormat::Text;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the socket log"),
        text ? QStringLiteral("socket-log.txt") : QStringLiteral("socket-log.jsonl"),
        text ? tr("Text (*.txt);;All files (*)") : tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    m_log->flush();
    QProgressDialog progress(tr("Exporting the socket log…"), tr("Cancel"), 0, 100, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    const net::ExportProgress onProgress = [&progress](qint64 done, qint64 total) {
        progress.setValue(total > 0 ? int(done * 100 / total) : 100);
        return !progress.wasCanceled();
    };
    QString error;
    if (!net::exportToFile(path, format, *m_log, m_filter, onProgress, &error) &&
        !progress.wasCanceled()) {
        QMessageBox::warning(this, tr("Export failed"),
                             tr("The socket log could not be written to %1: %2")
                                 .arg(QDir::toNativeSeparators(path), error));
    }
}

} // namespace synack::ui
