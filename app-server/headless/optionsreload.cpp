#include "optionsreload.h"

#include "core/chatserver.h"
#include "headlesslog.h"
#include "serveroptions.h"

namespace synack::server {

void reloadServerOptions(ChatServer *server, HeadlessLog *log, const QStringList &arguments)
{
    const ParsedOptions parsed = parseServerOptions(arguments);
    if (!parsed.error.isEmpty()) {
        const QString text =
            QStringLiteral("reload refused, the options stay as they were: %1").arg(parsed.error);
        log->write(QStringLiteral("warning"), {{QStringLiteral("text"), text}},
                   QStringLiteral("warning: %1").arg(text));
        return;
    }
    const ServerConfig &next = parsed.options.config;
    const bool motdChanged = next.motd != server->config().motd;
    const bool passwordChanged = next.password != server->config().password;
    server->setMotdAndPassword(next.motd, next.password);
    log->write(QStringLiteral("reloaded"),
               {{QStringLiteral("config"), parsed.options.configFile},
                {QStringLiteral("motd_changed"), motdChanged},
                {QStringLiteral("password_changed"), passwordChanged}},
               QStringLiteral("reloaded %1: message of the day %2, password %3 (other options "
                              "take effect at a restart)")
                   .arg(parsed.options.configFile.isEmpty() ? QStringLiteral("the options")
                                                            : parsed.options.configFile,
                        motdChanged ? QStringLiteral("changed") : QStringLiteral("unchanged"),
                        passwordChanged ? QStringLiteral("changed") : QStringLiteral("unchanged")));
}

} // namespace synack::server
