// SPDX-License-Identifier: MIT
// Fault injection for shipping (issue 7): the connection dies during the upload, while the
// server verifies it, while docker loads it; the server's disk fills up; the link goes
// silent. Each time Gantry ends with one clear sentence, leaves nothing half-written under a
// final name on the server, and the next ship completes with exactly the built image.
// The server is a second machine (tests/support/servermachine.h: its own dockerd, image store,
// disk and sshd, reached only on 127.0.0.1). Its login user gantryfaults has
// tests/data/faults/login-shell.sh (copied onto the server) as shell, which puts the
// slowed-down sha256sum of tests/data/faults/bin first on PATH; the profile's docker command
// is tests/data/faults/bin/docker-slow. The full disk is a real tmpfs mounted on the server;
// the silent link is the server's link cut (every packet to and from its sshd dropped). A
// connection that dies at once (the kill* cases) is still the client's ssh killed: a cut link
// is silence, which only ServerAlive ends, and that is what silentLink tests. The
// image is built on the client and removed from its engine before any ship: what the
// server's engine has came through Gantry, and the client's engine stays without it.
#include "failuretext.h"
#include "ship/serverprofile.h"
#include "ship/shipper.h"
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QMutex>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>
#include <QWaitCondition>
#include <QtConcurrent>

#include <csignal>
#include <functional>

using namespace Qt::StringLiterals;
using namespace GantryTest;

namespace {

const QString faultsData = QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/faults"_s;
const QString user = u"gantryfaults"_s;
/// Where tests/data/faults is copied on the server, and the login user's home there.
const QString serverFaults = u"/opt/gantry-test-faults"_s;
const QString home = u"/srv/gantry-test-faults/home"_s;
const QString work = u"/srv/gantry-test-faults"_s;

/// A ship running on a worker thread, watched from the test's thread.
class ShipRun
{
public:
    ShipRun(std::shared_ptr<const Gantry::PreparedImage> image, const Gantry::ServerProfile &server, const Gantry::ShipOptions &options)
    {
        m_future = QtConcurrent::run([this, image, server, options] {
            auto result = Gantry::shipImage(*image, server, options, [this](const Gantry::ShipProgress &p) { onProgress(p); }, &m_cancel);
            QMutexLocker lock(&m_mutex);
            m_changed.wakeAll();
            return result;
        });
    }
    ~ShipRun()
    {
        m_cancel = true;
        m_future.waitForFinished();
    }
    Gantry::ShipProgress last()
    {
        QMutexLocker lock(&m_mutex);
        return m_last;
    }
    QString log()
    {
        QMutexLocker lock(&m_mutex);
        return m_log;
    }
    /// Waits until pred holds (true) or the ship ends / timeoutMs passes (false). With
    /// onShipThread, pred is also evaluated on the shipping thread right after every progress
    /// report, so a state that lasts for one report only is seen however slowly this thread
    /// runs (ASan); conditions outside the ship that last once they hold (a hook file on the
    /// server, looked at with a docker exec) pass false and are looked at whenever a report
    /// arrives and at least every 200 ms.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs = 120000, bool onShipThread = true)
    {
        {
            QMutexLocker watch(&m_watchMutex);
            m_watch = onShipThread ? &pred : nullptr;
            m_hit = false;
        }
        const auto stopWatching = qScopeGuard([this] {
            QMutexLocker watch(&m_watchMutex);
            m_watch = nullptr;
        });
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (m_hit || pred())
                return true;
            if (m_future.isFinished())
                return m_hit || pred();
            QMutexLocker lock(&m_mutex);
            m_changed.wait(&m_mutex, QDeadlineTimer(std::min<qint64>(200, deadline.remainingTime())));
        }
        return m_hit;
    }
    bool finished(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!m_future.isFinished() && !deadline.hasExpired())
            QThread::msleep(50);
        return m_future.isFinished();
    }
    Gantry::ShipResult result() { return m_future.result(); }

private:
    void onProgress(const Gantry::ShipProgress &p)
    {
        {
            QMutexLocker lock(&m_mutex);
            m_last = p;
            m_log += p.message + u'\n';
        }
        {
            QMutexLocker watch(&m_watchMutex);
            if (m_watch && (*m_watch)())
                m_hit = true;
        }
        QMutexLocker lock(&m_mutex);
        m_changed.wakeAll();
    }

    QFuture<Gantry::ShipResult> m_future;
    QMutex m_mutex;
    QWaitCondition m_changed;
    Gantry::ShipProgress m_last;
    QString m_log;
    std::atomic_bool m_cancel{false};
    QMutex m_watchMutex;
    const std::function<bool()> *m_watch = nullptr; ///< the predicate waitFor() waits for
    std::atomic_bool m_hit{false};
};

} // namespace

class TestShipFaults : public QObject
{
    Q_OBJECT

    ServerMachine m_server{ServerMachine::Options{.ports = {3000}}};
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-faults-XXXXXX"_s};
    QString m_token, m_image, m_imageId, m_archive, m_container;
    int m_httpPort = 0;
    std::shared_ptr<const Gantry::PreparedImage> m_delta, m_full;

    static QString hook(const QString &name) { return home + u"/hooks/"_s + name; }
    static QString quoted(const QString &path) { return u"'"_s + path + u"'"_s; }
    bool serverHas(const QString &path) const { return m_server.run(u"test -e "_s + quoted(path)).ok(); }
    bool setHook(const QString &name) const { return m_server.run(u": > "_s + quoted(hook(name))).ok(); }
    void removeHook(const QString &name) const { m_server.run(u"rm -f "_s + quoted(hook(name))); }

    bool imageExists(const QString &image) const { return m_server.hasImage(image); }
    QString imageId(const QString &image) const
    {
        const auto r = m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image});
        return r.ok() ? r.stdoutText().trimmed() : QString();
    }
    /// The rollback tags for the container go from the server's engine, so that a test's "the
    /// server does not have the image" holds (tests/support/shipfixtures.h).
    void removeKeptImages() const
    {
        ShipFixtures::removeKeptImages([this](const QStringList &args) { return m_server.docker(args); }, m_container);
    }
    /// Sends sig to every process of an ssh session on the server (the descendants of its
    /// listening sshd, not the listener itself); returns how many there were.
    int signalSessions(int sig) const
    {
        const auto r = m_server.run(u"l=$(pgrep -o -x sshd) || exit 0; ps -e -o pid=,ppid= | awk -v l=\"$l\" "
                                    "'{ p[$1] = $2 } END { for (c in p) { a = p[c]; while (a > 1 && a != l) a = p[a]; if (a == l) print c } }' "
                                    "| while read c; do kill -%1 \"$c\" 2>/dev/null; echo \"$c\"; done"_s.arg(sig));
        return int(r.stdoutText().split(u'\n', Qt::SkipEmptyParts).size());
    }
    /// The ship went to the server only: the client's engine has neither the image nor the container.
    void expectClientUntouched() const
    {
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_image}).ok(), "the image appeared in the client's engine");
        QVERIFY2(!runDocker({u"container"_s, u"inspect"_s, m_container}).ok(), "the app's container runs on the client");
    }

    Gantry::ServerProfile profile(const QString &remoteDir, bool restart = false) const
    {
        Gantry::ServerProfile p;
        p.name = u"faults"_s;
        p.host = m_server.host();
        p.port = m_server.port();
        p.user = user;
        p.identityFile = m_server.clientKey();
        p.knownHostsFile = m_server.knownHostsFile();
        p.remoteDir = remoteDir;
        p.dockerCommand = serverFaults + u"/bin/docker-slow"_s;
        if (restart) {
            p.afterLoad = Gantry::ServerProfile::AfterLoad::Restart;
            p.containerName = m_container;
            p.ports = {u"3000:3000"_s}; // the server's port 3000, which the client reaches as 127.0.0.1:m_httpPort
            p.healthUrl = u"http://127.0.0.1:%1/api/health"_s.arg(m_httpPort);
        }
        return p;
    }

    Gantry::ShipOptions options(Gantry::ShipMode mode, qint64 bytesPerSecond = 0) const
    {
        Gantry::ShipOptions o;
        o.mode = mode;
        o.bytesPerSecond = bytesPerSecond;
        o.cacheDir = m_work.filePath(u"cache"_s);
        o.ssh.askpassProgram = gantryExecutable();
        return o;
    }

    std::shared_ptr<const Gantry::PreparedImage> prepared(Gantry::ShipMode mode) const
    {
        return mode == Gantry::ShipMode::Full ? m_full : m_delta;
    }

    /// What is on the server's disk under a final name must be complete and verified: an
    /// archive named by its sha256 hashes to it, a blob matches its .sha256 (the server's own
    /// sha256sum, not the slowed one). *.partial may be short.
    QStringList finalNameProblems(const QString &dir) const
    {
        const auto r = m_server.run(
            u"[ -d %1 ] || exit 0; find %1 -type f ! -name '*.partial' | while IFS= read -r f; do "
            "folder=$(basename \"$(dirname \"$f\")\"); name=$(basename \"$f\"); sum=$(/usr/bin/sha256sum < \"$f\" | cut -d' ' -f1); "
            "case $folder in "
            "archives) [ \"$sum\" = \"${name%%.*}\" ] || echo \"$f does not hash to its name\" ;; "
            "blobs) case $name in *.sha256) ;; " // checked with its blob (it is written first)
            "*) [ \"$(cat \"$f.sha256\" 2>/dev/null | tr -d ' \\n')\" = \"$sum\" ] || echo \"$f does not match its .sha256\" ;; esac ;; "
            "esac; done"_s.arg(quoted(dir)));
        if (!r.ok())
            return {u"could not look at %1 on the server: %2"_s.arg(dir, r.stderrText())};
        return r.stdoutText().split(u'\n', Qt::SkipEmptyParts);
    }

    /// Waits until no session of the server runs any more (an interrupted remote command ends).
    bool sessionsDrained(int timeoutMs = 30000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (signalSessions(0) == 0)
                return true;
            QThread::msleep(100);
        }
        return false;
    }

    void removeImage()
    {
        m_server.docker({u"rm"_s, u"-f"_s, m_container});
        removeKeptImages();
        if (imageExists(m_image))
            QVERIFY(m_server.docker({u"rmi"_s, m_image}).ok());
        QVERIFY(!imageExists(m_image));
    }

    /// After a fault: the next ship, without it, completes and the engine has exactly the
    /// built image; with answerHttp, a container from it answers GET /api/health.
    void nextShipCompletes(Gantry::ShipMode mode, const QString &remoteDir, bool answerHttp, Gantry::ShipResult *out = nullptr)
    {
        QVERIFY(sessionsDrained());
        removeHook(u"hold-sha256sum"_s);
        removeHook(u"hold-load"_s);
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const Gantry::ShipResult r = Gantry::shipImage(*prepared(mode), profile(remoteDir, answerHttp), options(mode), {}, nullptr);
        QVERIFY2(r.ok(), qPrintable(r.error() + u'\n' + r.remoteOutput + u'\n' + m_server.log().right(1500)));
        QCOMPARE(imageId(m_image), m_imageId);
        const QStringList problems = finalNameProblems(remoteDir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        if (answerHttp) {
            QVERIFY(r.healthOk);
            const QByteArray health = ShipFixtures::httpGet(m_httpPort, u"/api/health"_s);
            QVERIFY2(health.contains("\"status\":\"ok\""), health.constData());
            QVERIFY(ShipFixtures::httpGet(m_httpPort, u"/"_s).contains(m_token.toUtf8())); // this build's frontend
            m_server.docker({u"rm"_s, u"-f"_s, m_container});
        }
        expectClientUntouched();
        if (out)
            *out = r;
    }

    void expectBrokenLink(ShipRun &run, Gantry::ShipResult *out)
    {
        QVERIFY2(run.finished(90000), "the ship did not end after its connection died");
        const Gantry::ShipResult r = run.result();
        QVERIFY(!r.ok());
        QVERIFY(!r.cancelled());
        QVERIFY2(r.error().contains(u"127.0.0.1"_s) && r.error().endsWith(u'.'), qPrintable(r.error()));
        QVERIFY2(!r.error().contains(u'\n'), qPrintable(r.error()));
        *out = r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        // The slowed-down tools onto the server, and a uid-0 login (so it may use docker) whose
        // shell puts them first, with root's key. Password "*": no password login, but not a
        // locked account (sshd refuses those).
        const auto tar = Gantry::runProcess(u"tar"_s, {u"-cf"_s, u"-"_s, u"-C"_s, faultsData, u"."_s});
        QVERIFY2(tar.ok(), qPrintable(tar.stderrText()));
        auto r = m_server.run(u"set -e; mkdir -p %1 %2/hooks %2/.ssh; tar -xf - -C %1; chmod 755 %1/*.sh %1/bin/*; "
                              "useradd -o -u 0 -g 0 -M -p '*' -d %2 -s %1/login-shell.sh %3; "
                              "cp /root/.ssh/authorized_keys %2/.ssh/; chmod 700 %2/.ssh"_s.arg(serverFaults, home, user),
                              120000, tar.standardOutput);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        m_httpPort = m_server.publishedPort(3000);

        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-faults-%1:latest"_s.arg(m_token);
        m_container = u"gantry-test-faults-c-%1"_s.arg(m_token);
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, m_token, false, &error), qPrintable(error));
        m_imageId = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText().trimmed();
        QVERIFY(m_imageId.startsWith(u"sha256:"_s));
        m_archive = m_work.filePath(u"image.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_archive, m_image}).ok());
        QVERIFY(runDocker({u"rmi"_s, m_image}).ok()); // from here on only a ship can bring it anywhere
        QCOMPARE(m_server.docker({u"images"_s, u"-q"_s}).stdoutText(), QString()); // a fresh server
        const auto delta = Gantry::prepareImage(m_archive, options(Gantry::ShipMode::Delta), {}, nullptr);
        QVERIFY2(delta, qPrintable(GantryTest::failureText(delta)));
        m_delta = *delta;
        const auto full = Gantry::prepareImage(m_archive, options(Gantry::ShipMode::Full), {}, nullptr);
        QVERIFY2(full, qPrintable(GantryTest::failureText(full)));
        m_full = *full;
        QCOMPARE(m_full->configDigest, m_imageId);
        qInfo("image %s: archive %lld bytes, %lld layers", qPrintable(m_image), QFileInfo(m_archive).size(), qint64(m_delta->layers.size()));
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_image}); // the server goes with its container, volume, user and mounts
    }

    void killDuringUpload_data()
    {
        QTest::addColumn<bool>("full");
        QTest::newRow("delta") << false;
        QTest::newRow("full") << true;
    }
    void killDuringUpload()
    {
        QFETCH(bool, full);
        const Gantry::ShipMode mode = full ? Gantry::ShipMode::Full : Gantry::ShipMode::Delta;
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const QString dir = (work + u"/upload-"_s + QString::fromLatin1(QTest::currentDataTag()));
        Gantry::ShipResult broken;
        {
            ShipRun run(prepared(mode), profile(dir), options(mode, 400 * 1000));
            // Throttled: the kill lands with bytes sent but well before the end.
            QVERIFY2(run.waitFor([&] {
                const auto p = run.last();
                return p.phase == Gantry::ShipProgress::Uploading && p.toSend > 0 && p.sent * 4 >= p.toSend;
            }), qPrintable(run.log() + m_server.log().right(1000)));
            const auto p = run.last();
            QVERIFY2(p.sent < p.toSend, qPrintable(run.log()));
            QVERIFY(SshServer::killSshChildrenOf(QCoreApplication::applicationPid()) >= 1);
            expectBrokenLink(run, &broken);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(broken.error().contains(u"broke"_s), qPrintable(broken.error()));
            QVERIFY(broken.bytesSent > 0);
        }
        QVERIFY(sessionsDrained());
        QVERIFY(!imageExists(m_image));
        QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        Gantry::ShipResult next;
        nextShipCompletes(mode, dir, true, &next);
        if (QTest::currentTestFailed())
            return;
        if (mode == Gantry::ShipMode::Full) // the second ship resumed where the first stopped
            QVERIFY2(next.resumedFrom > 0 && next.bytesSent < m_full->archiveSize, qPrintable(next.summary()));
        else
            QVERIFY2(next.bytesSent < next.bytesFull, qPrintable(next.summary()));
    }

    void killDuringVerification_data() { killDuringUpload_data(); }
    void killDuringVerification()
    {
        QFETCH(bool, full);
        const Gantry::ShipMode mode = full ? Gantry::ShipMode::Full : Gantry::ShipMode::Delta;
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const QString dir = (work + u"/verify-"_s + QString::fromLatin1(QTest::currentDataTag()));
        removeHook(u"sha256sum-started"_s);
        QVERIFY(setHook(u"hold-sha256sum"_s));
        Gantry::ShipResult broken;
        {
            ShipRun run(prepared(mode), profile(dir), options(mode));
            // The server runs sha256sum on what arrived: both ends of the connection die now.
            QVERIFY2(run.waitFor([&] { return serverHas(hook(u"sha256sum-started"_s)); }, 120000, false),
                     qPrintable(run.log() + m_server.log().right(1000)));
            QCOMPARE(run.last().phase, Gantry::ShipProgress::Uploading);
            QVERIFY(signalSessions(SIGKILL) >= 1);
            SshServer::killSshChildrenOf(QCoreApplication::applicationPid());
            expectBrokenLink(run, &broken);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(sessionsDrained());
        QVERIFY(!imageExists(m_image));
        // Whatever is under a final name is complete and verified. (The file being verified is
        // usually still a .partial; but a remote command without a terminal outlives a dropped
        // connection, as on a real server, and may finish the check and the rename later.)
        const QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        nextShipCompletes(mode, dir, false);
    }

    void killDuringDockerLoad_data() { killDuringUpload_data(); }
    void killDuringDockerLoad()
    {
        QFETCH(bool, full);
        const Gantry::ShipMode mode = full ? Gantry::ShipMode::Full : Gantry::ShipMode::Delta;
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const QString dir = (work + u"/load-"_s + QString::fromLatin1(QTest::currentDataTag()));
        removeHook(u"load-started"_s);
        QVERIFY(setHook(u"hold-load"_s));
        Gantry::ShipResult broken;
        {
            ShipRun run(prepared(mode), profile(dir), options(mode));
            QVERIFY2(run.waitFor([&] { return serverHas(hook(u"load-started"_s)); }, 120000, false),
                     qPrintable(run.log() + m_server.log().right(1000)));
            QCOMPARE(run.last().phase, Gantry::ShipProgress::Loading);
            QVERIFY(signalSessions(SIGKILL) >= 1);
            SshServer::killSshChildrenOf(QCoreApplication::applicationPid());
            expectBrokenLink(run, &broken);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(broken.error().contains(u"docker load"_s, Qt::CaseInsensitive) || broken.error().contains(u"broke"_s), qPrintable(broken.error()));
        }
        QVERIFY(sessionsDrained());
        QVERIFY(!imageExists(m_image)); // the load never ran
        const QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // Assembly folders left in <dir>/tmp by such a ship (named as Gantry names them: 32
        // hex digits): the next ship removes those older than three hours, and keeps a young
        // one (another ship may be using it) and an old one Gantry did not make.
        const QString stale = dir + u"/tmp/0123456789abcdef0123456789abcdef"_s, young = dir + u"/tmp/fedcba9876543210fedcba9876543210"_s;
        const QString notOurs = dir + u"/tmp/someone-elses-old-folder"_s;
        for (const QString &d : {stale, young, notOurs})
            QVERIFY(m_server.run(u"mkdir -p %1/layers && : > %1/config.json"_s.arg(quoted(d))).ok());
        QVERIFY(m_server.run(u"touch -d '4 hours ago' %1 %2 && touch -d '1 hour ago' %3"_s.arg(quoted(stale), quoted(notOurs), quoted(young))).ok());
        Gantry::ShipResult next;
        nextShipCompletes(mode, dir, true, &next);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(!serverHas(stale), "a stale assembly folder was left in <remote dir>/tmp");
        QVERIFY(serverHas(young + u"/config.json"_s));
        QVERIFY2(serverHas(notOurs + u"/config.json"_s), "the sweep removed a folder Gantry did not make");
        // Everything had arrived and was verified: nothing is sent again.
        if (mode == Gantry::ShipMode::Full)
            QCOMPARE(next.bytesSent, qint64(0));
        else
            QCOMPARE(next.layersPresent, next.layers);
    }

    void remoteDiskFull_data() { killDuringUpload_data(); }
    void remoteDiskFull()
    {
        QFETCH(bool, full);
        const Gantry::ShipMode mode = full ? Gantry::ShipMode::Full : Gantry::ShipMode::Delta;
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const QString dir = (work + u"/small-"_s + QString::fromLatin1(QTest::currentDataTag()));
        // A filesystem on the server far smaller than what has to arrive.
        qint64 needed = 0;
        if (mode == Gantry::ShipMode::Full)
            needed = m_full->archiveSize;
        else
            for (const auto &l : m_delta->layers)
                needed += l.blobSize;
        const qint64 size = qMax<qint64>(64 * 1024, needed / 3) / 4096 * 4096;
        auto r = m_server.run(u"mkdir -p %1 && mount -t tmpfs -o size=%2 gantry-test-faults %1"_s.arg(quoted(dir)).arg(size));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(m_server.run(u"df -B1 --output=size %1 | tail -n 1 | grep -qx ' *%2'"_s.arg(quoted(dir)).arg(size)).ok());
        const Gantry::ShipResult diskFull = Gantry::shipImage(*prepared(mode), profile(dir), options(mode), {}, nullptr);
        QVERIFY(!diskFull.ok());
        QVERIFY2(diskFull.error().contains(u"disk"_s) && diskFull.error().contains(u"space"_s), qPrintable(diskFull.error()));
        QVERIFY2(!diskFull.error().contains(u'\n') && diskFull.error().endsWith(u'.'), qPrintable(diskFull.error()));
        QVERIFY2(!diskFull.error().contains(u"network"_s), qPrintable(diskFull.error())); // not blamed on the link
        QVERIFY(sessionsDrained());
        QVERIFY(!imageExists(m_image));
        const QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // More room (as after the admin cleaned up): the next ship completes.
        r = m_server.run(u"mount -o remount,size=%1 %2"_s.arg(needed * 4 + 4 * 1024 * 1024).arg(quoted(dir)));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        nextShipCompletes(mode, dir, false);
    }

    void silentLink()
    {
        // The server's link goes silent mid-upload (every packet to and from its sshd dropped):
        // no FIN, no RST, silence.
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const QString dir = work + u"/stall"_s;
        Gantry::ShipOptions o = options(Gantry::ShipMode::Delta, 300 * 1000);
        o.ssh.serverAliveIntervalSec = 2;
        o.ssh.serverAliveCountMax = 3;
        o.ssh.connectTimeoutSec = 3;
        Gantry::ShipResult broken;
        {
            ShipRun run(m_delta, profile(dir), o);
            QVERIFY2(run.waitFor([&] {
                const auto p = run.last();
                return p.phase == Gantry::ShipProgress::Uploading && p.sent > 0;
            }), qPrintable(run.log() + m_server.log().right(1000)));
            // New connections go unanswered too: ssh falls back to a new direct connection
            // when the master is gone, which would just work were only the sessions silent.
            const Gantry::Status cut = m_server.cutLink();
            QVERIFY2(cut, qPrintable(cut.failure().sentence()));
            const bool ended = run.finished(60000); // ServerAlive: 3 × 2 s of silence, then 3 s to connect anew
            const Gantry::Status restored = m_server.restoreLink();
            QVERIFY2(restored, qPrintable(restored.failure().sentence()));
            QVERIFY2(ended, "Gantry hung on a silent link");
            broken = run.result();
            QVERIFY2(!broken.ok(), qPrintable(run.log()));
        }
        QVERIFY2(broken.error().contains(u"broke"_s) && !broken.error().contains(u'\n'), qPrintable(broken.error()));
        QVERIFY(sessionsDrained());
        const QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        nextShipCompletes(Gantry::ShipMode::Delta, dir, false);
    }
};

QTEST_GUILESS_MAIN(TestShipFaults)
#include "tst_ship_faults.moc"
