// synack-decode-bench: the worst time per KiB that the payload decoder can be
// made to spend (docs/reliability.md, "A small frame freezes the server").
// It decodes every hostile shape of tests/support at sizes up to the server's
// frame limit (64 KiB) and the client's (16 MiB), then random payloads for the
// rest of its time, and prints the worst nanoseconds per KiB of each shape
// and overall, beside a plain `say` of the same size. Not a CTest test: the
// figures depend on the machine.

#include "hostilepayloads.h"
#include "protocol/cborvalue.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>
#include <random>

using namespace synack;

namespace {

constexpr int kMaxSeconds = 600;

struct Worst
{
    double nsPerKiB = 0;
    qsizetype bytes = 0;
};

// The best of three decodes, in ns per KiB: the decoder's own cost, not a
// moment when the machine was busy.
double nsPerKiB(const QByteArray &payload)
{
    qint64 best = std::numeric_limits<qint64>::max();
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer timer;
        timer.start();
        const protocol::EnvelopeResult result = protocol::parseEnvelope(payload);
        best = qMin(best, timer.nsecsElapsed());
        Q_UNUSED(result);
    }
    return double(best) * 1024.0 / double(qMax<qsizetype>(1, payload.size()));
}

void report(const QString &name, const Worst &worst)
{
    std::printf("%-34s %12.0f ns/KiB  (at %lld bytes)\n", qPrintable(name), worst.nsPerKiB,
                qint64(worst.bytes));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The payload decoder's worst time per KiB, for hostile shapes and "
                       "random payloads."));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Time for random payloads (default 10)."),
                                           QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption clientOption(QStringLiteral("client-sizes"),
                                          QStringLiteral("Also sizes up to 16 MiB (a client's)."));
    const QCommandLineOption eachOption(QStringLiteral("each-size"),
                                        QStringLiteral("Print every size of every shape."));
    parser.addOption(secondsOption);
    parser.addOption(clientOption);
    parser.addOption(eachOption);
    parser.process(app);
    const int seconds = qBound(0, parser.value(secondsOption).toInt(), kMaxSeconds);
    const qsizetype maxBytes = parser.isSet(clientOption) ? 16 << 20 : 64 << 10;

    Worst overall;
    std::printf("shape                              worst time per KiB\n");
    {
        Worst plain;
        for (qsizetype bytes = 1024; bytes <= maxBytes; bytes *= 4) {
            const QByteArray say = testing::cborHead(5, 2) + testing::cborText("t") +
                                   testing::cborText("say") + testing::cborText("text") +
                                   testing::cborText(QByteArray(bytes, 'x'));
            const double ns = nsPerKiB(say);
            if (ns > plain.nsPerKiB)
                plain = {ns, say.size()};
        }
        report(QStringLiteral("(a plain say, for scale)"), plain);
    }
    for (const testing::HostileShape &shape : testing::hostileShapes()) {
        Worst worst;
        // Units of 1 to 8 bytes each: from a few hundred to the size limit.
        for (int units = 128; units <= maxBytes; units *= 2) {
            const QByteArray payload = shape.make(units);
            if (payload.size() > maxBytes)
                break;
            const double ns = nsPerKiB(payload);
            if (parser.isSet(eachOption))
                report(QStringLiteral("  %1 units").arg(units), {ns, payload.size()});
            if (ns > worst.nsPerKiB)
                worst = {ns, payload.size()};
        }
        report(shape.name, worst);
        if (worst.nsPerKiB > overall.nsPerKiB)
            overall = worst;
    }

    std::mt19937_64 random(20261208);
    Worst randomWorst;
    qint64 payloads = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < seconds * 1000LL) {
        const int bytes = int(64 + random() % quint64(maxBytes - 64));
        const QByteArray payload = testing::randomPayload(random, bytes);
        if (payload.size() > maxBytes)
            continue;
        ++payloads;
        const double ns = nsPerKiB(payload);
        if (ns > randomWorst.nsPerKiB && payload.size() >= 1024)
            randomWorst = {ns, payload.size()};
    }
    report(QStringLiteral("random payloads (%1 of them)").arg(payloads), randomWorst);
    if (randomWorst.nsPerKiB > overall.nsPerKiB)
        overall = randomWorst;
    report(QStringLiteral("worst of all"), overall);
    return 0;
}
