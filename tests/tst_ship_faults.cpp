// SPDX-License-Identifier: MIT
// Fault injection for shipping (issue 7): the connection dies during the upload, while the
// server verifies it, while docker loads it; the server's disk fills up; the link goes
// silent. Each time Gantry ends with one clear sentence, leaves nothing half-written under a
// final name on the server, and the next ship completes with exactly the built image.
// Real sshd on 127.0.0.1 (its login user has tests/data/faults/login-shell.sh as shell, which
// puts the slowed-down sha256sum of tests/data/faults/bin first on PATH; the profile's docker
// command is tests/data/faults/bin/docker-slow), the real engine, a real tmpfs.
#include "ship/serverprofile.h"
#include "ship/shipper.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
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

bool imageExists(const QString &image) { return runDocker({u"image"_s, u"inspect"_s, image}).ok(); }

/// The rollback tags for container go from the "server" (this engine), so that a test's "the
/// engine does not have the image" holds (tests/support/shipfixtures.h).
void removeKeptImages(const QString &container)
{
    ShipFixtures::removeKeptImages([](const QStringList &args) { return runDocker(args); }, container);
}

QString imageId(const QString &image)
{
    const auto r = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image});
    return r.ok() ? r.stdoutText().trimmed() : QString();
}

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
    /// Waits until pred holds (true) or the ship ends / timeoutMs passes (false). pred is also
    /// evaluated on the shipping thread right after every progress report, so a state that
    /// lasts for one report only is seen however slowly this thread runs (ASan); conditions
    /// outside the ship (a hook file on the server) are looked at whenever a report arrives
    /// and at least every 200 ms.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs = 120000)
    {
        {
            QMutexLocker watch(&m_watchMutex);
            m_watch = &pred;
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

    SshServer m_server;
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-faults-XXXXXX"_s};
    QString m_token, m_image, m_imageId, m_archive, m_container;
    int m_httpPort = 0;
    QStringList m_mounts;
    std::shared_ptr<const Gantry::PreparedImage> m_delta, m_full;

    QString home() const { return m_work.filePath(u"home"_s); }
    QString hook(const QString &name) const { return home() + u"/hooks/"_s + name; }

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
        p.dockerCommand = faultsData + u"/bin/docker-slow"_s;
        if (restart) {
            p.afterLoad = Gantry::ServerProfile::AfterLoad::Restart;
            p.containerName = m_container;
            p.ports = {u"127.0.0.1:%1:3000"_s.arg(m_httpPort)};
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

    /// What is on the server under a final name must be complete and verified: an archive
    /// named by its sha256 hashes to it, a blob matches its .sha256. *.partial may be short.
    static QStringList finalNameProblems(const QString &dir)
    {
        QStringList problems;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QFileInfo info(file);
            const QString folder = info.dir().dirName();
            if (file.endsWith(u".partial"_s))
                continue;
            if (folder == u"archives") {
                if (sha256Of(file) != info.fileName().section(u'.', 0, 0))
                    problems << u"%1 does not hash to its name"_s.arg(file);
            } else if (folder == u"blobs") {
                if (file.endsWith(u".sha256"_s))
                    continue; // checked with its blob (it is written first)
                if (QString::fromLatin1(readAll(file + u".sha256"_s)).trimmed() != sha256Of(file)) {
                    problems << u"%1 does not match its .sha256"_s.arg(file);
                }
            }
        }
        return problems;
    }

    /// Waits until no session of the server runs any more (an interrupted remote command ends).
    bool sessionsDrained(int timeoutMs = 30000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (m_server.signalSessions(0) == 0)
                return true;
            QThread::msleep(100);
        }
        return false;
    }

    void removeImage()
    {
        runDocker({u"rm"_s, u"-f"_s, m_container});
        removeKeptImages(m_container);
        if (imageExists(m_image))
            QVERIFY(runDocker({u"rmi"_s, m_image}).ok());
        QVERIFY(!imageExists(m_image));
    }

    /// After a fault: the next ship, without it, completes and the engine has exactly the
    /// built image; with answerHttp, a container from it answers GET /api/health.
    void nextShipCompletes(Gantry::ShipMode mode, const QString &remoteDir, bool answerHttp, Gantry::ShipResult *out = nullptr)
    {
        QVERIFY(sessionsDrained());
        QFile::remove(hook(u"hold-sha256sum"_s));
        QFile::remove(hook(u"hold-load"_s));
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const Gantry::ShipResult r = Gantry::shipImage(*prepared(mode), profile(remoteDir, answerHttp), options(mode), {}, nullptr);
        QVERIFY2(r.ok, qPrintable(r.error + u'\n' + r.remoteOutput + u'\n' + m_server.log().right(1500)));
        QCOMPARE(imageId(m_image), m_imageId);
        const QStringList problems = finalNameProblems(remoteDir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        if (answerHttp) {
            QVERIFY(r.healthOk);
            const QByteArray health = ShipFixtures::httpGet(m_httpPort, u"/api/health"_s);
            QVERIFY2(health.contains("\"status\":\"ok\""), health.constData());
            QVERIFY(ShipFixtures::httpGet(m_httpPort, u"/"_s).contains(m_token.toUtf8())); // this build's frontend
            runDocker({u"rm"_s, u"-f"_s, m_container});
        }
        if (out)
            *out = r;
    }

    void expectBrokenLink(ShipRun &run, Gantry::ShipResult *out)
    {
        QVERIFY2(run.finished(90000), "the ship did not end after its connection died");
        const Gantry::ShipResult r = run.result();
        QVERIFY(!r.ok);
        QVERIFY(!r.cancelled);
        QVERIFY2(r.error.contains(u"127.0.0.1"_s) && r.error.endsWith(u'.'), qPrintable(r.error));
        QVERIFY2(!r.error.contains(u'\n'), qPrintable(r.error));
        *out = r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY(QDir().mkpath(home() + u"/hooks"_s));
        // A uid-0 login (so it may use docker) whose shell puts the slowed-down tools first.
        const QString shell = faultsData + u"/login-shell.sh"_s;
        auto r = Gantry::runProcess(u"id"_s, {user});
        // Password "*": no password login, but not a locked account (sshd refuses those).
        r = r.ok() ? Gantry::runProcess(u"usermod"_s, {u"-p"_s, u"*"_s, u"-d"_s, home(), u"-s"_s, shell, user})
                   : Gantry::runProcess(u"useradd"_s, {u"-o"_s, u"-u"_s, u"0"_s, u"-g"_s, u"0"_s, u"-M"_s, u"-p"_s, u"*"_s, u"-d"_s, home(),
                                                        u"-s"_s, shell, user});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));

        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-faults-%1:latest"_s.arg(m_token);
        m_container = u"gantry-test-faults-c-%1"_s.arg(m_token);
        m_httpPort = ShipFixtures::freePort();
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, m_token, false, &error), qPrintable(error));
        m_imageId = imageId(m_image);
        QVERIFY(m_imageId.startsWith(u"sha256:"_s));
        m_archive = m_work.filePath(u"image.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_archive, m_image}).ok());
        m_delta = Gantry::prepareImage(m_archive, options(Gantry::ShipMode::Delta), {}, nullptr, &error);
        QVERIFY2(m_delta, qPrintable(error));
        m_full = Gantry::prepareImage(m_archive, options(Gantry::ShipMode::Full), {}, nullptr, &error);
        QVERIFY2(m_full, qPrintable(error));
        QCOMPARE(m_full->configDigest, m_imageId);
        qInfo("image %s: archive %lld bytes, %lld layers", qPrintable(m_image), QFileInfo(m_archive).size(), qint64(m_delta->layers.size()));
    }

    void cleanupTestCase()
    {
        m_server.signalSessions(SIGCONT);
        for (const QString &dir : std::as_const(m_mounts))
            Gantry::runProcess(u"umount"_s, {u"-l"_s, dir});
        runDocker({u"rm"_s, u"-f"_s, m_container});
        runDocker({u"rmi"_s, u"-f"_s, m_image});
        removeKeptImages(m_container);
        Gantry::runProcess(u"userdel"_s, {u"-f"_s, user});
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
        const QString dir = m_work.filePath(u"upload-"_s + QString::fromLatin1(QTest::currentDataTag()));
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
            QVERIFY2(broken.error.contains(u"broke"_s), qPrintable(broken.error));
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
        const QString dir = m_work.filePath(u"verify-"_s + QString::fromLatin1(QTest::currentDataTag()));
        QFile::remove(hook(u"sha256sum-started"_s));
        QVERIFY(QFile(hook(u"hold-sha256sum"_s)).open(QIODevice::WriteOnly));
        Gantry::ShipResult broken;
        {
            ShipRun run(prepared(mode), profile(dir), options(mode));
            // The server runs sha256sum on what arrived: both ends of the connection die now.
            QVERIFY2(run.waitFor([&] { return QFile::exists(hook(u"sha256sum-started"_s)); }), qPrintable(run.log() + m_server.log().right(1000)));
            QCOMPARE(run.last().phase, Gantry::ShipProgress::Uploading);
            QVERIFY(m_server.signalSessions(SIGKILL) >= 1);
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
        const QString dir = m_work.filePath(u"load-"_s + QString::fromLatin1(QTest::currentDataTag()));
        QFile::remove(hook(u"load-started"_s));
        QVERIFY(QFile(hook(u"hold-load"_s)).open(QIODevice::WriteOnly));
        Gantry::ShipResult broken;
        {
            ShipRun run(prepared(mode), profile(dir), options(mode));
            QVERIFY2(run.waitFor([&] { return QFile::exists(hook(u"load-started"_s)); }), qPrintable(run.log() + m_server.log().right(1000)));
            QCOMPARE(run.last().phase, Gantry::ShipProgress::Loading);
            QVERIFY(m_server.signalSessions(SIGKILL) >= 1);
            SshServer::killSshChildrenOf(QCoreApplication::applicationPid());
            expectBrokenLink(run, &broken);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(broken.error.contains(u"docker load"_s) || broken.error.contains(u"broke"_s), qPrintable(broken.error));
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
        for (const QString &d : {stale, young, notOurs}) {
            QVERIFY(QDir().mkpath(d + u"/layers"_s));
            QVERIFY(QFile(d + u"/config.json"_s).open(QIODevice::WriteOnly));
        }
        QVERIFY(Gantry::runProcess(u"touch"_s, {u"-d"_s, u"4 hours ago"_s, stale}).ok());
        QVERIFY(Gantry::runProcess(u"touch"_s, {u"-d"_s, u"4 hours ago"_s, notOurs}).ok());
        QVERIFY(Gantry::runProcess(u"touch"_s, {u"-d"_s, u"1 hour ago"_s, young}).ok());
        Gantry::ShipResult next;
        nextShipCompletes(mode, dir, true, &next);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(!QFileInfo::exists(stale), "a stale assembly folder was left in <remote dir>/tmp");
        QVERIFY(QFileInfo::exists(young + u"/config.json"_s));
        QVERIFY2(QFileInfo::exists(notOurs + u"/config.json"_s), "the sweep removed a folder Gantry did not make");
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
        const QString dir = m_work.filePath(u"small-"_s + QString::fromLatin1(QTest::currentDataTag()));
        QVERIFY(QDir().mkpath(dir));
        // A filesystem far smaller than what has to arrive.
        qint64 needed = 0;
        if (mode == Gantry::ShipMode::Full)
            needed = m_full->archiveSize;
        else
            for (const auto &l : m_delta->layers)
                needed += l.blobSize;
        const qint64 size = qMax<qint64>(64 * 1024, needed / 3) / 4096 * 4096;
        auto r = Gantry::runProcess(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=%1"_s.arg(size), u"gantry-test-faults"_s, dir});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        m_mounts << dir;
        const Gantry::ShipResult diskFull = Gantry::shipImage(*prepared(mode), profile(dir), options(mode), {}, nullptr);
        QVERIFY(!diskFull.ok);
        QVERIFY2(diskFull.error.contains(u"disk"_s) && diskFull.error.contains(u"space"_s), qPrintable(diskFull.error));
        QVERIFY2(!diskFull.error.contains(u'\n') && diskFull.error.endsWith(u'.'), qPrintable(diskFull.error));
        QVERIFY2(!diskFull.error.contains(u"network"_s), qPrintable(diskFull.error)); // not blamed on the link
        QVERIFY(sessionsDrained());
        QVERIFY(!imageExists(m_image));
        const QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // More room (as after the admin cleaned up): the next ship completes.
        r = Gantry::runProcess(u"mount"_s, {u"-o"_s, u"remount,size=%1"_s.arg(needed * 4 + 4 * 1024 * 1024), dir});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        nextShipCompletes(mode, dir, false);
    }

    void silentLink()
    {
        // Every session of the server stops (SIGSTOP) mid-upload: no FIN, no RST, silence.
        removeImage();
        if (QTest::currentTestFailed())
            return;
        const QString dir = m_work.filePath(u"stall"_s);
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
            // The whole server goes silent, its listener too: ssh falls back to a new direct
            // connection when the master is gone, which would just work were only the sessions stopped.
            const QStringList listener = processesMentioning(m_server.path(u"sshd_config"_s));
            QCOMPARE(listener.size(), 1);
            const pid_t listenerPid = pid_t(listener.constFirst().section(u':', 0, 0).toLongLong());
            ::kill(listenerPid, SIGSTOP);
            QVERIFY(m_server.signalSessions(SIGSTOP) >= 1);
            const bool ended = run.finished(60000); // ServerAlive: 3 × 2 s of silence, then 3 s to connect anew
            ::kill(listenerPid, SIGCONT);
            m_server.signalSessions(SIGCONT);
            QVERIFY2(ended, "Gantry hung on a silent link");
            broken = run.result();
            QVERIFY2(!broken.ok, qPrintable(run.log()));
        }
        QVERIFY2(broken.error.contains(u"broke"_s) && !broken.error.contains(u'\n'), qPrintable(broken.error));
        QVERIFY(sessionsDrained());
        const QStringList problems = finalNameProblems(dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        nextShipCompletes(Gantry::ShipMode::Delta, dir, false);
    }
};

QTEST_GUILESS_MAIN(TestShipFaults)
#include "tst_ship_faults.moc"
