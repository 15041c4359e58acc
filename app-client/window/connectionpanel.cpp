#include "connectionpanel.h"

#include "chatclient.h"
#include "net/connection.h"
#include "net/connectiontrace.h"
#include "net/kernelwatch.h"
#include "ui/connectioninspector.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

namespace synack::client {

using namespace std::chrono_literals;

namespace {

// Holds one widget at exactly its own size, never below the widget's minimum,
// and says nothing of height for width: in a scroll area the inspector then
// fills the view as it would outside one, and scrolls only when the view is
// smaller than its minimum (rather than growing as tall as its pictures
// would like for the width).
class MinimumSizeHolder : public QWidget
{
public:
    MinimumSizeHolder(QWidget *child, QWidget *parent)
        : QWidget(parent)
        , m_child(child)
    {
        child->setParent(this);
    }

    QSize sizeHint() const override { return m_child->sizeHint(); }
    QSize minimumSizeHint() const override { return m_child->minimumSizeHint(); }

protected:
    void resizeEvent(QResizeEvent *) override { m_child->setGeometry(rect()); }

private:
    QWidget *m_child;
};

} // namespace

ConnectionPanel::ConnectionPanel(ChatClient *client, net::KernelWatch *watch, net::EventLog *log,
                                 QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_watch(watch)
    , m_inspector(new ui::ConnectionInspector(this))
    , m_chooser(new QComboBox(this))
    , m_note(new QLabel(this))
    , m_disconnect(new QPushButton(tr("Disconnect (FIN)"), this))
    , m_abort(new QPushButton(tr("Abort (RST)"), this))
    , m_halfClose(new QPushButton(tr("Half-close"), this))
    , m_freeze(new QPushButton(tr("Freeze heartbeats"), this))
    , m_tolerateHalfClose(new QCheckBox(tr("Keep sending after the server's half-close"), this))
    , m_refresh(new QTimer(this))
{
    if (log)
        m_inspector->setEventLog(log);
    m_chooser->setToolTip(tr("This client's connections: the current one, and the last ones "
                             "while the kernel still remembers them."));
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_chooser->setMinimumContentsLength(24);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    QString whyNot;
    if (!watch || !watch->isAvailable(&whyNot)) {
        m_note->setText(tr("The kernel's TCP states cannot be read here: %1")
                            .arg(whyNot.isEmpty() ? tr("no kernel probe") : whyNot));
    } else {
        m_note->setVisible(false);
    }

    m_disconnect->setToolTip(tr("Say goodbye and close: this side sends FIN first, so it is the "
                                "one that waits in TIME_WAIT (about a minute on Linux)."));
    m_abort->setToolTip(tr("Reset the connection at once (SO_LINGER 0): the server sees RST, "
                           "this side skips TIME_WAIT, and auto-reconnect may follow."));
    m_halfClose->setToolTip(tr("Shut down only the sending side (FIN): this side goes on "
                               "reading, and the server decides whether to close too."));
    m_freeze->setToolTip(tr("Stop sending and answering heartbeats, so the server declares this "
                            "client dead after its timeout."));
    m_freeze->setCheckable(true);
    m_tolerateHalfClose->setToolTip(
        tr("From the next Connect: a FIN from the server without a goodbye is taken as a "
           "half-close, so this side stays in CLOSE_WAIT and may still send. Off: that FIN "
           "ends the connection at once, as a server that went away."));

    auto *chooserRow = new QHBoxLayout;
    auto *chooserLabel = new QLabel(tr("&Connection:"), this);
    chooserLabel->setBuddy(m_chooser);
    chooserRow->addWidget(chooserLabel);
    chooserRow->addWidget(m_chooser, 1);

    auto *lab = new QGroupBox(tr("End it on purpose (TCP lab)"), this);
    auto *buttons = new QGridLayout(lab);
    buttons->addWidget(m_disconnect, 0, 0);
    buttons->addWidget(m_abort, 0, 1);
    buttons->addWidget(m_halfClose, 0, 2);
    buttons->addWidget(m_freeze, 0, 3);
    buttons->addWidget(m_tolerateHalfClose, 1, 0, 1, 4);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(chooserRow);
    layout->addWidget(m_note);
    // The pictures need room; on a small screen they scroll rather than
    // making the window taller than the screen. The buttons stay in view.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(new MinimumSizeHolder(m_inspector, scroll));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll, 1);
    layout->addWidget(lab);

    connect(m_chooser, &QComboBox::activated, this,
            [this](int item) { showTraceAt(int(m_traces.size()) - 1 - item); }); // newest on top
    connect(m_disconnect, &QPushButton::clicked, this, [this] {
        if (m_connection && m_connection->isOpen())
            emit labAction(tr("You disconnected: goodbye sent, then FIN. Watch this side go "
                              "through FIN_WAIT to TIME_WAIT."));
        m_client->disconnectFromServer();
    });
    connect(m_abort, &QPushButton::clicked, this, &ConnectionPanel::abortConnection);
    connect(m_halfClose, &QPushButton::clicked, this, &ConnectionPanel::halfCloseConnection);
    connect(m_freeze, &QPushButton::toggled, this, &ConnectionPanel::setFrozen);
    connect(client, &ChatClient::connectionChanged, this, &ConnectionPanel::onConnectionChanged);
    connect(client, &ChatClient::stateChanged, this, &ConnectionPanel::updateButtons);
    m_refresh->setInterval(500ms); // also coalesces the traces' changes
    connect(m_refresh, &QTimer::timeout, this, &ConnectionPanel::refreshChooser);

    refreshChooser();
    updateButtons();
}

ConnectionPanel::~ConnectionPanel()
{
    m_inspector->setTrace(nullptr);
}

net::ConnectionTrace *ConnectionPanel::shownTrace() const
{
    return m_inspector->trace();
}

QList<net::ConnectionTrace *> ConnectionPanel::traces() const
{
    QList<net::ConnectionTrace *> list;
    for (const auto &trace : m_traces) {
        if (trace)
            list.append(trace);
    }
    return list;
}

void ConnectionPanel::onConnectionChanged(net::Connection *connection)
{
    if (m_connection)
        m_connection->disconnect(this);
    m_connection = connection;
    m_freeze->setChecked(false);
    if (connection) {
        auto *trace = new net::ConnectionTrace(connection, m_watch, this);
        trace->setLabel(tr("#%1 to %2").arg(connection->id()).arg(m_client->endpoint()));
        m_traces.append(trace);
        connect(trace, &net::ConnectionTrace::changed, this, [this] {
            if (!m_refresh->isActive())
                m_refresh->start();
        });
        connect(connection, &net::Connection::stateChanged, this, &ConnectionPanel::updateButtons);
        connect(connection, &net::Connection::labStateChanged, this,
                &ConnectionPanel::updateButtons);
        m_inspector->setTrace(trace); // the newest is shown
        prune();
    }
    refreshChooser();
    updateButtons();
}

void ConnectionPanel::showTraceAt(int row)
{
    if (row < 0 || row >= m_traces.size())
        return;
    m_inspector->setTrace(m_traces.at(row));
    m_chooser->setCurrentIndex(int(m_traces.size()) - 1 - row);
}

void ConnectionPanel::prune()
{
    m_traces.removeIf([](const QPointer<net::ConnectionTrace> &trace) { return !trace; });
    // The ones the kernel has forgotten go first, then the oldest; never the one shown.
    const auto forgotten = [](const net::ConnectionTrace *trace) {
        return trace->isClosed() &&
               (trace->isKernelFinished() || trace->kernelState() == net::TcpState::Unknown ||
                trace->kernelState() == net::TcpState::Closed);
    };
    while (m_traces.size() > kKeptTraces) {
        qsizetype victim = -1;
        for (qsizetype i = 0; i < m_traces.size() && victim < 0; ++i) {
            if (forgotten(m_traces.at(i)) && m_traces.at(i) != m_inspector->trace())
                victim = i;
        }
        for (qsizetype i = 0; i < m_traces.size() && victim < 0; ++i) {
            if (m_traces.at(i) != m_inspector->trace())
                victim = i;
        }
        delete m_traces.takeAt(victim).data();
    }
}

QString ConnectionPanel::describe(const net::ConnectionTrace *trace) const
{
    if (!trace)
        return {};
    const QString kernel = net::tcpStateName(trace->kernelState());
    if (!trace->isClosed()) {
        return trace->kernelState() == net::TcpState::Unknown
                   ? tr("%1: open").arg(trace->label())
                   : tr("%1: %2").arg(trace->label(), kernel);
    }
    if (trace->isKernelFinished() || trace->kernelState() == net::TcpState::Unknown)
        return tr("%1: closed").arg(trace->label());
    if (const auto left = trace->timerLeftMs())
        return tr("%1: closed, kernel in %2 (%3 s left)")
            .arg(trace->label(), kernel)
            .arg(*left / 1000);
    return tr("%1: closed, kernel in %2").arg(trace->label(), kernel);
}

void ConnectionPanel::refreshChooser()
{
    const QList<net::ConnectionTrace *> kept = traces();
    if (kept.isEmpty()) {
        m_chooser->clear();
        m_chooser->addItem(tr("none yet: connect to see one"));
        m_chooser->setEnabled(false);
        m_refresh->stop();
        return;
    }
    m_chooser->setEnabled(true);
    // Newest on top; items are rewritten in place so an open list stays put.
    while (m_chooser->count() > kept.size())
        m_chooser->removeItem(m_chooser->count() - 1);
    bool counting = false;
    for (int i = 0; i < kept.size(); ++i) {
        const net::ConnectionTrace *trace = kept.at(kept.size() - 1 - i);
        const QString text = describe(trace);
        if (i < m_chooser->count())
            m_chooser->setItemText(i, text);
        else
            m_chooser->addItem(text);
        counting = counting || (trace->isClosed() && !trace->isKernelFinished());
    }
    const int shown = int(kept.indexOf(m_inspector->trace()));
    if (shown >= 0)
        m_chooser->setCurrentIndex(int(kept.size()) - 1 - shown);
    // Once a second while something can still change (a trace's changes restart it).
    if (!counting && !m_connection)
        m_refresh->stop();
}

void ConnectionPanel::updateButtons()
{
    const bool open = m_connection && m_connection->isOpen();
    m_disconnect->setEnabled(m_client->state() != ChatClient::State::Disconnected);
    m_abort->setEnabled(open);
    m_halfClose->setEnabled(open && !m_connection->isHalfClosed());
    m_freeze->setEnabled(open);
    const QSignalBlocker blocker(m_freeze);
    m_freeze->setChecked(open && m_connection->isFrozen());
}

bool ConnectionPanel::tolerateHalfClose() const
{
    return m_tolerateHalfClose->isChecked();
}

void ConnectionPanel::abortConnection()
{
    if (!m_connection)
        return;
    const bool retry = m_client->options().autoReconnect;
    emit labAction(retry ? tr("You reset the connection (RST): no TIME_WAIT on this side. "
                              "Auto-reconnect takes it as a dropped connection and tries again.")
                         : tr("You reset the connection (RST): no TIME_WAIT on this side."));
    m_connection->abort();
}

void ConnectionPanel::halfCloseConnection()
{
    if (!m_connection)
        return;
    emit labAction(tr("You half-closed the connection: FIN sent, this side still reads. "
                      "The server decides whether to close its side too."));
    m_connection->halfClose();
}

void ConnectionPanel::setFrozen(bool frozen)
{
    if (!m_connection)
        return;
    emit labAction(frozen ? tr("Heartbeats frozen: the server will declare you dead after its "
                               "timeout unless you thaw them.")
                          : tr("Heartbeats thawed."));
    m_connection->setFrozen(frozen);
}

} // namespace synack::client
