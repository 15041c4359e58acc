#pragma once

#include <QString>

namespace synack::server {

// Raises the process's open-file limit so that `wanted` descriptors fit, as far
// as the hard limit allows. Returns the limit now in force (-1 where the
// platform has no such limit) and says in `note` what it could not do.
long raiseOpenFileLimit(long wanted, QString *note);
// The open-file limit in force (-1 where there is none).
long openFileLimit();

} // namespace synack::server
