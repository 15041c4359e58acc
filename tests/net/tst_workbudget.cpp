// WorkBudget: each peer's share of this side's time (docs/protocol.md,
// "Protection"), driven by a clock moved by hand.

#include "net/workbudget.h"

#include <QTest>

using namespace synack::net;
using namespace std::chrono_literals;

class TestWorkBudget : public QObject
{
    Q_OBJECT

private slots:
    void startsFullAndSpendsIntoDebt();
    void earnsAtItsRateUpToTheBurst();
    void noCeilingWithoutARate();
};

void TestWorkBudget::startsFullAndSpendsIntoDebt()
{
    const WorkBudget::Clock::time_point t0{};
    WorkBudget budget(20ms, 20ms, t0);
    QVERIFY(budget.isLimited());
    QVERIFY(budget.allows(t0));
    budget.charge(15ms, t0);
    QVERIFY(budget.allows(t0));
    // The frame that crosses the line is done: the balance goes below zero.
    budget.charge(10ms, t0);
    QVERIFY(!budget.allows(t0));
    // 5 ms of debt at 20 ms a second: a quarter of a second, and a little.
    QVERIFY(budget.waitFrom(t0) > 250ms);
    QVERIFY(budget.waitFrom(t0) < 251ms);
    QVERIFY(!budget.allows(t0 + 250ms));
    QVERIFY(budget.allows(t0 + 251ms));
    QCOMPARE(budget.waitFrom(t0 + 251ms), 0ns);
}

void TestWorkBudget::earnsAtItsRateUpToTheBurst()
{
    const WorkBudget::Clock::time_point t0{};
    WorkBudget budget(10ms, 30ms, t0);
    budget.charge(30ms, t0); // all of it
    QVERIFY(!budget.allows(t0));
    // An hour idle saves no more than the burst.
    budget.charge(0ms, t0 + 1h);
    budget.charge(29ms, t0 + 1h);
    QVERIFY(budget.allows(t0 + 1h));
    budget.charge(2ms, t0 + 1h);
    QVERIFY(!budget.allows(t0 + 1h));
    QVERIFY(budget.allows(t0 + 1h + 101ms)); // 1 ms of debt at 10 ms a second
    // Time that goes backwards earns nothing.
    QVERIFY(budget.allows(t0));
}

void TestWorkBudget::noCeilingWithoutARate()
{
    const WorkBudget::Clock::time_point t0{};
    WorkBudget budget(0us, 0us, t0);
    QVERIFY(!budget.isLimited());
    budget.charge(1h, t0);
    QVERIFY(budget.allows(t0));
    QCOMPARE(budget.waitFrom(t0), 0ns);
}

QTEST_GUILESS_MAIN(TestWorkBudget)
#include "tst_workbudget.moc"
