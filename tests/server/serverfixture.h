#pragma once

// An in-process ChatServer on 127.0.0.1, a free port, short timers.

#include "core/chatserver.h"
#include "core/session.h"
#include "testclient.h"

#include <QSignalSpy>
#include <QTest>
#include <memory>

inline synack::server::ServerConfig testConfig()
{
    using namespace std::chrono_literals;
    synack::server::ServerConfig c;
    c.bindAddress = QHostAddress::LocalHost;
    c.port = 0;
    c.name = QStringLiteral("test-server");
    c.discovery = false;
    c.heartbeatInterval = 1s;
    c.heartbeatTimeout = 3s;
    return c;
}

struct RunningServer
{
    explicit RunningServer(const synack::server::ServerConfig &config = testConfig())
        : server(std::make_unique<synack::server::ChatServer>(config))
    {
        QString error;
        started = server->start(&error);
        if (!started)
            qWarning() << "server did not start:" << error;
    }

    // A client connected and registered as `nick` (null on failure).
    std::unique_ptr<TestClient> join(const QString &nick)
    {
        auto client = std::make_unique<TestClient>();
        if (!client->connectTo(server->port()) || !client->registerAs(nick))
            return nullptr;
        return client;
    }

    std::unique_ptr<synack::server::ChatServer> server;
    bool started = false;
};
