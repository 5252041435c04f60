// SPDX-License-Identifier: MIT
// The Configure wizard shows where each guess came from, on Gantry's workspace fixture
// (tests/data/workspace-stack): the binary with its package, folder and reasons, every
// binary with its package, and the frontend's output folder with the place that named it.
// Screenshots of both steps go to build/<preset>/screenshots/provenance-*.png.
#include "configure/configurewizard.h"
#include "pages/configurepage.h"
#include "testsupport.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {
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
    QTest::qWait(30);
    w->grab().save(dir + u"/provenance-"_s + name + u".png"_s, "PNG");
}
} // namespace

class TestWizardProvenance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsWhereGuessesCameFrom()
    {
        qputenv("GANTRY_CARGO", "none");
        QTemporaryDir tmp;
        QVERIFY(GantryTest::copyTree(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/workspace-stack"_s, tmp.path()));
        ConfigurePage page;
        page.resize(1000, 760);
        page.show();
        ConfigureWizard *wizard = page.wizard();
        QSignalSpy scanned(wizard, &ConfigureWizard::scanFinished);
        page.openProject(tmp.path());
        QVERIFY(scanned.wait(10000));
        QVERIFY(scanned.first().first().toBool());
        QTest::mouseClick(child<QPushButton>(wizard, u"nextButton"_s), Qt::LeftButton);
        QCOMPARE(child<QComboBox>(wizard, u"binaryCombo"_s)->currentText(), u"stack-api"_s);
        const QString binary = child<QLabel>(wizard, u"binaryProvenance"_s)->text();
        QVERIFY2(binary.contains(u"<b>stack-api</b> — package stack-server in crates/server: depends on axum"_s), qPrintable(binary));
        QVERIFY2(binary.contains(u"All binaries: stack-api (stack-server), stack-tools (stack-tools)"_s), qPrintable(binary));
        shoot(wizard, u"backend"_s);
        QTest::mouseClick(child<QPushButton>(wizard, u"nextButton"_s), Qt::LeftButton);
        QCOMPARE(child<QLineEdit>(wizard, u"outputEdit"_s)->text(), u"site"_s);
        const QString output = child<QLabel>(wizard, u"outputProvenance"_s)->text();
        QVERIFY2(output.contains(u"<b>site</b> — from the build script's --out-dir"_s), qPrintable(output));
        shoot(wizard, u"frontend"_s);
    }
};

QTEST_MAIN(TestWizardProvenance)
#include "tst_wizard_provenance.moc"
