// SPDX-License-Identifier: MIT
// Health checked on the server when this machine cannot reach the URL (issue 19, point 1), on a
// real second machine (tests/support/servermachine.h: its own dockerd and sshd, its own network
// namespace). The app's port is published on the SERVER only, so the profile's URL
// http://127.0.0.1:P/api/health answers there and is refused here. Gantry must say so in one
// line, check on the server instead (the image's HEALTHCHECK where it has one, else an HTTP probe
// with what the server has: this one has neither curl nor wget, so bash's /dev/tcp), switch a
// healthy build and roll a failing one back. --health-from-here keeps the check here.
#include "servermachine.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestDeployHealthAuto : public QObject
{
    Q_OBJECT

    ServerMachine m_server; // no port published to this machine
    QTemporaryDir m_work{QDir::tempPath() + u"/deploys2-health-auto-XXXXXX"_s};
    QString m_token, m_container, m_v1, m_v2, m_fails500;
    int m_port = 0; ///< the server's own port for the app: free here, and never published here

    QProcessEnvironment env() const
    {
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"XDG_CACHE_HOME"_s, m_work.filePath(u"cache"_s));
        e.insert(u"XDG_CONFIG_HOME"_s, m_work.filePath(u"config"_s));
        e.insert(u"GANTRY_HISTORY_DB"_s, m_work.filePath(u"history.sqlite"_s));
        return e;
    }
    QString url() const { return u"http://127.0.0.1:%1/api/health"_s.arg(m_port); }

    Gantry::ProcessResult ship(const QString &image, const QStringList &extra = {}) const
    {
        return runGantry(QStringList{u"ship"_s, image, u"--to"_s, m_server.destination(), u"-i"_s, m_server.clientKey(), u"--known-hosts"_s,
                                     m_server.knownHostsFile(), u"--remote-dir"_s, u"/srv/gantry-test/health-auto"_s, u"--restart"_s,
                                     u"--name"_s, m_container, u"-p"_s, u"%1:3000"_s.arg(m_port), u"--health"_s, url(),
                                     u"--health-timeout"_s, u"30"_s, u"--stop-timeout"_s, u"2"_s, u"--batch"_s}
                             + extra,
                         env(), 600000);
    }
    /// GET / on the server itself (bash's /dev/tcp: the server has no curl).
    QString servedOnTheServer() const
    {
        return m_server
            .run(u"bash -c 'exec 3<>/dev/tcp/127.0.0.1/%1 && printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3 && cat <&3'"_s.arg(m_port), 20000)
            .stdoutText();
    }
    bool reachableFromHere() const
    {
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, quint16(m_port));
        return socket.waitForConnected(1000);
    }
    static QByteArray webApp(const QString &version, int status)
    {
        QByteArray app = R"PERL(use IO::Socket::INET; $| = 1; $SIG{TERM} = sub { exit 0 };
my $s = IO::Socket::INET->new(LocalPort => 3000, Listen => 50, ReuseAddr => 1) or die "listen: $!";
print STDERR "health-auto app VERSION listening\n";
while (my $c = $s->accept) {
  my $req = <$c> // ''; while (my $l = <$c>) { last if $l =~ /^\r?\n$/ }
  my $body = '<html>VERSION</html>';
  print $c "HTTP/1.1 STATUS X\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n$body"; close $c;
}
)PERL";
        return app.replace("VERSION", version.toUtf8()).replace("STATUS", QByteArray::number(status));
    }
    bool build(const QString &tag, const QByteArray &app, const QString &extraLines = {})
    {
        const QString dir = m_work.filePath(u"ctx-"_s + tag.section(u':', 0, 0));
        QDir().mkpath(dir);
        QFile f(dir + u"/Dockerfile"_s), a(dir + u"/app.pl"_s);
        if (!f.open(QIODevice::WriteOnly) || !a.open(QIODevice::WriteOnly))
            return false;
        f.write((u"FROM debian:trixie\nCOPY app.pl /app.pl\n"_s + extraLines + u"CMD [\"perl\", \"/app.pl\"]\n"_s).toUtf8());
        a.write(app);
        f.close();
        a.close();
        const auto r = runDocker({u"build"_s, u"-q"_s, u"-t"_s, tag, dir}, 300000);
        if (!r.ok())
            qWarning() << r.stderrText();
        return r.ok();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_container = u"deploys2-auto-"_s + m_token;
        m_v1 = u"deploys2-auto-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"deploys2-auto-v2-%1:latest"_s.arg(m_token);
        m_fails500 = u"deploys2-auto-500-%1:latest"_s.arg(m_token);
        m_port = ShipFixtures::freePort();
        QVERIFY(build(m_v1, webApp(u"v1-"_s + m_token, 200)));
        // v2 has a HEALTHCHECK of its own (perl, as the server has no curl and the image neither).
        QVERIFY(build(m_v2, webApp(u"v2-"_s + m_token, 200),
                      u"HEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD [\"perl\", \"-MIO::Socket::INET\", \"-e\", "
                      "\"exit !IO::Socket::INET->new(q(127.0.0.1:3000))\"]\n"_s));
        QVERIFY(build(m_fails500, webApp(u"500-"_s + m_token, 500)));
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_v1, m_v2, m_fails500}); // the server goes with its container
    }

    void unreachableUrlIsCheckedOnTheServer()
    {
        const auto r = ship(m_v1);
        const QString text = r.stderrText() + u'\n' + r.stdoutText();
        QVERIFY2(r.ok(), qPrintable(text + m_server.log().right(1500)));
        // This machine really cannot reach the URL; the server serves v1 there.
        QVERIFY(!reachableFromHere());
        QVERIFY2(servedOnTheServer().contains(u"v1-"_s + m_token), qPrintable(servedOnTheServer()));
        const QString said = u"%1 cannot be reached from this machine ("_s.arg(url());
        QVERIFY2(text.contains(said) && text.contains(u"checking on the server instead."_s), qPrintable(text));
        // One line, said once (stdout repeats the switchover's lines as "remote:").
        QCOMPARE(r.stderrText().count(u"cannot be reached from this machine"_s), 1);
        QVERIFY2(r.stdoutText().contains(u"answered HTTP 200 (checked on the server)"_s), qPrintable(r.stdoutText()));
    }

    void theImagesHealthcheckDecidesOnTheServer()
    {
        const auto r = ship(m_v2);
        const QString text = r.stderrText() + u'\n' + r.stdoutText();
        QVERIFY2(r.ok(), qPrintable(text));
        QVERIFY2(r.stdoutText().contains(u"the image's HEALTHCHECK reports healthy (checked on the server)"_s), qPrintable(text));
        const auto ms = [&](const QString &pattern) {
            const auto m = QRegularExpression(pattern).match(r.stdoutText());
            return m.hasMatch() ? m.captured(1).toLongLong() : -1;
        };
        qInfo("switch v1 -> v2 on the second machine, checked there: stop->start %lld ms (server clock), stop->healthy %lld ms",
              ms(u"stop→start (\\d+) ms"_s), ms(u"stop→healthy (\\d+) ms"_s));
        QVERIFY2(servedOnTheServer().contains(u"v2-"_s + m_token), qPrintable(servedOnTheServer()));
    }

    void aBuildThatAnswers500OnTheServerRollsBack()
    {
        const auto r = ship(m_fails500, {u"--health-timeout"_s, u"6"_s});
        const QString text = r.stderrText() + u'\n' + r.stdoutText();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(text.contains(u"answered HTTP 500 (checked on the server)"_s), qPrintable(text));
        QVERIFY2(text.contains(u"the previous version is serving again"_s), qPrintable(text));
        QVERIFY2(servedOnTheServer().contains(u"v2-"_s + m_token), qPrintable(servedOnTheServer()));
        QVERIFY(!m_server.docker({u"container"_s, u"inspect"_s, m_container + u"-gantry-next"_s}).ok()); // nothing half-switched
    }

    void fromHereIsAnOverride()
    {
        // The explicit setting keeps the check here: the URL never answers here, so v1 is not let in.
        const auto r = ship(m_v1, {u"--health-from-here"_s, u"--health-timeout"_s, u"5"_s});
        const QString text = r.stderrText() + u'\n' + r.stdoutText();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(!text.contains(u"checking on the server instead"_s), qPrintable(text));
        QVERIFY2(text.contains(u"did not answer"_s), qPrintable(text));
        // The previous container is started again; checked from here too, it cannot be seen healthy.
        QVERIFY2(text.contains(u"the previous version was started again"_s), qPrintable(text));
        QVERIFY2(servedOnTheServer().contains(u"v2-"_s + m_token), qPrintable(servedOnTheServer()));
    }
};

QTEST_MAIN(TestDeployHealthAuto)
#include "tst_deploy_health_auto.moc"
