#pragma once

// The few socket operations Qt does not offer, on a raw descriptor.

#include <QtGlobal>

class QHostAddress;

namespace synack::net {

// Sends FIN but keeps reading (shutdown(SHUT_WR)). False if the call failed.
bool shutdownWrite(qintptr fd);
// Makes the next close send RST instead of FIN (SO_LINGER on, 0 s), so this
// side skips TIME_WAIT.
bool setLingerZero(qintptr fd);
// The socket's pending error (SO_ERROR), which reading it clears; 0: none.
int pendingSocketError(qintptr fd);
// Whether an errno says the connection was reset (RST).
bool isResetError(int error);
// Bytes the kernel holds for reading (FIONREAD); -1 if the call failed.
qint64 bytesReadable(qintptr fd);
// Closes a descriptor this program owns.
void closeDescriptor(qintptr fd);
// Turns Nagle's algorithm off (TCP_NODELAY): chat lines go out at once.
bool setNoDelay(qintptr fd);
// The next connection waiting on a listening socket, non-blocking and
// close-on-exec; -errno when there is none (-EAGAIN) or accept() failed.
qintptr acceptConnection(qintptr listener);
// Whether reading would not block now: data, a FIN, an error, or for a
// listening socket a connection waiting to be accepted.
bool isReadableNow(qintptr fd);
// A second descriptor for the same socket (close-on-exec); -1 on failure.
qintptr duplicateDescriptor(qintptr fd);
// The socket's own and its peer's address and port; false if unknown.
bool localEndpoint(qintptr fd, QHostAddress *address, quint16 *port);
bool peerEndpoint(qintptr fd, QHostAddress *address, quint16 *port);

} // namespace synack::net
