#pragma once

// One connected TCP descriptor, read and written without Qt's buffers.
//
// QTcpSocket keeps a read and a write ring buffer per socket whose chunks
// stay allocated between uses: tens of kilobytes per idle connection, and a
// copy of every relayed frame. A stream instead reads into one scratch
// buffer per thread and hands the bytes on at once, and queues the frames it
// is given as they are (shared, not copied), writing them with one
// scatter-gather call per turn of the event loop (IoReactor batches it).
//
// It also tells how the peer ended the stream, from what read() returns: 0 is
// the peer's FIN, ECONNRESET its RST.

#include "net/ioreactor.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QPointer>
#include <vector>

namespace synack::net {

class SocketStream final : private IoHandler
{
public:
    enum class End {
        Fin,   // the peer shut down its write side; this side may still write
        Reset, // the peer reset the connection (RST), seen reading or writing
        Error, // another socket error (errno in `error`)
    };

    // What the owner hears. Called from the event loop, never from inside a
    // call the owner made on the stream.
    class Listener
    {
    public:
        virtual void streamRead(QByteArrayView bytes) = 0;
        // The kernel took `bytes` of the queue; `drained`: nothing is left.
        virtual void streamWritten(qint64 bytes, bool drained) = 0;
        // Reading has stopped (and, for Reset and Error, writing too).
        virtual void streamEnded(End end, int error) = 0;

    protected:
        ~Listener() = default;
    };

    // Takes ownership of the connected descriptor `fd` (made non-blocking).
    SocketStream(qintptr fd, Listener *listener,
                 IoReactor *reactor = IoReactor::forCurrentThread());
    ~SocketStream(); // closes the descriptor if still open
    SocketStream(const SocketStream &) = delete;
    SocketStream &operator=(const SocketStream &) = delete;

    qintptr descriptor() const { return m_fd; }
    bool isOpen() const { return m_fd >= 0; }

    // Queues a frame; it goes out at the end of this turn of the event loop.
    void write(const QByteArray &bytes);
    // Offers the queue to the kernel now; what it does not take stays queued.
    void flushNow();
    qint64 bytesQueued() const { return m_queuedBytes; }

    // Stops (or resumes) watching for input: a connection that holds
    // CLOSE_WAIT, or saw a half-close, has nothing more to read.
    void setReading(bool reading);
    // FIN: shutdown(SHUT_WR). The caller waits for the queue to drain first.
    bool shutdownWrite();
    // Closes the descriptor; with `reset`, SO_LINGER 0 first, so the kernel
    // sends RST and this side skips TIME_WAIT. Queued bytes are dropped.
    void close(bool reset = false);

private:
    void ioReady(bool readable, bool writable, bool failed) override;
    void ioFlush() override;

    // False if the listener closed or deleted this stream meanwhile: then
    // nothing of it may be touched.
    static bool stillOpen(IoReactor *reactor, IoReactor::Token token);
    void readAvailable();
    void end(End end, int error);
    // Returns the bytes the kernel took; -1 after a write error.
    qint64 writeQueue();
    void updateInterest();
    void scheduleFlush();

    qintptr m_fd;
    Listener *m_listener;
    QPointer<IoReactor> m_reactor;
    IoReactor::Token m_token = 0;

    std::vector<QByteArray> m_queue; // frames not yet (fully) taken by the kernel
    std::size_t m_queueHead = 0;     // first frame still queued
    qint64 m_headOffset = 0;         // bytes of that frame already written
    qint64 m_queuedBytes = 0;

    bool m_reading = true;          // wanted
    bool m_watchingReadable = true; // what the reactor was told
    bool m_waitingWritable = false;
    bool m_flushRequested = false;
    int m_failure = 0; // errno of a failed read or write
    bool m_failureReported = false;
};

} // namespace synack::net
