#include "net/heartbeatsweeper.h"

#include "net/connection.h"

namespace synack::net {

HeartbeatSweeper::HeartbeatSweeper(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(std::chrono::milliseconds(500));
    connect(&m_timer, &QTimer::timeout, this, &HeartbeatSweeper::sweep);
}

void HeartbeatSweeper::setResolution(std::chrono::milliseconds resolution)
{
    m_timer.setInterval(resolution);
}

std::chrono::milliseconds HeartbeatSweeper::resolution() const
{
    return m_timer.intervalAsDuration();
}

HeartbeatSweeper::~HeartbeatSweeper()
{
    for (Connection *connection : std::as_const(m_connections))
        connection->setSweeper(nullptr);
}

void HeartbeatSweeper::add(Connection *connection)
{
    m_connections.insert(connection);
    connection->setSweeper(this);
    if (!m_timer.isActive())
        m_timer.start();
}

void HeartbeatSweeper::remove(Connection *connection)
{
    if (m_connections.remove(connection))
        connection->setSweeper(nullptr);
    if (m_connections.isEmpty())
        m_timer.stop();
}

void HeartbeatSweeper::sweep()
{
    const auto now = std::chrono::steady_clock::now();
    // A tick may close connections, which removes them from the set.
    const QList<Connection *> snapshot = m_connections.values();
    for (Connection *connection : snapshot) {
        if (m_connections.contains(connection))
            connection->heartbeatTick(now);
    }
}

} // namespace synack::net
