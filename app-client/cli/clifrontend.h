#pragma once

// synack-client --cli: stdin lines become messages and commands, and every
// event becomes one line on stdout, flushed at once so a pipe sees it:
//
//   [12:01:02] <alice> hi                    a room message (our own too, once delivered)
//   [12:01:03] *alice* -> you: psst          a private message to us
//   [12:01:04] you -> *alice*: hello         our private message, delivered
//   [12:01:05] -- bob joined                 everything else starts with "--"
//   [12:01:06] -- bob left (timeout)
//   [12:01:07] -- message 3 not delivered ("hi there"): not connected
//
// Input is read once the first session is online, so a pipe's lines are not
// lost to the connect. End of input (or /quit) waits up to kQuitWait for
// the server to confirm every message, then says bye and finishes with 0
// (1 if some were never confirmed). A fatal error finishes with 1 and the
// reason on stderr.

#include "chatclient.h"
#include "linereader.h"
#include "platform/terminationsignals.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace synack::client {

class CliFrontend : public QObject
{
    Q_OBJECT

public:
    static constexpr auto kQuitWait = std::chrono::seconds(5);

    explicit CliFrontend(QObject *parent = nullptr);

    void start(const ChatClient::ConnectOptions &options);
    ChatClient &client() { return m_client; }

signals:
    // Emitted once; connect it to QCoreApplication::exit with a queued connection.
    void finished(int exitCode);

private:
    void onLine(const QString &line);
    void onState(ChatClient::State state);
    void onChatLine(const ChatLine &line);
    void onStatus(quint64 id, DeliveryStatus status, const QString &reason);
    void onError(ClientError kind, const QString &message, bool fatal);
    void beginQuit(const QString &text);
    void sayGoodbyeWhenConfirmed();
    void sayGoodbye();
    void finish(int exitCode);
    void print(const QString &text);
    void printSystem(const QString &text);

    ChatClient m_client;
    LineReader m_input;
    platform::TerminationSignals m_quitSignals;
    QHash<quint64, QString> m_sent; // id -> text, until its fate is known
    QTimer m_quitWait;
    bool m_quitting = false;
    bool m_byeSaid = false;
    int m_lostAtQuit = 0; // messages the server never confirmed once we were leaving
    QString m_quitText;
    bool m_finished = false;
};

} // namespace synack::client
