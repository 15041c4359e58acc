#include "listenpanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHostInfo>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>

namespace synack::server {

namespace {

QString withPort(const QHostAddress &address, quint16 port)
{
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return address.protocol() == QAbstractSocket::IPv6Protocol
               ? QStringLiteral("[%1]:%2").arg(plain.toString()).arg(port)
               : QStringLiteral("%1:%2").arg(plain.toString()).arg(port);
}

bool isWildcard(const QHostAddress &address)
{
    return address == QHostAddress(QHostAddress::Any) ||
           address == QHostAddress(QHostAddress::AnyIPv4) ||
           address == QHostAddress(QHostAddress::AnyIPv6);
}

} // namespace

ListenPanel::ListenPanel(QWidget *parent)
    : QWidget(parent)
    , m_bind(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_name(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_start(new QPushButton(tr("&Start"), this))
    , m_stop(new QPushButton(tr("S&top"), this))
    , m_error(new QLabel(this))
    , m_status(new QLabel(this))
    , m_addressBox(new QWidget(this))
    , m_addressLayout(new QHBoxLayout(m_addressBox))
{
    fillBindAddresses();
    m_bind->setToolTip(tr("The address the server listens on: all interfaces, or only one of "
                          "this machine's addresses."));
    m_bind->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free"));
    m_port->setToolTip(tr("The TCP port clients connect to; \"any free\" lets the system "
                          "choose one."));
    m_name->setPlaceholderText(QHostInfo::localHostName());
    m_name->setToolTip(tr("The name clients see for this server; empty uses the host name."));
    const QFontMetrics metrics(font());
    m_name->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("A lab server name")));
    m_password->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("a long password")));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("none"));
    m_password->setToolTip(tr("A password clients must give to join; empty lets anyone in."));
    m_start->setToolTip(tr("Start listening for clients (F5)."));
    m_stop->setToolTip(tr("Say bye to every client, close their connections and stop "
                          "listening (Shift+F5)."));
    m_stop->setEnabled(false);
    m_start->setDefault(true);

    const auto labelFor = [this](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text, this);
        label->setBuddy(buddy);
        return label;
    };
    // Two rows: where (bind, port) with Start and Stop, then who (name, password).
    auto *fields = new QGridLayout;
    fields->addWidget(labelFor(tr("&Bind to:"), m_bind), 0, 0);
    fields->addWidget(m_bind, 0, 1);
    fields->addWidget(labelFor(tr("&Port:"), m_port), 0, 2);
    fields->addWidget(m_port, 0, 3);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    fields->addLayout(buttons, 0, 4);
    fields->addWidget(labelFor(tr("Server &name:"), m_name), 1, 0);
    fields->addWidget(m_name, 1, 1);
    fields->addWidget(labelFor(tr("Pass&word:"), m_password), 1, 2);
    fields->addWidget(m_password, 1, 3);
    fields->setColumnStretch(5, 1);

    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    m_addressLayout->setContentsMargins(0, 0, 0, 0);
    auto *info = new QHBoxLayout;
    info->addWidget(m_error, 1);
    info->addWidget(m_status);
    info->addWidget(m_addressBox);
    info->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(fields);
    layout->addLayout(info);

    setTabOrder(m_bind, m_port);
    setTabOrder(m_port, m_name);
    setTabOrder(m_name, m_password);
    setTabOrder(m_password, m_start);
    setTabOrder(m_start, m_stop);

    connect(m_start, &QPushButton::clicked, this, &ListenPanel::startRequested);
    connect(m_stop, &QPushButton::clicked, this, &ListenPanel::stopRequested);
    connect(m_port, &QSpinBox::valueChanged, this, [this] { showError(QString()); });
    showStopped();
}

void ListenPanel::fillBindAddresses()
{
    m_bind->addItem(tr("All interfaces (IPv4 and IPv6)"),
                    QHostAddress(QHostAddress::Any).toString());
    QList<QHostAddress> v4;
    QList<QHostAddress> v6;
    QHash<QString, QString> interfaceOf;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        if (!(iface.flags() & QNetworkInterface::IsUp))
            continue;
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            const QHostAddress ip = entry.ip();
            interfaceOf.insert(ip.toString(), iface.humanReadableName());
            (ip.protocol() == QAbstractSocket::IPv4Protocol ? v4 : v6).append(ip);
        }
    }
    for (const QHostAddress &ip : std::as_const(v4) + v6) {
        QString text = tr("%1 (%2)").arg(ip.toString(), interfaceOf.value(ip.toString()));
        if (ip.isLoopback())
            text = tr("%1 (this machine only)").arg(ip.toString());
        m_bind->addItem(text, ip.toString());
    }
}

QHostAddress ListenPanel::bindAddress() const
{
    return QHostAddress(m_bind->currentData().toString());
}

void ListenPanel::setBindAddress(const QHostAddress &address)
{
    int index = m_bind->findData(address.toString());
    if (index < 0 && isWildcard(address))
        index = 0;
    if (index < 0) {
        m_bind->addItem(tr("%1 (not on this machine now)").arg(address.toString()),
                        address.toString());
        index = m_bind->count() - 1;
    }
    m_bind->setCurrentIndex(index);
}

quint16 ListenPanel::port() const
{
    return quint16(m_port->value());
}

void ListenPanel::setPort(quint16 port)
{
    m_port->setValue(port);
}

QString ListenPanel::serverName() const
{
    return m_name->text().trimmed();
}

void ListenPanel::setServerName(const QString &name)
{
    m_name->setText(name);
}

QString ListenPanel::password() const
{
    return m_password->text();
}

void ListenPanel::setPassword(const QString &password)
{
    m_password->setText(password);
}

void ListenPanel::setFieldsEnabled(bool enabled)
{
    for (QWidget *w : {static_cast<QWidget *>(m_bind), static_cast<QWidget *>(m_port),
                       static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_password)})
        w->setEnabled(enabled);
}

void ListenPanel::clearAddresses()
{
    while (QLayoutItem *item = m_addressLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_shown.clear();
}

void ListenPanel::showListening(const QHostAddress &address, quint16 port)
{
    showError(QString());
    setFieldsEnabled(false);
    m_start->setEnabled(false);
    m_stop->setEnabled(true);
    if (m_port->value() == 0)
        m_status->setText(
            tr("Listening on port %1 (chosen by the system). Clients connect to:").arg(port));
    else
        m_status->setText(tr("Listening. Clients connect to:"));

    clearAddresses();
    m_shown = addressesToType(address, port);
    const QFontMetrics metrics(font());
    for (const QString &text : std::as_const(m_shown)) {
        auto *field = new QLineEdit(text, m_addressBox);
        field->setReadOnly(true);
        field->setFixedWidth(metrics.horizontalAdvance(text) + 3 * metrics.averageCharWidth());
        field->setAccessibleName(tr("Address to connect to"));
        auto *copy = new QToolButton(m_addressBox);
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy %1 to the clipboard.").arg(text));
        copy->setAccessibleName(tr("Copy %1").arg(text));
        copy->setFocusPolicy(Qt::StrongFocus);
        connect(copy, &QToolButton::clicked, this, [this, text] {
            QApplication::clipboard()->setText(text);
            emit addressCopied(text);
        });
        m_addressLayout->addWidget(field);
        m_addressLayout->addWidget(copy);
        m_addressLayout->addSpacing(6);
    }
}

void ListenPanel::showStopping()
{
    m_start->setEnabled(false);
    m_stop->setEnabled(false);
    m_status->setText(tr("Stopping: saying bye to every client..."));
    clearAddresses();
}

void ListenPanel::showStopped()
{
    setFieldsEnabled(true);
    m_start->setEnabled(true);
    m_stop->setEnabled(false);
    m_status->setText(tr("Not listening. Press Start to let clients in."));
    clearAddresses();
}

void ListenPanel::showError(const QString &text)
{
    m_errorText = text;
    if (text.isEmpty()) {
        m_error->clear();
        m_error->hide();
        return;
    }
    m_error->setText(
        QStringLiteral("<b>%1</b> %2").arg(tr("Cannot listen:"), text.toHtmlEscaped()));
    m_error->show();
}

QString ListenPanel::errorText() const
{
    return m_errorText;
}

QStringList ListenPanel::addressesToType(const QHostAddress &bound, quint16 port)
{
    if (!isWildcard(bound))
        return {withPort(bound, port)};
    const bool v4Only = bound == QHostAddress(QHostAddress::AnyIPv4);
    const bool v6Only = bound == QHostAddress(QHostAddress::AnyIPv6);
    QStringList lan4;
    QStringList lan6;
    QStringList loopback;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        if (!(iface.flags() & QNetworkInterface::IsUp))
            continue;
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            const QHostAddress ip = entry.ip();
            const bool v4 = ip.protocol() == QAbstractSocket::IPv4Protocol;
            if ((v4Only && !v4) || (v6Only && v4) || ip.isLinkLocal())
                continue;
            if (ip.isLoopback())
                loopback.append(withPort(ip, port));
            else
                (v4 ? lan4 : lan6).append(withPort(ip, port));
        }
    }
    std::sort(loopback.begin(), loopback.end()); // 127.0.0.1 before [::1]
    return lan4 + lan6 + loopback;
}

} // namespace synack::server
