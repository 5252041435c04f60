// SPDX-License-Identifier: MIT
// The switchover's pure parts (app/ship/deployplan.*): the plan made from a profile, what the
// remote scripts print, the verdict on a probe, and which kept image a rollback goes back to.
// No ssh, no docker: the scripts themselves run for real in tst_deploys.
#include "failuretext.h"
#include "ship/deployplan.h"
#include "ship/deployrecord.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

class TestDeployPlan : public QObject
{
    Q_OBJECT

    static ServerProfile profile()
    {
        ServerProfile p;
        p.name = u"prod"_s;
        p.host = u"example.com"_s;
        p.containerName = u"hello-web"_s;
        p.ports = {u"8080:3000"_s};
        p.env = {u"RUST_LOG=info"_s};
        p.secretEnv = {u"DATABASE_URL"_s};
        p.volumes = {u"data:/var/lib/app"_s};
        p.network = u"web"_s;
        p.healthUrl = u"http://example.com:8080/api/health"_s;
        return p;
    }

private Q_SLOTS:
    void planCarriesTheRunSettingsAndKeepsValuesOffTheCommandLine()
    {
        const Result<DeployPlan> plan = planDeploy(profile(), u"hello:latest"_s, {{u"DATABASE_URL"_s, u"postgres://u:s3cret@db/app"_s}});
        QVERIFY2(plan.ok(), qPrintable(GantryTest::failureText(plan)));
        QCOMPARE(plan->next, u"hello-web-gantry-next"_s);
        QCOMPARE(plan->keepRepo, u"gantry-keep/hello-web"_s);
        QCOMPARE(plan->runArgs, (QStringList{u"--restart"_s, u"unless-stopped"_s, u"--network"_s, u"web"_s, u"-p"_s, u"8080:3000"_s, u"-v"_s,
                                             u"data:/var/lib/app"_s}));
        QCOMPARE(plan->envFile, QByteArray("RUST_LOG=info\nDATABASE_URL=postgres://u:s3cret@db/app\n"));
        const QString begin = beginScript(*plan);
        QVERIFY(!begin.contains(u"s3cret"_s));     // the value travels on stdin only
        QVERIFY(!begin.contains(u"RUST_LOG"_s));
        QVERIFY(begin.contains(u"--env-file"_s));
        QVERIFY(begin.contains(u"umask 077"_s));
        QVERIFY(begin.contains(u"mktemp"_s));
        QVERIFY(begin.indexOf(u"stop -t 10"_s) < begin.indexOf(u"run -d"_s)); // stopped (not removed) before the new one starts
        QVERIFY(!begin.contains(u"rm -f \"$N\""_s));                        // the running one is never removed here
    }

    void badValuesAreRefusedWithOneSentence_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no secret value") << u"secret"_s << QString() << u"has no value in the keychain"_s;
        QTest::newRow("secret with newline") << u"secret"_s << u"a\nb"_s << u"line break"_s;
        QTest::newRow("env without =") << u"env"_s << u"JUSTKEY"_s << u"not KEY=VALUE"_s;
        QTest::newRow("env bad name") << u"env"_s << u"1X=2"_s << u"not KEY=VALUE"_s;
        QTest::newRow("container name") << u"name"_s << u"-rm"_s << u"not one docker accepts"_s;
        QTest::newRow("container name space") << u"name"_s << u"a b"_s << u"not one docker accepts"_s;
    }
    void badValuesAreRefusedWithOneSentence()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        ServerProfile p = profile();
        QMap<QString, QString> secrets{{u"DATABASE_URL"_s, u"x"_s}};
        if (field == u"secret") {
            if (value.isNull())
                secrets.clear();
            else
                secrets[u"DATABASE_URL"_s] = value;
        } else if (field == u"env") {
            p.env = {value};
        } else {
            p.containerName = value;
        }
        const Result<DeployPlan> plan = planDeploy(p, u"hello:latest"_s, secrets);
        QVERIFY(!plan.ok());
        QVERIFY2(plan.failure().sentence().contains(expected), qPrintable(plan.failure().sentence()));
        QVERIFY(!plan.failure().fix.isEmpty());
    }

    void profileValidationNamesTheBadRunSetting()
    {
        ServerProfile p = profile();
        QVERIFY(p.validate().isEmpty());
        p.keepImages = 0;
        p.volumes = {u"nocolon"_s};
        p.network = u"bad net"_s;
        const QString all = p.validate().join(u'\n');
        QVERIFY2(all.contains(u"Keeping 0 images"_s) && all.contains(u"'nocolon'"_s) && all.contains(u"'bad net'"_s), qPrintable(all));
    }

    void beginReportGivesTheStopToStartGap()
    {
        const BeginReport r = parseBegin(u"old true sha256:aaa\nstop 1000000000\nstopped 1200000000\nstarted 1450000000\nnew 0123abcd"_s);
        QVERIFY(r.oldExists && r.oldRunning);
        QCOMPARE(r.oldImage, u"sha256:aaa"_s);
        QCOMPARE(r.stopToStartMs(), qint64(450));
        QCOMPARE(r.newId, u"0123abcd"_s);
        const BeginReport none = parseBegin(u"old none\nstop %s%N\nstopped\nstarted\nnew x"_s); // a date without %N
        QVERIFY(!none.oldExists);
        QCOMPARE(none.stopToStartMs(), qint64(-1));
    }

    void verdicts_data()
    {
        QTest::addColumn<QString>("probe");
        QTest::addColumn<bool>("onServer");
        QTest::addColumn<int>("localStatus");
        QTest::addColumn<int>("elapsed");
        QTest::addColumn<int>("runningFor");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("why");
        QTest::newRow("healthy from here") << u"state running 0 0 none"_s << false << 200 << 900 << 900 << int(Verdict::Healthy) << u"HTTP 200"_s;
        QTest::newRow("500 waits") << u"state running 0 0 none"_s << false << 500 << 3000 << 3000 << int(Verdict::Wait) << u"HTTP 500"_s;
        QTest::newRow("500 at the limit") << u"state running 0 0 none"_s << false << 500 << 20000 << 20000 << int(Verdict::Failed)
                                          << u"answered HTTP 500 after 20 s"_s;
        QTest::newRow("no answer at the limit") << u"state running 0 0 none"_s << false << 0 << 20001 << 20001 << int(Verdict::Failed)
                                                << u"did not answer"_s;
        QTest::newRow("exited") << u"state exited 3 0 none"_s << false << -1 << 500 << 0 << int(Verdict::Failed) << u"exited with code 3"_s;
        QTest::newRow("restart loop") << u"state running 0 2 none"_s << false << 200 << 4000 << 0 << int(Verdict::Failed)
                                      << u"keeps restarting (2 restarts"_s;
        QTest::newRow("gone") << u""_s << false << -1 << 500 << 0 << int(Verdict::Failed) << u"disappeared"_s;
        QTest::newRow("unhealthy") << u"state running 0 0 unhealthy"_s << false << 200 << 500 << 500 << int(Verdict::Failed) << u"HEALTHCHECK"_s;
        QTest::newRow("on the server") << u"state running 0 0 none\nhttp 204"_s << true << -1 << 500 << 500 << int(Verdict::Healthy) << u"HTTP 204"_s;
        QTest::newRow("on the server, 503") << u"state running 0 0 none\nhttp 503"_s << true << 200 << 500 << 500 << int(Verdict::Wait) << u"HTTP 503"_s;
        // A server with neither curl nor wget, https: bash's TCP connect decides.
        QTest::newRow("on the server, tcp open") << u"state running 0 0 none\ntcp open"_s << true << -1 << 500 << 500 << int(Verdict::Healthy)
                                                 << u"accepts connections (TCP"_s;
        QTest::newRow("on the server, tcp closed") << u"state running 0 0 none\ntcp closed"_s << true << -1 << 500 << 500 << int(Verdict::Wait)
                                                   << u"refuses connections on the server"_s;
    }
    void verdicts()
    {
        QFETCH(QString, probe);
        QFETCH(bool, onServer);
        QFETCH(int, localStatus);
        QFETCH(int, elapsed);
        QFETCH(int, runningFor);
        QFETCH(int, kind);
        QFETCH(QString, why);
        DeployPlan plan;
        plan.healthUrl = u"http://h/api/health"_s;
        plan.healthOnServer = onServer;
        plan.healthTimeoutSec = 20;
        const Verdict v = judge(plan, parseProbe(probe), LocalCheck{localStatus, localStatus == 0 ? u"Connection refused"_s : QString()}, elapsed,
                                runningFor);
        QCOMPARE(int(v.kind), kind);
        QVERIFY2(v.why.contains(why), qPrintable(v.why));
    }

    void autoMovesTheCheckToTheServerOnlyWhenThisMachineGetsNoAnswer()
    {
        DeployPlan plan;
        plan.healthUrl = u"http://127.0.0.1:8080/api/health"_s;
        plan.healthTimeoutSec = 20;
        // Undecided (Auto): the probe asks the server too, with curl, wget, else bash.
        const QString undecided = probeScript(plan, u"c"_s);
        QVERIFY(undecided.contains(u"curl"_s) && undecided.contains(u"wget"_s) && undecided.contains(u"/dev/tcp/"_s));
        plan.healthWhere = RunSettings::HealthWhere::Here;
        QVERIFY(!probeScript(plan, u"c"_s).contains(u"curl"_s));
        // What the server's probe shows counts only as an answer: an HTTP status, an open port, a settled HEALTHCHECK.
        QVERIFY(parseProbe(u"state running 0 0 none\nhttp 500"_s).serverAnswered());
        QVERIFY(!parseProbe(u"state running 0 0 none\nhttp 0"_s).serverAnswered());
        QVERIFY(!parseProbe(u"state running 0 0 starting\nhttp 0"_s).serverAnswered());
        QVERIFY(parseProbe(u"state running 0 0 healthy\nhttp 0"_s).serverAnswered());
        // Switched to the server: the image's HEALTHCHECK decides where there is one ...
        plan.healthWhere = RunSettings::HealthWhere::Auto;
        plan.healthOnServer = plan.switchedToServer = true;
        QCOMPARE(int(judge(plan, parseProbe(u"state running 0 0 starting\nhttp 200"_s), {}, 1000, 1000).kind), int(Verdict::Wait));
        const Verdict hc = judge(plan, parseProbe(u"state running 0 0 healthy\nhttp 0"_s), {}, 1000, 1000);
        QCOMPARE(int(hc.kind), int(Verdict::Healthy));
        QVERIFY2(hc.why.contains(u"HEALTHCHECK reports healthy (checked on the server)"_s), qPrintable(hc.why));
        // ... else the URL probed there.
        const Verdict url = judge(plan, parseProbe(u"state running 0 0 none\nhttp 200"_s), {}, 1000, 1000);
        QVERIFY2(url.why.contains(u"answered HTTP 200 (checked on the server)"_s), qPrintable(url.why));
    }

    void everyScriptStartsWithTheRemotePolicy()
    {
        // gantry rollback runs no ship first: its scripts check the folder themselves.
        const Result<DeployPlan> plan = planDeploy(profile(), u"hello:latest"_s, {{u"DATABASE_URL"_s, u"x"_s}});
        QVERIFY(plan.ok());
        for (const QString &script : {beginScript(*plan), probeScript(*plan, u"c"_s), commitScript(*plan, u"sha256:a"_s),
                                      rollbackScript(*plan, true), keptImagesScript(*plan)}) {
            QVERIFY(script.startsWith(u"umask 077; dir="_s));
            QVERIFY(script.contains(u"is a symbolic link"_s) && script.contains(u"is owned by another user"_s));
        }
    }

    void withoutAUrlTheHealthcheckOrStabilityDecides()
    {
        DeployPlan plan;
        plan.healthTimeoutSec = 20;
        QCOMPARE(int(judge(plan, parseProbe(u"state running 0 0 starting"_s), {}, 3000, 3000).kind), int(Verdict::Wait));
        QCOMPARE(int(judge(plan, parseProbe(u"state running 0 0 healthy"_s), {}, 3000, 3000).kind), int(Verdict::Healthy));
        QCOMPARE(int(judge(plan, parseProbe(u"state running 0 0 none"_s), {}, 2000, 2000).kind), int(Verdict::Wait));
        QCOMPARE(int(judge(plan, parseProbe(u"state running 0 0 none"_s), {}, 6000, 5000).kind), int(Verdict::Healthy));
        // A server without curl or wget: the URL cannot be probed there, so running decides.
        plan.healthUrl = u"http://h/"_s;
        plan.healthOnServer = true;
        const ProbeState noTools = parseProbe(u"state running 0 0 none\nhttp unavailable"_s);
        QVERIFY(noTools.probeUnavailable);
        QCOMPARE(int(judge(plan, noTools, {}, 6000, 5000).kind), int(Verdict::Healthy));
    }

    void rollbackGoesToTheVersionBeforeTheCurrentOne()
    {
        const KeptImages kept = parseKeptImages(u"kept 20261130T050000-bbbbbbbbbbbb sha256:b\nkept 20261130T040000-aaaaaaaaaaaa sha256:a\n"
                                                 "kept 20261130T060000-cccccccccccc sha256:c\ncurrent sha256:c"_s);
        QCOMPARE(kept.images.size(), qsizetype(3));
        QCOMPARE(kept.images.first().id, u"sha256:a"_s); // sorted by time
        const Result<KeptImage> t = rollbackTarget(kept, u"prod"_s);
        QVERIFY(t.ok());
        QCOMPARE(t->id, u"sha256:b"_s);
        KeptImages fromMiddle = kept;
        fromMiddle.current = u"sha256:b"_s;
        QCOMPARE(rollbackTarget(fromMiddle, u"prod"_s)->id, u"sha256:a"_s);
        KeptImages byHand = kept;
        byHand.current = u"sha256:other"_s; // started by hand: back to the newest kept one
        QCOMPARE(rollbackTarget(byHand, u"prod"_s)->id, u"sha256:c"_s);
        KeptImages oldest = kept;
        oldest.current = u"sha256:a"_s;
        const Result<KeptImage> none = rollbackTarget(oldest, u"prod"_s);
        QVERIFY(!none.ok());
        QVERIFY2(none.failure().sentence().contains(u"keeps no version older"_s), qPrintable(none.failure().sentence()));
    }

    void aShipThatFailedBeforeTheSwitchoverIsAFailedDeploy()
    {
        // The one rule the Ship page and `gantry ship` share for the deploy history.
        ShipResult failed;
        failed.failure = Failure(ErrorClass::LinkDropped, u"The connection to example.com broke during the upload."_s);
        failed.bytesSent = 1234;
        // Not asked to switch containers, or cancelled: no deploy row.
        QVERIFY(!shipDeployOutcome(failed, false, u"hello:1"_s));
        ShipResult cancelled;
        cancelled.failure = Failure(ErrorClass::Cancelled, u"Shipping was cancelled."_s);
        QVERIFY(!shipDeployOutcome(cancelled, true, u"hello:1"_s));
        // Failed before the switchover: a failed deploy of that image, for the ship's reason.
        const std::optional<DeployOutcome> outcome = shipDeployOutcome(failed, true, u"hello:1"_s);
        QVERIFY(outcome);
        QCOMPARE(outcome->image, u"hello:1"_s);
        QCOMPARE(toString(outcome->failure.errorClass), toString(ErrorClass::LinkDropped));
        const DeployRecord row = deployRecordOf(profile(), u"deploy"_s, *outcome, failed.bytesSent);
        QCOMPARE(row.result, u"failed"_s);
        QCOMPARE(row.detail, failed.failure->sentence());
        QCOMPARE(row.image, u"hello:1"_s);
        QCOMPARE(row.bytesSent, 1234);
        // The switchover ran: its own outcome, whatever image was asked for.
        ShipResult switched;
        switched.deploy.result = DeployOutcome::Healthy;
        switched.deploy.image = u"hello:2"_s;
        switched.deploy.healthDetail = u"http://example.com:8080/api/health answered HTTP 200"_s;
        const std::optional<DeployOutcome> healthy = shipDeployOutcome(switched, true, u"hello:1"_s);
        QVERIFY(healthy && healthy->ok());
        QCOMPARE(healthy->image, u"hello:2"_s);
        QCOMPARE(deployRecordOf(profile(), u"deploy"_s, *healthy, 0).result, u"healthy"_s);
    }

    void keepRepositoryIsAValidName()
    {
        QCOMPARE(keepRepository(u"Hello_Web.1"_s), u"gantry-keep/hello-web-1"_s);
        QCOMPARE(keepRepository(u"__"_s), u"gantry-keep/app"_s);
    }
};

QTEST_GUILESS_MAIN(TestDeployPlan)
#include "tst_deployplan.moc"
