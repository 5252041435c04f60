// SPDX-License-Identifier: MIT
// The Preferences dialog, offscreen: shows the stored values, refuses a docker path that
// does not exist with a sentence, and the main window applies what was accepted.
#include "mainwindow.h"
#include "preferences/preferencesdialog.h"
#include "testsupport.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

class TestPreferencesDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"GantryTests"_s);
        QCoreApplication::setApplicationName(u"tst_preferencesdialog"_s);
        QSettings().clear();
    }

    void showsAndValidates()
    {
        Preferences p;
        p.defaultRuntime = u"distroless"_s;
        PreferencesDialog dialog(p);
        dialog.show();
        auto *docker = dialog.findChild<QLineEdit *>(u"dockerPath"_s);
        QVERIFY(docker);
        QVERIFY2(docker->placeholderText().contains(GantryTest::dockerExecutable()), qPrintable(docker->placeholderText()));
        QCOMPARE(dialog.preferences().defaultRuntime, u"distroless"_s);
        docker->setText(u"/nonexistent/docker"_s);
        dialog.accept();
        QVERIFY(dialog.isVisible()); // refused
        bool shown = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            shown = shown || (label->isVisible() && label->text().contains(u"/nonexistent/docker does not exist"_s));
        QVERIFY(shown);
        docker->clear();
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void recentProjectsInMenuAndRestored()
    {
        QTemporaryDir dir;
        const QString project = dir.filePath(u"my project"_s);
        QVERIFY(QDir().mkpath(project));
        {
            MainWindow window;
            window.openProject(project);
            QCOMPARE(window.preferences().recentProjects.value(0), project);
            bool listed = false;
            for (QAction *a : window.recentMenu()->actions())
                listed = listed || a->text().contains(project);
            QVERIFY(listed);
        }
        // A new window (the next start) sees it in the stored preferences.
        QCOMPARE(Preferences::load().recentProjects.value(0), project);
        // ... and lists it on the start page, where one click opens it.
        MainWindow next;
        QLabel *links = nullptr; // the start page's (Configure's empty state); other pages list none
        for (QLabel *label : next.findChildren<QLabel *>(u"emptyStateLinks"_s))
            if (!label->text().isEmpty())
                links = label;
        QVERIFY(links);
        QVERIFY2(links->text().contains(u"my project"_s), qPrintable(links->text()));
        QVERIFY(next.projectFolder().isEmpty());
        emit links->linkActivated(u"open:"_s + QString::fromUtf8(QUrl::toPercentEncoding(project)));
        QCOMPARE(next.projectFolder(), project);
    }
};

QTEST_MAIN(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
