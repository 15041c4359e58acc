#pragma once

// Coalesces "something changed" into at most one repaint per interval: the
// first change starts a single-shot timer, later ones ride along, and the
// timer's callback does the (possibly costly) rebuild and update() once. No
// timer runs while nothing changes.

#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

namespace synack::ui {

// About 30 repaints a second at most.
inline constexpr std::chrono::milliseconds kRepaintInterval{33};

class RepaintThrottle : public QObject
{
    Q_OBJECT

public:
    explicit RepaintThrottle(std::function<void()> flush, QObject *parent = nullptr);

    // Something changed: flush within kRepaintInterval.
    void markDirty();
    bool isDirty() const { return m_timer.isActive(); }
    // Flush now if dirty (tests, and before grabbing a picture).
    void flushNow();
    // How many flushes so far (tests: never one per change).
    int flushCount() const { return m_flushes; }

private:
    void flush();

    std::function<void()> m_flush;
    QTimer m_timer;
    int m_flushes = 0;
};

} // namespace synack::ui
