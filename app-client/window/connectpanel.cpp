#include "connectpanel.h"

#include "hostlistmodel.h"
#include "net/discoveryclient.h"
#include "protocol/messages.h"
#include "protocol/nick.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace synack::client {

using namespace std::chrono_literals;

namespace {

constexpr auto kScanWindow = 1500ms;

QLabel *makeNote(QWidget *parent, bool error)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setVisible(false);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    if (error) {
        QPalette palette = label->palette();
        palette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
        label->setPalette(palette);
    } else {
        label->setForegroundRole(QPalette::PlaceholderText);
    }
    return label;
}

} // namespace

HostAndPort splitHostField(const QString &text, quint16 defaultPort)
{
    const QString trimmed = text.trimmed();
    const auto portOf = [](QStringView digits) -> quint16 {
        bool ok = false;
        const uint port = digits.toUInt(&ok);
        return ok && port > 0 && port <= 65535 ? quint16(port) : 0;
    };
    if (trimmed.startsWith(u'[')) { // [v6]:port or [v6]
        const qsizetype close = trimmed.indexOf(u']');
        if (close > 0) {
            const QString host = trimmed.mid(1, close - 1);
            const QStringView rest = QStringView(trimmed).mid(close + 1);
            if (rest.startsWith(u':'))
                if (const quint16 port = portOf(rest.mid(1)))
                    return {host, port};
            return {host, defaultPort};
        }
    }
    if (trimmed.count(u':') == 1) { // host:port (more colons: a bare IPv6 address)
        const qsizetype colon = trimmed.indexOf(u':');
        if (const quint16 port = portOf(QStringView(trimmed).mid(colon + 1)))
            return {trimmed.left(colon), port};
    }
    return {trimmed, defaultPort};
}

ConnectPanel::ConnectPanel(QWidget *parent)
    : QWidget(parent)
    , m_hosts(new HostListModel(this))
    , m_discovery(new net::DiscoveryClient(this))
    , m_hostBox(new QComboBox(this))
    , m_scanButton(new QPushButton(tr("Scan LAN"), this))
    , m_portBox(new QSpinBox(this))
    , m_nickEdit(new QLineEdit(this))
    , m_passwordEdit(new QLineEdit(this))
    , m_autoReconnect(new QCheckBox(tr("Reconnect automatically"), this))
    , m_connectButton(new QPushButton(tr("Connect"), this))
    , m_scanInfo(makeNote(this, false))
{
    m_hostBox->setEditable(true);
    m_hostBox->setModel(m_hosts);
    m_hostBox->setInsertPolicy(QComboBox::NoInsert);
    m_hostBox->setMinimumContentsLength(18);
    m_hostBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_hostBox->lineEdit()->setPlaceholderText(tr("address or name"));
    m_hostBox->setToolTip(tr("The server's address or host name; the list has the servers used "
                             "recently and those found by Scan LAN."));
    m_hostBox->setCurrentIndex(-1);
    m_scanButton->setToolTip(
        tr("Ask the local network which SynAck servers are running (UDP port %1).")
            .arg(protocol::kDefaultDiscoveryPort));
    m_portBox->setRange(1, 65535);
    m_portBox->setValue(protocol::kDefaultPort);
    m_portBox->setToolTip(
        tr("The server's TCP port (SynAck's default is %1).").arg(protocol::kDefaultPort));
    m_nickEdit->setPlaceholderText(tr("your name here"));
    m_nickEdit->setMaxLength(protocol::kMaxNickCodePoints * 2); // code points, not UTF-16
    m_nickEdit->setToolTip(tr("1 to 32 letters or digits of any script, or '_', '-', '.'."));
    const int charWidth = m_nickEdit->fontMetrics().averageCharWidth();
    m_nickEdit->setMinimumWidth(charWidth * 14);
    m_passwordEdit->setMinimumWidth(charWidth * 12);
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_passwordEdit->setPlaceholderText(tr("if the server has one"));
    m_autoReconnect->setChecked(true);
    m_autoReconnect->setToolTip(tr("When the connection drops, try again after 1 s, then 2 s, "
                                   "4 s, ... up to 30 s, keeping your nick."));
    m_connectButton->setDefault(true);

    const auto buddy = [this](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        return label;
    };
    for (const Field field :
         {Field::Host, Field::Port, Field::Nick, Field::Password, Field::Connection})
        m_errors.insert(field, makeNote(this, true));

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(8, 6, 8, 2);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(2);
    grid->addWidget(buddy(tr("&Server:"), m_hostBox), 0, 0);
    grid->addWidget(m_hostBox, 0, 1);
    grid->addWidget(m_scanButton, 0, 2);
    grid->addWidget(buddy(tr("P&ort:"), m_portBox), 0, 3);
    grid->addWidget(m_portBox, 0, 4);
    grid->addWidget(buddy(tr("&Nick:"), m_nickEdit), 0, 5);
    grid->addWidget(m_nickEdit, 0, 6);
    grid->addWidget(buddy(tr("Pass&word:"), m_passwordEdit), 0, 7);
    grid->addWidget(m_passwordEdit, 0, 8);
    grid->addWidget(m_autoReconnect, 0, 9);
    grid->addWidget(m_connectButton, 0, 10);
    grid->addWidget(m_scanInfo, 1, 1, 1, 2);
    grid->addWidget(errorLabel(Field::Host), 2, 1, 1, 2);
    grid->addWidget(errorLabel(Field::Port), 1, 3, 2, 2);
    grid->addWidget(errorLabel(Field::Nick), 1, 5, 2, 2);
    grid->addWidget(errorLabel(Field::Password), 1, 7, 2, 2);
    grid->addWidget(errorLabel(Field::Connection), 1, 9, 2, 2);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(6, 1);
    grid->setColumnStretch(8, 1);

    connect(m_connectButton, &QPushButton::clicked, this, &ConnectPanel::onConnectButton);
    connect(m_scanButton, &QPushButton::clicked, this, &ConnectPanel::scan);
    connect(m_hostBox, &QComboBox::activated, this, &ConnectPanel::onHostActivated);
    connect(m_autoReconnect, &QCheckBox::toggled, this, &ConnectPanel::autoReconnectChanged);
    for (QLineEdit *edit : {m_hostBox->lineEdit(), m_nickEdit, m_passwordEdit})
        connect(edit, &QLineEdit::returnPressed, this, [this] {
            if (m_mode == Mode::Idle)
                requestConnect();
        });
    connect(m_hostBox, &QComboBox::editTextChanged, this, [this] { showError(Field::Host, {}); });
    connect(m_nickEdit, &QLineEdit::textEdited, this, [this] { showError(Field::Nick, {}); });
    connect(m_passwordEdit, &QLineEdit::textEdited, this,
            [this] { showError(Field::Password, {}); });
    connect(m_discovery, &net::DiscoveryClient::serverFound, m_hosts, &HostListModel::addLanServer);
    connect(m_discovery, &net::DiscoveryClient::finished, this, &ConnectPanel::onScanFinished);
}

QString ConnectPanel::host() const
{
    return splitHostField(m_hostBox->currentText(), port()).host;
}

quint16 ConnectPanel::port() const
{
    return quint16(m_portBox->value());
}

QString ConnectPanel::nick() const
{
    return m_nickEdit->text().trimmed();
}

QString ConnectPanel::password() const
{
    return m_passwordEdit->text();
}

bool ConnectPanel::autoReconnect() const
{
    return m_autoReconnect->isChecked();
}

void ConnectPanel::setHost(const QString &host)
{
    m_hostBox->setEditText(host);
}

void ConnectPanel::setPort(quint16 port)
{
    m_portBox->setValue(port);
}

void ConnectPanel::setNick(const QString &nick)
{
    m_nickEdit->setText(nick);
}

void ConnectPanel::setPassword(const QString &password)
{
    m_passwordEdit->setText(password);
}

void ConnectPanel::setAutoReconnect(bool on)
{
    m_autoReconnect->setChecked(on);
}

void ConnectPanel::setRecentHosts(const QList<HostAndPort> &hosts)
{
    const QString typed = m_hostBox->currentText();
    m_hosts->setRecentHosts(hosts);
    m_hostBox->setEditText(typed); // a model reset would otherwise pick the first entry
}

QList<HostAndPort> ConnectPanel::recentHosts() const
{
    return m_hosts->recentHosts();
}

void ConnectPanel::setMode(Mode mode)
{
    m_mode = mode;
    const bool idle = mode == Mode::Idle;
    for (QWidget *field : std::initializer_list<QWidget *>{m_hostBox, m_scanButton, m_portBox,
                                                           m_nickEdit, m_passwordEdit})
        field->setEnabled(idle);
    if (idle && m_discovery->isRunning())
        m_scanButton->setEnabled(false);
    switch (mode) {
    case Mode::Idle:
        m_connectButton->setText(tr("Connect"));
        m_connectButton->setToolTip(tr("Connect to the server and join its room."));
        break;
    case Mode::Connecting:
        m_connectButton->setText(tr("Cancel"));
        m_connectButton->setToolTip(tr("Stop trying to connect."));
        break;
    case Mode::Connected:
        m_connectButton->setText(tr("Disconnect"));
        m_connectButton->setToolTip(
            tr("Leave the room: say goodbye, then close the connection (FIN)."));
        break;
    }
}

void ConnectPanel::showError(Field field, const QString &text)
{
    QLabel *label = errorLabel(field);
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QString ConnectPanel::errorText(Field field) const
{
    return errorLabel(field)->text();
}

void ConnectPanel::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors)) {
        label->clear();
        label->setVisible(false);
    }
}

void ConnectPanel::requestConnect()
{
    clearErrors();
    bool ok = true;
    const HostAndPort where = splitHostField(m_hostBox->currentText(), port());
    if (where.host.isEmpty()) {
        showError(Field::Host, tr("Type the server's address, or press Scan LAN to look for "
                                  "one nearby."));
        ok = false;
    } else if (where.port != port()) {
        m_portBox->setValue(where.port); // "host:port" typed in the host field
        m_hostBox->setEditText(where.host);
    }
    if (nick().isEmpty()) {
        showError(Field::Nick, tr("Choose a nick."));
        ok = false;
    } else if (!protocol::isValidNick(nick())) {
        showError(Field::Nick, tr("A nick is 1 to 32 letters or digits (any script), or '_', "
                                  "'-', '.'; no spaces."));
        ok = false;
    }
    if (ok)
        emit connectRequested();
}

void ConnectPanel::onConnectButton()
{
    if (m_mode == Mode::Idle)
        requestConnect();
    else
        emit disconnectRequested();
}

void ConnectPanel::onHostActivated(int row)
{
    const QModelIndex index = m_hosts->index(row);
    if (!index.isValid())
        return;
    m_hostBox->setEditText(index.data(Qt::EditRole).toString());
    m_portBox->setValue(index.data(HostListModel::PortRole).toInt());
}

void ConnectPanel::scan()
{
    m_hosts->clearLanServers();
    m_scanButton->setEnabled(false);
    m_scanButton->setText(tr("Scanning..."));
    m_scanInfo->setText(tr("Asking the local network..."));
    m_scanInfo->setVisible(true);
    m_discovery->start(kScanWindow, protocol::kDefaultDiscoveryPort);
}

void ConnectPanel::onScanFinished()
{
    m_scanButton->setText(tr("Scan LAN"));
    m_scanButton->setEnabled(m_mode == Mode::Idle);
    const int found = m_hosts->lanServerCount();
    if (found == 0) {
        m_scanInfo->setText(tr("No SynAck server answered on the local network."));
        return;
    }
    m_scanInfo->setText(tr("Found %n server(s): pick one from the list.", nullptr, found));
    if (m_mode == Mode::Idle && isVisible())
        m_hostBox->showPopup();
}

} // namespace synack::client
