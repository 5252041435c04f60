// SPDX-License-Identifier: MIT
#include "deployplan.h"

#include "remotepolicy.h"
#include "shellquote.h"

#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// Every deploy script starts with the remote policy's prelude ($dir, $D, umask and the folder's
/// owner and link checks: `gantry rollback` runs no ship first), then the container's names.
QString vars(const DeployPlan &plan)
{
    ServerProfile server;
    server.remoteDir = plan.remoteDir;
    server.dockerCommand = plan.dockerCommand;
    return RemotePolicy::prelude(server) + u"N="_s + shellQuote(plan.container) + u"; X="_s + shellQuote(plan.next) + u"; K="_s
        + shellQuote(plan.keepRepo) + u"; "_s;
}

/// Nanoseconds on the server's clock (GNU date; a date without %N prints nothing usable).
const QString clock = u"$(date +%s%N 2>/dev/null)"_s;

Failure planFailure(const QString &cause, const QString &fix)
{
    return Failure(ErrorClass::Other, cause, fix);
}

} // namespace

QString envKey(const QString &entry)
{
    static const QRegularExpression rx(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    const QString key = entry.section(u'=', 0, 0);
    return rx.match(key).hasMatch() ? key : QString();
}

QString keepRepository(const QString &containerName)
{
    QString name = containerName.toLower();
    name.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"-"_s);
    name.remove(QRegularExpression(u"^-+|-+$"_s));
    return u"gantry-keep/"_s + (name.isEmpty() ? u"app"_s : name);
}

Result<DeployPlan> planDeploy(const ServerProfile &profile, const QString &image, const QMap<QString, QString> &secretValues)
{
    if (const Status name = RunSettings::checkContainerName(profile.containerName); !name)
        return planFailure(name.failure().cause, name.failure().fix.chopped(1) + u" in the server's profile or --name."_s);
    if (image.isEmpty() || image.startsWith(u'-'))
        return planFailure(u"There is no image to start on %1"_s.arg(profile.displayName()), u"Ship an image first."_s);
    DeployPlan plan;
    plan.container = profile.containerName;
    plan.next = profile.containerName + u"-gantry-next"_s;
    plan.image = image;
    plan.keepRepo = keepRepository(profile.containerName);
    plan.remoteDir = profile.remoteDir;
    plan.dockerCommand = profile.dockerCommand;
    plan.healthUrl = profile.healthUrl;
    plan.healthWhere = profile.healthWhere;
    plan.healthOnServer = profile.healthWhere == RunSettings::HealthWhere::Server;
    plan.healthTimeoutSec = profile.healthTimeoutSec;
    plan.stopTimeoutSec = profile.stopTimeoutSec;
    plan.keepImages = profile.keepImages;
    if (!profile.restartPolicy.isEmpty())
        plan.runArgs << u"--restart"_s << profile.restartPolicy;
    if (!profile.network.isEmpty())
        plan.runArgs << u"--network"_s << profile.network;
    for (const QString &p : profile.ports)
        plan.runArgs << u"-p"_s << p;
    for (const QString &v : profile.volumes)
        plan.runArgs << u"-v"_s << v;
    QStringList lines;
    for (const QString &e : profile.env) {
        if (const Status entry = RunSettings::checkEnv(e); !entry)
            return planFailure(entry.failure().cause, u"Fix it in the server's profile or on the command line."_s);
        lines << e;
    }
    for (const QString &key : profile.secretEnv) {
        if (envKey(key).isEmpty() || !secretValues.contains(key))
            return planFailure(u"The secret variable %1 of %2 has no value in the keychain"_s.arg(key.left(40), profile.displayName()),
                               u"Enter its value in the server's profile (it is kept in the keychain), or remove it from the list."_s);
        const QString value = secretValues.value(key);
        if (value.contains(u'\n') || value.contains(u'\r') || value.contains(QChar(0)))
            return planFailure(u"The secret variable %1 holds a line break, which an env file cannot carry"_s.arg(key),
                               u"Store it on one line (e.g. base64-encoded)."_s);
        lines << key + u'=' + value;
    }
    if (!lines.isEmpty())
        plan.envFile = (lines.join(u'\n') + u'\n').toUtf8();
    return plan;
}

QString beginScript(const DeployPlan &plan)
{
    QString run = u"$D run -d --name \"$X\" --env-file \"$e\""_s;
    for (const QString &a : plan.runArgs)
        run += u' ' + shellQuote(a);
    run += u' ' + shellQuote(plan.image);
    return vars(plan)
        + u"umask 077; mkdir -p \"$dir/tmp\" || { echo \"gantry: cannot create $dir/tmp\" >&2; exit 3; }; "
          "$D rm -f \"$X\" >/dev/null 2>&1; "
          "e=$(mktemp \"$dir/tmp/env.XXXXXX\") || { echo \"gantry: cannot write in $dir/tmp\" >&2; exit 3; }; "
          "trap 'rm -f \"$e\"' EXIT; cat > \"$e\" || exit 3; "
          "old=$($D container inspect --format '{{.State.Running}} {{.Image}}' \"$N\" 2>/dev/null) && echo \"old $old\" || echo \"old none\"; "
          "echo \"stop "_s + clock + u"\"; "_s
        + u"case \"$old\" in true*) $D stop -t "_s + QString::number(plan.stopTimeoutSec)
        + u" \"$N\" >/dev/null || { echo \"gantry: could not stop the running container $N\" >&2; exit 7; } ;; esac; "
          "echo \"stopped "_s + clock + u"\"; "_s
        + u"out=$("_s + run + u" 2>&1); rc=$?; rm -f \"$e\"; echo \"started "_s + clock + u"\"; "_s
        + u"if [ $rc -ne 0 ]; then $D rm -f \"$X\" >/dev/null 2>&1; "
          "case \"$old\" in true*) $D start \"$N\" >/dev/null 2>&1 ;; esac; "
          "echo \"gantry: docker run failed: $out\" | tr '\\n' ' ' >&2; exit 8; fi; "
          "echo \"new $out\""_s;
}

namespace {

/// One probe of url on the server with what it has: curl, wget, else bash's /dev/tcp (an HTTP
/// GET for http://, a TCP connect for https://). Prints "http CODE" (0: no answer), "tcp
/// open|closed" or "http unavailable".
QString serverProbe(const QString &url)
{
    const QUrl u(url);
    const bool https = u.scheme() == u"https";
    const QString path = u.path(QUrl::FullyEncoded).isEmpty() ? u"/"_s : u.path(QUrl::FullyEncoded)
        + (u.hasQuery() ? u'?' + u.query(QUrl::FullyEncoded) : QString());
    const QString bash = https
        ? u"if $t bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' \"$h\" \"$p\" 2>/dev/null; then echo 'tcp open'; else echo 'tcp closed'; fi"_s
        : u"echo \"http $($t bash -c 'exec 3<>\"/dev/tcp/$0/$1\" || exit 0; printf \"GET %s HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n\" \"$2\" \"$0\" >&3; "
          "read -r v c r <&3; echo \"${c:-0}\"' \"$h\" \"$p\" \"$q\" 2>/dev/null)\""_s;
    return u"u="_s + shellQuote(url) + u"; h="_s + shellQuote(u.host()) + u"; p="_s + QString::number(u.port(https ? 443 : 80)) + u"; q="_s
        + shellQuote(path)
        + u"; t=; command -v timeout >/dev/null 2>&1 && t='timeout 3'; "
          "if command -v curl >/dev/null 2>&1; then echo \"http $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 \"$u\" 2>/dev/null)\"; "
          "elif command -v wget >/dev/null 2>&1; then echo \"http $(wget -S -q -T 3 -O /dev/null \"$u\" 2>&1 | awk '/HTTP\\//{c=$2} END{print c+0}')\"; "
          "elif command -v bash >/dev/null 2>&1; then "_s
        + bash + u"; else echo 'http unavailable'; fi"_s;
}

} // namespace

QString probeScript(const DeployPlan &plan, const QString &containerName)
{
    QString s = vars(plan) + u"c="_s + shellQuote(containerName)
        + u"; $D container inspect --format 'state {{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} "
          "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' \"$c\" 2>/dev/null || echo 'state gone'; "_s;
    // Auto probes on the server too until it knows whether this machine reaches the URL.
    const bool undecided = plan.healthWhere == RunSettings::HealthWhere::Auto && !plan.switchedToServer;
    if ((plan.healthOnServer || undecided) && !plan.healthUrl.isEmpty())
        s += serverProbe(plan.healthUrl);
    return s;
}

QString commitScript(const DeployPlan &plan, const QString &fromImage)
{
    QString s = vars(plan)
        + u"$D rm -f \"$N\" >/dev/null 2>&1; $D rename \"$X\" \"$N\" || { echo \"gantry: could not rename $X to $N\" >&2; exit 10; }; "
          "id=$($D container inspect --format '{{.Image}}' \"$N\") || exit 10; echo \"image $id\"; "_s;
    if (plan.rollback) {
        // The version rolled back from leaves the list: the next rollback goes further back.
        s += u"f="_s + shellQuote(fromImage)
            + u"; $D image ls --no-trunc --format '{{.Tag}} {{.ID}}' \"$K\" | while read t i; do "
              "[ \"$i\" = \"$f\" ] && [ \"$i\" != \"$id\" ] && $D rmi \"$K:$t\" >/dev/null 2>&1; done; "_s;
    } else {
        // A new tag (sortable by time), then the image's older tags in the list go: a redeploy
        // of the same image moves it to the end.
        s += u"h=${id#sha256:}; nt=\"$(date -u +%Y%m%dT%H%M%S)-$(echo \"$h\" | cut -c1-12)\"; $D tag \"$id\" \"$K:$nt\" || exit 10; "
             "$D image ls --no-trunc --format '{{.Tag}} {{.ID}}' \"$K\" | while read t i; do "
             "[ \"$i\" = \"$id\" ] && [ \"$t\" != \"$nt\" ] && $D rmi \"$K:$t\" >/dev/null 2>&1; done; "_s;
    }
    // Keep the newest N; an older image that a container still uses refuses to go (kept).
    s += u"$D image ls --format '{{.Tag}}' \"$K\" | sort -r | tail -n +"_s + QString::number(plan.keepImages + 1)
        + u" | while read t; do if $D rmi \"$K:$t\" >/dev/null 2>&1; then echo \"pruned $t\"; else echo \"in-use $t\"; fi; done; true"_s;
    return s;
}

QString rollbackScript(const DeployPlan &plan, bool restartPrevious)
{
    QString s = vars(plan) + u"echo '--- log'; $D logs --tail 20 \"$X\" 2>&1 | tail -n 20; echo '--- end'; $D rm -f \"$X\" >/dev/null 2>&1; "_s;
    if (restartPrevious)
        s += u"$D start \"$N\" >/dev/null || { echo \"gantry: could not start the previous container $N again\" >&2; exit 9; }; "_s;
    return s + u"true"_s;
}

QString keptImagesScript(const DeployPlan &plan)
{
    return vars(plan)
        + u"$D image ls --no-trunc --format 'kept {{.Tag}} {{.ID}}' \"$K\" | sort; "
          "c=$($D container inspect --format '{{.Image}}' \"$N\" 2>/dev/null) && echo \"current $c\"; true"_s;
}

BeginReport parseBegin(const QString &text)
{
    BeginReport r;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList w = line.split(u' ', Qt::SkipEmptyParts);
        if (w.isEmpty())
            continue;
        const auto ns = [&] {
            bool ok = false;
            const qint64 v = w.value(1).toLongLong(&ok);
            return ok ? v : qint64(-1);
        };
        if (w.at(0) == u"old" && w.size() >= 3) {
            r.oldExists = true;
            r.oldRunning = w.at(1) == u"true";
            r.oldImage = w.at(2);
        } else if (w.at(0) == u"stop") {
            r.stopAtNs = ns();
        } else if (w.at(0) == u"stopped") {
            r.stoppedAtNs = ns();
        } else if (w.at(0) == u"started") {
            r.startedAtNs = ns();
        } else if (w.at(0) == u"new") {
            r.newId = w.value(1);
        }
    }
    return r;
}

ProbeState parseProbe(const QString &text)
{
    ProbeState p;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList w = line.split(u' ', Qt::SkipEmptyParts);
        if (w.value(0) == u"state") {
            p.status = w.value(1);
            p.exitCode = w.value(2).toInt();
            p.restarts = w.value(3).toInt();
            p.health = w.value(4, u"none"_s);
        } else if (w.value(0) == u"http") {
            if (w.value(1) == u"unavailable")
                p.probeUnavailable = true;
            else
                p.httpStatus = w.value(1).toInt();
        } else if (w.value(0) == u"tcp") {
            p.tcp = w.value(1) == u"open" ? 1 : 0;
        }
    }
    if (p.status.isEmpty())
        p.status = u"gone"_s;
    return p;
}

Verdict judge(const DeployPlan &plan, const ProbeState &probe, const LocalCheck &local, qint64 elapsedMs, qint64 runningForMs)
{
    if (probe.status == u"gone")
        return {Verdict::Failed, u"the new container disappeared"_s};
    if (probe.status == u"exited" || probe.status == u"dead")
        return {Verdict::Failed, u"the new container exited with code %1"_s.arg(probe.exitCode)};
    if (probe.restarts > 0 || probe.status == u"restarting")
        return {Verdict::Failed, u"the new container exits and keeps restarting (%1 restarts, last exit code %2)"_s.arg(qMax(1, probe.restarts))
                                     .arg(probe.exitCode)};
    if (probe.health == u"unhealthy")
        return {Verdict::Failed, u"the image's HEALTHCHECK reports the new container unhealthy"_s};
    const bool running = probe.status == u"running";
    // Switched to the server automatically: the image's HEALTHCHECK decides where it has one.
    const bool healthcheck = plan.switchedToServer && probe.health != u"none";
    const int http = plan.healthOnServer ? probe.httpStatus : local.status;
    const bool tcpOnly = plan.healthOnServer && probe.tcp >= 0;
    const bool urlCheck = !healthcheck && !plan.healthUrl.isEmpty() && !(plan.healthOnServer && probe.probeUnavailable);
    const QString where = plan.healthOnServer ? u" (checked on the server)"_s : QString();
    QString last;
    if (urlCheck && tcpOnly) {
        const QString address = QUrl(plan.healthUrl).authority();
        if (running && probe.tcp == 1)
            return {Verdict::Healthy, u"%1 accepts connections (TCP; checked on the server, which has no curl or wget)"_s.arg(address)};
        last = u"%1 refuses connections on the server"_s.arg(address);
    } else if (urlCheck) {
        if (running && http >= 200 && http < 400)
            return {Verdict::Healthy, u"%1 answered HTTP %2%3"_s.arg(plan.healthUrl).arg(http).arg(where)};
        last = http > 0 ? u"%1 answered HTTP %2%3"_s.arg(plan.healthUrl).arg(http).arg(where)
               : !plan.healthOnServer && !local.error.isEmpty() ? u"%1 did not answer (%2)"_s.arg(plan.healthUrl, local.error)
                                                                : u"%1 did not answer%2"_s.arg(plan.healthUrl, where);
    } else if (probe.health != u"none") {
        if (running && probe.health == u"healthy")
            return {Verdict::Healthy, u"the image's HEALTHCHECK reports healthy%1"_s.arg(where)};
        last = u"the image's HEALTHCHECK still says %1"_s.arg(probe.health);
    } else {
        if (running && runningForMs >= plan.stableSec * 1000)
            return {Verdict::Healthy, u"running for %1 s without a restart (no health check set)"_s.arg(runningForMs / 1000)};
        last = u"the new container is %1"_s.arg(probe.status);
    }
    if (elapsedMs >= qint64(plan.healthTimeoutSec) * 1000)
        return {Verdict::Failed, u"%1 after %2 s"_s.arg(last).arg(plan.healthTimeoutSec)};
    return {Verdict::Wait, last};
}

KeptImages parseKeptImages(const QString &text)
{
    KeptImages k;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList w = line.split(u' ', Qt::SkipEmptyParts);
        if (w.value(0) == u"kept" && w.size() >= 3)
            k.images << KeptImage{w.at(1), w.at(2)};
        else if (w.value(0) == u"current")
            k.current = w.value(1);
    }
    std::sort(k.images.begin(), k.images.end(), [](const KeptImage &a, const KeptImage &b) { return a.tag < b.tag; });
    return k;
}

Result<KeptImage> rollbackTarget(const KeptImages &kept, const QString &serverName)
{
    qsizetype at = kept.images.size();
    for (qsizetype i = kept.images.size() - 1; i >= 0; --i)
        if (kept.images.at(i).id == kept.current) {
            at = i;
            break;
        }
    for (qsizetype i = at - 1; i >= 0; --i)
        if (kept.images.at(i).id != kept.current)
            return kept.images.at(i);
    return Failure(ErrorClass::NotFound, u"%1 keeps no version older than the one running now"_s.arg(serverName),
                   u"Gantry keeps the images it deployed there (Keep images in the profile); ship an earlier build to go back."_s);
}

} // namespace Gantry
