// SPDX-License-Identifier: MIT
#include "deployer.h"

#include "secretstore.h"
#include "util/cancelflag.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// One GET from this machine, at most timeoutMs.
LocalCheck getOnce(QNetworkAccessManager &nam, const QString &url, int timeoutMs)
{
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    LocalCheck c;
    c.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (c.status == 0)
        c.error = reply->errorString();
    reply->deleteLater();
    return c;
}

QString lastLine(const ProcessResult &r)
{
    QStringList lines;
    for (QString line : r.stderrText().split(u'\n', Qt::SkipEmptyParts)) {
        line = line.trimmed();
        if (line.startsWith(u"gantry: "_s))
            line = line.mid(8);
        lines << line;
    }
    return lines.isEmpty() ? u"exit code %1"_s.arg(r.exitCode) : lines.join(u' ');
}

Failure remoteFailure(const ProcessResult &r, const SshConnection &ssh, const QString &what)
{
    if (r.timedOut || r.exitCode == 255 || (r.started && r.exitCode < 0))
        return Failure(ErrorClass::LinkDropped, u"The connection to %1 broke while %2"_s.arg(ssh.hostDescription(), what),
                       u"Check the network, then look at the container on the server ('docker ps -a')."_s);
    return Failure(ErrorClass::RemoteFailed, u"%1 failed on %2: %3"_s.arg(what, ssh.hostDescription(), lastLine(r)),
                   u"Check the container settings in the server's profile."_s);
}

struct Wait
{
    Verdict verdict;
    qint64 elapsedMs = 0;
};

/// Auto, still undecided: a URL this machine cannot reach (no HTTP answer at all) while the server's
/// own probe gets one means the check moves to the server, said in one line. An HTTP error status
/// from here keeps it here.
void chooseWhereToCheck(DeployPlan &plan, const ProbeState &state, const LocalCheck &local, const SayFn &say)
{
    if (plan.healthWhere != RunSettings::HealthWhere::Auto || plan.healthUrl.isEmpty() || state.status != u"running")
        return;
    if (local.status > 0) {
        plan.healthWhere = RunSettings::HealthWhere::Here; // reachable: no more probes on the server
    } else if (state.serverAnswered()) {
        plan.healthOnServer = plan.switchedToServer = true;
        if (say)
            say(u"%1 cannot be reached from this machine (%2): checking on the server instead."_s
                    .arg(plan.healthUrl, local.error.isEmpty() ? u"no answer"_s : local.error));
    }
}

/// Probes container until judge() says Healthy or Failed (or cancel: Failed).
Wait waitForHealth(SshConnection &ssh, const DeployPlan &original, const QString &container, const SayFn &say, const std::atomic_bool *cancel)
{
    DeployPlan plan = original; // Auto settles where the check runs on the way
    QNetworkAccessManager nam;
    QElapsedTimer clock, running;
    clock.start();
    for (;;) {
        if (isCancelled(cancel))
            return {{Verdict::Failed, u"the deploy was cancelled"_s}, clock.elapsed()};
        const ProcessResult r = ssh.run(probeScript(plan, container), 30000);
        if (r.timedOut || r.exitCode == 255 || (r.started && r.exitCode < 0))
            return {{Verdict::Failed, u"the connection broke while checking the new container"_s}, clock.elapsed()};
        if (!r.ok())
            return {{Verdict::Failed, u"checking the new container failed: "_s + lastLine(r)}, clock.elapsed()};
        const ProbeState state = parseProbe(r.stdoutText());
        if (state.status == u"running" && state.restarts == 0) {
            if (!running.isValid())
                running.start();
        } else {
            running.invalidate();
        }
        LocalCheck local;
        if (!plan.healthUrl.isEmpty() && !plan.healthOnServer && state.status == u"running")
            local = getOnce(nam, plan.healthUrl, 2000);
        chooseWhereToCheck(plan, state, local, say);
        const Verdict v = judge(plan, state, local, clock.elapsed(), running.isValid() ? running.elapsed() : 0);
        if (v.kind != Verdict::Wait)
            return {v, clock.elapsed()};
        QThread::msleep(400);
    }
}

/// The new container failed: keep its last log lines, remove it, start the previous one
/// and check that it serves again.
DeployOutcome rollBack(SshConnection &ssh, const DeployPlan &plan, const BeginReport &begin, const QString &why, const SayFn &say,
                       const std::atomic_bool *cancel)
{
    DeployOutcome out;
    out.image = plan.image;
    say(u"The new container failed (%1): going back to the previous one…"_s.arg(why));
    const ProcessResult r = ssh.run(rollbackScript(plan, begin.oldRunning), 120000);
    const QString text = QString::fromUtf8(r.standardOutput);
    const qsizetype from = text.indexOf(u"--- log\n"_s), to = text.indexOf(u"--- end"_s);
    if (from >= 0 && to > from)
        out.logTail = text.mid(from + 8, to - from - 8).split(u'\n', Qt::SkipEmptyParts);
    const QString logs = out.logTail.isEmpty() ? u"it logged nothing"_s
                                               : u"its last log lines: \"%1\""_s.arg(out.logTail.mid(qMax(0, int(out.logTail.size()) - 3)).join(u" | "_s));
    const QString failed = u"The new version on %1 failed: %2 (%3)"_s.arg(ssh.hostDescription(), why, logs);
    out.result = DeployOutcome::Failed;
    if (!r.ok()) {
        out.failure = Failure(ErrorClass::RemoteFailed, failed + u"; and going back failed too: "_s + lastLine(r),
                              u"Start the previous container by hand on the server ('docker start %1')."_s.arg(plan.container));
        return out;
    }
    if (!begin.oldRunning) {
        out.failure = Failure(ErrorClass::RemoteFailed, failed + u"; no previous version was running, so nothing serves now"_s,
                              u"Fix the image or its settings and ship again."_s);
        return out;
    }
    DeployPlan previous = plan;
    previous.healthTimeoutSec = qMax(10, plan.healthTimeoutSec);
    const Wait back = waitForHealth(ssh, previous, plan.container, say, nullptr);
    if (back.verdict.kind != Verdict::Healthy) {
        out.failure = Failure(ErrorClass::RemoteFailed, failed + u"; the previous version was started again but is not healthy ("_s
                                                            + back.verdict.why + u')',
                              u"Look at 'docker logs %1' on the server."_s.arg(plan.container));
        return out;
    }
    out.result = DeployOutcome::RolledBack;
    out.failure = Failure(isCancelled(cancel) ? ErrorClass::Cancelled : ErrorClass::RemoteFailed,
                          failed + u"; the previous version is serving again ("_s + back.verdict.why + u')',
                          u"Fix the new version (its log is above) and ship again."_s);
    return out;
}

} // namespace

QString DeployOutcome::resultName(Result result)
{
    switch (result) {
    case NotRun: return u"not run"_s;
    case Healthy: return u"healthy"_s;
    case RolledBack: return u"rolled back"_s;
    case Failed: return u"failed"_s;
    }
    return {};
}

Result<QMap<QString, QString>> readContainerSecrets(const ServerProfile &profile)
{
    QMap<QString, QString> values;
    for (const QString &key : profile.secretEnv) {
        const SecretStore::ReadResult r = SecretStore::readSecret(profile.containerEnvKey(key));
        if (!r)
            return r.failure();
        if (r->has_value())
            values.insert(key, **r);
    }
    return values;
}

DeployOutcome runSwitchover(SshConnection &ssh, const DeployPlan &plan, const SayFn &say, const std::atomic_bool *cancel)
{
    DeployOutcome out;
    out.image = plan.image;
    say(u"Stopping %1 and starting %2 as %3…"_s.arg(plan.container, plan.image, plan.next));
    QElapsedTimer switchClock;
    switchClock.start();
    const ProcessResult r = ssh.run(beginScript(plan), 300000, plan.envFile);
    const BeginReport begin = parseBegin(r.stdoutText());
    out.stopToStartMs = begin.stopToStartMs();
    if (!r.ok()) {
        out.result = DeployOutcome::Failed;
        out.failure = remoteFailure(r, ssh, u"starting the new container"_s);
        if (r.exitCode == 8 && begin.oldRunning)
            out.failure.cause += u"; the previous container was started again"_s;
        return out;
    }
    say(u"Waiting for the new container to be healthy (at most %1 s)…"_s.arg(plan.healthTimeoutSec));
    const Wait wait = waitForHealth(ssh, plan, plan.next, say, cancel);
    if (wait.verdict.kind != Verdict::Healthy)
        return rollBack(ssh, plan, begin, wait.verdict.why, say, cancel);
    out.stopToHealthyMs = switchClock.elapsed();
    out.healthDetail = wait.verdict.why;
    const ProcessResult c = ssh.run(commitScript(plan, begin.oldImage), 120000);
    if (!c.ok()) {
        out.result = DeployOutcome::Failed;
        out.failure = remoteFailure(c, ssh, u"switching the new container in"_s);
        return out;
    }
    for (const QString &line : c.stdoutText().split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(u"image "_s))
            out.imageId = line.mid(6).trimmed();
        else if (line.startsWith(u"pruned "_s))
            out.pruned << line.mid(7).trimmed();
    }
    out.result = DeployOutcome::Healthy;
    say(u"%1 switched to %2: %3."_s.arg(plan.container, plan.image, out.healthDetail));
    return out;
}

DeployOutcome rollbackServer(const ServerProfile &profile, const SshOptions &options, const SayFn &say, const std::atomic_bool *cancel)
{
    DeployOutcome out;
    out.result = DeployOutcome::Failed;
    const Result<QMap<QString, QString>> secrets = readContainerSecrets(profile);
    if (!secrets) {
        out.failure = secrets.failure();
        return out;
    }
    say(u"Connecting to %1…"_s.arg(profile.displayName()));
    SshConnection ssh(profile, options);
    if (const Status opened = ssh.open(cancel); !opened) {
        out.failure = opened.failure();
        return out;
    }
    Result<DeployPlan> plan = planDeploy(profile, u"gantry-keep/placeholder"_s, *secrets);
    if (!plan) {
        out.failure = plan.failure();
        return out;
    }
    const ProcessResult list = ssh.run(keptImagesScript(*plan), 60000);
    if (!list.ok()) {
        out.failure = remoteFailure(list, ssh, u"listing the kept images"_s);
        return out;
    }
    const Result<KeptImage> target = rollbackTarget(parseKeptImages(list.stdoutText()), profile.displayName());
    if (!target) {
        out.failure = target.failure();
        return out;
    }
    plan->image = plan->keepRepo + u':' + target->tag;
    plan->rollback = true;
    out = runSwitchover(ssh, *plan, say, cancel);
    return out;
}

} // namespace Gantry
