#include "driver.h"

#include "clock.h"
#include "outgoing.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace synack::bench {
namespace {

constexpr uint32_t kClientMaxFrame = 16 * 1024 * 1024; // PROTOCOL.md section 2
constexpr std::size_t kReadBufferBytes = 256 * 1024;
constexpr int kMaxEvents = 1024;
constexpr uint64_t kSweepNs = 100 * kNsPerMs;        // heartbeats and deadlines
constexpr uint64_t kQuitBudgetNs = 2 * kNsPerSecond; // for the server to close after our bye

volatile std::sig_atomic_t g_interrupted = 0;

void onSignal(int)
{
    g_interrupted = 1;
}

uint64_t eventKey(const Client &client)
{
    return uint64_t(client.slot) | (uint64_t(client.generation) << 32);
}

uint32_t bigEndian32(const char *bytes)
{
    const auto *b = reinterpret_cast<const unsigned char *>(bytes);
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

std::string errnoText(const char *what, int error)
{
    return std::string(what) + ": " + std::strerror(error);
}

} // namespace

uint64_t DriverStats::failureCount() const
{
    uint64_t total = 0;
    for (const auto &[reason, count] : failures)
        total += count;
    return total;
}

void Driver::installSignalHandlers()
{
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

Driver::Driver(const Options &options)
    : m_options(options)
    , m_readBuffer(kReadBufferBytes)
    , m_events(kMaxEvents)
{}

Driver::~Driver()
{
    closeAll();
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool Driver::start(std::string *error)
{
    m_server.sin_family = AF_INET;
    m_server.sin_port = htons(m_options.port);
    if (::inet_pton(AF_INET, m_options.host.c_str(), &m_server.sin_addr) != 1) {
        *error = "--host must be an IPv4 address, not \"" + m_options.host + "\"";
        return false;
    }
    m_loopback = (ntohl(m_server.sin_addr.s_addr) >> 24) == 127;
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        *error = errnoText("epoll_create1", errno);
        return false;
    }
    return true;
}

void Driver::setClientCount(std::size_t count)
{
    closeAll();
    m_clients.assign(count, Client());
    for (std::size_t i = 0; i < count; ++i)
        m_clients[i].slot = uint32_t(i);
    m_flushQueue.clear();
    m_flushQueue.reserve(count);
}

bool Driver::connect(Client &client, const std::string &nick, uint64_t nowNs, uint64_t budgetNs)
{
    closeSocket(client);
    ++client.generation;
    client.nick = nick;
    client.state = Client::State::Connecting;
    client.startNs = client.lastHeardNs = nowNs;
    client.deadlineNs = nowNs + budgetNs;
    client.pingSeq = 0;

    const auto refuse = [&](const char *what) {
        ++m_stats.failures[errnoText(what, errno)];
        closeSocket(client);
        client.state = Client::State::Failed;
        return false;
    };
    client.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (client.fd < 0)
        return refuse("socket");
    // The loop batches its own writes; Nagle would only hold them back.
    const int one = 1;
    ::setsockopt(client.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (m_loopback && m_options.sourceAddresses > 1) {
        // One source address has ~28,000 ephemeral ports; churn and 10k clients
        // with TIME_WAIT leftovers need more. The port is picked at connect().
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr =
            htonl(0x7f000001u + uint32_t(m_connects++ % uint64_t(m_options.sourceAddresses)));
        ::setsockopt(client.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (::bind(client.fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) < 0)
            return refuse("bind");
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = eventKey(client);
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, client.fd, &event) < 0)
        return refuse("epoll_ctl");
    if (::connect(client.fd, reinterpret_cast<const sockaddr *>(&m_server), sizeof m_server) < 0 &&
        errno != EINPROGRESS)
        return refuse("connect");
    return true;
}

void Driver::send(Client &client, QByteArrayView frame)
{
    if (client.fd < 0)
        return;
    client.output.append(frame.data(), std::size_t(frame.size()));
    if (!client.queuedForFlush) {
        client.queuedForFlush = true;
        m_flushQueue.push_back(client.slot);
    }
}

void Driver::quit(Client &client, uint64_t nowNs)
{
    if (client.fd < 0 || client.state == Client::State::Quitting)
        return;
    send(client, quitFrame());
    client.finAfterOutput = true;
    client.state = Client::State::Quitting;
    client.deadlineNs = nowNs + kQuitBudgetNs;
}

void Driver::fail(Client &client, const std::string &reason, uint64_t nowNs)
{
    if (client.state == Client::State::Free || client.state == Client::State::Done ||
        client.state == Client::State::Failed)
        return;
    ++m_stats.failures[reason];
    closeSocket(client);
    client.state = Client::State::Failed;
    if (m_scenario)
        m_scenario->onClosed(client, false, nowNs);
}

void Driver::finishQuit(Client &client, uint64_t nowNs)
{
    closeSocket(client);
    client.state = Client::State::Done;
    if (m_scenario)
        m_scenario->onClosed(client, true, nowNs);
}

void Driver::peerClosed(Client &client, const std::string &reason, uint64_t nowNs)
{
    if (client.state == Client::State::Quitting) {
        if (reason != "eof")
            ++m_stats.quitResets;
        finishQuit(client, nowNs);
    } else {
        fail(client, reason, nowNs);
    }
}

void Driver::closeSocket(Client &client)
{
    if (client.fd >= 0)
        ::close(client.fd); // also leaves the epoll set
    client.fd = -1;
    client.input.clear();
    client.output.clear();
    client.sent = 0;
    client.finAfterOutput = false;
}

void Driver::closeAll()
{
    for (Client &client : m_clients) {
        if (client.fd >= 0) {
            closeSocket(client);
            client.state = Client::State::Done;
        }
    }
}

Driver::Stop Driver::run(Scenario &scenario, uint64_t untilNs, uint64_t tickNs)
{
    m_scenario = &scenario;
    uint64_t nextTickNs = 0;
    for (;;) {
        uint64_t now = monoNs();
        if (g_interrupted)
            return Stop::Interrupted;
        if (!scenario.finished() && (now >= nextTickNs || now >= scenario.wakeAtNs())) {
            scenario.tick(now);
            if (now >= nextTickNs)
                nextTickNs = now + tickNs;
        }
        if (now >= m_nextSweepNs) {
            sweep(now);
            m_nextSweepNs = now + kSweepNs;
        }
        flushQueued(now);
        if (scenario.finished())
            return Stop::Finished;
        if (now >= untilNs)
            return Stop::TimeLimit;

        const uint64_t wakeNs = std::min({nextTickNs, m_nextSweepNs, scenario.wakeAtNs(), untilNs});
        const int count = wait(wakeNs > now ? wakeNs - now : 0);
        now = monoNs();
        for (int i = 0; i < count; ++i)
            handleEvent(m_events[std::size_t(i)].data.u64, m_events[std::size_t(i)].events, now);
    }
}

int Driver::wait(uint64_t timeoutNs)
{
    if (m_nanosecondWait) {
        // Nanosecond timeouts keep the rate scenario's sends on schedule.
        timespec timeout{};
        timeout.tv_sec = time_t(timeoutNs / kNsPerSecond);
        timeout.tv_nsec = long(timeoutNs % kNsPerSecond);
        const int count =
            ::epoll_pwait2(m_epoll, m_events.data(), int(m_events.size()), &timeout, nullptr);
        if (count >= 0 || errno != ENOSYS)
            return std::max(count, 0); // EINTR: the loop top sees a signal
        m_nanosecondWait = false;
    }
    const int timeoutMs = int(std::min<uint64_t>((timeoutNs + kNsPerMs - 1) / kNsPerMs, 1000));
    return std::max(::epoll_wait(m_epoll, m_events.data(), int(m_events.size()), timeoutMs), 0);
}

void Driver::handleEvent(uint64_t key, uint32_t events, uint64_t nowNs)
{
    const uint32_t slot = uint32_t(key);
    if (slot >= m_clients.size())
        return;
    Client &client = m_clients[slot];
    if (client.generation != uint32_t(key >> 32) || client.fd < 0)
        return; // an event for a connection closed earlier in this turn

    if (client.state == Client::State::Connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(client.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            fail(client, errnoText("connect", error), nowNs);
            return;
        }
        client.state = Client::State::Registering;
        send(client, helloFrame(client.nick));
    }
    const uint32_t generation = client.generation;
    if ((events & EPOLLOUT) && client.sent < client.output.size())
        writeOut(client, nowNs);
    if (client.generation == generation && client.fd >= 0 &&
        (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        readIn(client, (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0, nowNs);
}

void Driver::readIn(Client &client, bool peerDone, uint64_t nowNs)
{
    const uint32_t generation = client.generation;
    for (;;) {
        const ssize_t got = ::recv(client.fd, m_readBuffer.data(), m_readBuffer.size(), 0);
        if (got > 0) {
            m_stats.bytesIn += uint64_t(got);
            client.lastHeardNs = nowNs;
            if (!consume(client, std::string_view(m_readBuffer.data(), std::size_t(got)), nowNs))
                return;
            if (client.generation != generation || client.fd < 0)
                return;
            // Edge-triggered: a short read emptied the socket, and anything
            // arriving after it raises a new event. Not so a FIN that came
            // with this event: read on to the end of the stream.
            if (std::size_t(got) < m_readBuffer.size() && !peerDone)
                return;
            continue;
        }
        if (got == 0) {
            peerClosed(client, "eof", nowNs);
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        peerClosed(client, errnoText("recv", errno), nowNs);
        return;
    }
}

bool Driver::consume(Client &client, std::string_view bytes, uint64_t nowNs)
{
    // Frames are read straight from the read buffer; only an incomplete tail
    // is copied, to be completed by the next read.
    if (!client.input.empty()) {
        client.input.append(bytes);
        bytes = client.input;
    }
    const uint32_t generation = client.generation;
    std::size_t used = 0;
    while (bytes.size() - used >= 4) {
        const uint32_t length = bigEndian32(bytes.data() + used);
        if (length == 0 || length > kClientMaxFrame) {
            fail(client, "frame-size", nowNs);
            return false;
        }
        if (bytes.size() - used - 4 < length)
            break;
        const std::string_view payload = bytes.substr(used + 4, length);
        used += 4 + length;
        handleFrame(client, payload, nowNs);
        if (client.generation != generation || client.fd < 0)
            return false; // closed, or even reconnected, by the frame's handler
    }
    if (client.input.empty())
        client.input.assign(bytes.substr(used));
    else
        client.input.erase(0, used);
    return true;
}

void Driver::handleFrame(Client &client, std::string_view payload, uint64_t nowNs)
{
    ++m_stats.framesIn;
    WireMap &map = m_map;
    if (!map.read(payload)) {
        fail(client, "bad-payload", nowNs);
        return;
    }
    if (map.usedFallback())
        ++m_stats.fallbackFrames;
    const std::string_view type = map.type();
    if (type == "msg") {
        if (map.flag("backlog"))
            ++m_stats.backlogMessages;
        else
            m_scenario->onChat(client, map, nowNs);
    } else if (type == "ping") {
        ++m_stats.serverPings;
        send(client, pongFrame(map.toUnsigned("seq").value_or(0), map.toInt("ts").value_or(0)));
    } else if (type == "pong") {
        ++m_stats.pongsReceived;
    } else if (type == "welcome") {
        onWelcome(client, nowNs);
    } else if (type == "join" || type == "leave" || type == "rename" || type == "users") {
        ++m_stats.presenceFrames;
    } else if (type == "error") {
        const std::string code(map.text("code"));
        ++m_stats.errors[code];
        if (map.flag("fatal"))
            fail(client, "error " + code, nowNs);
        else
            m_scenario->onError(client, code, map.toUnsigned("id"));
    } else if (type == "bye") {
        if (client.state != Client::State::Quitting)
            fail(client, "bye " + std::string(map.text("reason")), nowNs);
    } else {
        ++m_stats.errors["unknown type " + std::string(type.substr(0, 32))];
    }
}

void Driver::onWelcome(Client &client, uint64_t nowNs)
{
    if (client.state != Client::State::Registering) {
        ++m_stats.errors["welcome after registration"];
        return;
    }
    if (const auto hb = m_map.toUnsigned("hb"); hb && *hb > 0)
        m_heartbeatNs = *hb * kNsPerMs;
    if (const auto timeout = m_map.toUnsigned("timeout"); timeout && *timeout > 0)
        m_timeoutNs = *timeout * kNsPerMs;
    if (const std::string_view nick = m_map.text("nick"); !nick.empty())
        client.nick = nick; // welcome's nick is authoritative
    client.state = Client::State::Ready;
    client.nextPingNs = m_heartbeatNs ? nowNs + m_heartbeatNs : UINT64_MAX;
    ++m_stats.registered;
    m_stats.registerNs.add(nowNs - client.startNs);
    m_scenario->onReady(client, nowNs);
}

void Driver::writeOut(Client &client, uint64_t nowNs)
{
    while (client.sent < client.output.size()) {
        const ssize_t put = ::send(client.fd, client.output.data() + client.sent,
                                   client.output.size() - client.sent, MSG_NOSIGNAL);
        if (put > 0) {
            client.sent += std::size_t(put);
            m_stats.bytesOut += uint64_t(put);
            continue;
        }
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return; // EPOLLOUT comes back when the kernel has room
        peerClosed(client, errnoText("send", errno), nowNs);
        return;
    }
    client.output.clear();
    client.sent = 0;
    if (client.finAfterOutput) {
        client.finAfterOutput = false;
        ::shutdown(client.fd, SHUT_WR);
    }
}

void Driver::flushQueued(uint64_t nowNs)
{
    // Handlers called from writeOut() may queue more; the index loop takes them too.
    for (std::size_t i = 0; i < m_flushQueue.size(); ++i) {
        Client &client = m_clients[m_flushQueue[i]];
        client.queuedForFlush = false;
        if (client.fd >= 0 && client.state != Client::State::Connecting)
            writeOut(client, nowNs);
    }
    m_flushQueue.clear();
}

void Driver::sweep(uint64_t nowNs)
{
    for (Client &client : m_clients) {
        if (client.fd < 0)
            continue;
        switch (client.state) {
        case Client::State::Connecting:
        case Client::State::Registering:
            if (nowNs > client.deadlineNs)
                fail(client, "register-timeout", nowNs);
            break;
        case Client::State::Ready:
            if (m_timeoutNs && nowNs - client.lastHeardNs > m_timeoutNs) {
                fail(client, "server silent for its timeout", nowNs);
            } else if (nowNs >= client.nextPingNs) {
                send(client, pingFrame(++client.pingSeq, wallMs()));
                ++m_stats.pingsSent;
                client.nextPingNs = nowNs + m_heartbeatNs;
            }
            break;
        case Client::State::Quitting:
            if (nowNs > client.deadlineNs)
                fail(client, "server did not close after bye", nowNs);
            break;
        default:
            break;
        }
    }
}

} // namespace synack::bench
