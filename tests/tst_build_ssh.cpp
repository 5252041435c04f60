// SPDX-License-Identifier: MIT
// Building on a docker context over ssh:// (the server builds natively): a second machine
// (tests/support/servermachine.h: its own dockerd and sshd, reached only on 127.0.0.1), a
// context `gantry-test-build2-ssh` pointing at it, and the example built with the recipe's
// builder = that context, through the core BuildRunner and through `gantry build`. The
// images are then on the server's engine and not on the client's, and they run there and
// answer /api/health.
//
// docker's ssh connection helper runs the system `ssh ... docker system dial-stdio`.
// OpenSSH reads ~/.ssh/config from the passwd home, not $HOME, so the test's HOME gets an
// ~/.ssh/config (key, known_hosts, StrictHostKeyChecking yes) and a PATH whose `ssh` is the
// system one told to read it (-F): nothing of the real user's ~/.ssh or ~/.docker is touched.
#include "buildrun/builders.h"
#include "buildrun/buildhistory.h"
#include "buildrun/buildrunner.h"
#include "buildrun/recipebuild.h"
#include "failuretext.h"
#include "recipe/buildrecipe.h"
#include "servermachine.h"

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

const QString contextName = u"gantry-test-build2-ssh"_s;

QString exampleDir() { return GantryTest::sourceDir() + u"/examples/hello-stack"_s; }
QString exampleDockerfile() { return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/hello-stack.Dockerfile"_s; }

} // namespace

class TestBuildSsh : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    GantryTest::ServerMachine m_ssh{GantryTest::ServerMachine::Options{.ports = {3000}}};
    QProcessEnvironment m_env;
    QString m_project;

    QString home() const { return m_tmp.filePath(u"home"_s); }
    ProcessResult docker(const QStringList &args, int timeoutMs = 120000) const
    {
        return runProcess(GantryTest::dockerExecutable(), args, m_env, timeoutMs);
    }
    /// The image is on the server's engine and not on the client's: the build ran there.
    bool builtOnTheServerOnly(const QString &image) const
    {
        return m_ssh.hasImage(image) && !GantryTest::runDocker({u"image"_s, u"inspect"_s, image}).ok();
    }
    /// Runs the image on the context's engine (the server); true when /api/health answers 200
    /// through the server's published port.
    bool runsAndAnswers(const QString &image, const QString &name)
    {
        docker({u"--context"_s, contextName, u"rm"_s, u"-f"_s, name});
        const ProcessResult run = docker({u"--context"_s, contextName, u"run"_s, u"-d"_s, u"--name"_s, name, u"-p"_s,
                                          u"3000:3000"_s, image});
        if (!run.ok()) {
            qWarning() << "docker run:" << run.stderrText();
            return false;
        }
        const int port = m_ssh.publishedPort(3000);
        const int status = port > 0 ? GantryTest::httpGetWhenUp(u"http://127.0.0.1:%1/api/health"_s.arg(port), 30000).status : 0;
        docker({u"--context"_s, contextName, u"rm"_s, u"-f"_s, name});
        return status == 200;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        if (!GantryTest::runDocker({u"buildx"_s, u"version"_s}).ok())
            QSKIP("docker buildx is not available here");
        QString error;
        QVERIFY2(m_ssh.start(), qPrintable(m_ssh.startFailure()));
        // No registry here: the server gets the recipe's base images from the client, once.
        for (const QString &base : {u"gantry/node:20"_s, u"gantry/rust:debian"_s}) {
            const Status copied = m_ssh.copyImageFromClient(base);
            QVERIFY2(copied.ok(), qPrintable(GantryTest::failureText(copied)));
        }

        // HOME with ~/.ssh/config for the test server, and `ssh` that reads it.
        QVERIFY(QDir().mkpath(home() + u"/.ssh"_s));
        QVERIFY(QDir().mkpath(m_tmp.filePath(u"bin"_s)));
        {
            QFile config(home() + u"/.ssh/config"_s);
            QVERIFY(config.open(QIODevice::WriteOnly));
            config.write(u"Host 127.0.0.1\n  User root\n  Port %1\n  IdentityFile %2\n  IdentitiesOnly yes\n"
                         "  UserKnownHostsFile %3\n  StrictHostKeyChecking yes\n  BatchMode yes\n"_s
                             .arg(m_ssh.port())
                             .arg(m_ssh.clientKey(), m_ssh.knownHostsFile())
                             .toUtf8());
        }
        {
            QFile ssh(m_tmp.filePath(u"bin/ssh"_s));
            QVERIFY(ssh.open(QIODevice::WriteOnly));
            ssh.write("#!/bin/sh\nexec /usr/bin/ssh -F \"$HOME/.ssh/config\" \"$@\"\n");
            ssh.close();
            QVERIFY(ssh.setPermissions(ssh.permissions() | QFileDevice::ExeOwner));
        }
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"HOME"_s, home());
        m_env.insert(u"PATH"_s, m_tmp.filePath(u"bin"_s) + u':' + m_env.value(u"PATH"_s));
        m_env.insert(u"GANTRY_HISTORY_DB"_s, m_tmp.filePath(u"history.sqlite"_s));
        m_env.remove(u"DOCKER_CONTEXT"_s);
        m_env.remove(u"DOCKER_HOST"_s);

        docker({u"context"_s, u"rm"_s, u"-f"_s, contextName});
        const ProcessResult create = docker({u"context"_s, u"create"_s, contextName, u"--docker"_s,
                                             u"host=ssh://root@127.0.0.1:%1"_s.arg(m_ssh.port())});
        QVERIFY2(create.ok(), qPrintable(create.stderrText()));
        // The context reaches the engine over ssh.
        const ProcessResult version = docker({u"--context"_s, contextName, u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s}, 60000);
        QVERIFY2(version.ok(), qPrintable(version.stderrText() + m_ssh.log()));
        // ... and it is the server's engine, not the client's.
        const ProcessResult id = docker({u"--context"_s, contextName, u"info"_s, u"--format"_s, u"{{.ID}}"_s}, 60000);
        QCOMPARE(id.stdoutText(), m_ssh.docker({u"info"_s, u"--format"_s, u"{{.ID}}"_s}).stdoutText());
        QVERIFY(id.stdoutText() != GantryTest::runDocker({u"info"_s, u"--format"_s, u"{{.ID}}"_s}).stdoutText());

        // The project: the example with a recipe whose builder is the context.
        m_project = m_tmp.filePath(u"project"_s);
        QVERIFY(QDir().mkpath(m_project));
        QVERIFY(GantryTest::copyTree(exampleDir(), m_project));
        QVERIFY(QFile::copy(exampleDockerfile(), m_project + u"/Dockerfile"_s));
        BuildRecipe recipe;
        recipe.backendDir = u"backend"_s;
        recipe.frontendDir = u"frontend"_s;
        recipe.binary = u"hello-backend"_s;
        recipe.platforms = {u"linux/amd64"_s};
        recipe.imageTag = u"gantry-test-build2-ssh:core"_s;
        recipe.builder = contextName;
        if (const Status saved = recipe.save(m_project); !saved)
            QFAIL(qPrintable(saved.failure().sentence()));
    }

    void cleanupTestCase()
    {
        if (m_env.isEmpty())
            return;
        // The images and containers went with the server; the client's engine never had them.
        docker({u"context"_s, u"rm"_s, u"-f"_s, contextName});
        QVERIFY(!docker({u"context"_s, u"inspect"_s, contextName}).ok());
    }

    void listedWithItsEndpoint()
    {
        const BuilderList list = listBuilders(GantryTest::dockerExecutable(), m_env);
        QVERIFY2(!list.failure, qPrintable(list.failure ? list.failure->sentence() : QString()));
        const auto it = std::find_if(list.choices.cbegin(), list.choices.cend(), [](const BuilderChoice &c) {
            return c.kind == BuilderChoice::Kind::Context && c.name == contextName;
        });
        QVERIFY(it != list.choices.cend());
        QCOMPARE(it->endpoint, u"ssh://root@127.0.0.1:%1"_s.arg(m_ssh.port()));
        QVERIFY(it->isRemote());
        QCOMPARE(it->label(), u"%1 (docker context, ssh://root@127.0.0.1:%2)"_s.arg(contextName).arg(m_ssh.port()));
        // buildx also shows the context as a docker-driver builder of the same name: listed once.
        QCOMPARE(std::count_if(list.choices.cbegin(), list.choices.cend(), [](const BuilderChoice &c) { return c.name == contextName; }), std::ptrdiff_t(1));
    }

    void coreRunnerBuildsOnTheContext()
    {
        m_ssh.docker({u"rmi"_s, u"-f"_s, u"gantry-test-build2-ssh:core"_s});
        const ProjectBuildPlan plan = planProjectBuild(m_project);
        QVERIFY2(plan.isBuildable(), qPrintable(plan.failure ? plan.failure->sentence() : QString()));
        QCOMPARE(plan.builder, contextName);
        BuildRequest request = plan.request();
        request.environment = m_env;
        request.docker = GantryTest::dockerExecutable();
        request.historyPath = m_tmp.filePath(u"history.sqlite"_s);
        const qsizetype sessionsBefore = m_ssh.sshdLog().count(u"Accepted publickey"_s);
        BuildRunner runner;
        QSignalSpy finished(&runner, &BuildRunner::finished);
        runner.start(request);
        QVERIFY(finished.wait(900000));
        const BuildResult r = finished.constFirst().constFirst().value<BuildResult>();
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence() + u'\n' + r.failure.details));
        // buildx 0.13 refuses `--builder CONTEXT`: the runner ran `docker --context NAME buildx build`.
        QCOMPARE(r.dockerContext, contextName);
        QVERIFY(r.builder.isEmpty());
        QVERIFY(r.imageId.startsWith(u"sha256:"_s));
        QVERIFY(r.imageSize > 100000);
        // It went through the ssh server (docker system dial-stdio on the other side).
        QVERIFY2(m_ssh.sshdLog().count(u"Accepted publickey"_s) > sessionsBefore, qPrintable(m_ssh.log()));
        // The server's engine built it: the image is there, and not on the client's engine.
        QVERIFY(builtOnTheServerOnly(u"gantry-test-build2-ssh:core"_s));
        // The image is on the context's engine, as built, and serves the app.
        const ProcessResult inspect = docker({u"--context"_s, contextName, u"image"_s, u"inspect"_s, u"--format"_s,
                                              u"{{.Id}} {{.Architecture}}"_s, u"gantry-test-build2-ssh:core"_s});
        QCOMPARE(inspect.stdoutText(), r.imageId + u" amd64"_s);
        QVERIFY(runsAndAnswers(u"gantry-test-build2-ssh:core"_s, u"gantry-test-build2-ssh-core"_s));
    }

    void gantryBuildOnTheContext()
    {
        m_ssh.docker({u"rmi"_s, u"-f"_s, u"gantry-test-build2-ssh:cli"_s});
        const qsizetype sessionsBefore = m_ssh.sshdLog().count(u"Accepted publickey"_s);
        const ProcessResult r = GantryTest::runGantry({u"build"_s, m_project, u"--tag"_s, u"gantry-test-build2-ssh:cli"_s}, m_env, 900000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + r.stdoutText()));
        const QString out = r.stdoutText();
        // It says where it builds: the context and its ssh:// endpoint.
        QVERIFY2(out.contains(u"On docker context %1 (ssh://root@127.0.0.1:%2)"_s.arg(contextName).arg(m_ssh.port())), qPrintable(out));
        QVERIFY(out.contains(u"Built gantry-test-build2-ssh:cli in "_s));
        QVERIFY(m_ssh.sshdLog().count(u"Accepted publickey"_s) > sessionsBefore);
        QVERIFY(builtOnTheServerOnly(u"gantry-test-build2-ssh:cli"_s));
        QVERIFY(runsAndAnswers(u"gantry-test-build2-ssh:cli"_s, u"gantry-test-build2-ssh-cli"_s));
        // --builder with the context's name does the same (`--builder CONTEXT` itself fails on buildx 0.13).
        const ProcessResult again = GantryTest::runGantry({u"build"_s, m_project, u"--builder"_s, contextName, u"--tag"_s,
                                                           u"gantry-test-build2-ssh:cli"_s}, m_env, 900000);
        QVERIFY2(again.ok(), qPrintable(again.stderrText()));
        QVERIFY(again.stdoutText().contains(u"On docker context %1"_s.arg(contextName)));
        // And it lists the context with its endpoint.
        const ProcessResult list = GantryTest::runGantry({u"build"_s, u"--list-builders"_s}, m_env);
        QVERIFY2(list.ok(), qPrintable(list.stderrText()));
        QVERIFY(list.stdoutText().contains(u"ssh://root@127.0.0.1:%1"_s.arg(m_ssh.port())));
    }
};

QTEST_GUILESS_MAIN(TestBuildSsh)
#include "tst_build_ssh.moc"
