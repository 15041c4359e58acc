#pragma once

#include "chatclient.h"

namespace synack::test {

// Options for a ChatClient test: loopback, and a reconnect backoff of tens
// of milliseconds instead of seconds.
inline client::ChatClient::ConnectOptions optionsFor(quint16 port,
                                                     const QString &nick = QStringLiteral("ann"))
{
    using namespace std::chrono_literals;
    client::ChatClient::ConnectOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = port;
    options.nick = nick;
    options.connectTimeout = 3s;
    options.reconnectBase = 20ms;
    options.reconnectMax = 100ms;
    return options;
}

} // namespace synack::test
