// SPDX-License-Identifier: MIT
// Deploys that cannot take the site down (issue 19), as a user runs them: `gantry ship
// --restart` and `gantry rollback` against a real second machine (tests/support/servermachine.h:
// its own sshd, dockerd, image store and network namespace). Images are built on this machine
// and shipped there by gantry, the path under test; the app's port on the server (kServerPort)
// is published on 127.0.0.1 here, where the profile's health URL and a poller that GETs the
// site every 25 ms all along point, so every outage is seen from outside. A real keychain too
// (this test runs under data/ship/with-keyring.sh).
#include "servermachine.h"
#include "testsupport.h"

#include "buildrun/deployhistory.h"
#include "ship/deployplan.h"
#include "ship/rollbackjob.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;
using namespace GantryTest;

namespace {

/// The app's port on the server (its own network namespace: always free there).
constexpr int kServerPort = 8080;

/// Watches the server's processes for a marker on a command line, from a loop on the server
/// itself (sshd, docker and gantry's scripts run there). The markers reach the server on
/// stdin, never on a command line; a canary (a process started with the second marker) proves
/// the loop sees what runs there.
class ServerProcessWatch
{
public:
    ServerProcessWatch(const ServerMachine &server, const QString &marker) : m_server(server)
    {
        m_canary = u"deploys-canary-"_s + QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_ready = m_server.run(u"rm -f /root/.deploys-watch-stop; umask 077; cat > /root/.deploys-watch-markers"_s, 30000,
                               (marker + u'\n' + m_canary + u'\n').toUtf8()).ok();
        m_thread = std::thread([this] {
            m_result = m_server.run(u"while [ ! -e /root/.deploys-watch-stop ]; do "
                                    "grep -aHF -f /root/.deploys-watch-markers /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; sleep 0.02; done"_s,
                                    600000);
        });
        m_server.run(u"sh -c 'sleep 3' "_s + m_canary, 30000);
    }
    ~ServerProcessWatch() { stop(); }
    /// Stops the loop; what it saw besides the canary ("/proc/PID/cmdline:the command line", read
    /// once by grep), or a line saying the watch did not work.
    QStringList stop()
    {
        if (!m_thread.joinable())
            return m_leaks;
        m_server.run(u"touch /root/.deploys-watch-stop"_s, 30000);
        m_thread.join();
        m_server.run(u"rm -f /root/.deploys-watch-stop /root/.deploys-watch-markers"_s, 30000);
        const QStringList seen = m_result.stdoutText().split(u'\n', Qt::SkipEmptyParts);
        const bool sawCanary = std::any_of(seen.cbegin(), seen.cend(), [&](const QString &l) { return l.contains(m_canary); });
        if (!m_ready || !m_result.ok() || !sawCanary)
            m_leaks << u"the watch on the server did not work: "_s + m_result.stderrText();
        for (const QString &line : seen)
            if (!line.contains(m_canary))
                m_leaks << line;
        return m_leaks;
    }

private:
    const ServerMachine &m_server;
    QString m_canary;
    bool m_ready = false;
    Gantry::ProcessResult m_result;
    QStringList m_leaks;
    std::thread m_thread;
};

/// What one GET of the site answered, when.
struct Sample
{
    qint64 ms = 0;
    int status = 0;
    QByteArray body;
};

/// GETs http://127.0.0.1:port/api/health every 25 ms on its own thread until stopped.
class Poller
{
public:
    explicit Poller(int port) : m_port(port)
    {
        m_clock.start();
        // A QThread (not std::thread): it has an event dispatcher, which QTcpSocket wants.
        m_thread.reset(QThread::create([this] { loop(); }));
        m_thread->start();
    }
    ~Poller() { stop(); }
    /// The poller's clock (ms), which its samples are on.
    qint64 now() const { return m_clock.elapsed(); }
    void stop()
    {
        m_stop = true;
        if (m_thread) {
            m_thread->wait();
            m_thread.reset();
        }
    }
    QList<Sample> samples() const
    {
        QMutexLocker lock(&m_mutex);
        return m_samples;
    }
    /// The longest time without a 200 answer between two samples that were answered (ms).
    qint64 longestOutage() const
    {
        qint64 longest = 0, downSince = -1;
        for (const Sample &s : samples()) {
            if (s.status != 200 && downSince < 0)
                downSince = s.ms;
            if (s.status == 200 && downSince >= 0) {
                longest = qMax(longest, s.ms - downSince);
                downSince = -1;
            }
        }
        return longest;
    }
    bool everAnswered(const QByteArray &marker) const
    {
        for (const Sample &s : samples())
            if (s.status == 200 && s.body.contains(marker))
                return true;
        return false;
    }

private:
    void loop()
    {
        while (!m_stop) {
            Sample s;
            s.ms = m_clock.elapsed();
            QTcpSocket socket;
            socket.connectToHost(u"127.0.0.1"_s, quint16(m_port));
            if (socket.waitForConnected(500)) {
                socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                QByteArray answer;
                while (socket.waitForReadyRead(1000))
                    answer += socket.readAll();
                answer += socket.readAll();
                const auto m = QRegularExpression(u"^HTTP/1\\.[01] (\\d{3})"_s).match(QString::fromLatin1(answer.left(20)));
                s.status = m.hasMatch() ? m.captured(1).toInt() : 0;
                s.body = answer.mid(answer.indexOf("\r\n\r\n") + 4);
            }
            {
                QMutexLocker lock(&m_mutex);
                m_samples << s;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
    }
    int m_port;
    QElapsedTimer m_clock;
    std::atomic_bool m_stop{false};
    mutable QMutex m_mutex;
    QList<Sample> m_samples;
    std::unique_ptr<QThread> m_thread;
};

qint64 number(const QString &text, const QString &pattern)
{
    const auto m = QRegularExpression(pattern).match(text);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

class TestDeploys : public QObject
{
    Q_OBJECT

    ServerMachine m_server{ServerMachine::Options{.ports = {kServerPort}}};
    QTemporaryDir m_work{QDir::tempPath() + u"/deploys3-test-XXXXXX"_s};
    QString m_token, m_token2, m_container, m_v1, m_v2, m_v3, m_exits, m_silent, m_fails500;
    int m_port = 0; ///< where this machine reaches the app's port on the server
    const QString m_secret = u"deploys-s3cret-"_s + QUuid::createUuid().toString(QUuid::Id128).left(10);

    QProcessEnvironment env() const
    {
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"XDG_CACHE_HOME"_s, m_work.filePath(u"cache"_s));
        e.insert(u"XDG_CONFIG_HOME"_s, m_work.filePath(u"config"_s));
        e.insert(u"GANTRY_HISTORY_DB"_s, historyDb());
        return e;
    }
    QString historyDb() const { return m_work.filePath(u"history.sqlite"_s); }
    /// Gantry's folder on the server.
    static QString remoteDir() { return u"/srv/gantry-test/deploys"_s; }

    Gantry::ProcessResult gantry(const QStringList &args, const QByteArray &input = {}) const
    {
        if (input.isEmpty())
            return runGantry(args + QStringList{u"--batch"_s}, env(), 300000);
        return Gantry::runProcess(gantryExecutable(), args, env(), 60000, input);
    }

    /// Runs gantry to its end; *seenAt: when (on clock's time) a line with marker first came out;
    /// *timeline: each line it said, with that time.
    Gantry::ProcessResult gantryNoting(const QStringList &args, const QString &marker, const Poller &clock, qint64 *seenAt,
                                       QStringList *timeline) const
    {
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(gantryExecutable(), args + QStringList{u"--batch"_s});
        Gantry::ProcessResult r;
        r.started = p.waitForStarted(30000);
        const QDeadlineTimer deadline(300000);
        qsizetype lineStart = 0;
        const auto noteLines = [&] {
            for (qsizetype end = r.standardError.indexOf('\n', lineStart); end >= 0; end = r.standardError.indexOf('\n', lineStart)) {
                *timeline << u"%1 ms: "_s.arg(clock.now()) + QString::fromUtf8(r.standardError.mid(lineStart, end - lineStart));
                lineStart = end + 1;
            }
        };
        while (r.started && !p.waitForFinished(50) && !deadline.hasExpired()) {
            r.standardError += p.readAllStandardError();
            noteLines();
            if (*seenAt < 0 && QString::fromUtf8(r.standardError).contains(marker))
                *seenAt = clock.now();
        }
        if (p.state() != QProcess::NotRunning) {
            r.timedOut = true;
            p.kill();
            p.waitForFinished(10000);
        }
        r.standardOutput = p.readAllStandardOutput();
        r.standardError += p.readAllStandardError();
        noteLines();
        if (*seenAt < 0 && QString::fromUtf8(r.standardError).contains(marker))
            *seenAt = clock.now();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return r;
    }

    /// GET / shows v2's frontend (the page a user would see).
    bool servesV2() const { return httpGet(u"http://127.0.0.1:%1/"_s.arg(m_port), 3000).body.contains(m_token2.toUtf8()); }

    static QByteArray webApp(const QString &version)
    {
        QByteArray app = R"PERL(use IO::Socket::INET; $| = 1; $SIG{TERM} = sub { exit 0 };
my $s = IO::Socket::INET->new(LocalPort => 3000, Listen => 50, ReuseAddr => 1) or die "listen: $!";
print STDERR "deploys app listening\n";
while (my $c = $s->accept) {
  my $req = <$c> // ''; while (my $l = <$c>) { last if $l =~ /^\r?\n$/ }
  my $body = $req =~ m{^GET /api/health} ? '{"status":"ok","version":"VERSION"}' : '<html>VERSION</html>';
  print $c "HTTP/1.1 200 OK\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n$body"; close $c;
}
)PERL";
        return app.replace("VERSION", version.toUtf8());
    }

    /// The container on the SERVER's engine: "true IMAGE" while it runs.
    QString runningImage() const
    {
        return m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.State.Running}} {{.Config.Image}}"_s, m_container})
            .stdoutText();
    }
    /// The client's engine never runs the app: deploys go to the server.
    bool clientRunsTheApp() const
    {
        return runDocker({u"container"_s, u"inspect"_s, m_container}).ok() || runDocker({u"container"_s, u"inspect"_s, m_container + u"-gantry-next"_s}).ok();
    }
    QString clientImageId(const QString &image) const
    {
        return runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image}).stdoutText();
    }

    bool buildVariant(const QString &tag, const QString &dockerfile, const QMap<QString, QByteArray> &files = {})
    {
        const QString dir = m_work.filePath(u"ctx-"_s + tag.section(u':', 0, 0));
        QDir().mkpath(dir);
        QFile f(dir + u"/Dockerfile"_s);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(dockerfile.toUtf8());
        f.close();
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            QFile extra(dir + u'/' + it.key());
            if (!extra.open(QIODevice::WriteOnly))
                return false;
            extra.write(it.value());
        }
        const auto r = runDocker({u"build"_s, u"-q"_s, u"-t"_s, tag, dir}, 300000);
        if (!r.ok())
            qWarning() << r.stderrText();
        return r.ok();
    }

    /// Ships image with --restart and the profile; the poller watches the site all along.
    struct Deploy
    {
        Gantry::ProcessResult run;
        qint64 outageMs = 0;
        QList<Sample> samples;
        qint64 failedAtMs = -1; ///< when gantry said the new container failed (poller's clock)
        QStringList timeline;   ///< what gantry said, when (poller's clock)
        /// When the poller first saw the site down (poller's clock; -1: never).
        qint64 firstDownMs() const
        {
            for (const Sample &s : samples)
                if (s.status != 200)
                    return s.ms;
            return -1;
        }
        QString text() const { return run.stderrText() + u'\n' + run.stdoutText(); }
        /// From gantry saying the new container failed to the first answer 200 with marker after
        /// it (ms; -1: none).
        qint64 backAfterFailureMs(const QByteArray &marker) const
        {
            if (failedAtMs < 0)
                return -1;
            for (const Sample &s : samples)
                if (s.ms >= failedAtMs && s.status == 200 && s.body.contains(marker))
                    return s.ms - failedAtMs;
            return -1;
        }
    };
    Deploy deploy(const QString &image, const QStringList &extra = {})
    {
        Poller poller(m_port);
        Deploy d;
        d.run = gantryNoting(QStringList{u"ship"_s, image, u"--to"_s, u"deploys-prod"_s, u"--restart"_s} + extra,
                             u"going back to the previous one"_s, poller, &d.failedAtMs, &d.timeline);
        QThread::msleep(300); // the poller's view of "after"
        poller.stop();
        d.outageMs = poller.longestOutage();
        d.samples = poller.samples();
        return d;
    }

    /// Says a healthy switch's numbers: the gap on the server's clock, healthy as seen from
    /// here, and the longest outage the poller saw.
    static void reportSwitch(const char *what, const Deploy &d)
    {
        qInfo("switch %s on the second machine: stop->start %lld ms (server clock), stop->healthy %lld ms (seen from here), "
              "longest outage seen by the poller %lld ms over %lld samples",
              what, number(d.run.stdoutText(), u"stop→start (\\d+) ms"_s), number(d.run.stdoutText(), u"stop→healthy (\\d+) ms"_s),
              d.outageMs, qint64(d.samples.size()));
    }

    void checkRolledBack(const Deploy &d, const QString &what)
    {
        QCOMPARE(d.run.exitCode, 1);
        const QString text = d.text();
        QVERIFY2(text.contains(what), qPrintable(text));
        QVERIFY2(text.contains(u"the previous version is serving again"_s), qPrintable(text));
        QVERIFY2(runningImage() == u"true "_s + m_v2, qPrintable(runningImage()));
        const HttpAnswer answer = httpGet(u"http://127.0.0.1:%1/api/health"_s.arg(m_port), 3000);
        QCOMPARE(answer.status, 200);
        QVERIFY(servesV2());
        QVERIFY(!m_server.docker({u"container"_s, u"inspect"_s, m_container + u"-gantry-next"_s}).ok()); // nothing half-switched
        QVERIFY(!clientRunsTheApp());
        QVERIFY2(d.samples.constLast().status == 200, "the site did not answer at the end of the failed deploy");
        // The previous version answers within 10 s of gantry finding the new one failed.
        const qint64 back = d.backAfterFailureMs(m_token2.toUtf8());
        qInfo("  site down at %lld ms (poller); gantry said:\n    %s", d.firstDownMs(), qPrintable(d.timeline.join(u"\n    "_s)));
        qInfo("  the previous version answered %lld ms after gantry said the new one failed", back);
        QVERIFY2(d.failedAtMs >= 0, qPrintable(u"gantry never said it was going back: "_s + text));
        QVERIFY2(back >= 0 && back < 10000, qPrintable(QString::number(back)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("GANTRY_HISTORY_DB", historyDb().toUtf8()); // RollbackJob records here, as the GUI does
        QVERIFY(m_work.isValid());
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_port = m_server.publishedPort(kServerPort);
        QVERIFY(m_port > 0);
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_token2 = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_container = u"deploys-web-"_s + m_token;
        m_v1 = u"deploys-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"deploys-v2-%1:latest"_s.arg(m_token);
        m_v3 = u"deploys-v3-%1:latest"_s.arg(m_token);
        m_exits = u"deploys-exits-%1:latest"_s.arg(m_token);
        m_silent = u"deploys-silent-%1:latest"_s.arg(m_token);
        m_fails500 = u"deploys-500-%1:latest"_s.arg(m_token);
        // The healthy versions: a small web app (perl on the local Debian) that answers
        // /api/health and shows its version on /, and ends on SIGTERM as a well-behaved app
        // does. (The Rust example takes far longer than this test to build on a busy engine.)
        QVERIFY(buildVariant(m_v1, u"FROM debian:trixie\nCOPY app.pl /app.pl\nEXPOSE 3000\nCMD [\"perl\", \"/app.pl\"]\n"_s, {{u"app.pl"_s, webApp(m_token)}}));
        QVERIFY(buildVariant(m_v2, u"FROM debian:trixie\nCOPY app.pl /app.pl\nEXPOSE 3000\nCMD [\"perl\", \"/app.pl\"]\n"_s, {{u"app.pl"_s, webApp(m_token2)}}));
        // A third healthy version: v2 with a label (another image id, the same behaviour).
        QVERIFY(buildVariant(m_v3, u"FROM %1\nLABEL deploys.version=3\n"_s.arg(m_v2)));
        // Failing builds, from the local Debian (sh and perl, no compiler needed).
        QVERIFY(buildVariant(m_exits, u"FROM debian:trixie\nCMD [\"sh\", \"-c\", \"echo 'deploys: DATABASE_URL is not set' >&2; exit 3\"]\n"_s));
        QVERIFY(buildVariant(m_silent, u"FROM debian:trixie\nCMD [\"sleep\", \"3600\"]\n"_s));
        QVERIFY(buildVariant(m_fails500, u"FROM debian:trixie\nCOPY answer500.pl /answer500.pl\nCMD [\"perl\", \"/answer500.pl\"]\n"_s,
                             {{u"answer500.pl"_s,
                               "use IO::Socket::INET; $| = 1;\n"
                               "my $s = IO::Socket::INET->new(LocalPort => 3000, Listen => 5, ReuseAddr => 1) or die \"listen: $!\";\n"
                               "print STDERR \"deploys: listening, but the database is down\\n\";\n"
                               "while (my $c = $s->accept) { <$c>; print $c \"HTTP/1.1 500 Internal Server Error\\r\\n"
                               "Content-Length: 4\\r\\nConnection: close\\r\\n\\r\\nboom\"; close $c; }\n"}}));
        // Nothing is on the server yet: each image gets there by gantry's ship.
        for (const QString &image : {m_v1, m_v2, m_v3, m_exits, m_silent, m_fails500})
            QVERIFY2(!m_server.hasImage(image), qPrintable(image));

        // The profile: the container's run settings live here (ports, env, a secret, limits).
        // The app listens on the server's kServerPort (all its addresses, so the published port
        // reaches it); the health URL is that port as this machine reaches it.
        QSettings settings(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        settings.beginWriteArray(u"servers"_s, 1);
        settings.setArrayIndex(0);
        settings.setValue(u"name"_s, u"deploys-prod"_s);
        settings.setValue(u"host"_s, m_server.host());
        settings.setValue(u"port"_s, m_server.port());
        settings.setValue(u"user"_s, u"root"_s);
        settings.setValue(u"identityFile"_s, m_server.clientKey());
        settings.setValue(u"knownHostsFile"_s, m_server.knownHostsFile());
        settings.setValue(u"remoteDir"_s, remoteDir());
        settings.setValue(u"containerName"_s, m_container);
        settings.setValue(u"ports"_s, QStringList{u"%1:3000"_s.arg(kServerPort)});
        settings.setValue(u"env"_s, QStringList{u"RUST_LOG=info"_s});
        settings.setValue(u"healthUrl"_s, u"http://127.0.0.1:%1/api/health"_s.arg(m_port));
        settings.setValue(u"healthTimeoutSec"_s, 30);
        settings.setValue(u"stopTimeoutSec"_s, 2); // the failing builds ignore SIGTERM (sh/sleep as PID 1): docker stop waits this long
        settings.setValue(u"keepImages"_s, 2);
        settings.endArray();
        settings.sync();

        // The secret goes into the keychain from stdin, never a command line.
        const auto stored = gantry({u"ship"_s, u"--store-secret"_s, u"DEPLOYS_TOKEN"_s, u"--to"_s, u"deploys-prod"_s}, m_secret.toUtf8() + '\n');
        QVERIFY2(stored.ok(), qPrintable(stored.stderrText() + stored.stdoutText()));
        QSettings reread(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        QVERIFY(reread.value(u"servers/1/secretEnv"_s).toStringList().contains(u"DEPLOYS_TOKEN"_s));
        QVERIFY(!readAll(m_work.filePath(u"config/Gantry/Gantry.conf"_s)).contains(m_secret.toUtf8())); // not in plain settings
    }

    void cleanupTestCase()
    {
        // The server goes with its container (and its image store with its volume).
        runDocker({u"rmi"_s, u"-f"_s, m_v1, m_v2, m_v3, m_exits, m_silent, m_fails500});
    }

    void firstDeployStartsTheContainerWithItsSecret()
    {
        std::atomic_bool watching{true};
        QStringList leaks;
        QMutex leaksMutex;
        std::thread watcher([&] { // this machine's processes (gantry, ssh): the secret is never on a command line
            while (watching) {
                const QStringList seen = processesMentioning(m_secret);
                if (!seen.isEmpty()) {
                    QMutexLocker lock(&leaksMutex);
                    leaks += seen;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        ServerProcessWatch onServer(m_server, m_secret); // the server's (sshd, docker, gantry's scripts)
        const Deploy d = deploy(m_v1);
        watching = false;
        watcher.join();
        leaks += onServer.stop();
        QVERIFY2(d.run.ok(), qPrintable(d.text() + m_server.log().right(1500)));
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
        QVERIFY2(d.run.stdoutText().contains(u"switched %1 to %2"_s.arg(m_container, m_v1)), qPrintable(d.text()));
        QCOMPARE(runningImage(), u"true "_s + m_v1);
        QVERIFY(m_server.hasImage(m_v1)); // shipped by gantry
        QVERIFY(!clientRunsTheApp());
        QVERIFY(httpGet(u"http://127.0.0.1:%1/"_s.arg(m_port), 3000).body.contains(m_token.toUtf8()));
        const QString envs = m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{json .Config.Env}}"_s, m_container}).stdoutText();
        QVERIFY2(envs.contains(u"DEPLOYS_TOKEN="_s + m_secret) && envs.contains(u"RUST_LOG=info"_s), qPrintable(envs));
        // The env file went through the server's remote folder and is gone from it.
        const auto tmp = m_server.run(u"ls -A '%1/tmp'"_s.arg(remoteDir()));
        QVERIFY2(tmp.ok(), qPrintable(tmp.stderrText())); // the folder exists: the file was made there
        QVERIFY2(!tmp.stdoutText().contains(u"env."_s), qPrintable(u"an env file was left on the server: "_s + tmp.stdoutText()));
    }

    void healthyDeploySwitchesAndTheGapIsMeasured()
    {
        QVERIFY(httpGet(u"http://127.0.0.1:%1/api/health"_s.arg(m_port), 3000).status == 200);
        const Deploy d = deploy(m_v2);
        QVERIFY2(d.run.ok(), qPrintable(d.text()));
        QCOMPARE(runningImage(), u"true "_s + m_v2);
        QVERIFY(servesV2());
        QVERIFY(!clientRunsTheApp());
        const qint64 stopToStart = number(d.run.stdoutText(), u"stop→start (\\d+) ms"_s);
        const qint64 stopToHealthy = number(d.run.stdoutText(), u"stop→healthy (\\d+) ms"_s);
        QVERIFY2(stopToStart >= 0 && stopToHealthy >= stopToStart, qPrintable(d.run.stdoutText()));
        reportSwitch("v1 -> v2", d);
        QVERIFY(d.outageMs > 0); // the poller saw the switch (v1 answered before, v2 after)
        QVERIFY(d.samples.constLast().status == 200);
        QVERIFY(!m_server.docker({u"container"_s, u"inspect"_s, m_container + u"-gantry-next"_s}).ok());
        // The server keeps the deployed images under gantry-keep/<container>.
        const QString kept = m_server.docker({u"image"_s, u"ls"_s, u"--format"_s, u"{{.Tag}}"_s, Gantry::keepRepository(m_container)}).stdoutText();
        QCOMPARE(kept.split(u'\n', Qt::SkipEmptyParts).size(), 2);
    }

    void aBuildThatExitsAtStartupRollsBack()
    {
        const Deploy d = deploy(m_exits);
        checkRolledBack(d, u"exit"_s);
        QVERIFY2(d.text().contains(u"DATABASE_URL is not set"_s), qPrintable(d.text())); // the new container's last log lines
        // The outage: from the stop until the failure was found, plus at most 10 s. (On the
        // client's own engine stop and start took under 2 s, and this said "< 12 s"; the second
        // machine's engine, nested and on a loaded 2-core host, takes 3-5 s for them.)
        const qint64 stopToFound = d.failedAtMs - d.firstDownMs();
        qInfo("exits at start-up: longest outage %lld ms (stop -> failure found %lld ms)", d.outageMs, stopToFound);
        QVERIFY2(d.firstDownMs() >= 0 && stopToFound >= 0, qPrintable(d.timeline.join(u'\n')));
        QVERIFY2(d.outageMs < stopToFound + 10000, qPrintable(QString::number(d.outageMs)));
    }

    void aBuildThatNeverAnswersRollsBack()
    {
        // One run with a shorter limit than the profile's (a CLI flag overrides it once).
        const Deploy d = deploy(m_silent, {u"--health-timeout"_s, u"5"_s});
        checkRolledBack(d, u"did not answer"_s);
        QVERIFY2(d.text().contains(u"after 5 s"_s), qPrintable(d.text()));
        qInfo("never answers (limit 5 s): longest outage %lld ms", d.outageMs);
        QVERIFY2(d.outageMs < 2000 + 5000 + 10000, qPrintable(QString::number(d.outageMs))); // stop + limit + back within 10 s
    }

    void aBuildThatAnswers500RollsBack()
    {
        const Deploy d = deploy(m_fails500, {u"--health-timeout"_s, u"5"_s});
        checkRolledBack(d, u"answered HTTP 500"_s);
        QVERIFY2(d.text().contains(u"database is down"_s), qPrintable(d.text()));
        qInfo("answers 500 (limit 5 s): longest outage %lld ms", d.outageMs);
        QVERIFY2(d.outageMs < 2000 + 5000 + 10000, qPrintable(QString::number(d.outageMs)));
    }

    void rollbackRestoresThePreviousVersion()
    {
        // v3 healthy (the server keeps 2: v2 and v3; v1's tag is pruned), then back to v2.
        // This time the health URL is checked on the server (no curl there: bash's /dev/tcp),
        // at the app's port as the server itself reaches it (a run flag, for this run only).
        const Deploy d3 = deploy(m_v3, {u"--health"_s, u"http://127.0.0.1:%1/api/health"_s.arg(kServerPort), u"--health-on-server"_s});
        QVERIFY2(d3.run.ok(), qPrintable(d3.text()));
        QVERIFY2(d3.run.stdoutText().contains(u"answered HTTP 200 (checked on the server)"_s), qPrintable(d3.run.stdoutText()));
        QVERIFY2(d3.run.stdoutText().contains(u"pruned 1 older image"_s), qPrintable(d3.run.stdoutText()));
        reportSwitch("v2 -> v3 (checked on the server)", d3);
        QCOMPARE(runningImage(), u"true "_s + m_v3);
        // v1's kept tag is gone (its own name, deploys-v1-…, is the user's and stays).
        const QString keptIds = m_server.docker({u"image"_s, u"ls"_s, u"--no-trunc"_s, u"--format"_s, u"{{.ID}}"_s, Gantry::keepRepository(m_container)}).stdoutText();
        QCOMPARE(keptIds.split(u'\n', Qt::SkipEmptyParts).size(), 2);
        QVERIFY2(!keptIds.contains(clientImageId(m_v1)) && keptIds.contains(clientImageId(m_v3)), qPrintable(keptIds));
        Poller poller(m_port);
        const auto r = gantry({u"rollback"_s, u"--to"_s, u"deploys-prod"_s});
        poller.stop();
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + r.stdoutText()));
        QVERIFY2(r.stdoutText().contains(u"rolled back"_s), qPrintable(r.stdoutText()));
        const QString now = m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.Image}}"_s, m_container}).stdoutText();
        QCOMPARE(now, clientImageId(m_v2));
        QVERIFY(servesV2());
        QVERIFY(!clientRunsTheApp());
        qInfo("rollback v3 -> v2: longest outage %lld ms", poller.longestOutage());
        // Only v2 is kept now, so a second rollback has nowhere to go and says so.
        const auto again = gantry({u"rollback"_s, u"--to"_s, u"deploys-prod"_s});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.stderrText().contains(u"keeps no version older"_s), qPrintable(again.stderrText()));
        QVERIFY(servesV2());
    }

    void rollBackButtonsJobRestoresToo()
    {
        // The Ship page's Roll Back runs RollbackJob (a worker thread, history recorded there).
        const Deploy d3 = deploy(m_v3);
        QVERIFY2(d3.run.ok(), qPrintable(d3.text()));
        QCOMPARE(runningImage(), u"true "_s + m_v3);
        reportSwitch("v2 -> v3", d3);
        QSettings settings(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        const auto profile = Gantry::ServerProfiles::find(Gantry::ServerProfiles::load(settings), u"deploys-prod"_s);
        QVERIFY(profile);
        Gantry::RollbackJob job;
        QSignalSpy finished(&job, &Gantry::RollbackJob::finished);
        QSignalSpy progress(&job, &Gantry::RollbackJob::progress);
        Gantry::SshOptions ssh;
        ssh.askpassProgram = gantryExecutable();
        job.start(*profile, ssh);
        QVERIFY(job.isRunning());
        QVERIFY(finished.wait(180000));
        const auto outcome = finished.constFirst().constFirst().value<Gantry::DeployOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.failure.sentence()));
        QVERIFY(progress.size() >= 2); // "Connecting…", "Stopping…", "Waiting…": the page shows them
        QVERIFY(!job.isRunning());
        QCOMPARE(outcome.imageId, clientImageId(m_v2));
        QCOMPARE(m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.Image}}"_s, m_container}).stdoutText(), clientImageId(m_v2));
        QVERIFY(servesV2());
    }

    void historyRecordsEachDeploy()
    {
        Gantry::DeployHistory history(historyDb());
        QVERIFY(history.status().ok());
        QList<Gantry::DeployRecord> records = history.recent(u"deploys-prod"_s);
        std::reverse(records.begin(), records.end());
        QStringList seen;
        for (const auto &r : records)
            seen << r.action + u' ' + r.result + u' ' + r.image.section(u'-', 0, 1);
        const QStringList expected{u"deploy healthy deploys-v1"_s,     u"deploy healthy deploys-v2"_s,     u"deploy rolled back deploys-exits"_s,
                                   u"deploy rolled back deploys-silent"_s, u"deploy rolled back deploys-500"_s, u"deploy healthy deploys-v3"_s,
                                   u"rollback healthy gantry-keep/deploys"_s, u"deploy healthy deploys-v3"_s, u"rollback healthy gantry-keep/deploys"_s};
        QCOMPARE(seen, expected);
        for (const auto &r : records) {
            QVERIFY(r.time.isValid());
            if (r.result == u"healthy") {
                QVERIFY2(r.imageId.startsWith(u"sha256:"_s), qPrintable(r.imageId));
                QVERIFY(r.switchMs >= 0);
            } else {
                QVERIFY2(r.detail.contains(u"serving again"_s), qPrintable(r.detail));
            }
            if (r.action == u"deploy")
                QVERIFY(r.bytesSent > 0);
        }
        const auto listed = gantry({u"ship"_s, u"--history"_s, u"--to"_s, u"deploys-prod"_s});
        QVERIFY2(listed.ok() && listed.stdoutText().count(u"deploys-prod"_s) == 9, qPrintable(listed.stdoutText()));
    }
};

QTEST_GUILESS_MAIN(TestDeploys)
#include "tst_deploys.moc"
