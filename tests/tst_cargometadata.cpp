// SPDX-License-Identifier: MIT
// Gantry's own reader of Cargo.toml held against cargo itself: for every project of the
// corpus (tests/data/projects) and the workspace fixtures, `cargo metadata --no-deps
// --offline` runs in the Debian rust image (gantry/rust:debian, made by scripts/setup) on the
// fixture mounted read-only, and both readings must describe the same workspace: members,
// targets (kind, name, path, required-features), default-run, build scripts (not default
// members) and every dependency's source (registry, path, git).
#include "failuretext.h"
#include "project/cargoworkspace.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QString dataDir()
{
    return QStringLiteral(GANTRY_TEST_DATA_DIR);
}

/// One line per fact, sorted, with paths relative to the fixture: two readings of the same
/// workspace give the same text.
QString describe(const CargoWorkspace &ws, const QString &fixtureRoot)
{
    const QDir root(fixtureRoot);
    auto rel = [&root](const QString &p) {
        const QString r = root.relativeFilePath(p);
        return r.isEmpty() ? u"."_s : r;
    };
    // Default members are not compared: cargo metadata reports the package it ran in, so
    // both readers take them from the root manifest.
    QStringList lines{u"root "_s + rel(ws.root)};
    for (const CargoPackage &p : ws.members) {
        const QString m = u"member "_s + rel(p.dir) + u' ' + p.name;
        lines << m + u" edition "_s + (p.edition.isEmpty() ? u"2015"_s : p.edition)
              << m + u" default-run "_s + p.defaultRun << m + u" build-script "_s + (p.hasBuildScript ? u"yes"_s : u"no"_s);
        for (const CargoTarget &t : p.targets) {
            QStringList req = t.requiredFeatures;
            req.sort();
            lines << m + u" target "_s + t.kind + u' ' + t.name + u' ' + QDir::cleanPath(t.path) + u" ["_s + req.join(u',') + u']';
        }
        for (const CargoDependency &d : p.dependencies) {
            const QString source = d.source == CargoDependency::Source::Path ? u"path "_s + rel(d.path)
                                   : d.source == CargoDependency::Source::Git ? u"git"_s
                                                                              : u"registry"_s;
            lines << m + u" dep "_s + d.name + u' ' + source + (d.dev ? u" dev"_s : QString());
        }
    }
    lines.removeDuplicates();
    lines.sort();
    return lines.join(u'\n');
}

QString firstDifference(const QString &a, const QString &b)
{
    const QStringList x = a.split(u'\n'), y = b.split(u'\n');
    QStringList out;
    for (const QString &l : x)
        if (!y.contains(l))
            out << u"only Gantry: "_s + l;
    for (const QString &l : y)
        if (!x.contains(l))
            out << u"only cargo: "_s + l;
    return out.mid(0, 12).join(u"\n"_s);
}

} // namespace

class TestCargoMetadata : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const auto r = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry/rust:debian"_s});
        QVERIFY2(r.ok(), "gantry/rust:debian is missing: run scripts/setup, which builds it");
    }

    void sameAsCargo_data()
    {
        QTest::addColumn<QString>("fixture");   // mounted as /p
        QTest::addColumn<QString>("workspace"); // the folder whose Cargo.toml is read, relative to it
        QFile f(dataDir() + u"/projects/expected.json"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll()).object().value(u"projects"_s).toArray()) {
            const QJsonObject p = v.toObject();
            QTest::newRow(qPrintable(p.value(u"name"_s).toString()))
                << dataDir() + u"/projects/"_s + p.value(u"name"_s).toString() << p.value(u"backend"_s).toString();
        }
        QTest::newRow("workspace-openssl") << dataDir() + u"/project/workspace-openssl"_s << u"crates/api"_s;
        QTest::newRow("sqlx-lettre") << dataDir() + u"/project/sqlx-lettre"_s << u"server"_s;
        QTest::newRow("hello-stack") << GantryTest::sourceDir() + u"/examples/hello-stack"_s << u"backend"_s;
    }

    void sameAsCargo()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, workspace);
        // Read from a member folder, as the wizard does when the user picks it: both find the workspace above.
        const auto r = GantryTest::runDocker({u"run"_s, u"--rm"_s, u"--network"_s, u"none"_s, u"-v"_s,
                                              fixture + u":/p:ro"_s, u"gantry/rust:debian"_s, u"cargo"_s, u"metadata"_s,
                                              u"--no-deps"_s, u"--offline"_s, u"--format-version"_s, u"1"_s,
                                              u"--manifest-path"_s, u"/p/"_s + workspace + u"/Cargo.toml"_s},
                                             180000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const auto fromCargo = Cargo::fromMetadata(r.standardOutput);
        QVERIFY2(fromCargo, qPrintable(GantryTest::failureText(fromCargo)));
        const auto mine = Cargo::readWorkspace(fixture + u'/' + workspace, fixture);
        QVERIFY2(mine, qPrintable(GantryTest::failureText(mine)));
        const QString cargoText = describe(*fromCargo, u"/p"_s);
        const QString mineText = describe(*mine, fixture);
        QVERIFY2(cargoText.count(u'\n') > 2, qPrintable(cargoText));
        QVERIFY2(mineText == cargoText, qPrintable(firstDifference(mineText, cargoText)));
    }
};

QTEST_GUILESS_MAIN(TestCargoMetadata)
#include "tst_cargometadata.moc"
