// SPDX-License-Identifier: MIT
// Deploys that cannot take the site down (issue 19), as a user runs them: `gantry ship
// --restart` and `gantry rollback` against a real sshd on 127.0.0.1 whose docker is the real
// engine, a real keychain (this test runs under data/ship/with-keyring.sh), and a poller that
// GETs the site every 25 ms all along, so every outage is seen from outside.
//
// The server is one object (DeployServer): when a second-server fixture with its own dockerd
// exists, only that class changes.
#include "sshserver.h"
#include "testsupport.h"

#include "build/deployhistory.h"
#include "ship/deployplan.h"
#include "ship/rollbackjob.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
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

/// The server deploys go to: an sshd on 127.0.0.1 whose docker is the engine the tests use.
class DeployServer
{
public:
    bool start(QString *error) { return m_ssh.start(error); }
    QString log() const { return m_ssh.log(); }
    /// docker on the server.
    Gantry::ProcessResult docker(const QStringList &args) const { return runDocker(args); }
    /// A profile as the GUI stores it (QSettings array "servers").
    void writeProfile(QSettings &s, const QString &remoteDir) const
    {
        s.setValue(u"host"_s, m_ssh.host());
        s.setValue(u"port"_s, m_ssh.port());
        s.setValue(u"user"_s, u"root"_s);
        s.setValue(u"identityFile"_s, m_ssh.clientKey());
        s.setValue(u"knownHostsFile"_s, m_ssh.knownHostsFile());
        s.setValue(u"remoteDir"_s, remoteDir);
    }

private:
    SshServer m_ssh;
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

    DeployServer m_server;
    QTemporaryDir m_work{QDir::tempPath() + u"/deploys-test-XXXXXX"_s};
    QString m_token, m_token2, m_container, m_v1, m_v2, m_v3, m_exits, m_silent, m_fails500;
    int m_port = 0;
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
    QString remoteDir() const { return m_work.filePath(u"remote"_s); }

    Gantry::ProcessResult gantry(const QStringList &args, const QByteArray &input = {}) const
    {
        if (input.isEmpty())
            return runGantry(args + QStringList{u"--batch"_s}, env(), 300000);
        return Gantry::runProcess(gantryExecutable(), args, env(), 60000, input);
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

    QString runningImage() const
    {
        return m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.State.Running}} {{.Config.Image}}"_s, m_container})
            .stdoutText();
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
        QString text() const { return run.stderrText() + u'\n' + run.stdoutText(); }
    };
    Deploy deploy(const QString &image, const QStringList &extra = {})
    {
        Poller poller(m_port);
        Deploy d;
        d.run = gantry(QStringList{u"ship"_s, image, u"--to"_s, u"deploys-prod"_s, u"--restart"_s} + extra);
        QThread::msleep(300); // the poller's view of "after"
        poller.stop();
        d.outageMs = poller.longestOutage();
        d.samples = poller.samples();
        return d;
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
        QVERIFY2(d.samples.constLast().status == 200, "the site did not answer at the end of the failed deploy");
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("GANTRY_HISTORY_DB", historyDb().toUtf8()); // RollbackJob records here, as the GUI does
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_token2 = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_container = u"deploys-web-"_s + m_token;
        m_v1 = u"deploys-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"deploys-v2-%1:latest"_s.arg(m_token);
        m_v3 = u"deploys-v3-%1:latest"_s.arg(m_token);
        m_exits = u"deploys-exits-%1:latest"_s.arg(m_token);
        m_silent = u"deploys-silent-%1:latest"_s.arg(m_token);
        m_fails500 = u"deploys-500-%1:latest"_s.arg(m_token);
        m_port = ShipFixtures::freePort();
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

        // The profile: the container's run settings live here (ports, env, a secret, limits).
        QSettings settings(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        settings.beginWriteArray(u"servers"_s, 1);
        settings.setArrayIndex(0);
        settings.setValue(u"name"_s, u"deploys-prod"_s);
        m_server.writeProfile(settings, remoteDir());
        settings.setValue(u"containerName"_s, m_container);
        settings.setValue(u"ports"_s, QStringList{u"127.0.0.1:%1:3000"_s.arg(m_port)});
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
        runDocker({u"rm"_s, u"-f"_s, m_container, m_container + u"-gantry-next"_s});
        const QString keep = Gantry::keepRepository(m_container);
        const auto tags = runDocker({u"image"_s, u"ls"_s, u"--format"_s, u"{{.Repository}}:{{.Tag}}"_s, keep}).stdoutText();
        QStringList images{m_v1, m_v2, m_v3, m_exits, m_silent, m_fails500};
        images += tags.split(u'\n', Qt::SkipEmptyParts);
        runDocker(QStringList{u"rmi"_s, u"-f"_s} + images);
    }

    void firstDeployStartsTheContainerWithItsSecret()
    {
        std::atomic_bool watching{true};
        QStringList leaks;
        QMutex leaksMutex;
        std::thread watcher([&] { // both machines' processes (sshd runs here): the secret is never on a command line
            while (watching) {
                const QStringList seen = processesMentioning(m_secret);
                if (!seen.isEmpty()) {
                    QMutexLocker lock(&leaksMutex);
                    leaks += seen;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        const Deploy d = deploy(m_v1);
        watching = false;
        watcher.join();
        QVERIFY2(d.run.ok(), qPrintable(d.text() + m_server.log().right(1500)));
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
        QVERIFY2(d.run.stdoutText().contains(u"switched %1 to %2"_s.arg(m_container, m_v1)), qPrintable(d.text()));
        QCOMPARE(runningImage(), u"true "_s + m_v1);
        const QString envs = m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{json .Config.Env}}"_s, m_container}).stdoutText();
        QVERIFY2(envs.contains(u"DEPLOYS_TOKEN="_s + m_secret) && envs.contains(u"RUST_LOG=info"_s), qPrintable(envs));
        QVERIFY2(QDir(remoteDir() + u"/tmp"_s).entryList({u"env.*"_s}, QDir::Files | QDir::Hidden).isEmpty(), "an env file was left on the server");
    }

    void healthyDeploySwitchesAndTheGapIsMeasured()
    {
        QVERIFY(httpGet(u"http://127.0.0.1:%1/api/health"_s.arg(m_port), 3000).status == 200);
        const Deploy d = deploy(m_v2);
        QVERIFY2(d.run.ok(), qPrintable(d.text()));
        QCOMPARE(runningImage(), u"true "_s + m_v2);
        QVERIFY(servesV2());
        const qint64 stopToStart = number(d.run.stdoutText(), u"stop→start (\\d+) ms"_s);
        const qint64 stopToHealthy = number(d.run.stdoutText(), u"stop→healthy (\\d+) ms"_s);
        QVERIFY2(stopToStart >= 0 && stopToHealthy >= stopToStart, qPrintable(d.run.stdoutText()));
        qInfo("switch v1 -> v2: stop->start %lld ms (server clock), stop->healthy %lld ms (seen from here), "
              "longest outage seen by the poller %lld ms over %lld samples",
              stopToStart, stopToHealthy, d.outageMs, qint64(d.samples.size()));
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
        qInfo("exits at start-up: longest outage %lld ms", d.outageMs);
        QVERIFY2(d.outageMs < 10000 + 2000, qPrintable(QString::number(d.outageMs)));
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
        // This time the health URL is checked on the server (curl there), not from here.
        const Deploy d3 = deploy(m_v3, {u"--health-on-server"_s});
        QVERIFY2(d3.run.ok(), qPrintable(d3.text()));
        QVERIFY2(d3.run.stdoutText().contains(u"answered HTTP 200 (checked on the server)"_s), qPrintable(d3.run.stdoutText()));
        QVERIFY2(d3.run.stdoutText().contains(u"pruned 1 older image"_s), qPrintable(d3.run.stdoutText()));
        QCOMPARE(runningImage(), u"true "_s + m_v3);
        Poller poller(m_port);
        const auto r = gantry({u"rollback"_s, u"--to"_s, u"deploys-prod"_s});
        poller.stop();
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + r.stdoutText()));
        QVERIFY2(r.stdoutText().contains(u"rolled back"_s), qPrintable(r.stdoutText()));
        const QString v2Id = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_v2}).stdoutText();
        const QString now = m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.Image}}"_s, m_container}).stdoutText();
        QCOMPARE(now, v2Id);
        QVERIFY(servesV2());
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
        const QString v2Id = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_v2}).stdoutText();
        QCOMPARE(outcome.imageId, v2Id);
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
