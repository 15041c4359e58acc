#pragma once

// A listening TCP socket that hands accepted descriptors over as they are, for
// a Connection to own (socketstream.h): no QTcpSocket is made for them.
// QTcpServer opens and binds the socket (addresses, dual stack, errors); the
// accepting is done here, with accept4(), which gives a descriptor that is
// already non-blocking and close-on-exec. Running out of descriptors pauses
// accepting for a moment, not for good.

#include <QHostAddress>
#include <QObject>
#include <QTimer>

class QSocketNotifier;
class QTcpServer;

namespace synack::net {

class TcpListener : public QObject
{
    Q_OBJECT

public:
    explicit TcpListener(QObject *parent = nullptr);
    ~TcpListener() override;

    void setListenBacklogSize(int size);
    bool listen(const QHostAddress &address, quint16 port);
    void close();

    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QString errorString() const;
    qintptr socketDescriptor() const;

signals:
    // A new connection; whoever listens owns `descriptor` and must close it.
    void accepted(qintptr descriptor);
    // accept() failed for want of descriptors or memory (`reason`); waiting
    // connections stay in the kernel's queue and are tried again every
    // 100 ms. Said once until a connection is accepted again.
    void acceptPaused(const QString &reason);

private:
    void acceptPending();

    QTcpServer *m_server;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_retry;
    bool m_pauseReported = false;
};

} // namespace synack::net
