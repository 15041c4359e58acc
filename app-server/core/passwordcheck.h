#pragma once

#include <QString>

namespace synack::server {

// Compares a password in time that does not depend on where the two differ
// (nor on their lengths: both are hashed first).
bool passwordMatches(const QString &expected, const QString &given);

} // namespace synack::server
