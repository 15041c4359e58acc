#pragma once

// The reactor's backends, for ioreactor.cpp's factory.

#include "net/ioreactor.h"

namespace synack::net {

// The epoll backend (ioreactor_epoll.cpp, Linux only).
std::unique_ptr<IoReactor> createEpollReactor();
// The portable backend: a QSocketNotifier pair per descriptor.
std::unique_ptr<IoReactor> createNotifierReactor();

} // namespace synack::net
