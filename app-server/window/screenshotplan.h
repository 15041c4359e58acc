#pragma once

// Drives the window through a few steps, for scripts/screenshots.sh: the
// steps come from SYNACK_SCREENSHOT_PLAN, separated by ';':
//
//   clients:N   wait (up to 30 s) until N clients are in the room
//   wait:MS     let MS milliseconds pass
//   select:NICK select the open connection of NICK in the clients table
//   action:NAME disconnect, kick, abort, halfclose, hold or freeze it
//   show:DOCK   show a dock: inspector, room or socketLog
//   expect:NICK:STATE  NICK's kernel state begins with STATE, or exit with 3
//   shot:PATH   save a picture of the window (PNG)
//   quit        close the window (the server says bye to everyone first)
//
// A step that fails is reported on stderr and the plan goes on.

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace synack::server {

class ServerWindow;

class ScreenshotPlan : public QObject
{
    Q_OBJECT

public:
    ScreenshotPlan(ServerWindow *window, const QString &plan);
    void start();

private:
    void runNext();
    void next(int delayMs = 0);
    void waitForClients(int count, int triesLeft);
    bool act(const QString &name);
    QString kernelStateOf(const QString &nick) const;

    QPointer<ServerWindow> m_window;
    QStringList m_steps;
};

} // namespace synack::server
