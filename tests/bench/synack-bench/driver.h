#pragma once

// The benchmark's event loop: one thread, one epoll set, non-blocking
// sockets, edge-triggered. It connects and registers clients, answers the
// server's pings, pings on its own every `hb` ms (PROTOCOL.md section 6),
// declares a silent server dead after `timeout` ms, and passes what a
// scenario cares about to it. Output is queued per client and written once
// per loop turn, so the frames of one turn leave in one send().

#include "histogram.h"
#include "options.h"
#include "wiremap.h"

#include <QByteArrayView>
#include <map>
#include <netinet/in.h>
#include <optional>
#include <string>
#include <sys/epoll.h>
#include <vector>

namespace synack::bench {

struct Client
{
    enum class State : uint8_t { Free, Connecting, Registering, Ready, Quitting, Done, Failed };

    int fd = -1;
    uint32_t slot = 0;
    uint32_t generation = 0; // bumped on every connect, so stale epoll events are recognised
    State state = State::Free;
    std::string nick;
    std::string input;  // the start of a frame not yet complete
    std::string output; // queued bytes; those before `sent` are with the kernel
    std::size_t sent = 0;
    bool queuedForFlush = false;
    bool finAfterOutput = false;
    uint64_t startNs = 0;    // connect() called
    uint64_t deadlineNs = 0; // for registering, or for the server to close after our bye
    uint64_t lastHeardNs = 0;
    uint64_t nextPingNs = 0;
    uint64_t pingSeq = 0;
};

// What a scenario sees of the traffic; the driver handles the rest.
class Scenario
{
public:
    virtual ~Scenario() = default;
    // `welcome` arrived.
    virtual void onReady(Client &, uint64_t /*nowNs*/) {}
    // A live `msg` (backlog replays are counted, not passed on).
    virtual void onChat(Client &, const WireMap &, uint64_t /*nowNs*/) {}
    // A non-fatal `error`, such as a rejected say with its id.
    virtual void onError(Client &, std::string_view /*code*/, std::optional<uint64_t> /*id*/) {}
    // The connection is gone: `completed` after our own quit, otherwise a failure.
    virtual void onClosed(Client &, bool /*completed*/, uint64_t /*nowNs*/) {}
    // Called every tick of run() and at wakeAtNs().
    virtual void tick(uint64_t nowNs) = 0;
    virtual uint64_t wakeAtNs() const { return UINT64_MAX; }
    virtual bool finished() const = 0;
};

struct DriverStats
{
    std::map<std::string, uint64_t> failures; // why clients were lost
    std::map<std::string, uint64_t> errors;   // `error` frames by code
    Histogram registerNs;                     // connect() to welcome
    uint64_t registered = 0;
    uint64_t framesIn = 0;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    uint64_t fallbackFrames = 0; // read by the project's decoder, not the fast path
    uint64_t presenceFrames = 0; // join, leave, rename, users
    uint64_t backlogMessages = 0;
    uint64_t serverPings = 0; // answered with a pong
    uint64_t pingsSent = 0;
    uint64_t pongsReceived = 0;
    uint64_t quitResets = 0; // the connection was reset after our bye

    uint64_t failureCount() const;
};

class Driver
{
public:
    enum class Stop { Finished, TimeLimit, Interrupted };

    explicit Driver(const Options &options);
    ~Driver();
    Driver(const Driver &) = delete;
    Driver &operator=(const Driver &) = delete;

    bool start(std::string *error);

    void setClientCount(std::size_t count);
    std::size_t clientCount() const { return m_clients.size(); }
    Client &client(std::size_t slot) { return m_clients[slot]; }

    // Opens a connection; the hello goes out when it is established. False
    // (the failure counted, no onClosed) when the socket cannot even start.
    bool connect(Client &client, const std::string &nick, uint64_t nowNs, uint64_t budgetNs);
    void send(Client &client, QByteArrayView frame);
    // bye, then FIN once it is written; the server closes in turn.
    void quit(Client &client, uint64_t nowNs);
    void fail(Client &client, const std::string &reason, uint64_t nowNs);
    // Drops every connection at once, without bye and without callbacks.
    void closeAll();

    // Runs the loop until the scenario is finished, `untilNs`, or a signal.
    Stop run(Scenario &scenario, uint64_t untilNs, uint64_t tickNs);

    const DriverStats &stats() const { return m_stats; }
    uint64_t heartbeatNs() const { return m_heartbeatNs; }

    // SIGINT and SIGTERM end run() with Stop::Interrupted; SIGPIPE is ignored.
    static void installSignalHandlers();

private:
    void handleEvent(uint64_t key, uint32_t events, uint64_t nowNs);
    void readIn(Client &client, bool peerDone, uint64_t nowNs);
    bool consume(Client &client, std::string_view bytes, uint64_t nowNs);
    void handleFrame(Client &client, std::string_view payload, uint64_t nowNs);
    void onWelcome(Client &client, uint64_t nowNs);
    void writeOut(Client &client, uint64_t nowNs);
    void flushQueued(uint64_t nowNs);
    void peerClosed(Client &client, const std::string &reason, uint64_t nowNs);
    void finishQuit(Client &client, uint64_t nowNs);
    void closeSocket(Client &client);
    void sweep(uint64_t nowNs);
    int wait(uint64_t timeoutNs);

    const Options &m_options;
    int m_epoll = -1;
    sockaddr_in m_server{};
    bool m_loopback = false;
    uint64_t m_connects = 0;
    std::vector<Client> m_clients;
    std::vector<uint32_t> m_flushQueue;
    std::vector<char> m_readBuffer;
    std::vector<epoll_event> m_events;
    WireMap m_map;
    Scenario *m_scenario = nullptr;
    DriverStats m_stats;
    uint64_t m_heartbeatNs = 0; // from welcome
    uint64_t m_timeoutNs = 0;
    uint64_t m_nextSweepNs = 0;
    bool m_nanosecondWait = true; // epoll_pwait2, else epoll_wait in milliseconds
};

} // namespace synack::bench
