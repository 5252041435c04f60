// SPDX-License-Identifier: MIT
// Password authentication through SSH_ASKPASS served by Gantry, with the password taken
// from a real keychain (gnome-keyring's Secret Service in a private D-Bus session, see
// data/ship/with-keyring.sh), against a second machine (tests/support/servermachine.h: its
// own sshd with a real password login, its own dockerd and image store, reached only on
// 127.0.0.1). A ship logged in with the keychain's password lands in the server's engine;
// the image was built on the client and removed from its engine first, and stays away.
#include "ship/secretstore.h"
#include "storedsecret.h"
#include "ship/serverprofile.h"
#include "failuretext.h"
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestShipKeychain : public QObject
{
    Q_OBJECT
    ServerMachine m_server;
    QTemporaryDir m_work;
    QTemporaryDir m_imageDir;
    QString m_password, m_image, m_archive;
    Gantry::ServerProfile m_profile;
    const QString m_user = u"gantrytest"_s;

    QProcessEnvironment env() const
    {
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"XDG_CONFIG_HOME"_s, m_work.filePath(u"config"_s));
        e.insert(u"XDG_CACHE_HOME"_s, m_work.filePath(u"cache"_s));
        return e;
    }

    /// Runs gantry and, while it runs, looks at every process's command line for needle.
    Gantry::ProcessResult runWatching(const QStringList &args, const QByteArray &needle, bool *seen)
    {
        *seen = false;
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(gantryExecutable(), args);
        p.waitForStarted();
        while (!p.waitForFinished(10)) {
            QDirIterator it(u"/proc"_s, QDir::Dirs | QDir::NoDotAndDotDot);
            while (it.hasNext()) {
                QFile cmdline(it.next() + u"/cmdline"_s);
                if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle))
                    *seen = true;
            }
        }
        Gantry::ProcessResult r;
        r.started = true;
        r.exitCode = p.exitCode();
        r.standardOutput = p.readAllStandardOutput();
        r.standardError = p.readAllStandardError();
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session: run through tests/data/ship/with-keyring.sh (ctest does)");
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_password = u"gantry-pw-"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
        QVERIFY(m_server.addPasswordUser(m_user, m_password));
        // A key the server does not know, so that only the password can log in.
        const QString key = m_work.filePath(u"unknown_key"_s);
        QVERIFY(Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, key}).ok());
        m_profile.name = u"pwserver"_s;
        m_profile.host = m_server.host();
        m_profile.port = m_server.port();
        m_profile.user = m_user;
        m_profile.identityFile = key;
        m_profile.knownHostsFile = m_server.knownHostsFile();
        m_profile.remoteDir = u"/srv/gantry-test/remote"_s;
        QSettings settings(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        Gantry::ServerProfiles::save(settings, {m_profile});
        // Something to ship, outside m_work (which is searched for the password).
        m_image = u"gantry-test-keychain-%1:latest"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
        QVERIFY2(ShipFixtures::buildTinyImage(m_image, m_imageDir.filePath(u"image"_s), m_image, &error), qPrintable(error));
        m_archive = m_imageDir.filePath(u"image.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_archive, m_image}).ok());
        QVERIFY(runDocker({u"rmi"_s, m_image}).ok()); // from here on only a ship can bring it anywhere
    }

    void cleanupTestCase()
    {
        (void)Gantry::SecretStore::remove(m_profile.passwordKey());
        runDocker({u"rmi"_s, u"-f"_s, m_image}); // the server goes with its container and its users
    }

    void passwordFromTheKeychain()
    {
        const Gantry::Status stored = Gantry::SecretStore::write(m_profile.passwordKey(), m_password);
        QVERIFY2(stored, qPrintable(GantryTest::failureText(stored)));
        QCOMPARE(GantryTest::storedSecret(m_profile.passwordKey()).value_or(QString()), m_password);
        bool onACommandLine = true;
        const auto r = runWatching({u"ship"_s, u"--check"_s, u"--to"_s, u"pwserver"_s, u"--batch"_s}, m_password.toUtf8(), &onACommandLine);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + m_server.log().right(1500)));
        QVERIFY2(r.stdoutText().contains(u"Connected to gantrytest@127.0.0.1"_s), qPrintable(r.stdoutText()));
        QVERIFY(!onACommandLine);
        QVERIFY2(m_server.sshdLog().contains(u"Accepted password for gantrytest"_s), qPrintable(m_server.sshdLog().right(1500)));

        // A ship with the same login: the image lands in the server's engine, never the client's.
        QVERIFY(!m_server.hasImage(m_image));
        const int logins = int(m_server.sshdLog().count(u"Accepted password for gantrytest"_s));
        const auto shipped = runWatching({u"ship"_s, m_archive, u"--to"_s, u"pwserver"_s, u"--batch"_s}, m_password.toUtf8(), &onACommandLine);
        QVERIFY2(shipped.ok(), qPrintable(shipped.stderrText() + u'\n' + shipped.stdoutText() + u'\n' + m_server.log().right(1500)));
        QVERIFY(!onACommandLine);
        QVERIFY(m_server.sshdLog().count(u"Accepted password for gantrytest"_s) > logins);
        QVERIFY(m_server.hasImage(m_image));
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_image}).ok(), "the ship put the image into the client's engine");
        QVERIFY(!shipped.stdoutText().contains(m_password) && !shipped.stderrText().contains(m_password));
        // Nor in any settings or cache file.
        QDirIterator it(m_work.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                QVERIFY2(!f.readAll().contains(m_password.toUtf8()), qPrintable(f.fileName()));
        }
        QVERIFY(!r.stdoutText().contains(m_password) && !r.stderrText().contains(m_password));
    }

    void aWrongPasswordGivesAClearError()
    {
        const Gantry::Status stored = Gantry::SecretStore::write(m_profile.passwordKey(), u"not-the-password"_s);
        QVERIFY2(stored, qPrintable(GantryTest::failureText(stored)));
        const auto r = Gantry::runProcess(gantryExecutable(), {u"ship"_s, u"--check"_s, u"--to"_s, u"pwserver"_s, u"--batch"_s}, env(), 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"the password from the keychain (or the key) was not accepted"_s), qPrintable(r.stderrText()));
    }

    void withoutAKeychainEntryTheTerminalAsks()
    {
        QVERIFY(Gantry::SecretStore::remove(m_profile.passwordKey()));
        // A real terminal (script(1) gives gantry a pty); the user types the password.
        QString command;
        for (const QString &arg : QStringList{gantryExecutable(), u"ship"_s, u"--check"_s, u"--to"_s, u"pwserver"_s})
            command += u" '"_s + arg + u'\'';
        QProcess terminal;
        terminal.setProcessEnvironment(env());
        terminal.start(u"script"_s, {u"-qec"_s, command, u"/dev/null"_s});
        QVERIFY(terminal.waitForStarted());
        QString out;
        QDeadlineTimer deadline(30000);
        while (!out.contains(u"password:"_s) && !deadline.hasExpired() && terminal.state() == QProcess::Running) {
            terminal.waitForReadyRead(200);
            out += QString::fromUtf8(terminal.readAllStandardOutput());
        }
        terminal.write((m_password + u'\n').toUtf8()); // typed after the prompt, as a user does
        QVERIFY(terminal.waitForFinished(60000));
        out += QString::fromUtf8(terminal.readAllStandardOutput());
        QVERIFY2(terminal.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains(u"[pwserver] gantrytest@127.0.0.1's password:"_s), qPrintable(out));
        QVERIFY2(out.contains(u"Connected to gantrytest@127.0.0.1"_s), qPrintable(out));
        QVERIFY2(!out.contains(m_password), "the password was echoed");
    }

    void keyPassphraseFromTheKeychain()
    {
        // A key protected by a passphrase, authorised on the server; the passphrase is only
        // in the keychain, under the profile's passphrase key.
        const QString key = m_work.filePath(u"locked_key"_s);
        const QString passphrase = u"gantry-pp-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
        QVERIFY(Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, passphrase, u"-f"_s, key}).ok());
        QVERIFY(m_server.authorizeKey(key + u".pub"_s));
        Gantry::ServerProfile locked = m_profile;
        locked.name = u"keyserver"_s;
        locked.user = u"root"_s;
        locked.identityFile = key;
        QSettings settings(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        Gantry::ServerProfiles::save(settings, {m_profile, locked});
        settings.sync();
        const Gantry::Status stored = Gantry::SecretStore::write(locked.passphraseKey(), passphrase);
        QVERIFY2(stored, qPrintable(GantryTest::failureText(stored)));
        bool onACommandLine = true;
        const auto r = runWatching({u"ship"_s, u"--check"_s, u"--to"_s, u"keyserver"_s, u"--batch"_s}, passphrase.toUtf8(), &onACommandLine);
        (void)Gantry::SecretStore::remove(locked.passphraseKey());
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(r.stdoutText().contains(u"Connected to root@127.0.0.1"_s));
        QVERIFY(!onACommandLine);
    }

    void noPasswordAnywhereIsRefusedInBatchMode()
    {
        QVERIFY(Gantry::SecretStore::remove(m_profile.passwordKey()));
        QVERIFY(!GantryTest::storedSecret(m_profile.passwordKey()));
        const auto r = Gantry::runProcess(gantryExecutable(), {u"ship"_s, u"--check"_s, u"--to"_s, u"pwserver"_s, u"--batch"_s}, env(), 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"refused the login"_s), qPrintable(r.stderrText()));
    }
};

QTEST_GUILESS_MAIN(TestShipKeychain)
#include "tst_ship_keychain.moc"
