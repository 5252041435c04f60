// SPDX-License-Identifier: MIT
// The image identity is the config digest on every image store (issue 18). On the
// containerd store (Docker Desktop's default) `docker image inspect .Id` is the manifest's
// digest, not the config's: recorded as the identity, "Compare with previous build" found
// no earlier image that differed and compared the image with itself. Here a second, private
// dockerd with the containerd store (tests/support, ContainerdEngine) builds an image twice
// with Gantry's BuildRunner; the build history holds the engine's name for each; the Inspect page
// compares the second build with the first (not with itself).
#include "buildrun/buildhistory.h"
#include "buildrun/buildrunner.h"
#include "failuretext.h"
#include "pages/inspectpage.h"
#include "inspectparts.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;
using namespace GantryTest;

class TestImageIdentity : public QObject
{
    Q_OBJECT
    GantryTest::ContainerdEngine m_engine;
    QTemporaryDir m_work;
    const QString m_tag = u"macos-identity:latest"_s;

    /// The config digest, as the engine's own `docker save` names the config file.
    QString configDigestInEngine(const QString &image)
    {
        const QString archive = m_work.filePath(u"saved.tar"_s);
        QFile::remove(archive);
        if (!m_engine.docker({u"save"_s, u"-o"_s, archive, image}).ok())
            return {};
        const auto r = runProcess(u"tar"_s, {u"-xOf"_s, archive, u"manifest.json"_s});
        const QString config = QJsonDocument::fromJson(r.standardOutput).array().at(0).toObject().value(u"Config"_s).toString();
        return u"sha256:"_s + config.section(u'/', -1).remove(u".json"_s);
    }

    BuildResult build(const QByteArray &token)
    {
        QFile f(m_work.filePath(u"project/token.txt"_s));
        if (!f.open(QIODevice::WriteOnly) || f.write(token) != token.size())
            return {};
        f.close();
        BuildRequest request;
        request.contextDir = m_work.filePath(u"project"_s);
        request.tag = m_tag;
        request.projectRoot = request.contextDir;
        request.historyPath = m_work.filePath(u"history.sqlite"_s);
        request.environment.insert(u"DOCKER_HOST"_s, m_engine.socketUrl());
        BuildRunner runner;
        QSignalSpy finished(&runner, &BuildRunner::finished);
        runner.start(request);
        if (!finished.wait(300000))
            return {};
        return finished.constFirst().constFirst().value<BuildResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_engine.start(&error), qPrintable(error));
        QVERIFY(QDir().mkpath(m_work.filePath(u"project"_s)));
        QFile dockerfile(m_work.filePath(u"project/Dockerfile"_s));
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write("FROM scratch\nCOPY token.txt /token.txt\n");
    }

    void cleanupTestCase() { m_engine.stop(); }

    void comparingWithThePreviousBuildComparesTwoImages()
    {
        const BuildResult first = build("first build\n");
        QVERIFY2(first.succeeded(), qPrintable(first.failure.sentence()));
        const BuildResult second = build(QByteArray(4096, 'x'));
        QVERIFY2(second.succeeded(), qPrintable(second.failure.sentence()));

        // What the engine calls the image is recorded with each build; on this store it is
        // not the config digest (and buildx's reported config digest is not the one in
        // `docker save`'s archive either: measured here, so the engine's name is what matches).
        const QString engineId = m_engine.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_tag}).stdoutText().trimmed();
        const QString savedConfig = configDigestInEngine(m_tag);
        QCOMPARE(second.engineRef, engineId);
        QVERIFY2(engineId != savedConfig, "this engine's .Id is the config digest: not the containerd image store");
        QVERIFY(first.imageId != second.imageId && first.engineRef != second.engineRef);

        // The history holds both builds with the engine's name beside the digest; the build
        // before the current image (config digest as Inspect reads it, engine id) is the first.
        const auto read = BuildHistory::succeededBuilds(m_work.filePath(u"project"_s), m_work.filePath(u"history.sqlite"_s));
        QVERIFY2(read, qPrintable(GantryTest::failureText(read)));
        const QList<BuildRecord> &history = *read;
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).engineRef, first.engineRef);
        QCOMPARE(history.at(1).engineRef, second.engineRef);
        const auto previous = previousBuild(history, savedConfig, engineId);
        QVERIFY(previous);
        QCOMPARE(previous->engineRef, first.engineRef);

        // The Inspect page, as after the second build: Compare reads the first image (now
        // untagged) from the engine and shows what changed.
        qputenv("DOCKER_HOST", m_engine.socketUrl().toUtf8());
        qputenv("GANTRY_HISTORY_DB", m_work.filePath(u"history.sqlite"_s).toLocal8Bit());
        auto reset = qScopeGuard([] {
            qunsetenv("DOCKER_HOST");
            qunsetenv("GANTRY_HISTORY_DB");
        });
        InspectPage page;
        QSignalSpy analysed(&page, &InspectPage::analysisFinished);
        page.analyzeImage(m_tag, m_work.filePath(u"project"_s));
        QVERIFY(analysed.wait(120000));
        QCOMPARE(page.report().image.config.id, savedConfig);
        QCOMPARE(page.report().image.engineId, engineId);
        QTRY_VERIFY(compareButton(page)->isEnabled()); // once the history, read on a worker, is in
        QSignalSpy compared(&page, &InspectPage::comparisonFinished);
        compareButton(page)->click();
        QVERIFY(compared.wait(120000));
        // It asks for the FIRST build's image (not the image itself, as before). Retagging on
        // the containerd store deletes the old image (no dangling copy there), so the second
        // build first tagged it gantry-previous/…: the engine still holds it and the changed
        // file shows.
        const QString kept = m_engine.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, previousBuildTag(m_tag)})
                                 .stdoutText()
                                 .trimmed();
        QCOMPARE(kept, first.engineRef);
        const QString text = compareText(page)->toPlainText();
        QVERIFY2(text.contains(u"/token.txt"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"The engine has no image"_s), qPrintable(text));
        QVERIFY2(!text.contains(second.engineRef), qPrintable(text));
    }
};

QTEST_MAIN(TestImageIdentity)
#include "tst_image_identity.moc"
