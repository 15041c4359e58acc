#pragma once

// The socket log as a table (time, connection, direction, kind, type, size,
// summary) over an EventLog through an EventLogFilter: filter by text, kind
// and connection; follow the newest rows or pause; see the selected frame as
// a hex dump with its decoded summary; export what the filter lets through.

#include "net/connectionevent.h"
#include "net/eventlog.h"
#include "net/eventlogexport.h"

#include <QPointer>
#include <QSet>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QToolButton;

namespace synack::net {
class EventLogFilter;
} // namespace synack::net

namespace synack::ui {

class SocketLogView : public QWidget
{
    Q_OBJECT

public:
    explicit SocketLogView(net::EventLog *log, QWidget *parent = nullptr);
    ~SocketLogView() override;

    net::EventLog *log() const { return m_log; }
    net::EventLogFilter *filter() const { return m_filter; }
    QTableView *tableView() const { return m_table; }

    // Empty: all connections.
    void setConnectionFilter(const QSet<quint64> &ids);
    QSet<quint64> connectionFilter() const;
    // Empty: all kinds.
    void setKindFilter(const QSet<net::EventKind> &kinds);
    QSet<net::EventKind> kindFilter() const;
    void setTextFilter(const QString &text);
    QString textFilter() const;

    // Follow: keep the newest row in view. Pause: keep the view still.
    void setFollow(bool follow);
    bool isFollowing() const { return m_follow; }

    // The detail pane of the selected row: the decoded summary, then the
    // bytes as "offset  hex  ascii" lines. Empty without a selection.
    QString detailText() const;
    // 16 bytes a line: "00000000  00 00 00 1b a2 61 74 ...  ....at..."
    static QString hexDump(const QByteArray &bytes);

    // Writes the rows the filter lets through, without asking anything (tests,
    // scripts); the buttons ask for a file, then call this with a progress
    // dialog for long exports.
    bool exportTo(const QString &path, net::ExportFormat format, QString *error = nullptr);

signals:
    void followChanged(bool follow);

private:
    void onRowsInserted();
    void onSelectionChanged();
    void onKindMenuChanged();
    void exportInteractive(net::ExportFormat format);
    void updateCountLabel();

    QPointer<net::EventLog> m_log;
    net::EventLogFilter *m_filter;
    QTableView *m_table;
    QLineEdit *m_textEdit;
    QToolButton *m_kindButton;
    QToolButton *m_followButton;
    QLabel *m_countLabel;
    QPlainTextEdit *m_detail;
    bool m_follow = true;
};

} // namespace synack::ui
