// SPDX-License-Identifier: MIT
// The bad-input corpus: one row per bad input, grouped by entry point (folders, manifests,
// recipes, archives, builds, transfers). Each row asserts the exact ErrorClass, that the
// one-sentence message names the cause, that it ended within its bound, and that no file
// appeared (or changed) under a final name. Every message is printed (qInfo) so the log
// shows all of them. How to add a case: tests/data/badinput/README.md.
#include "failuretext.h"
#include "sshserver.h"
#include "testsupport.h"

#include "buildrun/buildrunner.h"
#include "image/imagearchive.h"
#include "project/projectscanner.h"
#include "recipe/buildrecipe.h"
#include "ship/shipper.h"
#include "util/errorclass.h"

#include <KCompressionDevice>
#include <KTar>

#include <QBuffer>
#include <QCoreApplication>
#include <QFuture>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QtConcurrent>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <functional>
#include <memory>

#include <grp.h>
#include <unistd.h>

#include <vector>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

/// Makes a row's input inside DIR; returns what the entry point is given (a folder or a file).
using Make = std::function<QString(const QString &dir)>;

// ---------------------------------------------------------------- helpers

void write(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
}

void link(const QString &target, const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!QFile::link(target, path))
        qFatal("cannot link %s", qPrintable(path));
}

/// Every file and link under dir with its size and content hash: what "nothing was written" compares.
QStringList snapshot(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo fi = it.fileInfo();
        QString line = QDir(dir).relativeFilePath(fi.filePath());
        if (fi.isSymLink())
            line += u" -> "_s + fi.symLinkTarget();
        else if (fi.isFile())
            line += u' ' + QString::number(fi.size()) + u' ' + GantryTest::sha256Of(fi.filePath());
        out << line;
    }
    out.sort();
    return out;
}

/// Runs the entry point as another (unprivileged) user while alive: the tests run as root,
/// which reads everything, so "permission denied" needs a real unprivileged user.
class AsNobody
{
public:
    AsNobody()
    {
        if (geteuid() != 0)
            return; // already unprivileged: the permissions apply as they are
        m_groups.resize(getgroups(0, nullptr));
        getgroups(int(m_groups.size()), m_groups.data());
        const gid_t nogroup = 65534;
        m_switched = setgroups(1, &nogroup) == 0 && setresgid(65534, 65534, 0) == 0 && setresuid(65534, 65534, 0) == 0;
        if (!m_switched)
            qFatal("cannot switch to the user nobody");
    }
    ~AsNobody()
    {
        if (m_switched) {
            if (setresuid(0, 0, 0) != 0 || setresgid(0, 0, 0) != 0
                || setgroups(m_groups.size(), m_groups.data()) != 0)
                qFatal("cannot become root again");
        }
    }

private:
    bool m_switched = false;
    std::vector<gid_t> m_groups;
};

const QByteArray goodCargo = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n";
const QByteArray goodMain = "fn main() {}\n";
const QByteArray goodPackage = "{\"name\": \"web\", \"scripts\": {\"build\": \"vite build\"}, \"devDependencies\": {\"vite\": \"5\"}}\n";

/// A small valid project: backend/ (Rust) and frontend/ (vite).
void project(const QString &root)
{
    write(root + u"/backend/Cargo.toml"_s, goodCargo);
    write(root + u"/backend/src/main.rs"_s, goodMain);
    write(root + u"/frontend/package.json"_s, goodPackage);
}

const QByteArray goodRecipe = "[project]\nbackend = \"backend\"\nbinary = \"app\"\n\n[target]\nplatforms = [\"linux/amd64\"]\n";

// ---------------------------------------------------------------- archives

struct Entry
{
    enum Type { File, Dir, Symlink } type = File;
    QString name;
    QByteArray data;
    QString target;
};

QByteArray tarOf(const QList<Entry> &entries)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    KTar tar(&buffer);
    if (!tar.open(QIODevice::WriteOnly))
        qFatal("cannot write a tar");
    for (const Entry &e : entries) {
        if (e.type == Entry::File)
            tar.writeFile(e.name, e.data, 0100644, u"root"_s, u"root"_s);
        else if (e.type == Entry::Dir)
            tar.writeDir(e.name, u"root"_s, u"root"_s, 040755);
        else
            tar.writeSymLink(e.name, e.target, u"root"_s, u"root"_s, 0120777);
    }
    tar.close();
    return out;
}

QByteArray gzipOf(const QByteArray &data)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    KCompressionDevice gz(&buffer, false, KCompressionDevice::GZip);
    if (!gz.open(QIODevice::WriteOnly))
        qFatal("cannot gzip");
    gz.write(data);
    gz.close();
    return out;
}

/// A gzip'd layer holding one file of `size` zero bytes, written in pieces (no big buffer).
QByteArray gzipZerosLayer(qint64 size)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    KCompressionDevice gz(&buffer, false, KCompressionDevice::GZip);
    if (!gz.open(QIODevice::WriteOnly))
        qFatal("cannot gzip");
    KTar tar(&gz);
    if (!tar.open(QIODevice::WriteOnly))
        qFatal("cannot write a tar");
    tar.prepareWriting(u"zeros.bin"_s, u"root"_s, u"root"_s, size, 0100644);
    const QByteArray chunk(1 << 20, '\0');
    for (qint64 left = size; left > 0; left -= chunk.size())
        tar.writeData(chunk.constData(), std::min<qint64>(left, chunk.size()));
    tar.finishWriting(size);
    tar.close();
    gz.close();
    return out;
}

QString hexOf(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

/// A docker-save archive, written with KArchive; the knobs break one thing each.
struct ImageSpec
{
    QList<QByteArray> layers{tarOf({{Entry::File, u"app/server"_s, "binary", {}}})};
    bool writeConfig = true;
    bool writeLayers = true;
    bool tamperConfig = false;               ///< the config's content no longer matches its name
    QByteArray manifestOverride;             ///< instead of the real manifest.json
    QList<Entry> extraOuter;                 ///< more entries in the outer tar
    QString manifestLinkTarget;              ///< manifest.json as a symlink to this
    QString layerLinkTarget;                 ///< the layer blob as a symlink to this
};

QString writeImage(const QString &path, const ImageSpec &s)
{
    QList<Entry> outer;
    QJsonArray diffIds, layerPaths;
    for (const QByteArray &layer : s.layers) {
        const QString blob = u"blobs/sha256/"_s + hexOf(layer);
        layerPaths.append(blob);
        diffIds.append(QString(u"sha256:"_s + hexOf(layer)));
        if (!s.layerLinkTarget.isEmpty())
            outer.append({Entry::Symlink, blob, {}, s.layerLinkTarget});
        else if (s.writeLayers)
            outer.append({Entry::File, blob, layer, {}});
    }
    const QJsonObject config{{u"architecture"_s, u"amd64"_s},
                             {u"os"_s, u"linux"_s},
                             {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, diffIds}}},
                             {u"history"_s, QJsonArray{QJsonObject{{u"created_by"_s, u"COPY server /app/server"_s}}}}};
    QByteArray configData = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const QString configBlob = u"blobs/sha256/"_s + hexOf(configData);
    if (s.tamperConfig)
        configData.replace("amd64", "arm64");
    if (s.writeConfig)
        outer.append({Entry::File, configBlob, configData, {}});
    const QJsonArray manifest{QJsonObject{{u"Config"_s, configBlob},
                                          {u"RepoTags"_s, QJsonArray{u"gantry-test-badinput:latest"_s}},
                                          {u"Layers"_s, layerPaths}}};
    if (!s.manifestLinkTarget.isEmpty())
        outer.append({Entry::Symlink, u"manifest.json"_s, {}, s.manifestLinkTarget});
    else
        outer.append({Entry::File, u"manifest.json"_s,
                      s.manifestOverride.isNull() ? QJsonDocument(manifest).toJson(QJsonDocument::Compact) : s.manifestOverride, {}});
    outer.append(s.extraOuter);
    write(path, tarOf(outer));
    return path;
}

/// The row's checks, the same for every entry point.
void expectOutcome(ErrorClass got, const QString &message, ErrorClass expected, const QString &phrase)
{
    qInfo("[%s] %s", qPrintable(toString(got)), qPrintable(message.isEmpty() ? u"(no error)"_s : message));
    QCOMPARE(toString(got), toString(expected));
    if (expected == ErrorClass::None)
        return;
    QVERIFY2(!message.isEmpty(), "a failure must say what happened");
    QVERIFY2(message.contains(phrase), qPrintable(u"the message must name \"%1\": %2"_s.arg(phrase, message)));
    QVERIFY2(!message.contains(u'\n'), "one sentence, one line");
    QVERIFY2(message.endsWith(u'.') || message.endsWith(u')'), qPrintable(message));
}

} // namespace

Q_DECLARE_METATYPE(Make)
Q_DECLARE_METATYPE(Gantry::ErrorClass)

class TestBadInput : public QObject
{
    Q_OBJECT

    static constexpr int FastBoundMs = 30000; ///< a hang guard for the engine-free rows, not a speed test

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Make>();
        qRegisterMetaType<ErrorClass>();
    }

    void cleanupTestCase()
    {
        for (const QString &mount : std::as_const(m_mounts))
            Gantry::runProcess(u"umount"_s, {u"-l"_s, mount});
        if (m_imageBuilt)
            GantryTest::runDocker({u"image"_s, u"rm"_s, u"-f"_s, shipImageRef()});
    }

    // ------------------------------------------------------------ folders and manifests
    // The entry point: ProjectScanner::scanRepository (the Configure wizard, `gantry init`).
    // The make function returns "ROOT" or "ROOT|BACKEND|FRONTEND" (folders chosen by hand).

    void projects_data()
    {
        QTest::addColumn<Make>("make");
        QTest::addColumn<ErrorClass>("expected");
        QTest::addColumn<QString>("phrase");
        QTest::addColumn<bool>("unprivileged");

        // Folders
        QTest::newRow("folder: does not exist") << Make([](const QString &d) { return d + u"/no-such-project"_s; })
                                                << ErrorClass::NotFound << u"It does not exist"_s << false;
        QTest::newRow("folder: a file, not a folder") << Make([](const QString &d) {
            write(d + u"/notes.txt"_s, "hello");
            return d + u"/notes.txt"_s;
        }) << ErrorClass::NotAFolder << u"It is a file"_s << false;
        QTest::newRow("folder: symlink loop") << Make([](const QString &d) {
            link(d + u"/loop"_s, d + u"/loop"_s);
            return d + u"/loop"_s;
        }) << ErrorClass::NotAFolder << u"loops back"_s << false;
        QTest::newRow("folder: link to a folder that is gone") << Make([](const QString &d) {
            link(d + u"/gone"_s, d + u"/project"_s);
            return d + u"/project"_s;
        }) << ErrorClass::NotAFolder << u"/gone"_s << false;
        QTest::newRow("folder: empty, not a project") << Make([](const QString &d) {
            QDir().mkpath(d + u"/empty"_s);
            return d + u"/empty"_s;
        }) << ErrorClass::NoManifest << u"no Cargo.toml"_s << false;
        QTest::newRow("folder: a JavaScript-only project") << Make([](const QString &d) {
            write(d + u"/web/package.json"_s, goodPackage);
            return d + u"/web"_s;
        }) << ErrorClass::NoManifest << u"Rust backend"_s << false;
        QTest::newRow("folder: unreadable") << Make([](const QString &d) {
            project(d + u"/locked"_s);
            QFile::setPermissions(d + u"/locked"_s, QFileDevice::Permissions());
            return d + u"/locked"_s;
        }) << ErrorClass::Unreadable << u"permission denied"_s << true;
        QTest::newRow("folder: inside a folder one may not enter") << Make([](const QString &d) {
            project(d + u"/private/p"_s);
            QFile::setPermissions(d + u"/private"_s, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
            return d + u"/private/p"_s;
        }) << ErrorClass::Unreadable << u"/private"_s << true;
        QTest::newRow("folder: unreadable Cargo.toml") << Make([](const QString &d) {
            project(d + u"/p"_s);
            QFile::setPermissions(d + u"/p/backend/Cargo.toml"_s, QFileDevice::Permissions());
            return d + u"/p"_s;
        }) << ErrorClass::Unreadable << u"Cargo.toml"_s << true;
        QTest::newRow("folder: Cargo.toml is a dangling link") << Make([](const QString &d) {
            write(d + u"/p/src/main.rs"_s, goodMain);
            link(d + u"/elsewhere/Cargo.toml"_s, d + u"/p/Cargo.toml"_s);
            return d + u"/p"_s;
        }) << ErrorClass::Unreadable << u"does not exist"_s << false;
        QTest::newRow("folder: Cargo.toml is a folder") << Make([](const QString &d) {
            QDir().mkpath(d + u"/p/Cargo.toml"_s);
            write(d + u"/p/src/main.rs"_s, goodMain);
            return d + u"/p"_s;
        }) << ErrorClass::Unreadable << u"is a folder"_s << false;
        QTest::newRow("folder: symlink loops inside a good project") << Make([](const QString &d) {
            project(d + u"/p"_s);
            link(u".."_s, d + u"/p/backend/parent"_s);
            link(d + u"/p/frontend/self"_s, d + u"/p/frontend/self"_s);
            link(d + u"/p"_s, d + u"/p/frontend/src/root"_s);
            return d + u"/p"_s;
        }) << ErrorClass::None << QString() << false;
        QTest::newRow("folder: spaces and unicode, good project") << Make([](const QString &d) {
            project(d + u"/Mój projekt ✓ 日本"_s);
            return d + u"/Mój projekt ✓ 日本"_s;
        }) << ErrorClass::None << QString() << false;
        QTest::newRow("folder: spaces and unicode, broken manifest") << Make([](const QString &d) {
            project(d + u"/Mój projekt ✓ 日本"_s);
            write(d + u"/Mój projekt ✓ 日本/backend/Cargo.toml"_s, "[package\nname = \"x\"\n");
            return d + u"/Mój projekt ✓ 日本"_s;
        }) << ErrorClass::ManifestSyntax << u"Mój projekt ✓ 日本"_s << false;

        // Manifests
        QTest::newRow("manifest: Cargo.toml does not parse") << Make([](const QString &d) {
            project(d);
            write(d + u"/backend/Cargo.toml"_s, "[package]\nname = \"app\nversion = \"0.1.0\"\n");
            return d;
        }) << ErrorClass::ManifestSyntax << u"line 2"_s << false;
        QTest::newRow("manifest: Cargo.toml is binary junk") << Make([](const QString &d) {
            project(d);
            write(d + u"/backend/Cargo.toml"_s, QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0\xff\xfe", 12));
            return d;
        }) << ErrorClass::ManifestSyntax << u"Cargo.toml"_s << false;
        QTest::newRow("manifest: package.json does not parse") << Make([](const QString &d) {
            project(d);
            write(d + u"/frontend/package.json"_s, "{\n  \"name\": \"web\",\n  \"scripts\": {\"build\": \"vite build\",}\n}\n");
            return d + u"||frontend"_s;
        }) << ErrorClass::ManifestSyntax << u"line 3, column"_s << false;
        QTest::newRow("manifest: package.json is not an object") << Make([](const QString &d) {
            project(d);
            write(d + u"/frontend/package.json"_s, "[\"build\"]\n");
            return d + u"||frontend"_s;
        }) << ErrorClass::ManifestInvalid << u"not a JSON object"_s << false;
        QTest::newRow("manifest: huge Cargo.toml") << Make([](const QString &d) {
            project(d);
            write(d + u"/backend/Cargo.toml"_s, goodCargo + QByteArray(5 * 1024 * 1024, '#'));
            return d;
        }) << ErrorClass::ManifestTooLarge << u"Cargo.toml"_s << false;
        QTest::newRow("manifest: huge package.json") << Make([](const QString &d) {
            project(d);
            write(d + u"/frontend/package.json"_s, QByteArray(5 * 1024 * 1024, ' ') + goodPackage);
            return d + u"||frontend"_s;
        }) << ErrorClass::ManifestTooLarge << u"package.json"_s << false;
        QTest::newRow("manifest: workspace without binaries") << Make([](const QString &d) {
            write(d + u"/Cargo.toml"_s, "[workspace]\nmembers = [\"crates/*\"]\n");
            for (const QString &c : {u"core"_s, u"util"_s}) {
                write(d + u"/crates/"_s + c + u"/Cargo.toml"_s, "[package]\nname = \"" + c.toUtf8() + "\"\nversion = \"0.1.0\"\n");
                write(d + u"/crates/"_s + c + u"/src/lib.rs"_s, "pub fn f() {}\n");
            }
            return d;
        }) << ErrorClass::NoBinary << u"no binary target"_s << false;
        QTest::newRow("manifest: workspace member missing") << Make([](const QString &d) {
            write(d + u"/Cargo.toml"_s, "[workspace]\nmembers = [\"crates/api\", \"crates/gone\"]\n");
            write(d + u"/crates/api/Cargo.toml"_s, goodCargo);
            write(d + u"/crates/api/src/main.rs"_s, goodMain);
            return d;
        }) << ErrorClass::ManifestInvalid << u"crates/gone"_s << false;
        QTest::newRow("manifest: workspace member does not parse") << Make([](const QString &d) {
            write(d + u"/Cargo.toml"_s, "[workspace]\nmembers = [\"crates/api\"]\n");
            write(d + u"/crates/api/Cargo.toml"_s, "[package]\nname = 3 4\n");
            return d;
        }) << ErrorClass::ManifestSyntax << u"api/Cargo.toml"_s << false;
        QTest::newRow("manifest: neither package nor workspace") << Make([](const QString &d) {
            project(d);
            write(d + u"/backend/Cargo.toml"_s, "[dependencies]\nserde = \"1\"\n");
            return d;
        }) << ErrorClass::ManifestInvalid << u"neither [package] nor [workspace]"_s << false;
        QTest::newRow("manifest: Cargo.lock does not parse") << Make([](const QString &d) {
            project(d);
            write(d + u"/backend/Cargo.lock"_s, "version = 3\n[[package]\nname = \"app\"\n");
            return d;
        }) << ErrorClass::ManifestSyntax << u"Cargo.lock"_s << false;
        QTest::newRow("manifest: frontend without a build script") << Make([](const QString &d) {
            project(d);
            write(d + u"/frontend/package.json"_s, "{\"name\": \"web\", \"scripts\": {\"dev\": \"vite\"}}\n");
            return d + u"||frontend"_s;
        }) << ErrorClass::NoBuildScript << u"\"build\" script"_s << false;
        QTest::newRow("manifest: chosen frontend folder has no package.json") << Make([](const QString &d) {
            project(d);
            QDir().mkpath(d + u"/site"_s);
            return d + u"||site"_s;
        }) << ErrorClass::NoManifest << u"package.json"_s << false;
    }

    void projects()
    {
        QFETCH(Make, make);
        QFETCH(ErrorClass, expected);
        QFETCH(QString, phrase);
        QFETCH(bool, unprivileged);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                              | QFileDevice::ReadOther | QFileDevice::ExeOther);
        const QStringList input = make(tmp.path()).split(u'|');

        const QStringList before = snapshot(tmp.path());
        QString error;
        ErrorClass cls = ErrorClass::Other;
        QElapsedTimer clock;
        clock.start();
        std::optional<ProjectFacts> facts;
        {
            std::unique_ptr<AsNobody> nobody(unprivileged ? new AsNobody : nullptr);
            const Result<ProjectFacts> scanned = ProjectScanner::scanRepository(input.at(0), input.value(1), input.value(2));
            if (scanned) {
                facts = *scanned;
                cls = ErrorClass::None;
            } else {
                error = scanned.failure().sentence();
                cls = scanned.failure().errorClass;
            }
        }
        QVERIFY2(clock.elapsed() < FastBoundMs, "the scan must end promptly");
        QCOMPARE(facts.has_value(), expected == ErrorClass::None);
        expectOutcome(cls, error, expected, phrase);
        // A scan writes nothing: no gantry.toml, no Dockerfile, nothing changed.
        QCOMPARE(snapshot(tmp.path()), before);
    }

    // ------------------------------------------------------------ recipes
    // The entry point: BuildRecipe::load (the Build page, `gantry build`).

    void recipes_data()
    {
        QTest::addColumn<QByteArray>("toml"); ///< null: no gantry.toml at all
        QTest::addColumn<ErrorClass>("expected");
        QTest::addColumn<QString>("phrase");

        QTest::newRow("recipe: does not parse") << QByteArray("[project]\nbackend = \"backend\nbinary = \"app\"\n")
                                                << ErrorClass::RecipeSyntax << u"gantry.toml:2:"_s;
        QTest::newRow("recipe: unknown key") << goodRecipe + "platfroms = [\"linux/arm64\"]\n" << ErrorClass::RecipeUnknownKey
                                             << u"'platfroms'"_s;
        QTest::newRow("recipe: unknown section") << goodRecipe + "\n[deploy]\nhost = \"x\"\n" << ErrorClass::RecipeUnknownKey
                                                 << u"'deploy'"_s;
        QTest::newRow("recipe: port is a string") << goodRecipe + "\n[runtime]\nport = \"3000\"\n" << ErrorClass::RecipeWrongType
                                                  << u"'port'"_s;
        QTest::newRow("recipe: platforms is a string")
            << QByteArray("[project]\nbackend = \"backend\"\nbinary = \"app\"\n\n[target]\nplatforms = \"linux/amd64\"\n")
            << ErrorClass::RecipeWrongType << u"'platforms'"_s;
        QTest::newRow("recipe: a section that is a value") << goodRecipe + "runtime = 3\n" << ErrorClass::RecipeUnknownKey
                                                           << u"'runtime'"_s;
        QTest::newRow("recipe: [runtime] is not a table") << QByteArray("runtime = 3\n[project]\nbackend = \"b\"\nbinary = \"a\"\n")
                                                          << ErrorClass::RecipeWrongType << u"[runtime]"_s;
        QTest::newRow("recipe: unknown platform")
            << QByteArray("[project]\nbackend = \"backend\"\nbinary = \"app\"\n\n[target]\nplatforms = [\"linux/amd64\", \"windows/amd64\"]\n")
            << ErrorClass::RecipeUnknownPlatform << u"windows/amd64"_s;
        QTest::newRow("recipe: empty platform list")
            << QByteArray("[project]\nbackend = \"backend\"\nbinary = \"app\"\n\n[target]\nplatforms = []\n")
            << ErrorClass::RecipeUnknownPlatform << u"empty"_s;
        QTest::newRow("recipe: unknown strategy") << goodRecipe + "strategy = \"teleport\"\n" << ErrorClass::RecipeUnknownValue
                                                  << u"teleport"_s;
        QTest::newRow("recipe: unknown runtime base") << goodRecipe + "\n[runtime]\nbase = \"windows-nano\"\n"
                                                      << ErrorClass::RecipeUnknownValue << u"windows-nano"_s;
        QTest::newRow("recipe: port out of range") << goodRecipe + "\n[runtime]\nport = 70000\n" << ErrorClass::RecipeInvalid
                                                   << u"70000"_s;
        QTest::newRow("recipe: backend outside the repository")
            << QByteArray("[project]\nbackend = \"../elsewhere\"\nbinary = \"app\"\n") << ErrorClass::RecipeInvalid
            << u"../elsewhere"_s;
        QTest::newRow("recipe: no [project]") << QByteArray("[target]\nplatforms = [\"linux/amd64\"]\n")
                                              << ErrorClass::RecipeInvalid << u"[project]"_s;
        QTest::newRow("recipe: missing") << QByteArray() << ErrorClass::NoManifest << u"gantry init"_s;
        QTest::newRow("recipe: huge") << goodRecipe + QByteArray(2 * 1024 * 1024, '#') << ErrorClass::ManifestTooLarge
                                      << u"gantry.toml"_s;
    }

    void recipes()
    {
        QFETCH(QByteArray, toml);
        QFETCH(ErrorClass, expected);
        QFETCH(QString, phrase);
        QTemporaryDir tmp;
        project(tmp.path());
        if (!toml.isNull())
            write(tmp.filePath(u"gantry.toml"_s), toml);
        const QStringList before = snapshot(tmp.path());
        QString error;
        ErrorClass cls = ErrorClass::Other;
        QElapsedTimer clock;
        clock.start();
        const auto recipe = BuildRecipe::load(tmp.path());
        QVERIFY2(clock.elapsed() < FastBoundMs, "loading must end promptly");
        QVERIFY(!recipe);
        error = recipe.failure().sentence();
        cls = recipe.failure().errorClass;
        expectOutcome(cls, error, expected, phrase);
        // Nothing rewritten, no Dockerfile written from a bad recipe.
        QCOMPARE(snapshot(tmp.path()), before);
        QVERIFY(!QFileInfo::exists(tmp.filePath(u"Dockerfile"_s)));
    }

    // ------------------------------------------------------------ archives
    // The entry point: ImageArchive::read (the Inspect page, `gantry analyze FILE`).

    void archives_data()
    {
        QTest::addColumn<Make>("make");
        QTest::addColumn<ErrorClass>("expected");
        QTest::addColumn<QString>("phrase");
        const auto image = [](const ImageSpec &s) { return Make([s](const QString &d) { return writeImage(d + u"/image.tar"_s, s); }); };
        const auto layerWith = [](const QList<Entry> &entries) {
            ImageSpec s;
            s.layers = {tarOf(entries)};
            return s;
        };

        QTest::newRow("archive: does not exist") << Make([](const QString &d) { return d + u"/nothing.tar"_s; })
                                                 << ErrorClass::NotFound << u"nothing.tar"_s;
        QTest::newRow("archive: a folder") << Make([](const QString &d) { return d; }) << ErrorClass::ArchiveNotTar
                                           << u"is a folder"_s;
        QTest::newRow("archive: not a tar") << Make([](const QString &d) {
            write(d + u"/junk.tar"_s, QByteArray(5000, '\x7f'));
            return d + u"/junk.tar"_s;
        }) << ErrorClass::ArchiveNotTar << u"not a tar archive"_s;
        QTest::newRow("archive: a tar but not an image") << Make([](const QString &d) {
            write(d + u"/plain.tar"_s, tarOf({{Entry::File, u"hello.txt"_s, "hello", {}}}));
            return d + u"/plain.tar"_s;
        }) << ErrorClass::ArchiveNotImage << u"neither manifest.json"_s;
        QTest::newRow("archive: traversal path in a layer")
            << image(layerWith({{Entry::File, u"../../etc/evil"_s, "x", {}}})) << ErrorClass::ArchiveUnsafePath << u"../../etc/evil"_s;
        QTest::newRow("archive: absolute path in a layer")
            << image(layerWith({{Entry::File, u"/etc/cron.d/evil"_s, "x", {}}})) << ErrorClass::ArchiveUnsafePath << u"/etc/cron.d/evil"_s;
        QTest::newRow("archive: traversal path in the archive itself") << image([] {
            ImageSpec s;
            s.extraOuter = {{Entry::File, u"../escape.sh"_s, "#!/bin/sh\n", {}}};
            return s;
        }()) << ErrorClass::ArchiveUnsafePath << u"../escape.sh"_s;
        QTest::newRow("archive: link out of the image in a layer")
            << image(layerWith({{Entry::Dir, u"app"_s, {}, {}}, {Entry::Symlink, u"app/link"_s, {}, u"../../../etc/shadow"_s}}))
            << ErrorClass::ArchiveUnsafeLink << u"../../../etc/shadow"_s;
        QTest::newRow("archive: manifest.json is an absolute symlink") << image([] {
            ImageSpec s;
            s.manifestLinkTarget = u"/etc/passwd"_s;
            return s;
        }()) << ErrorClass::ArchiveUnsafeLink << u"/etc/passwd"_s;
        QTest::newRow("archive: layer blob is an absolute symlink") << image([] {
            ImageSpec s;
            s.layerLinkTarget = u"/dev/zero"_s;
            return s;
        }()) << ErrorClass::ArchiveUnsafeLink << u"/dev/zero"_s;
        QTest::newRow("archive: truncated") << Make([](const QString &d) {
            ImageSpec s;
            s.layers = {tarOf({{Entry::File, u"app/big"_s, QByteArray(200000, 'b'), {}}})};
            const QString path = writeImage(d + u"/image.tar"_s, s);
            QFile f(path);
            if (!f.open(QIODevice::ReadWrite) || !f.resize(f.size() / 2))
                qFatal("cannot truncate");
            return path;
        }) << ErrorClass::ArchiveTruncated << u"truncated"_s;
        QTest::newRow("archive: truncated gzip layer") << image([] {
            ImageSpec s;
            QList<Entry> many;
            for (int i = 0; i < 40; ++i)
                many.append({Entry::File, u"f%1"_s.arg(i), QByteArray(4000, char('a' + i % 26)), {}});
            QByteArray gz = gzipOf(tarOf(many));
            gz.truncate(gz.size() / 2);
            s.layers = {gz};
            return s;
        }()) << ErrorClass::ArchiveTruncated << u"blobs/sha256/"_s;
        QTest::newRow("archive: corrupted gzip layer") << image([] {
            ImageSpec s;
            QList<Entry> many;
            for (int i = 0; i < 40; ++i)
                many.append({Entry::File, u"f%1"_s.arg(i), QByteArray::number(i).repeated(900), {}});
            QByteArray gz = gzipOf(tarOf(many));
            for (qsizetype i = gz.size() / 3; i < gz.size() / 3 + 64; ++i)
                gz[i] = char(gz.at(i) ^ 0x5a);
            s.layers = {gz};
            return s;
        }()) << ErrorClass::ArchiveCorrupt << u"blobs/sha256/"_s;
        QTest::newRow("archive: gzip'd archive cut short") << Make([](const QString &d) {
            const QString tarPath = writeImage(d + u"/inner.tar"_s, ImageSpec());
            QByteArray gz = gzipOf(GantryTest::readAll(tarPath));
            QFile::remove(tarPath);
            gz.truncate(gz.size() - 40);
            write(d + u"/image.tar.gz"_s, gz);
            return d + u"/image.tar.gz"_s;
        }) << ErrorClass::ArchiveTruncated << u"truncated"_s;
        QTest::newRow("archive: decompression bomb layer") << image([] {
            ImageSpec s;
            s.layers = {gzipZerosLayer(qint64(300) << 20)};
            return s;
        }()) << ErrorClass::ArchiveTooLarge << u"decompression bomb"_s;
        QTest::newRow("archive: huge manifest.json") << image([] {
            ImageSpec s;
            s.manifestOverride = "[" + QByteArray(9 * 1024 * 1024, ' ') + "]";
            return s;
        }()) << ErrorClass::ArchiveTooLarge << u"manifest.json"_s;
        QTest::newRow("archive: manifest.json is not JSON") << image([] {
            ImageSpec s;
            s.manifestOverride = "[{\"Config\": ";
            return s;
        }()) << ErrorClass::ArchiveCorrupt << u"manifest.json"_s;
        QTest::newRow("archive: manifest lists no image") << image([] {
            ImageSpec s;
            s.manifestOverride = "[]";
            return s;
        }()) << ErrorClass::ArchiveMissingEntry << u"lists no image"_s;
        QTest::newRow("archive: config missing") << image([] {
            ImageSpec s;
            s.writeConfig = false;
            return s;
        }()) << ErrorClass::ArchiveMissingEntry << u"the image config"_s;
        QTest::newRow("archive: layer blob missing") << image([] {
            ImageSpec s;
            s.writeLayers = false;
            return s;
        }()) << ErrorClass::ArchiveMissingEntry << u"is missing from the archive"_s;
        // OCI layouts (oci-layout + index.json + blobs/sha256/HEX), as `docker buildx --output type=oci` writes.
        const auto oci = [](const QByteArray &index, const QList<QByteArray> &blobs = {}) {
            return Make([index, blobs](const QString &d) {
                QList<Entry> entries{{Entry::File, u"oci-layout"_s, "{\"imageLayoutVersion\":\"1.0.0\"}", {}},
                                     {Entry::File, u"index.json"_s, index, {}}};
                for (const QByteArray &b : blobs)
                    entries.append({Entry::File, u"blobs/sha256/"_s + QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex()), b, {}});
                write(d + u"/oci.tar"_s, tarOf(entries));
                return d + u"/oci.tar"_s;
            });
        };
        const auto indexOf = [](const QByteArray &blob) {
            return "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:"
                + QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toHex() + "\",\"size\":" + QByteArray::number(blob.size()) + "}]}";
        };
        QTest::newRow("archive: OCI index.json is not JSON") << oci("{\"schemaVersion\": 2, \"manifests\": [")
                                                             << ErrorClass::ArchiveCorrupt << u"index"_s;
        QTest::newRow("archive: OCI index lists no manifest") << oci("{\"schemaVersion\":2,\"manifests\":[]}")
                                                              << ErrorClass::ArchiveMissingEntry << u"lists no image manifest"_s;
        QTest::newRow("archive: OCI manifest blob missing") << oci(indexOf("{\"schemaVersion\":2}"))
                                                            << ErrorClass::ArchiveMissingEntry << u"incomplete"_s;
        QTest::newRow("archive: OCI indexes nested without end") << [&] {
            // Six indexes, each pointing at the next: deeper than any real image (hostile).
            QList<QByteArray> blobs{"{\"schemaVersion\":2,\"config\":{},\"layers\":[]}"};
            for (int i = 0; i < 6; ++i)
                blobs.append(indexOf(blobs.last()));
            return oci(indexOf(blobs.last()), blobs);
        }() << ErrorClass::ArchiveCorrupt << u"too deeply"_s;
        QTest::newRow("archive: config does not match its digest") << image([] {
            ImageSpec s;
            s.tamperConfig = true;
            return s;
        }()) << ErrorClass::ArchiveDigestMismatch << u"does not match its digest"_s;
    }

    void archives()
    {
        QFETCH(Make, make);
        QFETCH(ErrorClass, expected);
        QFETCH(QString, phrase);
        QTemporaryDir tmp;
        const QString path = make(tmp.path());
        const QStringList before = snapshot(tmp.path());
        QElapsedTimer clock;
        clock.start();
        // The bomb row's layer expands to 300 MiB: past a cap lowered to 256 MiB (as
        // --max-layer-size lowers it), it is refused like one past the default 64 GB.
        ImageArchive::Options options;
        options.expandedLayerCap = qint64(256) << 20;
        const Result<ImageData> read = ImageArchive::read(path, options);
        QVERIFY2(clock.elapsed() < FastBoundMs, "reading must end promptly");
        QVERIFY(!read);
        expectOutcome(read.failure().errorClass, read.failure().sentence(), expected, phrase);
        // Reading extracts nothing.
        QCOMPARE(snapshot(tmp.path()), before);
    }

    // ------------------------------------------------------------ builds
    // The entry point: BuildRunner (the Build page, `gantry build`) against the real engine
    // and buildx, with tiny contexts. The image each row would build must not appear.

    void builds_data()
    {
        QTest::addColumn<QString>("dockerfile");
        QTest::addColumn<QString>("arrangement"); ///< what is wrong around the build
        QTest::addColumn<ErrorClass>("expected");
        QTest::addColumn<QString>("phrase");
        const QString ok = u"FROM gantry/debian:trixie\nRUN true\n"_s;
        QTest::newRow("build: engine down") << ok << u"dead-engine"_s << ErrorClass::EngineDown << u"engine"_s;
        QTest::newRow("build: docker client missing") << ok << u"no-docker"_s << ErrorClass::DockerMissing
                                                      << u"/nonexistent/docker"_s;
        QTest::newRow("build: buildx missing") << ok << u"no-buildx"_s << ErrorClass::BuildxMissing << u"buildx"_s;
        QTest::newRow("build: base image absent") << u"FROM gantry-test-badinput/no-such-base:1\nRUN true\n"_s << QString()
                                                  << ErrorClass::BaseImageMissing << u"gantry-test-badinput/no-such-base:1"_s;
        QTest::newRow("build: Dockerfile does not parse") << u"FROMM gantry/debian:trixie\n"_s << QString()
                                                          << ErrorClass::DockerfileError << u"FROMM"_s;
        QTest::newRow("build: compile error")
            << u"FROM gantry/rust:debian\nRUN printf 'fn main() { let x: u32 = \"gantry-badinput\"; }\\n' > /m.rs && rustc /m.rs\n"_s
            << QString() << ErrorClass::CompileError << u"rustc"_s;
        QTest::newRow("build: cancelled") << u"FROM gantry/debian:trixie\nRUN echo %1 && sleep 300\n"_s << u"cancel"_s
                                          << ErrorClass::Cancelled << u"cancelled"_s;
    }

    void builds()
    {
        QFETCH(QString, dockerfile);
        QFETCH(QString, arrangement);
        QFETCH(ErrorClass, expected);
        QFETCH(QString, phrase);
        QTemporaryDir tmp;
        const QString marker = QString::number(QDateTime::currentMSecsSinceEpoch());
        write(tmp.filePath(u"Dockerfile"_s), (dockerfile.contains(u"%1"_s) ? dockerfile.arg(marker) : dockerfile).toUtf8());
        BuildRequest request;
        request.contextDir = tmp.path();
        request.platforms = {u"linux/amd64"_s};
        request.tag = u"gantry-test-badinput-build:"_s + marker;
        request.recordHistory = false;
        request.historyPath = tmp.filePath(u"history.sqlite"_s);
        if (arrangement == u"dead-engine")
            request.environment.insert(u"DOCKER_HOST"_s, GantryTest::deadDockerHost());
        if (arrangement == u"no-docker")
            request.docker = u"/nonexistent/docker"_s;
        if (arrangement == u"no-buildx") {
            // The real docker client in a private mount namespace where its plugin folder is empty.
            const QString wrapper = tmp.filePath(u"docker-without-buildx"_s);
            write(wrapper, "#!/bin/sh\nexec unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs /usr/libexec/docker/cli-plugins "
                           "&& exec docker \"$@\"' docker \"$@\"\n");
            QFile::setPermissions(wrapper, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
            request.docker = wrapper;
        }
        BuildRunner runner;
        QSignalSpy finished(&runner, &BuildRunner::finished);
        if (arrangement == u"cancel") {
            // Cancel once the RUN step has started (its echo printed the marker).
            connect(&runner, &BuildRunner::logAppended, this, [&](int, const QString &text) {
                if (text.contains(marker))
                    runner.cancel();
            });
        }
        runner.start(request);
        QVERIFY2(finished.wait(240000), "the build must end (or be cancelled) within its bound");
        const BuildResult r = finished.constFirst().constFirst().value<BuildResult>();
        const QString message = r.outcome == BuildResult::Outcome::Cancelled ? r.summary() : r.failure.sentence();
        expectOutcome(r.errorClass(), message, expected, phrase);
        if (expected == ErrorClass::CompileError)
            QVERIFY2(r.failure.compilerLines.join(u'\n').contains(u"E0308"_s), qPrintable(r.failure.compilerLines.join(u'\n')));
        // No image under the final tag, no build process left behind.
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, request.tag}).ok());
        QTRY_VERIFY_WITH_TIMEOUT(GantryTest::processesMentioning(request.tag).isEmpty(), 30000);
    }

    // ------------------------------------------------------------ transfers
    // The entry points: checkServer ("Test connection", `gantry ship --check`) and shipImage,
    // against a real sshd on 127.0.0.1. Rows name what is wrong with the server; the remote
    // folder must hold no file under its final name afterwards.

    void transfers_data()
    {
        QTest::addColumn<QString>("arrangement");
        QTest::addColumn<ErrorClass>("expected");
        QTest::addColumn<QString>("phrase"); ///< {host}, {fingerprint}, {dir} are filled in
        QTest::newRow("transfer: unknown host key") << u"unknown-key"_s << ErrorClass::HostKeyUnknown << u"{fingerprint}"_s;
        QTest::newRow("transfer: changed host key") << u"changed-key"_s << ErrorClass::HostKeyChanged << u"{fingerprint}"_s;
        QTest::newRow("transfer: wrong password") << u"wrong-password"_s << ErrorClass::AuthFailed << u"refused the login"_s;
        QTest::newRow("transfer: nothing listens") << u"refused"_s << ErrorClass::HostUnreachable << u"connection refused"_s;
        QTest::newRow("transfer: host name does not resolve") << u"unresolvable"_s << ErrorClass::HostUnreachable
                                                              << u"could not be resolved"_s;
        QTest::newRow("transfer: remote engine not running") << u"engine-down"_s << ErrorClass::EngineDown
                                                             << u"Start the Docker engine on the server"_s;
        QTest::newRow("transfer: remote docker missing") << u"no-docker"_s << ErrorClass::RemoteDockerMissing
                                                         << u"gantry-test-badinput-no-docker"_s;
        QTest::newRow("transfer: remote folder not writable") << u"read-only"_s << ErrorClass::RemotePermission << u"{dir}"_s;
        QTest::newRow("transfer: remote disk full") << u"disk-full"_s << ErrorClass::RemoteDiskFull << u"is full"_s;
        QTest::newRow("transfer: link dropped mid-upload") << u"drop"_s << ErrorClass::LinkDropped << u"broke"_s;
        QTest::newRow("transfer: cancelled mid-upload") << u"cancel"_s << ErrorClass::Cancelled << u"cancelled"_s;
    }

    void transfers()
    {
        QFETCH(QString, arrangement);
        QFETCH(ErrorClass, expected);
        QFETCH(QString, phrase);
        if (!m_server) {
            m_server = std::make_unique<GantryTest::SshServer>();
            QString error;
            QVERIFY2(m_server->start(&error), qPrintable(error));
        }
        QTemporaryDir tmp;
        ServerProfile server;
        server.name = u"gantry-test-badinput"_s;
        server.host = m_server->host();
        server.port = m_server->port();
        server.user = u"root"_s;
        server.identityFile = m_server->clientKey();
        server.knownHostsFile = m_server->knownHostsFile();
        server.remoteDir = tmp.filePath(u"remote"_s);
        ShipOptions options;
        options.ssh.useKeychain = false;
        options.ssh.connectTimeoutSec = 5;
        options.cacheDir = tmp.filePath(u"cache"_s);
        QString fingerprint = m_server->hostKeyFingerprint();

        if (arrangement == u"unknown-key") {
            server.knownHostsFile = tmp.filePath(u"empty_known_hosts"_s);
            write(server.knownHostsFile, {});
        } else if (arrangement == u"changed-key") {
            // known_hosts trusts another key for this host and port: as after a reinstall, or an interception.
            const auto keygen = Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(),
                                                                     u"-f"_s, tmp.filePath(u"other"_s)});
            QVERIFY2(keygen.ok(), qPrintable(keygen.stderrText()));
            const QString other = QString::fromUtf8(GantryTest::readAll(tmp.filePath(u"other.pub"_s))).section(u' ', 0, 1);
            server.knownHostsFile = tmp.filePath(u"old_known_hosts"_s);
            write(server.knownHostsFile, u"[127.0.0.1]:%1 %2\n"_s.arg(server.port).arg(other).toUtf8());
        } else if (arrangement == u"wrong-password") {
            QString error;
            QVERIFY2(GantryTest::SshServer::addPasswordUser(u"gantrybadinput"_s, u"the-right-one"_s, &error), qPrintable(error));
            server.user = u"gantrybadinput"_s;
            server.identityFile.clear();
            options.ssh.responder = [](const AskpassRequest &r) {
                return r.kind == AskpassRequest::Password ? AskpassReply{true, u"not-the-password"_s} : AskpassReply{};
            };
        } else if (arrangement == u"refused") {
            server.port = GantryTest::ShipFixtures::freePort();
        } else if (arrangement == u"unresolvable") {
            server.host = u"gantry-test-badinput.invalid"_s; // RFC 6761: .invalid never resolves
        } else if (arrangement == u"engine-down") {
            // The server's docker client is there, its engine is not (a socket nothing listens on).
            server.dockerCommand = u"docker -H "_s + GantryTest::deadDockerHost();
        } else if (arrangement == u"no-docker") {
            server.dockerCommand = u"gantry-test-badinput-no-docker"_s;
        } else if (arrangement == u"read-only" || arrangement == u"disk-full") {
            QDir().mkpath(server.remoteDir);
            const QString opts = arrangement == u"read-only" ? u"ro,size=64k"_s : u"size=1m"_s;
            const auto mounted = Gantry::runProcess(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, opts, u"tmpfs"_s, server.remoteDir});
            if (!mounted.ok())
                QSKIP(qPrintable(u"cannot mount a tmpfs as the remote folder: "_s + mounted.stderrText()));
            m_mounts << server.remoteDir;
        }
        const auto unmount = qScopeGuard([&] {
            if (m_mounts.contains(server.remoteDir) && Gantry::runProcess(u"umount"_s, {server.remoteDir}).ok())
                m_mounts.removeAll(server.remoteDir);
        });
        phrase.replace(u"{fingerprint}"_s, fingerprint).replace(u"{dir}"_s, server.remoteDir);

        const bool ships = arrangement == u"disk-full" || arrangement == u"drop" || arrangement == u"cancel";
        ErrorClass cls = ErrorClass::Other;
        QString message;
        if (!ships) {
            QElapsedTimer clock;
            clock.start();
            const Result<QString> checked = checkServer(server, options.ssh);
            QVERIFY2(clock.elapsed() < 90000, "the check must end within its bound");
            QVERIFY(!checked.ok());
            cls = checked.failure().errorClass;
            message = checked.failure().sentence();
        } else {
            QVERIFY(ensureShipImage());
            options.mode = ShipMode::Full;
            const auto preparedOr = prepareImage(shipImageRef(), options, {}, nullptr);
            QVERIFY2(preparedOr, qPrintable(GantryTest::failureText(preparedOr)));
            const std::shared_ptr<const PreparedImage> prepared = *preparedOr;
            // Full mode: the remote engine here is the local one, which already holds every layer.
            options.mode = ShipMode::Full;
            if (arrangement != u"disk-full")
                options.bytesPerSecond = 256 * 1024; // long enough to break it on purpose
            std::atomic<qint64> sent{0};
            std::atomic_bool cancel{false};
            QFuture<ShipResult> future = QtConcurrent::run([&] {
                return Gantry::shipImage(*prepared, server, options, [&](const ShipProgress &p) { sent = p.sent; }, &cancel);
            });
            if (arrangement != u"disk-full") {
                // The upload is under way once the server's .partial file has grown.
                const auto partialBytes = [&] {
                    qint64 n = 0;
                    QDirIterator it(server.remoteDir, QDir::Files, QDirIterator::Subdirectories);
                    while (it.hasNext()) {
                        const QFileInfo fi = it.nextFileInfo();
                        if (fi.fileName().endsWith(u".partial"_s))
                            n += fi.size();
                    }
                    return n;
                };
                QTRY_VERIFY_WITH_TIMEOUT(partialBytes() > 0 || future.isFinished(), 60000);
                QVERIFY2(!future.isFinished(), "the upload ended before it could be broken");
                if (arrangement == u"drop")
                    QVERIFY(GantryTest::SshServer::killSshChildrenOf(QCoreApplication::applicationPid()) >= 1);
                else
                    cancel = true;
            }
            QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 120000);
            const ShipResult result = future.result();
            QVERIFY(!result.ok());
            cls = result.errorClass();
            message = result.error();
        }
        expectOutcome(cls, message, expected, phrase);
        // Nothing under a final name in the remote folder: at most a .partial to resume from.
        QDirIterator it(server.remoteDir, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            QVERIFY2(f.endsWith(u".partial"_s), qPrintable(f));
        }
    }

private:
    static QString shipImageRef() { return u"gantry-test-badinput-ship:latest"_s; }

    /// A small image with a 3 MB layer of random bytes (so gzip cannot shrink it below the 1 MB "disk").
    bool ensureShipImage()
    {
        if (m_imageBuilt)
            return true;
        QTemporaryDir ctx;
        QByteArray random(3 * 1024 * 1024, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
        write(ctx.filePath(u"payload.bin"_s), random);
        write(ctx.filePath(u"Dockerfile"_s), "FROM scratch\nCOPY payload.bin /payload.bin\n");
        const auto r = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"-t"_s, shipImageRef(), ctx.path()},
                                             180000);
        if (!r.ok())
            qWarning("%s", qPrintable(r.stderrText()));
        m_imageBuilt = r.ok();
        return m_imageBuilt;
    }

    std::unique_ptr<GantryTest::SshServer> m_server;
    QStringList m_mounts;
    bool m_imageBuilt = false;
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
