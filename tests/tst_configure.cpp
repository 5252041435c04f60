// SPDX-License-Identifier: MIT
// The Configure wizard, offscreen, on a temporary copy of the example: it scans off the GUI
// thread, walks folders → backend → frontend → target → runtime → review, and the Write
// button writes the gantry.toml and Dockerfile the choices say. An existing, edited
// Dockerfile is shown as a diff and only replaced after confirming.
// Screenshots of every page: $GANTRY_BINARY_DIR/screenshots/configure-*.png
#include "configure/backendstep.h"
#include "configure/configurewizard.h"
#include "configure/foldersstep.h"
#include "configure/frontendstep.h"
#include "configure/reviewstep.h"
#include "configure/runtimestep.h"
#include "configure/targetstep.h"
#include "project/projectscanner.h"
#include "recipe/recipedefaults.h"
#include "pages/configurepage.h"
#include "recipe/dockerfilewriter.h"
#include "settings/preferences.h"
#include "widgets/failuretext.h"
#include "testsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTextLayout>
#include <QUrl>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

using GantryTest::copyTree;
using GantryTest::readAll;

template<typename T>
T *child(QWidget *w, const QString &name)
{
    T *c = w->findChild<T *>(name);
    if (!c)
        qFatal("no child %s", qPrintable(name));
    return c;
}

void shoot(QWidget *w, const QString &name)
{
    const QString dir = QStringLiteral(GANTRY_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    QTest::qWait(30); // let pending layout requests run, as they would on screen
    w->grab().save(dir + u"/configure-"_s + name + u".png"_s, "PNG");
}

} // namespace

class TestConfigure : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Preferences go to a test-only settings file, never the user's.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"gantry-test-configure"_s);
        QCoreApplication::setApplicationName(u"tst_configure"_s);
        QSettings().clear();
    }

    void preferencesAreTheDefaults()
    {
        QTemporaryDir tmp;
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, tmp.path()));
        Preferences prefs = Preferences::load();
        prefs.defaultPlatform = u"linux/arm64"_s;
        prefs.defaultRuntime = u"alpine"_s;
        prefs.save();
        ConfigurePage page;
        QSignalSpy scanned(page.wizard(), &ConfigureWizard::scanFinished);
        page.openProject(tmp.path());
        QVERIFY(scanned.wait(10000));
        QCOMPARE(page.wizard()->recipe().platforms, QStringList{u"linux/arm64"_s});
        QCOMPARE(page.wizard()->recipe().runtime, BuildRecipe::Runtime::Alpine);
        QSettings().clear();
    }

    void eachStepStoresWhatItLoads()
    {
        // Every step shows its part of a recipe with no default left, and stores it back: all
        // steps together give the recipe again (nothing shown is lost, nothing stored twice).
        const Result<ProjectFacts> facts = ProjectScanner::scanRepository(GantryTest::sourceDir() + u"/examples/hello-stack"_s);
        QVERIFY(facts);
        BuildRecipe r = recipeFromFacts(*facts);
        r.binary = facts->backend.binaries.value(0);
        r.packageManager = PackageManager::Yarn;
        r.frontendOutputDir = u"build"_s;
        r.nodeVersion = u"22"_s;
        r.platforms = {u"linux/arm64"_s};
        r.strategy = BuildRecipe::Strategy::Emulate;
        r.toolchain = BuildRecipe::Toolchain::Debian;
        r.baseImages = {{u"rust"_s, u"gantry/rust:1"_s}, {u"node"_s, u"gantry/node:22"_s}, {u"runtime"_s, u"alpine:3.20"_s}};
        r.builder = u"server"_s;
        r.cacheMounts = false;
        r.runtime = BuildRecipe::Runtime::Alpine;
        r.port = 8080;
        r.user = u"1000:1000"_s;
        r.caCertificates = false;
        r.env = {{u"RUST_LOG"_s, u"debug"_s}, {u"GREETING"_s, u"hi"_s}};
        r.imageTag = u"hello:2"_s;
        QCOMPARE(r.frontendDir, u"frontend"_s);

        const QList<WizardStep *> steps{new FoldersStep, new BackendStep, new FrontendStep,
                                        new TargetStep, new RuntimeStep, new ReviewStep};
        BuildRecipe stored; // what no step shows, as the wizard keeps it from the scan
        stored.debianCrates = r.debianCrates;
        stored.frontendDir = u"stale"_s;
        stored.packageManager = PackageManager::Bun;
        for (WizardStep *s : steps) {
            s->load(*facts, r);
            s->store(stored);
        }
        QCOMPARE(stored.toToml(), r.toToml());
        QVERIFY(stored == r);
        qDeleteAll(steps);
    }

    void stepsReachedCanBeClickedAndSummariesFollowTheFields()
    {
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"hello-stack"_s);
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, repo));
        ConfigurePage page;
        page.resize(1024, 700);
        page.show();
        ConfigureWizard *wizard = page.wizard();
        QSignalSpy scanned(wizard, &ConfigureWizard::scanFinished);
        page.openProject(repo);
        QVERIFY(scanned.wait(10000));
        auto *next = child<QPushButton>(wizard, u"nextButton"_s);
        // Only steps already reached can be clicked.
        QVERIFY(child<QToolButton>(wizard, u"step0Button"_s)->isEnabled());
        QVERIFY(!child<QToolButton>(wizard, u"step2Button"_s)->isEnabled());
        QTest::mouseClick(next, Qt::LeftButton);
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Frontend));
        QVERIFY(!child<QToolButton>(wizard, u"step3Button"_s)->isEnabled());
        // Words agree with numbers: no "dependenc(ies)".
        const QString backend = child<QLabel>(wizard, u"backendSummary"_s)->text();
        QVERIFY2(!backend.contains(u"(ies)"_s) && backend.contains(QRegularExpression(u"\\d+ direct dependenc(y|ies)"_s)), qPrintable(backend));
        // The output folder as typed, at once, on this page and in Review.
        auto *output = child<QLineEdit>(wizard, u"outputEdit"_s);
        output->selectAll();
        QTest::keyClicks(output, u"build/web"_s);
        const QString note = child<QLabel>(wizard, u"frontendOutputNote"_s)->text();
        QVERIFY2(note.contains(u"<b>build/web</b>"_s) && note.contains(u"the scan found dist"_s), qPrintable(note));
        for (int i = 0; i < 3; ++i)
            QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Review));
        auto *review = child<QLabel>(wizard, u"reviewSummary"_s);
        QVERIFY2(review->text().contains(u"output folder <b>build/web</b>"_s), qPrintable(review->text()));
        QVERIFY2(review->text().contains(u"binary <b>hello-backend</b>"_s), qPrintable(review->text()));
        shoot(wizard, u"7-review-summary"_s);
        // Back to Frontend with one click on its name; change the folder again; Review follows.
        QTest::mouseClick(child<QToolButton>(wizard, u"step2Button"_s), Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Frontend));
        QVERIFY(child<QToolButton>(wizard, u"step5Button"_s)->isEnabled()); // still reachable
        output->selectAll();
        QTest::keyClicks(output, u"public"_s);
        QTest::mouseClick(child<QToolButton>(wizard, u"step5Button"_s), Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Review));
        QVERIFY2(review->text().contains(u"output folder <b>public</b>"_s), qPrintable(review->text()));
        QVERIFY(child<QPlainTextEdit>(wizard, u"dockerfileView"_s)->toPlainText().contains(u"/public"_s));
        QCOMPARE(page.size(), QSize(1024, 700));
    }

    void wizardWritesTheRecipe()
    {
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"hello-stack"_s);
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, repo));

        ConfigurePage page;
        page.resize(1000, 700);
        page.show();
        ConfigureWizard *wizard = page.wizard();
        QSignalSpy scanned(wizard, &ConfigureWizard::scanFinished);
        QSignalSpy written(&page, &ConfigurePage::recipeWritten);
        page.openProject(repo);
        QVERIFY(scanned.wait(10000));
        QCOMPARE(scanned.first().first().toBool(), true);

        auto *next = child<QPushButton>(wizard, u"nextButton"_s);
        auto *write = child<QPushButton>(wizard, u"writeButton"_s);
        // Folders: both found on their own.
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Folders));
        QCOMPARE(child<QLineEdit>(wizard, u"backendEdit"_s)->text(), u"backend"_s);
        QCOMPARE(child<QLineEdit>(wizard, u"frontendEdit"_s)->text(), u"frontend"_s);
        QVERIFY(!write->isVisible());
        shoot(wizard, u"1-folders"_s);

        // Backend: the binary and the TLS verdict.
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Backend));
        QCOMPARE(child<QComboBox>(wizard, u"binaryCombo"_s)->currentText(), u"hello-backend"_s);
        QVERIFY(child<QLabel>(wizard, u"tlsLabel"_s)->text().contains(u"Nothing in Cargo.lock brings in OpenSSL"_s));
        QVERIFY(child<QLabel>(wizard, u"backendSummary"_s)->text().contains(u"rust-version 1.75"_s));
        shoot(wizard, u"2-backend"_s);

        // Frontend.
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(child<QLineEdit>(wizard, u"outputEdit"_s)->text(), u"dist"_s);
        QCOMPARE(child<QComboBox>(wizard, u"packageManagerCombo"_s)->currentText(), u"npm"_s);
        QCOMPARE(child<QLineEdit>(wizard, u"nodeEdit"_s)->text(), u"20"_s);
        shoot(wizard, u"3-frontend"_s);

        // Target: both platforms, cross-compiled, debian toolchain with the local images.
        QTest::mouseClick(next, Qt::LeftButton);
        auto *arm64 = child<QCheckBox>(wizard, u"arm64Check"_s);
        QVERIFY(child<QCheckBox>(wizard, u"amd64Check"_s)->isChecked());
        QVERIFY(!arm64->isChecked());
        arm64->setChecked(true);
        QVERIFY(child<QRadioButton>(wizard, u"crossRadio"_s)->isChecked());
        child<QRadioButton>(wizard, u"emulateRadio"_s)->setChecked(true);
        QVERIFY2(child<QLabel>(wizard, u"strategyNote"_s)->text().contains(u"32× slower"_s),
                 qPrintable(child<QLabel>(wizard, u"strategyNote"_s)->text()));
        shoot(wizard, u"4-target-emulate"_s);
        child<QRadioButton>(wizard, u"crossRadio"_s)->setChecked(true);
        child<QRadioButton>(wizard, u"debianRadio"_s)->setChecked(true);
        child<QLineEdit>(wizard, u"rustImageEdit"_s)->setText(u"gantry/rust:debian"_s);
        child<QLineEdit>(wizard, u"nodeImageEdit"_s)->setText(u"gantry/node:20"_s);
        shoot(wizard, u"4-target"_s);

        // Runtime: port and one more environment variable.
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(child<QSpinBox>(wizard, u"portSpin"_s)->value(), 3000);
        child<QSpinBox>(wizard, u"portSpin"_s)->setValue(8080);
        auto *env = child<QTableWidget>(wizard, u"envTable"_s);
        QCOMPARE(env->rowCount(), 1); // RUST_LOG=info from the defaults
        QTest::mouseClick(child<QPushButton>(wizard, u"addEnvButton"_s), Qt::LeftButton);
        env->item(1, 0)->setText(u"GREETING"_s);
        env->item(1, 1)->setText(u"hello"_s);
        shoot(wizard, u"5-runtime"_s);

        // Review: the Dockerfile shown is the one the core writes for these choices.
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Review));
        QVERIFY(write->isVisible() && write->isEnabled());
        const BuildRecipe expected = wizard->recipe();
        QCOMPARE(expected.platforms, (QStringList{u"linux/amd64"_s, u"linux/arm64"_s}));
        const QString shown = child<QPlainTextEdit>(wizard, u"dockerfileView"_s)->toPlainText();
        QCOMPARE(shown, DockerfileWriter::dockerfile(expected));
        QVERIFY(shown.contains(u"ARG RUST_IMAGE=gantry/rust:debian"_s));
        QVERIFY(shown.contains(u"FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend"_s));
        QVERIFY(shown.contains(u"EXPOSE 8080"_s));
        shoot(wizard, u"6-review"_s);
        // Highlighted: instructions bold, comments italic.
        auto formatAt = [](QPlainTextEdit *view, const QString &lineStart) {
            for (QTextBlock b = view->document()->begin(); b.isValid(); b = b.next())
                if (b.text().startsWith(lineStart))
                    for (const QTextLayout::FormatRange &r : b.layout()->formats())
                        if (r.start == 0)
                            return r.format;
            return QTextCharFormat();
        };
        auto *view = child<QPlainTextEdit>(wizard, u"dockerfileView"_s);
        QCOMPARE(formatAt(view, u"FROM ${RUNTIME_IMAGE}"_s).fontWeight(), int(QFont::Bold));
        QVERIFY(formatAt(view, u"# Written by Gantry"_s).fontItalic());

        QTest::mouseClick(write, Qt::LeftButton);
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.first().first().toString(), QDir(repo).absolutePath());
        QString error;
        const auto saved = BuildRecipe::load(repo);
        if (!saved)
            error = saved.failure().sentence();
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->backendDir, u"backend"_s);
        QCOMPARE(saved->frontendDir, u"frontend"_s);
        QCOMPARE(saved->binary, u"hello-backend"_s);
        QCOMPARE(saved->platforms, (QStringList{u"linux/amd64"_s, u"linux/arm64"_s}));
        QCOMPARE(saved->strategy, BuildRecipe::Strategy::CrossCompile);
        QCOMPARE(saved->toolchain, BuildRecipe::Toolchain::Debian);
        QCOMPARE(saved->baseImages.value(u"rust"_s), u"gantry/rust:debian"_s);
        QCOMPARE(saved->baseImages.value(u"node"_s), u"gantry/node:20"_s);
        QCOMPARE(saved->port, 8080);
        QCOMPARE(saved->env, (QList<QPair<QString, QString>>{{u"RUST_LOG"_s, u"info"_s}, {u"GREETING"_s, u"hello"_s}}));
        QCOMPARE(QString::fromUtf8(readAll(repo + u"/Dockerfile"_s)), shown);
        QVERIFY(readAll(repo + u"/.dockerignore"_s).contains("**/target"));
        shoot(wizard, u"7-written"_s);

        // Reopen after a hand edit: the saved choices come back, the edit shows up as a
        // diff, and Write waits for the confirmation.
        QFile df(repo + u"/Dockerfile"_s);
        QVERIFY(df.open(QIODevice::Append));
        df.write("# my tweak\n");
        df.close();
        const QByteArray edited = readAll(repo + u"/Dockerfile"_s);
        scanned.clear();
        page.openProject(repo);
        QVERIFY(scanned.wait(10000));
        for (int i = 0; i < 5; ++i)
            QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Review));
        QCOMPARE(child<QSpinBox>(wizard, u"portSpin"_s)->value(), 8080);
        const QString diff = child<QPlainTextEdit>(wizard, u"diffView"_s)->toPlainText();
        QVERIFY2(diff.contains(u"--- a/Dockerfile"_s) && diff.contains(u"\n-# my tweak"_s), qPrintable(diff));
        auto *replace = child<QCheckBox>(wizard, u"replaceCheck"_s);
        QVERIFY(replace->isVisible());
        QVERIFY(!write->isEnabled());
        shoot(wizard, u"8-review-diff"_s);
        QCOMPARE(readAll(repo + u"/Dockerfile"_s), edited);
        replace->setChecked(true);
        QVERIFY(write->isEnabled());
        QTest::mouseClick(write, Qt::LeftButton);
        QCOMPARE(written.size(), 2);
        QVERIFY(!readAll(repo + u"/Dockerfile"_s).contains("# my tweak"));
    }

    void dropAFolder()
    {
        QTemporaryDir tmp;
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, tmp.path()));
        ConfigurePage page;
        page.resize(1000, 700);
        page.show();
        page.openProject(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/project/sqlx-lettre"_s);
        ConfigureWizard *wizard = page.wizard();
        QSignalSpy scanned(wizard, &ConfigureWizard::scanFinished);
        QVERIFY(scanned.wait(10000));
        scanned.clear();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(tmp.path())});
        const QPointF at(50, 50);
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(wizard, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(wizard, &drop);
        QVERIFY(scanned.wait(10000));
        QCOMPARE(wizard->repoRoot(), QDir(tmp.path()).absolutePath());
        QCOMPARE(child<QLineEdit>(wizard, u"backendEdit"_s)->text(), u"backend"_s);
    }

    void tlsFindingsAndBadFolders()
    {
        QTemporaryDir tmp;
        QVERIFY(copyTree(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/project/workspace-openssl"_s, tmp.path()));
        ConfigurePage page;
        page.resize(1000, 700);
        page.show();
        ConfigureWizard *wizard = page.wizard();
        QSignalSpy scanned(wizard, &ConfigureWizard::scanFinished);
        page.openProject(tmp.path());
        QVERIFY(scanned.wait(10000));
        QTest::mouseClick(child<QPushButton>(wizard, u"nextButton"_s), Qt::LeftButton);
        const QString tls = child<QLabel>(wizard, u"tlsLabel"_s)->text();
        QVERIFY2(tls.contains(u"api → reqwest → native-tls → openssl-sys"_s), qPrintable(tls));
        QVERIFY2(tls.contains(u"&quot;rustls-tls&quot;"_s), qPrintable(tls));
        auto *binaries = child<QComboBox>(wizard, u"binaryCombo"_s);
        QCOMPARE(binaries->count(), 2);
        shoot(wizard, u"9-backend-tls"_s);

        // A folder without a backend: one sentence, and the wizard stays on Folders.
        scanned.clear();
        page.openProject(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/project/bad-toml"_s);
        QVERIFY(scanned.wait(10000));
        QCOMPARE(scanned.first().first().toBool(), false);
        QCOMPARE(wizard->currentStep(), int(ConfigureWizard::Folders));
        QVERIFY(!child<QPushButton>(wizard, u"nextButton"_s)->isEnabled());
        QVERIFY(child<QLineEdit>(wizard, u"backendEdit"_s)->text().isEmpty()); // nothing left from the last project
        const auto bars = wizard->findChildren<QLabel *>();
        bool shown = false;
        for (QLabel *l : bars)
            shown = shown || (l->isVisible() && l->text().contains(u"does not parse at line 4, column 15"_s));
        QVERIFY(shown);
        shoot(wizard, u"10-error"_s);
    }

    // The wizard's message bar shows a Failure on two lines (failureText) and the CLI on one
    // (sentence()): both end the cause with the same full stop, so they read as the same words.
    void aFailureReadsTheSameOnOneLineAndOnTwo()
    {
        const Failure plain(ErrorClass::Other, u"  The backend folder has no Cargo.toml "_s, u"Pick the folder that holds it."_s);
        QCOMPARE(plain.causeWithStop(), u"The backend folder has no Cargo.toml."_s);
        QCOMPARE(plain.sentence(), u"The backend folder has no Cargo.toml. Pick the folder that holds it."_s);
        QCOMPARE(failureText(plain), u"The backend folder has no Cargo.toml.\nPick the folder that holds it."_s);

        for (const QString &ending : {u"."_s, u"?"_s, u"!"_s}) {
            const Failure ended(ErrorClass::Other, u"Is the engine running"_s + ending, u"Start Docker."_s);
            QCOMPARE(ended.causeWithStop(), u"Is the engine running"_s + ending);
            QCOMPARE(ended.sentence(), u"Is the engine running"_s + ending + u" Start Docker."_s);
            QCOMPARE(failureText(ended), u"Is the engine running"_s + ending + u"\nStart Docker."_s);
        }

        // Without a fix the cause is shown as written; without a cause, only the fix.
        const Failure noFix(ErrorClass::Cancelled, u"Cancelled"_s);
        QCOMPARE(noFix.causeWithStop(), u"Cancelled."_s);
        QCOMPARE(noFix.sentence(), u"Cancelled"_s);
        QCOMPARE(failureText(noFix), u"Cancelled"_s);
        const Failure noCause(ErrorClass::Other, u" "_s, u"Open a project first."_s);
        QCOMPARE(noCause.causeWithStop(), QString());
        QCOMPARE(noCause.sentence(), u"Open a project first."_s);
        QCOMPARE(failureText(noCause), u"Open a project first."_s);
    }
};

QTEST_MAIN(TestConfigure)
#include "tst_configure.moc"
