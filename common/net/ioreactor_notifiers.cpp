// The reactor's portable backend: a QSocketNotifier pair per descriptor,
// which Qt's own dispatcher polls. Fine for a client's one connection; a
// server with thousands wants the epoll backend.

#include "net/ioreactor_p.h"

#include <QSocketNotifier>
#include <unordered_map>

namespace synack::net {

namespace {

class NotifierReactor final : public IoReactor
{
public:
    Backend backend() const override { return Backend::Notifiers; }

    Token watch(qintptr fd, IoHandler *handler) override
    {
        const Token token = addSlot(fd, handler);
        Notifiers &notifiers = m_notifiers[token];
        notifiers.read = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
        notifiers.write = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write);
        notifiers.write->setEnabled(false);
        connect(notifiers.read.get(), &QSocketNotifier::activated, this,
                [this, token] { deliver(token, true, false); });
        connect(notifiers.write.get(), &QSocketNotifier::activated, this,
                [this, token] { deliver(token, false, true); });
        return token;
    }

    void setInterest(Token token, bool read, bool write) override
    {
        const auto it = m_notifiers.find(token);
        if (it == m_notifiers.end())
            return;
        it->second.read->setEnabled(read);
        it->second.write->setEnabled(write);
    }

    void unwatch(Token token) override
    {
        const auto it = m_notifiers.find(token);
        if (it == m_notifiers.end())
            return;
        // Not deleted at once: we may be inside one of their signals.
        it->second.read->setEnabled(false);
        it->second.write->setEnabled(false);
        it->second.read.release()->deleteLater();
        it->second.write.release()->deleteLater();
        m_notifiers.erase(it);
        removeSlot(token);
    }

private:
    struct Notifiers
    {
        std::unique_ptr<QSocketNotifier> read;
        std::unique_ptr<QSocketNotifier> write;
    };

    void deliver(Token token, bool readable, bool writable)
    {
        setDispatching(true);
        if (IoHandler *handler = handlerOf(token))
            handler->ioReady(readable, writable, false);
        runFlushes();
        setDispatching(false);
    }

    std::unordered_map<Token, Notifiers> m_notifiers;
};

} // namespace

std::unique_ptr<IoReactor> createNotifierReactor()
{
    return std::make_unique<NotifierReactor>();
}

} // namespace synack::net
