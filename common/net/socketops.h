#pragma once

// The few socket operations Qt does not offer, on a raw descriptor.

#include <QtGlobal>

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

} // namespace synack::net
