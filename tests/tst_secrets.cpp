// SPDX-License-Identifier: MIT
// Secrets (issue 7): a login password and a key passphrase, stored in a real keychain
// (gnome-keyring's Secret Service, see data/ship/with-keyring.sh) under the profiles' keys,
// reach ssh only through askpass. While Gantry tests connections and ships for real, every
// process's command line and environment is sampled; afterwards the settings, the history,
// the caches, everything Gantry printed and what a crash mid-ship leaves are searched. The
// searches are shown to find the secrets where they are (so this test can fail). The server is
// a second machine (tests/support/servermachine.h: its own sshd with a real password login,
// its own dockerd and image store, reached only on 127.0.0.1): a ship lands in ITS engine
// (the image was built on the client and removed from its engine first, and stays away), and
// its folders are searched too.
#include "ship/secretstore.h"
#include "storedsecret.h"
#include "ship/serverprofile.h"
#include "ship/shipper.h"
#include "failuretext.h"
#include "servermachine.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace GantryTest;

namespace {

const QString faultsData = QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/faults"_s;

/// The byte forms a secret could take in memory or files: UTF-8, UTF-16 (QString) and
/// big-endian UTF-16 (QDataStream, as askpass sends it).
QList<QByteArray> forms(const QString &secret)
{
    QByteArray be;
    for (const QChar c : secret)
        be += char(c.unicode() >> 8), be += char(c.unicode() & 0xff);
    return {secret.toUtf8(), QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2), be};
}

/// What one look at every process found.
struct ProcessSample
{
    QStringList leaks;       ///< "PID cmdline|environ: ..." holding a secret
    int askpassClients = 0;  ///< processes with Gantry's askpass socket in their environment (ssh, the helper)
    QSet<qint64> sshPids;    ///< ssh processes whose parent is the watched process
};

void sampleProcesses(const QList<QByteArray> &secrets, qint64 watched, ProcessSample &s)
{
    const QString self = QString::number(QCoreApplication::applicationPid());
    for (const QString &pid : QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (pid == self || !pid.at(0).isDigit())
            continue;
        for (const QString &what : {u"cmdline"_s, u"environ"_s}) {
            QFile f(u"/proc/%1/%2"_s.arg(pid, what));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = f.readAll();
            for (const QByteArray &secret : secrets)
                if (bytes.contains(secret))
                    s.leaks << u"%1 %2: %3"_s.arg(pid, what, QString::fromUtf8(QByteArray(bytes).replace('\0', ' ')).left(300));
            if (what == u"environ" && bytes.contains("GANTRY_ASKPASS_SOCKET="))
                ++s.askpassClients;
        }
        if (watched > 0) {
            QFile stat(u"/proc/%1/stat"_s.arg(pid));
            if (stat.open(QIODevice::ReadOnly)) {
                const QString text = QString::fromUtf8(stat.readAll());
                const QString comm = text.section(u'(', 1).section(u')', 0, 0);
                const qint64 parent = text.mid(text.lastIndexOf(u')') + 2).split(u' ').value(1).toLongLong();
                if (comm == u"ssh" && parent == watched)
                    s.sshPids.insert(pid.toLongLong());
            }
        }
    }
}

/// Every file under root that holds one of the secrets (as UTF-8 or UTF-16).
QStringList filesHolding(const QString &root, const QList<QByteArray> &secrets)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QFileInfo(path).isSymLink())
            continue;
        const QByteArray bytes = readAll(path);
        for (const QByteArray &secret : secrets)
            if (bytes.contains(secret)) {
                hits << path;
                break;
            }
    }
    return hits;
}

/// Whether the kernel writes core dumps as files in the crashing process's folder.
bool corePatternIsAFile()
{
    const QByteArray pattern = readAll(u"/proc/sys/kernel/core_pattern"_s).trimmed();
    return !pattern.isEmpty() && !pattern.startsWith('|') && !pattern.startsWith('/');
}

bool processGone(qint64 pid) { return !QFileInfo::exists(u"/proc/%1"_s.arg(pid)); }

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

    ServerMachine m_server;
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-secrets-XXXXXX"_s};
    QTemporaryDir m_canary{QDir::tempPath() + u"/gantry-test-secrets-canary-XXXXXX"_s};
    const QString m_user = u"gantrysecrets"_s;
    QString m_password, m_passphrase, m_token, m_image, m_archive;
    Gantry::ServerProfile m_pw, m_pp;
    QList<QByteArray> m_secrets;

    QString home() const { return m_work.filePath(u"home"_s); }
    static QString serverDir() { return u"/srv/gantry-test"_s; }
    /// Whether sshd on the server logged this (e.g. "Accepted password for gantrysecrets").
    bool serverLogged(const QString &line) const { return m_server.sshdLog().contains(line); }

    QProcessEnvironment env() const
    {
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"XDG_CONFIG_HOME"_s, home() + u"/.config"_s);
        e.insert(u"XDG_CACHE_HOME"_s, home() + u"/.cache"_s);
        e.insert(u"XDG_DATA_HOME"_s, home() + u"/.local/share"_s);
        e.insert(u"TMPDIR"_s, m_work.filePath(u"tmp"_s));
        return e;
    }

    struct Watched
    {
        Gantry::ProcessResult result;
        ProcessSample sample;
        int samples = 0;
        QString coreLimitAtCrash; ///< the soft "Max core file size" of gantry when it was crashed
    };

    /// Runs gantry; while it runs, samples every process. With crashOn, sends crashSignal
    /// once stderr shows that text (mid-ship).
    Watched runWatching(const QStringList &args, const QString &crashOn = {}, int crashSignal = 0)
    {
        Watched w;
        QProcess p;
        p.setProcessEnvironment(env());
        p.setWorkingDirectory(m_work.filePath(u"cwd"_s));
        if (crashOn.isEmpty())
            p.start(gantryExecutable(), args);
        else // core dumps allowed, as on a developer's machine: a crash may write one into the working folder
            p.start(u"sh"_s, QStringList{u"-c"_s, u"ulimit -c unlimited; exec \"$0\" \"$@\""_s, gantryExecutable()} + args);
        p.waitForStarted();
        QByteArray err;
        bool crashed = false;
        const QDeadlineTimer deadline(240000);
        while (!p.waitForFinished(5) && !deadline.hasExpired()) {
            sampleProcesses(m_secrets, p.processId(), w.sample);
            ++w.samples;
            err += p.readAllStandardError();
            if (!crashOn.isEmpty() && !crashed && err.contains(crashOn.toUtf8())) {
                sampleProcesses(m_secrets, p.processId(), w.sample);
                // Its core limit at that moment: whether a core file could be written does not
                // depend on the sanitizer (whose own handler catches the signal and writes none).
                const QString limits = QString::fromLatin1(readAll(u"/proc/%1/limits"_s.arg(p.processId())));
                w.coreLimitAtCrash = QRegularExpression(u"Max core file size\\s+(\\S+)"_s).match(limits).captured(1);
                ::kill(pid_t(p.processId()), crashSignal);
                crashed = true;
            }
        }
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        w.result.started = true;
        w.result.exitCode = p.exitStatus() == QProcess::CrashExit ? -1 : p.exitCode();
        w.result.standardOutput = p.readAllStandardOutput();
        w.result.standardError = err + p.readAllStandardError();
        return w;
    }

    void expectNoLeak(const Watched &w, const char *what)
    {
        QVERIFY2(w.samples > 3, what);
        QVERIFY2(w.sample.leaks.isEmpty(), qPrintable(u"%1: %2"_s.arg(QString::fromLatin1(what), w.sample.leaks.join(u'\n'))));
        // The sampling did see Gantry's ssh (it carries the askpass socket, not the secret).
        QVERIFY2(w.sample.askpassClients > 0, what);
        for (const QByteArray &secret : m_secrets)
            QVERIFY2(!w.result.standardOutput.contains(secret) && !w.result.standardError.contains(secret), what);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run through tests/data/ship/with-keyring.sh (ctest does)");
        QVERIFY(QDir().mkpath(m_work.filePath(u"cwd"_s)));
        QVERIFY(QDir().mkpath(m_work.filePath(u"tmp"_s)));
        QVERIFY(QDir().mkpath(home()));
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        const auto random = [] { return QUuid::createUuid().toString(QUuid::Id128); };
        m_password = u"pw-"_s + random();
        m_passphrase = u"pp-"_s + random();
        m_secrets = forms(m_password) + forms(m_passphrase);
        QVERIFY(m_server.addPasswordUser(m_user, m_password));

        // Password login: a key the server does not know, so only the password opens it.
        const QString unknown = m_work.filePath(u"keys/unknown_key"_s);
        QVERIFY(QDir().mkpath(m_work.filePath(u"keys"_s)));
        QVERIFY(Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, unknown}).ok());
        // A key protected by the passphrase, authorised for root.
        const QString locked = m_work.filePath(u"keys/locked_key"_s);
        QVERIFY(Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, m_passphrase, u"-f"_s, locked}).ok());
        QVERIFY(m_server.authorizeKey(locked + u".pub"_s));
        m_pw.name = u"pw"_s;
        m_pw.host = m_server.host();
        m_pw.port = m_server.port();
        m_pw.user = m_user;
        m_pw.identityFile = unknown;
        m_pw.knownHostsFile = m_server.knownHostsFile();
        m_pw.remoteDir = serverDir() + u"/remote"_s;
        m_pp = m_pw;
        m_pp.name = u"pp"_s;
        m_pp.user = u"root"_s;
        m_pp.identityFile = locked;
        {
            QSettings settings(home() + u"/.config/Gantry/Gantry.conf"_s, QSettings::IniFormat);
            Gantry::ServerProfiles::save(settings, {m_pw, m_pp});
        }
        // Through Gantry's own keychain code, under the profiles' keys.
        const Gantry::Status passwordStored = Gantry::SecretStore::write(m_pw.passwordKey(), m_password);
        QVERIFY2(passwordStored, qPrintable(GantryTest::failureText(passwordStored)));
        const Gantry::Status passphraseStored = Gantry::SecretStore::write(m_pp.passphraseKey(), m_passphrase);
        QVERIFY2(passphraseStored, qPrintable(GantryTest::failureText(passphraseStored)));
        QCOMPARE(GantryTest::storedSecret(m_pw.passwordKey()).value_or(QString()), m_password);

        // A small image to ship: 1 MB that does not compress (so a rate limit makes the upload last).
        m_token = random().left(12);
        m_image = u"gantry-test-secrets-%1:latest"_s.arg(m_token);
        const QString ctx = m_work.filePath(u"image"_s);
        QVERIFY(QDir().mkpath(ctx));
        QVERIFY(Gantry::runProcess(u"sh"_s, {u"-c"_s, u"head -c 1000000 /dev/urandom > \"$1/payload\"; printf 'FROM scratch\\nCOPY payload /payload\\n' > \"$1/Dockerfile\""_s,
                                             u"sh"_s, ctx}).ok());
        auto r = runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"-t"_s, m_image, ctx}, 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        m_archive = m_work.filePath(u"image.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_archive, m_image}).ok());
        QVERIFY(runDocker({u"rmi"_s, m_image}).ok());
    }

    void cleanupTestCase()
    {
        (void)Gantry::SecretStore::remove(m_pw.passwordKey());
        (void)Gantry::SecretStore::remove(m_pp.passphraseKey());
        runDocker({u"rmi"_s, u"-f"_s, m_image}); // the server goes with its container and its users
    }

    void theSearchesFindSecretsWhereTheyAre()
    {
        // A file and a process that DO hold them: the same searches must report them.
        QFile f(m_canary.filePath(u"settings.conf"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("password=" + m_password.toUtf8() + "\n");
        f.close();
        QFile g(m_canary.filePath(u"history.sqlite"_s));
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray("\0\0", 2) + forms(m_passphrase).at(1) + QByteArray("\0", 1));
        g.close();
        QCOMPARE(filesHolding(m_canary.path(), m_secrets).size(), 2);

        QProcess leaky;
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"GANTRY_TEST_CANARY"_s, m_passphrase);
        leaky.setProcessEnvironment(e);
        // sh keeps the secret in its argv while it waits on its stdin (a builtin: no child that
        // would outlive it; sleep itself would refuse the extra argument and exit at once).
        leaky.start(u"sh"_s, {u"-c"_s, u"read x"_s, u"sh"_s, m_password});
        QVERIFY(leaky.waitForStarted());
        // Until the child has exec'd sleep (right after the fork it still shows this test's
        // own command line; slower under the sanitizers).
        ProcessSample s;
        for (QDeadlineTimer until(10000); !until.hasExpired(); QThread::msleep(50)) {
            s = ProcessSample();
            sampleProcesses(m_secrets, 0, s);
            if (s.leaks.filter(u" cmdline: "_s).size() >= 1 && s.leaks.filter(u" environ: "_s).size() >= 1)
                break;
        }
        leaky.kill();
        leaky.waitForFinished();
        // Its command line and its environment are found.
        QVERIFY2(s.leaks.filter(u" cmdline: "_s).size() == 1, qPrintable(s.leaks.join(u'\n')));
        QVERIFY2(s.leaks.filter(u" environ: "_s).size() == 1, qPrintable(s.leaks.join(u'\n')));

        // A process that crashes with a secret in memory writes it into its core dump.
        if (corePatternIsAFile()) {
            const QString dir = m_canary.filePath(u"crash"_s);
            QVERIFY(QDir().mkpath(dir));
            QProcess crash;
            crash.setWorkingDirectory(dir);
            crash.start(u"sh"_s, {u"-c"_s, u"ulimit -c unlimited; read -r x; kill -SEGV $$"_s});
            QVERIFY(crash.waitForStarted());
            crash.write((m_password + u'\n').toUtf8());
            QVERIFY(crash.waitForFinished());
            QCOMPARE(crash.exitStatus(), QProcess::CrashExit);
            QTRY_VERIFY_WITH_TIMEOUT(!filesHolding(dir, m_secrets).isEmpty(), 10000);
        }
    }

    void askpassIsTheOnlyChannel_data()
    {
        QTest::addColumn<bool>("passphrase");
        QTest::newRow("password") << false;
        QTest::newRow("key passphrase") << true;
    }
    void askpassIsTheOnlyChannel()
    {
        // Test connection in this process with a recording askpass (data/faults/askpass-spy.sh):
        // the helper gets the secret over Gantry's socket, never in its arguments or environment.
        QFETCH(bool, passphrase);
        const QString secret = passphrase ? m_passphrase : m_password;
        QTemporaryDir spy(m_work.filePath(u"spy-XXXXXX"_s));
        qputenv("GANTRY_TEST_ASKPASS_SPY", spy.path().toUtf8());
        qputenv("GANTRY_TEST_ASKPASS_PROGRAM", gantryExecutable().toUtf8());
        Gantry::SshOptions options;
        options.askpassProgram = faultsData + u"/askpass-spy.sh"_s;
        const Gantry::Result<QString> checked = Gantry::checkServer(passphrase ? m_pp : m_pw, options);
        const bool ok = checked.ok();
        const QString message = ok ? *checked : checked.failure().sentence();
        qunsetenv("GANTRY_TEST_ASKPASS_SPY");
        qunsetenv("GANTRY_TEST_ASKPASS_PROGRAM");
        QVERIFY2(ok, qPrintable(message + u'\n' + m_server.log().right(1500)));
        for (const QByteArray &s : m_secrets)
            QVERIFY(!message.toUtf8().contains(s));
        QVERIFY2(serverLogged(passphrase ? u"Accepted publickey for root"_s : u"Accepted password for gantrysecrets"_s),
                 qPrintable(m_server.sshdLog().right(1500)));

        const QStringList answers = QDir(spy.path()).entryList({u"answer.*"_s}, QDir::Files);
        QVERIFY2(!answers.isEmpty(), "ssh never ran the askpass helper");
        const QByteArray expected = QCryptographicHash::hash((secret + u'\n').toUtf8(), QCryptographicHash::Sha256).toHex();
        bool received = false;
        for (const QString &a : answers)
            received = received || readAll(spy.filePath(a)).trimmed() == expected;
        QVERIFY2(received, "the helper did not receive the secret over Gantry's socket");
        // The helper's own arguments and environment: the prompt and the socket, no secret.
        const QStringList recorded = QDir(spy.path()).entryList({u"argv.*"_s, u"env.*"_s}, QDir::Files);
        QVERIFY(recorded.size() >= 2);
        for (const QString &file : recorded) {
            const QByteArray bytes = readAll(spy.filePath(file));
            if (file.startsWith(u"env."_s))
                QVERIFY(bytes.contains("GANTRY_ASKPASS_SOCKET="));
            for (const QByteArray &s : m_secrets)
                QVERIFY2(!bytes.contains(s), qPrintable(file));
        }
        QVERIFY(filesHolding(spy.path(), m_secrets).isEmpty());
    }

    void testConnectionLeaksNothing_data() { askpassIsTheOnlyChannel_data(); }
    void testConnectionLeaksNothing()
    {
        QFETCH(bool, passphrase);
        const Watched w = runWatching({u"ship"_s, u"--check"_s, u"--to"_s, passphrase ? u"pp"_s : u"pw"_s, u"--batch"_s});
        QVERIFY2(w.result.ok(), qPrintable(w.result.stderrText() + u'\n' + m_server.log().right(1500)));
        QVERIFY(w.result.stdoutText().contains(u"Connected to "_s));
        expectNoLeak(w, "ship --check");
    }

    void shipLeaksNothing_data() { askpassIsTheOnlyChannel_data(); }
    void shipLeaksNothing()
    {
        QFETCH(bool, passphrase);
        m_server.docker({u"rmi"_s, m_image});
        QVERIFY(!m_server.hasImage(m_image));
        const Watched w = runWatching({u"ship"_s, m_archive, u"--to"_s, passphrase ? u"pp"_s : u"pw"_s, u"--batch"_s});
        QVERIFY2(w.result.ok(), qPrintable(w.result.stderrText() + u'\n' + m_server.log().right(1500)));
        QVERIFY(m_server.hasImage(m_image)); // it really shipped, to the server's engine
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_image}).ok(), "the ship put the image into the client's engine");
        expectNoLeak(w, "ship");
    }

    void aCrashMidShipLeaksNothing_data()
    {
        QTest::addColumn<bool>("passphrase");
        QTest::addColumn<int>("sig");
        QTest::newRow("password, SIGSEGV") << false << int(SIGSEGV);
        QTest::newRow("key passphrase, SIGABRT") << true << int(SIGABRT);
    }
    void aCrashMidShipLeaksNothing()
    {
        QFETCH(bool, passphrase);
        QFETCH(int, sig);
        m_server.docker({u"rmi"_s, m_image});
        const Watched w = runWatching({u"ship"_s, m_archive, u"--full"_s, u"--limit-rate"_s, u"100"_s, u"--to"_s,
                                       passphrase ? u"pp"_s : u"pw"_s, u"--batch"_s, u"--remote-dir"_s,
                                       serverDir() + (passphrase ? u"/crash-pp"_s : u"/crash-pw"_s)},
                                      u"uploading "_s, sig);
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer's own handler reports the signal and exits 1: its report is the crash output.
        QVERIFY(w.result.exitCode != 0);
#else
        QCOMPARE(w.result.exitCode, -1); // it did crash, mid-upload
#endif
        expectNoLeak(w, "crashed ship");
        // Once Gantry has held a secret it writes no core dump (as ssh-agent): started with
        // `ulimit -c unlimited`, its own limit was 0 when it crashed.
        QCOMPARE(w.coreLimitAtCrash, u"0"_s);
        // Whatever the crash left in the working folder (a core dump, crash text) holds no secret.
        if (!corePatternIsAFile())
            qInfo("core_pattern is not a file in the working folder: no core dump to look at");
        const QStringList hits = filesHolding(m_work.filePath(u"cwd"_s), m_secrets);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
        QVERIFY(!w.sample.sshPids.isEmpty());
        // Its ssh processes do not outlive it (an orphaned master would keep the login open).
        for (qint64 pid : w.sample.sshPids)
            QTRY_VERIFY2_WITH_TIMEOUT(processGone(pid), qPrintable(u"ssh %1 outlived the crashed gantry"_s.arg(pid)), 15000);
        QVERIFY(!m_server.hasImage(m_image)); // it crashed mid-upload: nothing was loaded
    }

    void noSecretInAnyFileGantryWrote()
    {
        // Settings (the profiles), the build history, caches, Gantry's private temporary
        // folders, and the server-side folders (copied here from the server whole).
        QVERIFY(QFile::exists(home() + u"/.config/Gantry/Gantry.conf"_s));
        QVERIFY(QDir(home() + u"/.cache"_s).exists());
        const QString serverCopy = m_work.filePath(u"server"_s);
        QVERIFY(QDir().mkpath(serverCopy));
        const auto tar = m_server.run(u"tar -cf - -C %1 ."_s.arg(serverDir()));
        QVERIFY2(tar.ok(), qPrintable(tar.stderrText()));
        const auto untar = Gantry::runProcess(u"tar"_s, {u"-xf"_s, u"-"_s, u"-C"_s, serverCopy}, QProcessEnvironment::systemEnvironment(), 120000,
                                              tar.standardOutput);
        QVERIFY2(untar.ok(), qPrintable(untar.stderrText()));
        QVERIFY(QDir(serverCopy + u"/remote/blobs"_s).exists());   // the ships' layers
        QVERIFY(QDir(serverCopy + u"/crash-pw"_s).exists());       // what the crashed ships left
        const QStringList hits = filesHolding(m_work.path(), m_secrets);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
        // Gantry's private SSH folders (askpass and control sockets) were made under TMPDIR,
        // in the searched tree: the crashed runs left theirs.
        QVERIFY(!QDir(m_work.filePath(u"tmp"_s)).entryList({u"gantry-ssh-*"_s}, QDir::Dirs).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
