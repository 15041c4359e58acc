#pragma once

// synack-server's command line, turned into a ServerConfig.

#include "core/serverconfig.h"

#include <QStringList>

namespace synack::server {

enum class LogFormat { Text, Json };

struct ServerOptions
{
    ServerConfig config;
    bool headless = false;
    LogFormat logFormat = LogFormat::Text;
    QString language; // --lang; empty: the system's
};

struct ParsedOptions
{
    ServerOptions options;
    QString error;        // names the option at fault; the program exits with code 2
    bool exitNow = false; // --help or --version was answered
};

ParsedOptions parseServerOptions(const QStringList &arguments);

} // namespace synack::server
