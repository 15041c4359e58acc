#include "ui/repaintthrottle.h"

namespace synack::ui {

RepaintThrottle::RepaintThrottle(std::function<void()> flush, QObject *parent)
    : QObject(parent)
    , m_flush(std::move(flush))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kRepaintInterval);
    connect(&m_timer, &QTimer::timeout, this, &RepaintThrottle::flush);
}

void RepaintThrottle::markDirty()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void RepaintThrottle::flushNow()
{
    if (m_timer.isActive()) {
        m_timer.stop();
        flush();
    }
}

void RepaintThrottle::flush()
{
    ++m_flushes;
    if (m_flush)
        m_flush();
}

} // namespace synack::ui
