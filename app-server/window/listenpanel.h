#pragma once

// Where the server listens and how it presents itself: bind address, port,
// name, password, Start and Stop; once listening, the addresses a client on
// the LAN can type, each with a Copy button. It edits values and asks; the
// window starts and stops the server.

#include <QHostAddress>
#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace synack::server {

class ListenPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ListenPanel(QWidget *parent = nullptr);

    QHostAddress bindAddress() const;
    // Adds the address to the list if this machine does not have it (now).
    void setBindAddress(const QHostAddress &address);
    quint16 port() const;
    void setPort(quint16 port);
    QString serverName() const;
    void setServerName(const QString &name);
    QString password() const;
    void setPassword(const QString &password);

    // Listening on `address` (what the server bound) and `port`: locks the
    // fields and shows the addresses to type.
    void showListening(const QHostAddress &address, quint16 port);
    void showStopping();
    void showStopped();
    // In plain words, next to the port; empty hides it.
    void showError(const QString &text);
    QString errorText() const;

    // What the panel shows clients to type, "192.168.1.5:9527" ...
    QStringList shownAddresses() const { return m_shown; }
    // The addresses of this machine that reach a server bound to `bound`:
    // LAN addresses first (IPv4, then IPv6 without link-local ones), loopback
    // last; IPv6 in brackets.
    static QStringList addressesToType(const QHostAddress &bound, quint16 port);

    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }

signals:
    void startRequested();
    void stopRequested();
    void addressCopied(const QString &address);

private:
    void fillBindAddresses();
    void setFieldsEnabled(bool enabled);
    void clearAddresses();

    QComboBox *m_bind;
    QSpinBox *m_port;
    QLineEdit *m_name;
    QLineEdit *m_password;
    QPushButton *m_start;
    QPushButton *m_stop;
    QLabel *m_error;
    QLabel *m_status;
    QWidget *m_addressBox;
    QHBoxLayout *m_addressLayout;
    QStringList m_shown;
    QString m_errorText;
};

} // namespace synack::server
