#pragma once

// A QTcpServer that hands over accepted descriptors as they are, for a
// Connection to own (socketstream.h): no QTcpSocket is made for them.

#include <QTcpServer>

namespace synack::net {

class TcpListener : public QTcpServer
{
    Q_OBJECT

public:
    using QTcpServer::QTcpServer;

signals:
    // A new connection; whoever listens owns `descriptor` and must close it.
    void accepted(qintptr descriptor);

protected:
    void incomingConnection(qintptr descriptor) override { emit accepted(descriptor); }
};

} // namespace synack::net
