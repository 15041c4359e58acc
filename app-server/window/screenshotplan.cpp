#include "screenshotplan.h"

#include "clientactions.h"
#include "serverwindow.h"

#include "core/chatserver.h"
#include "core/clientsmodel.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

namespace synack::server {

namespace {

constexpr int kPollMs = 100;
constexpr int kClientsTries = 300; // 30 s

void report(const QString &text)
{
    std::fprintf(stderr, "synack-server: screenshot plan: %s\n", qPrintable(text));
}

} // namespace

ScreenshotPlan::ScreenshotPlan(ServerWindow *window, const QString &plan)
    : QObject(window)
    , m_window(window)
    , m_steps(plan.split(u';', Qt::SkipEmptyParts))
{}

void ScreenshotPlan::start()
{
    next();
}

void ScreenshotPlan::next(int delayMs)
{
    QTimer::singleShot(delayMs, this, &ScreenshotPlan::runNext);
}

void ScreenshotPlan::runNext()
{
    if (m_steps.isEmpty() || !m_window)
        return;
    const QString step = m_steps.takeFirst().trimmed();
    const QString name = step.section(u':', 0, 0);
    const QString arg = step.section(u':', 1);
    if (name == QLatin1StringView("wait")) {
        next(arg.toInt());
    } else if (name == QLatin1StringView("clients")) {
        waitForClients(arg.toInt(), kClientsTries);
    } else if (name == QLatin1StringView("select")) {
        if (!m_window->selectNick(arg))
            report(QStringLiteral("no open connection of \"%1\" to select").arg(arg));
        next();
    } else if (name == QLatin1StringView("action")) {
        if (!act(arg))
            report(QStringLiteral("action \"%1\" is unknown or not enabled").arg(arg));
        next();
    } else if (name == QLatin1StringView("show")) {
        m_window->showDock(arg);
        next();
    } else if (name == QLatin1StringView("shot")) {
        QDir().mkpath(QFileInfo(arg).absolutePath());
        if (m_window->grab().save(arg))
            std::fprintf(stderr, "synack-server: saved %s\n", qPrintable(arg));
        else
            report(QStringLiteral("could not save %1").arg(arg));
        next();
    } else if (name == QLatin1StringView("expect")) {
        // expect:NICK:STATE: the kernel state of NICK's latest row begins
        // with STATE, or the program ends with status 3 (the script retries).
        const QString nick = arg.section(u':', 0, 0);
        const QString state = arg.section(u':', 1);
        const QString shown = kernelStateOf(nick);
        if (!shown.startsWith(state)) {
            report(QStringLiteral("%1 is in %2, not %3").arg(nick, shown, state));
            QCoreApplication::exit(3);
            return;
        }
        next();
    } else if (name == QLatin1StringView("quit")) {
        m_window->close();
    } else {
        report(QStringLiteral("unknown step \"%1\"").arg(step));
        next();
    }
}

void ScreenshotPlan::waitForClients(int count, int triesLeft)
{
    const ChatServer *server = m_window ? m_window->server() : nullptr;
    if (server && server->room().size() >= count) {
        next();
        return;
    }
    if (triesLeft == 0) {
        report(QStringLiteral("fewer than %1 clients after 30 s").arg(count));
        next();
        return;
    }
    QTimer::singleShot(kPollMs, this,
                       [this, count, triesLeft] { waitForClients(count, triesLeft - 1); });
}

QString ScreenshotPlan::kernelStateOf(const QString &nick) const
{
    const ClientsModel *model = m_window->clientsModel();
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        if (model->nickOf(model->sessionIdAt(row)).compare(nick, Qt::CaseInsensitive) == 0)
            return model->index(row, ClientsModel::KernelStateColumn).data().toString();
    }
    return QString();
}

bool ScreenshotPlan::act(const QString &name)
{
    ClientActions *actions = m_window->clientActions();
    actions->setReasonAsker([] { return std::optional<QString>(tr("shown in a screenshot")); });
    QAction *action = nullptr;
    if (name == QLatin1StringView("disconnect"))
        action = actions->disconnectAction();
    else if (name == QLatin1StringView("kick"))
        action = actions->kickAction();
    else if (name == QLatin1StringView("abort"))
        action = actions->abortAction();
    else if (name == QLatin1StringView("halfclose"))
        action = actions->halfCloseAction();
    else if (name == QLatin1StringView("hold"))
        action = actions->holdCloseWaitAction();
    else if (name == QLatin1StringView("freeze"))
        action = actions->freezeAction();
    if (!action || !action->isEnabled())
        return false;
    action->trigger();
    return true;
}

} // namespace synack::server
