#pragma once

// Where to connect and as whom: the server's address (typed, picked from
// the recent hosts, or found on the LAN by Scan), the port, the nick, the
// password, auto-reconnect, and Connect / Disconnect. Each error is shown in
// plain words under the field it concerns.

#include "clientsettings.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace synack::net {
class DiscoveryClient;
} // namespace synack::net

namespace synack::client {

class HostListModel;

class ConnectPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Field { Host, Port, Nick, Password, Connection };
    Q_ENUM(Field)

    // What the Connect button does, as the session goes.
    enum class Mode { Idle, Connecting, Connected };
    Q_ENUM(Mode)

    explicit ConnectPanel(QWidget *parent = nullptr);

    // The address part of the host field: "host:port" typed there is split.
    QString host() const;
    quint16 port() const;
    QString nick() const;
    QString password() const;
    bool autoReconnect() const;
    void setHost(const QString &host);
    void setPort(quint16 port);
    void setNick(const QString &nick);
    void setPassword(const QString &password);
    void setAutoReconnect(bool on);

    void setRecentHosts(const QList<HostAndPort> &hosts);
    QList<HostAndPort> recentHosts() const;
    HostListModel *hostModel() const { return m_hosts; }

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    // Empty `text` clears it.
    void showError(Field field, const QString &text);
    QString errorText(Field field) const;
    void clearErrors();

    // Checks the fields (errors shown under them) and asks to connect.
    void requestConnect();
    // Asks the LAN (PROTOCOL.md section 9) and lists who answers.
    void scan();

    QComboBox *hostBox() const { return m_hostBox; }
    QSpinBox *portBox() const { return m_portBox; }
    QLineEdit *nickEdit() const { return m_nickEdit; }
    QLineEdit *passwordEdit() const { return m_passwordEdit; }
    QCheckBox *autoReconnectBox() const { return m_autoReconnect; }
    QPushButton *connectButton() const { return m_connectButton; }
    QPushButton *scanButton() const { return m_scanButton; }

signals:
    void connectRequested();
    void disconnectRequested();
    void autoReconnectChanged(bool on);

private:
    void onConnectButton();
    void onHostActivated(int row);
    void onScanFinished();
    QLabel *errorLabel(Field field) const { return m_errors.value(field); }

    HostListModel *m_hosts;
    net::DiscoveryClient *m_discovery;
    QComboBox *m_hostBox;
    QPushButton *m_scanButton;
    QSpinBox *m_portBox;
    QLineEdit *m_nickEdit;
    QLineEdit *m_passwordEdit;
    QCheckBox *m_autoReconnect;
    QPushButton *m_connectButton;
    QLabel *m_scanInfo;
    QMap<Field, QLabel *> m_errors;
    Mode m_mode = Mode::Idle;
};

// "host", "host:port", "[v6]:port" or a bare IPv6 address, split.
HostAndPort splitHostField(const QString &text, quint16 defaultPort);

} // namespace synack::client
