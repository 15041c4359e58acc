// Takes the README's pictures of the client window: two windows (alice and
// bob) and a third person chat on an in-process server, then alice
// disconnects and her connection panel shows the closing path.
//
//   clientwindow_screenshots OUTDIR     (QT_QPA_PLATFORM=offscreen works)
//
// Writes OUTDIR/client-window.png and OUTDIR/client-after-disconnect.png;
// with LANG (zh_CN), the window in that language, as client-window-LANG.png ...

#include "chatview.h"
#include "connectionpanel.h"
#include "serverfixture.h"
#include "windowdriver.h"

#include "net/connectiontrace.h"
#include "ui/connectioninspector.h"

#include "platform/translations.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <cstdio>
#include <functional>

using namespace synack;
using namespace synack::client;
using namespace synack::test;

namespace {

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

bool save(QWidget &window, const QString &path)
{
    QTest::qWait(300); // let the throttled pictures repaint
    const bool ok = window.grab().save(path);
    std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "wrote" : "could not write",
                 qPrintable(path));
    return ok;
}

void fail(const char *what)
{
    std::fprintf(stderr, "clientwindow_screenshots: %s\n", what);
    std::exit(1);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: clientwindow_screenshots OUTDIR [LANG]\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    const QString language = argc == 3 ? QString::fromLocal8Bit(argv[2]) : QString();
    const bool chinese = language == QLatin1StringView("zh_CN");
    if (!language.isEmpty() && synack::platform::installTranslations(app, language).isEmpty())
        fail("unknown language");
    const QString suffix = language.isEmpty() ? QString() : u'-' + language;
    const auto line = [chinese](const char *english, const char *zh) {
        return chinese ? QString::fromUtf8(zh) : QString::fromUtf8(english);
    };
    if (!QDir().mkpath(out.path()))
        fail("cannot create the output directory");
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings alone
    QSettings(QStringLiteral("SynAck"), QStringLiteral("synack-client")).clear();

    auto config = testConfig();
    config.name = QStringLiteral("lab room");
    config.motd = QStringLiteral("Welcome to the TCP lab. Be kind, try the buttons.");
    RunningServer running(config);
    if (!running.started)
        fail("the server did not start");
    const quint16 port = running.server->port();

    ClientWindow alice;
    ClientWindow bob;
    for (ClientWindow *window : {&alice, &bob}) {
        window->resize(1440, 900);
        window->show();
    }
    fillConnectBar(alice, port, QStringLiteral("alice"));
    clickConnect(alice);
    if (!waitFor([&] { return alice.client()->isOnline(); }, 5000))
        fail("alice did not get online");
    fillConnectBar(bob, port, QStringLiteral("bob"));
    clickConnect(bob);
    if (!waitFor([&] { return bob.client()->isOnline(); }, 5000))
        fail("bob did not get online");

    const auto say = [](ClientWindow &window, const QString &text) {
        typeLine(window, text);
        waitFor(
            [&] {
                return statusOf(*window.chatModel(),
                                text.startsWith(u'/') ? text.section(u' ', 2) : text) !=
                       DeliveryStatus::Pending;
            },
            3000);
    };
    say(alice, line("Hi bob! Are you seeing my connection in the panel on the right?",
                    "你好 bob！右边的面板里能看到我的连接吗？"));
    say(bob, line("Yes: ESTABLISHED, and a round trip well under a millisecond 😀",
                  "能看到：ESTABLISHED，往返时间不到一毫秒 😀"));
    auto carol = running.join(QStringLiteral("carol"));
    if (!carol)
        fail("carol did not join");
    carol->send(protocol::Say{line("Hello from the lab bench. The state diagram is from RFC 793: "
                                   "https://www.rfc-editor.org/rfc/rfc793",
                                   "实验台向大家问好。状态图出自 RFC 793："
                                   "https://www.rfc-editor.org/rfc/rfc793"),
                              std::nullopt, 1});
    waitFor([&] { return rowWithText(*alice.chatModel(), QStringLiteral("carol joined")) >= 0; },
            2000);
    QTest::qWait(200);
    say(alice, line("/msg bob Shall we try Abort (RST) next, or Disconnect first?",
                    "/msg bob 接下来试试重置 (RST)，还是先断开连接？"));
    say(bob, line("Disconnect first, then we can watch TIME_WAIT count down.",
                  "先断开连接，这样可以看到 TIME_WAIT 倒计时。"));
    carol->send(protocol::Bye{QStringLiteral("quit"), std::nullopt});
    // A few heartbeats for the round-trip graph (the test server pings every second).
    QTest::qWait(4500);
    alice.activateWindow();
    if (!save(alice, out.filePath(QStringLiteral("client-window%1.png").arg(suffix))))
        return 1;

    // Alice closes first: her side goes FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT.
    ConnectionPanel *panel = alice.connectionPanel();
    net::ConnectionTrace *trace = panel->shownTrace();
    QTest::mouseClick(panel->disconnectButton(), Qt::LeftButton);
    waitFor([&] { return trace && trace->isClosed(); }, 5000);
    if (net::KernelProbe::isAvailable())
        waitFor([&] { return trace && trace->kernelState() == net::TcpState::TimeWait; }, 5000);
    QTest::qWait(2500); // a little of the countdown
    if (!save(alice, out.filePath(QStringLiteral("client-after-disconnect%1.png").arg(suffix))))
        return 1;
    return 0;
}
