#pragma once

// What the soak watches of the server from outside: its memory and open
// descriptors (/proc/PID), and the kernel's TCP sockets on its port
// (/proc/net/tcp and tcp6), CLOSE_WAIT above all: a socket the peer closed
// and the server never did.

#include <QMap>
#include <QString>

struct ProcSample
{
    qint64 rssKb = -1; // VmRSS
    int fds = -1;      // entries of /proc/PID/fd
    int threads = -1;
    bool alive() const { return rssKb >= 0; }
};

ProcSample sampleProcess(qint64 pid);

// The server's side of its connections: sockets whose local port is `port`,
// counted by TCP state name ("CLOSE_WAIT", "ESTABLISHED", ...). The listener
// counts as "LISTEN".
QMap<QString, int> serverSocketStates(quint16 port);
