#include "clifrontend.h"

#include "commandparser.h"
#include "protocol/nick.h"
#include "terminaltext.h"
#include "text/peertext.h"

#include <QTime>

namespace synack::client {

namespace {

QString snippet(const QString &text)
{
    constexpr int kMax = 40;
    const QString shown = text::visiblePeerText(text);
    return shown.size() <= kMax ? shown : shown.left(kMax - 1) + QChar(0x2026); // …
}

} // namespace

CliFrontend::CliFrontend(QObject *parent)
    : QObject(parent)
{
    m_input.setEnabled(false); // until the first welcome
    connect(&m_input, &LineReader::lineRead, this, &CliFrontend::onLine);
    connect(&m_input, &LineReader::endOfInput, this, [this] { beginQuit({}); });
    connect(&m_quitSignals, &platform::TerminationSignals::received, this,
            [this] { beginQuit({}); });
    m_quitWait.setSingleShot(true);
    connect(&m_quitWait, &QTimer::timeout, this, &CliFrontend::sayGoodbye);

    ChatClient *c = &m_client;
    connect(c, &ChatClient::stateChanged, this, &CliFrontend::onState);
    connect(c, &ChatClient::statusMessage, this, &CliFrontend::printSystem);
    connect(c, &ChatClient::errorOccurred, this, &CliFrontend::onError);
    connect(c, &ChatClient::messageReceived, this, &CliFrontend::onChatLine);
    connect(c, &ChatClient::messageStatusChanged, this,
            [this](quint64 id, DeliveryStatus status, const QString &reason) {
                onStatus(id, status, reason);
            });
    connect(c, &ChatClient::userJoined, this,
            [this](const QString &nick) { printSystem(nick + QStringLiteral(" joined")); });
    connect(c, &ChatClient::userLeft, this, [this](const QString &nick, const QString &reason) {
        printSystem(QStringLiteral("%1 left (%2)").arg(nick, reason));
    });
    connect(c, &ChatClient::userRenamed, this, [this](const QString &from, const QString &to) {
        if (protocol::sameNick(to, m_client.nick()))
            printSystem(QStringLiteral("you are now %1").arg(to));
        else
            printSystem(QStringLiteral("%1 is now %2").arg(from, to));
    });
    connect(c, &ChatClient::usersListed, this, [this](const QStringList &users) {
        printSystem(QStringLiteral("%1 online: %2")
                        .arg(users.size())
                        .arg(users.join(QStringLiteral(", "))));
    });
    connect(c, &ChatClient::seqGap, this, [this](quint64 expected, quint64 got) {
        printSystem(
            expected + 1 == got
                ? QStringLiteral("missed room message %1").arg(expected)
                : QStringLiteral("missed room messages %1 to %2").arg(expected).arg(got - 1));
    });
}

void CliFrontend::start(const ChatClient::ConnectOptions &options)
{
    m_client.connectToServer(options);
}

void CliFrontend::onState(ChatClient::State state)
{
    if (state == ChatClient::State::Online) {
        const auto &welcome = m_client.welcome();
        if (welcome && welcome->motd && !m_input.atEnd())
            printSystem(QStringLiteral("motd: ") + *welcome->motd);
        if (!m_quitting)
            m_input.setEnabled(true);
    } else if (state == ChatClient::State::Disconnected && m_quitting) {
        finish(m_lostAtQuit == 0 ? 0 : 1);
    }
}

void CliFrontend::onLine(const QString &line)
{
    const Command command = parseCommand(line);
    switch (command.kind) {
    case Command::Kind::Empty:
        return;
    case Command::Kind::Say:
    case Command::Kind::Private: {
        const std::optional<QString> to =
            command.kind == Command::Kind::Private ? std::optional(command.target) : std::nullopt;
        m_sent.insert(m_client.sendMessage(command.text, to), command.text);
        return;
    }
    case Command::Kind::Nick:
        m_client.changeNick(command.target);
        return;
    case Command::Kind::Who:
        m_client.requestUsers();
        return;
    case Command::Kind::Quit:
        beginQuit(command.text);
        return;
    case Command::Kind::Invalid:
        printSystem(command.error);
        return;
    }
}

void CliFrontend::onChatLine(const ChatLine &line)
{
    if (!line.isPrivate())
        print(QStringLiteral("<%1> %2").arg(line.from, line.text));
    else if (line.isOwn)
        print(QStringLiteral("you -> *%1*: %2").arg(*line.to, line.text));
    else
        print(QStringLiteral("*%1* -> you: %2").arg(line.from, line.text));
}

void CliFrontend::onStatus(quint64 id, DeliveryStatus status, const QString &reason)
{
    if (status == DeliveryStatus::Pending)
        return;
    const QString text = m_sent.take(id);
    if (m_quitting && status == DeliveryStatus::NotDelivered)
        ++m_lostAtQuit;
    if (status == DeliveryStatus::Rejected)
        printSystem(
            QStringLiteral("message %1 rejected (\"%2\"): %3").arg(id).arg(snippet(text), reason));
    else if (status == DeliveryStatus::NotDelivered)
        printSystem(QStringLiteral("message %1 not delivered (\"%2\"): %3")
                        .arg(id)
                        .arg(snippet(text), reason));
    if (m_quitting)
        sayGoodbyeWhenConfirmed();
}

void CliFrontend::onError(ClientError, const QString &message, bool fatal)
{
    if (!fatal) {
        printSystem(message);
        return;
    }
    if (m_finished)
        return;
    // A fatal error's words may be the server's own (its error or bye text):
    // shown as chat text is, not obeyed.
    writeLine(stderr, QStringLiteral("synack-client: ") + text::visiblePeerText(message));
    finish(1);
}

void CliFrontend::beginQuit(const QString &text)
{
    if (m_quitting)
        return;
    m_quitting = true;
    m_quitText = text;
    m_input.setEnabled(false);
    if (m_client.state() == ChatClient::State::Disconnected) {
        finish(0);
        return;
    }
    m_quitWait.start(kQuitWait);
    sayGoodbyeWhenConfirmed();
}

void CliFrontend::sayGoodbyeWhenConfirmed()
{
    // Messages sent while offline are reported from the event loop: wait for
    // those too, so every line gets its answer before we go.
    if (m_client.pendingCount() == 0 && m_sent.isEmpty())
        sayGoodbye();
}

void CliFrontend::sayGoodbye()
{
    if (m_byeSaid)
        return;
    m_byeSaid = true;
    m_quitWait.stop();
    m_client.disconnectFromServer(m_quitText); // what is still pending is reported lost
}

void CliFrontend::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_lostAtQuit > 0)
        writeLine(stderr, QStringLiteral("synack-client: %1 message(s) not confirmed by the server")
                              .arg(m_lostAtQuit));
    emit finished(exitCode);
}

void CliFrontend::print(const QString &text)
{
    writeLine(stdout, QLatin1Char('[') + QTime::currentTime().toString(QStringLiteral("HH:mm:ss")) +
                          QStringLiteral("] ") + text::visiblePeerText(text));
}

void CliFrontend::printSystem(const QString &text)
{
    print(QStringLiteral("-- ") + text);
}

} // namespace synack::client
