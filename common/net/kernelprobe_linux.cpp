#include "net/kernelprobe.h"

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <vector>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace synack::net {
namespace {

constexpr int kKernelListen = 10; // TCP_LISTEN
constexpr int kMaxStaleReplies = 16;
constexpr size_t kExactBufferSize = 8 * 1024;
constexpr size_t kDumpBufferSize = 64 * 1024;

// One netlink socket per thread: a lookup is then two system calls and no setup.
class DiagSocket
{
public:
    DiagSocket() { open(); }
    ~DiagSocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    DiagSocket(const DiagSocket &) = delete;
    DiagSocket &operator=(const DiagSocket &) = delete;

    // The socket, reopened if an earlier attempt failed (out of fds, ...).
    int fd()
    {
        if (m_fd < 0)
            open();
        return m_fd;
    }
    quint32 nextSequence() { return ++m_sequence; }
    int lastError() const { return m_error; }

private:
    void open()
    {
        m_fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        m_error = m_fd < 0 ? errno : 0;
        if (m_fd < 0)
            return;
        // The kernel answers while sendto() runs; the timeout only guards a
        // kernel that never does.
        const timeval timeout{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }

    int m_fd = -1;
    int m_error = 0;
    quint32 m_sequence = 0;
};

DiagSocket &diagSocket()
{
    thread_local DiagSocket socket;
    return socket;
}

bool isUnspecified(const QHostAddress &address)
{
    return address.isNull() || address == QHostAddress(QHostAddress::AnyIPv4) ||
           address == QHostAddress(QHostAddress::AnyIPv6) || address == QHostAddress::Any;
}

// An IPv4 address, or an IPv4-mapped IPv6 one (::ffff:a.b.c.d).
bool isIPv4Like(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
        return true;
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return false;
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    for (int i = 0; i < 10; ++i) {
        if (v6[i] != 0)
            return false;
    }
    return v6[10] == 0xff && v6[11] == 0xff;
}

// The address as the kernel's 4 words; family is AF_INET or AF_INET6.
void copyAddress(const QHostAddress &address, int family, __be32 out[4])
{
    if (isUnspecified(address))
        return; // the request is zero-initialised
    if (family == AF_INET) {
        bool ok = false;
        const quint32 v4 = address.toIPv4Address(&ok);
        out[0] = htonl(ok ? v4 : 0);
        return;
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    std::memcpy(out, v6.c, sizeof v6.c);
}

// The family to ask the kernel in. A dual-stack socket's IPv4 connections sit
// in the kernel's IPv4 table whatever the socket's family, and older kernels
// did not translate mapped addresses in AF_INET6 requests, so those go as
// AF_INET. 0 when the two addresses cannot be the same connection's.
int familyOf(const SocketKey &key)
{
    const bool localUnspecified = isUnspecified(key.localAddress);
    const bool peerUnspecified = isUnspecified(key.peerAddress);
    const bool local4 = localUnspecified || isIPv4Like(key.localAddress);
    const bool peer4 = peerUnspecified || isIPv4Like(key.peerAddress);
    if (localUnspecified && peerUnspecified) {
        // A listener on the unspecified address: the family it was opened with.
        return key.localAddress.protocol() == QAbstractSocket::IPv4Protocol ? AF_INET : AF_INET6;
    }
    if (local4 && peer4)
        return AF_INET;
    if (!local4 && !peer4)
        return AF_INET6;
    if ((localUnspecified && !peer4) || (peerUnspecified && !local4))
        return AF_INET6;
    return 0;
}

QHostAddress addressFromKernel(int family, const __be32 words[4])
{
    if (family == AF_INET)
        return QHostAddress(ntohl(words[0]));
    Q_IPV6ADDR v6;
    std::memcpy(v6.c, words, sizeof v6.c);
    return QHostAddress(v6);
}

KernelSocketState stateFromMessage(const inet_diag_msg &message)
{
    KernelSocketState state;
    state.state = tcpStateFromKernel(message.idiag_state);
    state.timerKind = message.idiag_timer;
    if (message.idiag_timer != KernelSocketState::NoTimer)
        state.timerMs = message.idiag_expires;
    state.recvQueue = message.idiag_rqueue;
    state.sendQueue = message.idiag_wqueue;
    return state;
}

SocketKey keyFromMessage(const inet_diag_msg &message)
{
    SocketKey key;
    key.localAddress = addressFromKernel(message.idiag_family, message.id.idiag_src);
    key.localPort = ntohs(message.id.idiag_sport);
    key.peerAddress = addressFromKernel(message.idiag_family, message.id.idiag_dst);
    key.peerPort = ntohs(message.id.idiag_dport);
    key.cookie = quint64(message.id.idiag_cookie[0]) | quint64(message.id.idiag_cookie[1]) << 32;
    return key;
}

struct DiagRequest
{
    nlmsghdr header;
    inet_diag_req_v2 request;
};

bool sendRequest(DiagSocket &socket, DiagRequest &request, bool dump)
{
    const int fd = socket.fd();
    if (fd < 0)
        return false;
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.header.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
    request.header.nlmsg_seq = socket.nextSequence();
    request.request.sdiag_protocol = IPPROTO_TCP;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent;
    do {
        sent = ::sendto(fd, &request, sizeof request, 0, reinterpret_cast<sockaddr *>(&kernel),
                        sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    return sent == ssize_t(sizeof request);
}

// Reads one datagram of replies; -1 on failure. Messages come 4-aligned.
ssize_t receive(int fd, void *buffer, size_t size)
{
    ssize_t received;
    do {
        received = ::recv(fd, buffer, size, 0);
    } while (received < 0 && errno == EINTR);
    return received;
}

} // namespace

bool KernelProbe::isAvailable(QString *whyNot)
{
    // Asks about a listener of our own: the answer covers netlink, the
    // tcp_diag module, SO_COOKIE and a sandbox that filters any of them.
    static const QString reason = []() -> QString {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return QStringLiteral("cannot open a TCP socket: %1").arg(qt_error_string(errno));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QString problem;
        if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
            ::listen(fd, 1) != 0) {
            problem = QStringLiteral("cannot listen on 127.0.0.1: %1").arg(qt_error_string(errno));
        } else if (const auto key = keyOf(fd); !key || key->cookie == 0) {
            problem = QStringLiteral("the kernel has no socket cookies (SO_COOKIE, Linux 2.6.x+)");
        } else if (const auto state = lookup(*key); !state) {
            const int error = diagSocket().lastError();
            problem = QStringLiteral("NETLINK_SOCK_DIAG does not answer: %1")
                          .arg(error ? qt_error_string(error) : QStringLiteral("bad reply"));
        } else if (state->state != TcpState::Listen) {
            problem = QStringLiteral("NETLINK_SOCK_DIAG does not find TCP sockets (is the "
                                     "tcp_diag module missing?)");
        }
        ::close(fd);
        return problem;
    }();
    if (whyNot)
        *whyNot = reason;
    return reason.isEmpty();
}

std::optional<quint64> KernelProbe::socketCookie(qintptr fd)
{
    quint64 cookie = 0;
    socklen_t length = sizeof cookie;
    if (::getsockopt(int(fd), SOL_SOCKET, SO_COOKIE, &cookie, &length) != 0 || cookie == 0)
        return std::nullopt;
    return cookie;
}

std::optional<SocketKey> KernelProbe::keyOf(qintptr fd)
{
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (::getsockname(int(fd), reinterpret_cast<sockaddr *>(&local), &length) != 0)
        return std::nullopt;
    if (local.ss_family != AF_INET && local.ss_family != AF_INET6)
        return std::nullopt;

    SocketKey key;
    key.localAddress = QHostAddress(reinterpret_cast<const sockaddr *>(&local));
    key.localPort = ntohs(local.ss_family == AF_INET
                              ? reinterpret_cast<const sockaddr_in *>(&local)->sin_port
                              : reinterpret_cast<const sockaddr_in6 *>(&local)->sin6_port);

    sockaddr_storage peer{};
    length = sizeof peer;
    if (::getpeername(int(fd), reinterpret_cast<sockaddr *>(&peer), &length) == 0) {
        key.peerAddress = QHostAddress(reinterpret_cast<const sockaddr *>(&peer));
        key.peerPort = ntohs(peer.ss_family == AF_INET
                                 ? reinterpret_cast<const sockaddr_in *>(&peer)->sin_port
                                 : reinterpret_cast<const sockaddr_in6 *>(&peer)->sin6_port);
    } else {
        // A listener (or a socket not connected yet): no peer.
        key.peerAddress = QHostAddress(local.ss_family == AF_INET ? QHostAddress::AnyIPv4
                                                                  : QHostAddress::AnyIPv6);
    }
    key.cookie = socketCookie(fd).value_or(0);
    return key;
}

std::optional<KernelSocketState> KernelProbe::lookup(const SocketKey &key)
{
    const int family = familyOf(key);
    if (family == 0)
        return std::nullopt;

    DiagRequest request{};
    request.request.sdiag_family = quint8(family);
    request.request.idiag_states = ~0U;
    request.request.id.idiag_sport = htons(key.localPort);
    request.request.id.idiag_dport = htons(key.peerPort);
    copyAddress(key.localAddress, family, request.request.id.idiag_src);
    copyAddress(key.peerAddress, family, request.request.id.idiag_dst);
    request.request.id.idiag_cookie[0] = key.cookie ? quint32(key.cookie) : INET_DIAG_NOCOOKIE;
    request.request.id.idiag_cookie[1] =
        key.cookie ? quint32(key.cookie >> 32) : INET_DIAG_NOCOOKIE;

    DiagSocket &socket = diagSocket();
    if (!sendRequest(socket, request, false))
        return std::nullopt;

    alignas(nlmsghdr) std::array<char, kExactBufferSize> buffer;
    // Replies to an earlier request that timed out may still be queued: skip
    // every message that does not carry this request's sequence number.
    for (int attempt = 0; attempt < kMaxStaleReplies; ++attempt) {
        const ssize_t received = receive(socket.fd(), buffer.data(), buffer.size());
        if (received < 0)
            return std::nullopt;
        auto *message = reinterpret_cast<nlmsghdr *>(buffer.data());
        for (int left = int(received); NLMSG_OK(message, left);
             message = NLMSG_NEXT(message, left)) {
            if (message->nlmsg_seq != request.header.nlmsg_seq)
                continue;
            if (message->nlmsg_type == NLMSG_ERROR) {
                const auto *error = static_cast<const nlmsgerr *>(NLMSG_DATA(message));
                // ENOENT: no such socket, or (since 5.x) the cookie does not
                // match; ESTALE: the cookie does not match, on older kernels.
                if (error->error == -ENOENT || error->error == -ESTALE) {
                    KernelSocketState gone;
                    gone.state = TcpState::Closed;
                    return gone;
                }
                return std::nullopt;
            }
            if (message->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
                message->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
                return std::nullopt;
            const auto *diag = static_cast<const inet_diag_msg *>(NLMSG_DATA(message));
            // Without a cookie the kernel falls back to a listener on the local
            // port when the connection is gone: that is not the socket asked for.
            if (!key.cookie && (ntohs(diag->id.idiag_sport) != key.localPort ||
                                ntohs(diag->id.idiag_dport) != key.peerPort)) {
                KernelSocketState gone;
                gone.state = TcpState::Closed;
                return gone;
            }
            return stateFromMessage(*diag);
        }
    }
    return std::nullopt;
}

std::optional<KernelSocketState> KernelProbe::lookupHeld(qintptr fd)
{
    if (fd < 0)
        return std::nullopt;
    // tcpi_state is the first byte; the kernel copies no more than asked.
    tcp_info kernel{};
    socklen_t length = offsetof(tcp_info, tcpi_retransmits);
    if (::getsockopt(int(fd), IPPROTO_TCP, TCP_INFO, &kernel, &length) != 0 || length < 1)
        return std::nullopt;
    KernelSocketState state;
    state.state = tcpStateFromKernel(kernel.tcpi_state);
    return state;
}

std::optional<TcpInfo> KernelProbe::tcpInfo(qintptr fd)
{
    tcp_info kernel{};
    socklen_t length = sizeof kernel;
    if (::getsockopt(int(fd), IPPROTO_TCP, TCP_INFO, &kernel, &length) != 0)
        return std::nullopt;
    // An older kernel fills less of the struct and says how much.
    const auto has = [length](size_t offset, size_t size) { return length >= offset + size; };

    TcpInfo info;
    info.state = kernel.tcpi_state;
    info.retransmits = kernel.tcpi_retransmits;
    info.rttUs = kernel.tcpi_rtt;
    info.rttVarUs = kernel.tcpi_rttvar;
    info.sndCwnd = kernel.tcpi_snd_cwnd;
    info.unacked = kernel.tcpi_unacked;
    info.lost = kernel.tcpi_lost;
    info.totalRetrans = kernel.tcpi_total_retrans;
    if (has(offsetof(tcp_info, tcpi_bytes_acked), sizeof kernel.tcpi_bytes_acked))
        info.bytesAcked = kernel.tcpi_bytes_acked;
    if (has(offsetof(tcp_info, tcpi_bytes_received), sizeof kernel.tcpi_bytes_received))
        info.bytesReceived = kernel.tcpi_bytes_received;
    if (has(offsetof(tcp_info, tcpi_bytes_sent), sizeof kernel.tcpi_bytes_sent))
        info.bytesSent = kernel.tcpi_bytes_sent;
    return info;
}

QList<std::pair<SocketKey, KernelSocketState>> KernelProbe::dumpListening(quint16 port)
{
    QList<std::pair<SocketKey, KernelSocketState>> listeners;
    DiagSocket &socket = diagSocket();
    // operator new aligns for any scalar, so also for nlmsghdr.
    std::vector<char> buffer(kDumpBufferSize);

    for (const int family : {AF_INET, AF_INET6}) {
        DiagRequest request{};
        request.request.sdiag_family = quint8(family);
        request.request.idiag_states = 1U << kKernelListen;
        // The kernel skips listeners on other ports itself (0: every port).
        request.request.id.idiag_sport = htons(port);
        if (!sendRequest(socket, request, true))
            return {};

        bool done = false;
        while (!done) {
            const ssize_t received = receive(socket.fd(), buffer.data(), buffer.size());
            if (received < 0)
                return {};
            auto *message = reinterpret_cast<nlmsghdr *>(buffer.data());
            for (int left = int(received); !done && NLMSG_OK(message, left);
                 message = NLMSG_NEXT(message, left)) {
                if (message->nlmsg_seq != request.header.nlmsg_seq)
                    continue;
                if (message->nlmsg_type == NLMSG_DONE) {
                    done = true;
                } else if (message->nlmsg_type == NLMSG_ERROR) {
                    return {};
                } else if (message->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
                           message->nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg))) {
                    const auto *diag = static_cast<const inet_diag_msg *>(NLMSG_DATA(message));
                    if (diag->idiag_state != kKernelListen)
                        continue;
                    SocketKey key = keyFromMessage(*diag);
                    if (port != 0 && key.localPort != port)
                        continue;
                    listeners.append({key, stateFromMessage(*diag)});
                }
            }
        }
    }
    return listeners;
}

} // namespace synack::net
