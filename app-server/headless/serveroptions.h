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
    QString language;     // --lang; empty: the system's
    QString configFile;   // --config; empty: none
    bool capture = false; // --capture: log each connection's TCP segments (headless)
};

struct ParsedOptions
{
    ServerOptions options;
    QString error;        // names the option at fault; the program exits with code 2
    bool exitNow = false; // --help or --version was answered
};

// `arguments` is the whole command line, the program's name first. With
// --config FILE, the file's options come first (see --help).
ParsedOptions parseServerOptions(const QStringList &arguments);

} // namespace synack::server
