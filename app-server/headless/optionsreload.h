#pragma once

// SIGHUP for the headless server (systemctl reload): the command line and
// its --config file are read again, and what can change without dropping
// anyone (the message of the day, the password) is applied; the rest needs
// a restart, which the log says.

#include <QStringList>

namespace synack::server {

class ChatServer;
class HeadlessLog;

void reloadServerOptions(ChatServer *server, HeadlessLog *log, const QStringList &arguments);

} // namespace synack::server
