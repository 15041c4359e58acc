#include "clientstatusbar.h"

#include "chatclient.h"

#include <QLabel>
#include <QLocale>
#include <QToolButton>

namespace synack::client {

namespace {

QString milliseconds(std::chrono::microseconds us)
{
    return QLocale().toString(double(us.count()) / 1000.0, 'f', us.count() < 10'000 ? 2 : 1);
}

} // namespace

ClientStatusBar::ClientStatusBar(ChatClient *client, QWidget *parent)
    : QStatusBar(parent)
    , m_client(client)
    , m_state(new QLabel(this))
    , m_reconnectNow(new QToolButton(this))
    , m_server(new QLabel(this))
    , m_roundTrip(new QLabel(this))
{
    m_reconnectNow->setText(tr("Try now"));
    m_reconnectNow->setToolTip(tr("Skip the rest of the wait and reconnect now."));
    m_reconnectNow->setAutoRaise(true);
    m_reconnectNow->setVisible(false);
    m_server->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addWidget(m_state);
    addWidget(m_reconnectNow);
    addPermanentWidget(m_server);
    addPermanentWidget(m_roundTrip);

    connect(m_reconnectNow, &QToolButton::clicked, client, &ChatClient::reconnectNow);
    connect(client, &ChatClient::stateChanged, this, &ClientStatusBar::refresh);
    connect(client, &ChatClient::userRenamed, this, &ClientStatusBar::refresh);
    connect(client, &ChatClient::reconnectCountdown, this, [this](int secondsLeft) {
        m_secondsLeft = secondsLeft;
        refresh();
    });
    connect(client, &ChatClient::reconnectScheduled, this, [this](std::chrono::milliseconds delay) {
        m_secondsLeft = int((delay.count() + 999) / 1000);
        refresh();
    });
    connect(client, &ChatClient::roundTripUpdated, this, &ClientStatusBar::updateRoundTrip);
    refresh();
}

QString ClientStatusBar::stateText() const
{
    return m_state->text();
}

QString ClientStatusBar::serverText() const
{
    return m_server->text();
}

QString ClientStatusBar::roundTripText() const
{
    return m_roundTrip->text();
}

void ClientStatusBar::refresh()
{
    const ChatClient::State state = m_client->state();
    const QString endpoint = m_client->options().host.isEmpty() ? QString() : m_client->endpoint();
    switch (state) {
    case ChatClient::State::Disconnected:
        m_state->setText(tr("Not connected"));
        break;
    case ChatClient::State::Connecting:
        m_state->setText(tr("Connecting to %1...").arg(endpoint));
        break;
    case ChatClient::State::Registering:
        m_state->setText(tr("Joining as %1...").arg(m_client->nick()));
        break;
    case ChatClient::State::Online:
        m_state->setText(tr("Online as %1").arg(m_client->nick()));
        break;
    case ChatClient::State::Reconnecting:
        m_state->setText(tr("Connection lost: reconnecting in %n s", nullptr, m_secondsLeft));
        break;
    }
    m_reconnectNow->setVisible(state == ChatClient::State::Reconnecting);
    if (state == ChatClient::State::Online && !m_client->serverName().isEmpty())
        m_server->setText(tr("Server \"%1\" at %2").arg(m_client->serverName(), endpoint));
    else
        m_server->setText(endpoint);
    if (state != ChatClient::State::Online)
        m_roundTrip->setText(QString());
    else
        updateRoundTrip();
}

void ClientStatusBar::updateRoundTrip()
{
    const RoundTripStats &stats = m_client->roundTrip();
    if (m_client->state() != ChatClient::State::Online) {
        m_roundTrip->clear();
        return;
    }
    if (stats.isEmpty()) {
        m_roundTrip->setText(tr("Round trip: measuring..."));
        m_roundTrip->setToolTip(tr("Measured by the heartbeat's ping and pong."));
        return;
    }
    m_roundTrip->setText(tr("Round trip %1 ms").arg(milliseconds(stats.last())));
    m_roundTrip->setToolTip(tr("Heartbeat round trip over the last %n ping(s): average %1 ms, "
                               "jitter %2 ms, min %3 ms, max %4 ms",
                               nullptr, stats.count())
                                .arg(milliseconds(stats.average()), milliseconds(stats.jitter()),
                                     milliseconds(stats.min()), milliseconds(stats.max())));
}

} // namespace synack::client
