#pragma once

namespace synack::bench {

// Checks the fast frame reader against the project's codec on every message a
// server sends, the outgoing frames against PROTOCOL.md's examples, and the
// histogram; prints what one frame costs. Returns the exit status.
int runSelftest();

} // namespace synack::bench
