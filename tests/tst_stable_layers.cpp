// SPDX-License-Identifier: MIT
// Stable layers: the Dockerfile Gantry writes keeps every layer but the changed side's byte
// for byte the same across rebuilds, so a redeploy sends only that layer.
//  - classic image store (the engine the tests use): the example is built for real, then
//    rebuilt after a one-line backend change, then after a frontend-only change;
//  - containerd image store (a private second dockerd): the same final stage, with the
//    `backend` and `frontend` stages given as named build contexts (folders holding what
//    those stages produce, taken from the real images) — that engine has no Rust or Node
//    base image and no registry to get one from.
#include "project/projectscanner.h"
#include "recipe/dockerfilewriter.h"
#include "recipe/recipedefaults.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace Gantry;
using namespace GantryTest;

namespace {

bool edit(const QString &file, const QString &from, const QString &to)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QString text = QString::fromUtf8(f.readAll());
    f.close();
    if (!text.contains(from))
        return false;
    text.replace(from, to);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) > 0;
}

/// Indexes where two layer lists differ (both must have the same length).
QList<int> changedLayers(const QStringList &a, const QStringList &b)
{
    QList<int> out;
    for (int i = 0; i < qMin(a.size(), b.size()); ++i)
        if (a.at(i) != b.at(i))
            out << i;
    return out;
}

QString show(const QStringList &a, const QStringList &b)
{
    QString s;
    for (int i = 0; i < qMax(a.size(), b.size()); ++i)
        s += u"\n  %1: %2 → %3"_s.arg(i).arg(a.value(i).mid(7, 12), b.value(i).mid(7, 12));
    return s;
}

} // namespace

class TestStableLayers : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp{QDir::tempPath() + u"/gantry-test-stable-XXXXXX"_s};
    QString m_repo, m_token;
    QStringList m_tags;
    QList<QStringList> m_layers; // v1, backend edit, frontend edit (classic store)

    bool build(const QString &tag, QString *error)
    {
        const auto r = runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, u"linux/amd64"_s, u"-t"_s, tag, u"-f"_s,
                                  m_repo + u"/Dockerfile"_s, m_repo},
                                 30 * 60 * 1000);
        *error = r.stderrText().right(3000);
        m_tags << tag;
        return r.ok();
    }

    /// Copies path out of image into dest (a file or folder), as `docker cp` does.
    bool copyOut(const QString &image, const QString &path, const QString &dest)
    {
        const QString name = u"gantry-test-stable-cp-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(10));
        if (!runDocker({u"create"_s, u"--name"_s, name, image}).ok())
            return false;
        QDir().mkpath(QFileInfo(dest).absolutePath());
        const bool ok = runDocker({u"cp"_s, name + u':' + path, dest}).ok();
        runDocker({u"rm"_s, u"-f"_s, name});
        return ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const QString &image : {u"gantry/rust:debian"_s, u"gantry/node:20"_s})
            if (!runDocker({u"image"_s, u"inspect"_s, image}).ok())
                QSKIP("the local base images are missing (scripts/setup makes them)");
        QVERIFY(m_tmp.isValid());
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_repo = m_tmp.filePath(u"hello-stack"_s);
        QVERIFY(copyTree(sourceDir() + u"/examples/hello-stack"_s, m_repo));
        for (const QString &generated : {u"backend/target"_s, u"frontend/node_modules"_s, u"frontend/dist"_s})
            QDir(m_repo + u'/' + generated).removeRecursively();
        // A frontend unique to this run, so that its layers are not shared with other tests.
        QVERIFY(edit(m_repo + u"/frontend/src/index.html"_s, u"<h1>Hello Stack</h1>"_s, u"<h1>Hello Stack</h1><!-- "_s + m_token + u" -->"_s));
        QString error;
        const auto facts = ProjectScanner::scanRepository(m_repo);
        if (!facts)
            error = facts.failure().sentence();
        QVERIFY2(facts, qPrintable(error));
        BuildRecipe recipe = recipeFromFacts(*facts);
        recipe.toolchain = BuildRecipe::Toolchain::Debian;
        recipe.strategy = BuildRecipe::Strategy::CrossCompile;
        recipe.platforms = {u"linux/amd64"_s};
        recipe.baseImages = {{u"rust"_s, u"gantry/rust:debian"_s}, {u"node"_s, u"gantry/node:20"_s}};
        if (const Status written = writeRecipeFiles(planRecipeFiles(recipe, m_repo), false); !written)
            QFAIL(qPrintable(written.failure().sentence()));
    }

    void cleanupTestCase()
    {
        for (const QString &tag : std::as_const(m_tags))
            runDocker({u"rmi"_s, u"-f"_s, tag});
    }

    void classicStoreKeepsTheOtherSidesLayers()
    {
        QString error;
        const QString base = u"gantry-test-stable-%1:"_s.arg(m_token);
        QVERIFY2(build(base + u"v1"_s, &error), qPrintable(error));
        m_layers << ShipFixtures::layerDiffIds(base + u"v1"_s);
        QVERIFY(m_layers.last().size() >= 2); // (CA bundle,) frontend, binary

        QVERIFY(edit(m_repo + u"/backend/src/main.rs"_s, u"version: env!(\"CARGO_PKG_VERSION\"),"_s, u"version: \"gantry-test-v2\","_s));
        QVERIFY2(build(base + u"backend"_s, &error), qPrintable(error));
        m_layers << ShipFixtures::layerDiffIds(base + u"backend"_s);
        QCOMPARE(m_layers.at(1).size(), m_layers.at(0).size());
        const QList<int> backendChange = changedLayers(m_layers.at(0), m_layers.at(1));
        QVERIFY2(backendChange == QList<int>{int(m_layers.at(0).size()) - 1}, qPrintable(u"backend edit:"_s + show(m_layers.at(0), m_layers.at(1))));

        QThread::sleep(1); // a different second for every time the build could stamp
        QVERIFY(edit(m_repo + u"/frontend/src/index.html"_s, m_token, m_token + u"-v3"_s));
        QVERIFY2(build(base + u"frontend"_s, &error), qPrintable(error));
        m_layers << ShipFixtures::layerDiffIds(base + u"frontend"_s);
        QCOMPARE(m_layers.at(2).size(), m_layers.at(1).size());
        const QList<int> frontendChange = changedLayers(m_layers.at(1), m_layers.at(2));
        QVERIFY2(frontendChange == QList<int>{int(m_layers.at(1).size()) - 2}, qPrintable(u"frontend edit:"_s + show(m_layers.at(1), m_layers.at(2))));

        // What changed is what was edited: the frontend's layer holds the new index.html.
        const QString html = m_tmp.filePath(u"index.html"_s);
        QVERIFY(copyOut(base + u"frontend"_s, u"/app/public/index.html"_s, html));
        QVERIFY(readAll(html).contains((m_token + u"-v3"_s).toUtf8()));
    }

    void containerdStoreKeepsTheOtherSidesLayers()
    {
        if (m_layers.size() < 3)
            QSKIP("needs the classic-store builds");
        ContainerdEngine engine;
        QString error;
        QVERIFY2(engine.start(&error), qPrintable(error));
        // What the backend and frontend stages produce, from the real images built above.
        const QString base = u"gantry-test-stable-%1:"_s.arg(m_token);
        const QString ctx = m_tmp.filePath(u"contexts"_s);
        const auto stage = [&](const QString &side, const QString &image) { return ctx + u'/' + side + u'-' + image; };
        for (const QString &image : {u"v1"_s, u"backend"_s, u"frontend"_s}) {
            QVERIFY(copyOut(base + image, u"/app/hello-backend"_s, stage(u"backend"_s, image) + u"/out/hello-backend"_s));
            QVERIFY(copyOut(base + image, u"/etc/ssl/certs/ca-certificates.crt"_s, stage(u"backend"_s, image) + u"/etc/ssl/certs/ca-certificates.crt"_s));
            QVERIFY(copyOut(base + image, u"/app/public"_s, stage(u"frontend"_s, image) + u"/src/frontend/dist"_s));
        }
        // Each side's folder is made once and reused untouched while that side does not change.
        const QStringList builds[] = {{u"v1"_s, u"v1"_s}, {u"backend"_s, u"v1"_s}, {u"backend"_s, u"frontend"_s}};
        QList<QStringList> layers;
        for (const QStringList &b : builds) {
            const QString tag = u"gantry-test-stable-ctrd-%1:%2"_s.arg(m_token).arg(layers.size());
            const auto r = engine.docker({u"buildx"_s, u"build"_s, u"--load"_s, u"-t"_s, tag, u"--build-context"_s,
                                          u"backend="_s + stage(u"backend"_s, b.at(0)), u"--build-context"_s,
                                          u"frontend="_s + stage(u"frontend"_s, b.at(1)), u"-f"_s, m_repo + u"/Dockerfile"_s, m_repo});
            QVERIFY2(r.ok(), qPrintable(r.stderrText().right(3000) + u"\ndockerd:\n"_s + engine.log().right(2000)));
            const auto ids = engine.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, tag});
            layers << ids.stdoutText().split(u' ', Qt::SkipEmptyParts);
            QCOMPARE(layers.last().size(), m_layers.at(0).size());
            QThread::sleep(1);
        }
        const int top = int(layers.at(0).size()) - 1;
        QVERIFY2(changedLayers(layers.at(0), layers.at(1)) == QList<int>{top}, qPrintable(u"backend edit:"_s + show(layers.at(0), layers.at(1))));
        QVERIFY2(changedLayers(layers.at(1), layers.at(2)) == QList<int>{top - 1}, qPrintable(u"frontend edit:"_s + show(layers.at(1), layers.at(2))));
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestStableLayers)
#include "tst_stable_layers.moc"
