// SPDX-License-Identifier: MIT
#include "cli/cli.h"
#include "macos/fileopenforwarder.h"
#include "mainwindow.h"
#include "settings/preferences.h"
#include "preferences/preferencesdialog.h"
#include "settings/toolpaths.h"
#include "ship/askpass.h"
#include "ship/coredumps.h"
#include "ship/sshfolders.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QPalette>
#include <QStyle>
#include <QStyleHints>
#include <QTimer>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace {

/// GANTRY_COLOR_SCHEME=dark|light: follow that scheme instead of the system's (screenshots,
/// and desktops whose theme Qt cannot read). Where the platform cannot switch, Fusion's
/// palette is set to match.
void applyColorScheme(const QString &scheme)
{
    if (scheme != u"dark" && scheme != u"light")
        return;
    const bool dark = scheme == u"dark";
    QGuiApplication::styleHints()->setColorScheme(dark ? Qt::ColorScheme::Dark : Qt::ColorScheme::Light);
    const bool isDark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    if (isDark == dark)
        return;
    QApplication::setStyle(u"Fusion"_s);
    if (!dark) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2e), base(0x1e, 0x1e, 0x20), text(0xe8, 0xe8, 0xea);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8e, 0x8e, 0x93));
    p.setColor(QPalette::Highlight, QColor(0x0a, 0x84, 0xff));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x4d, 0xa3, 0xff));
    p.setColor(QPalette::Mid, QColor(0x3a, 0x3a, 0x3c));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7c, 0x7c, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7c, 0x7c, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7c, 0x7c, 0x80));
    QApplication::setPalette(p);
}

/// `gantry COMMAND ...`: the CLI, without a window.
int runCli(int argc, char **argv, const QStringList &arguments)
{
#ifdef Q_OS_MACOS
    // A CoreFoundation run loop under Qt's event loops, so that anything posted to the
    // main dispatch queue (system frameworks, QtKeychain's writes) is delivered in the
    // CLI too; secret reads do not depend on it (SecretStore::readSecret).
    qputenv("QT_EVENT_DISPATCHER_CORE_FOUNDATION", "1");
#endif
    QCoreApplication app(argc, argv);
    Gantry::applyToolPreferences(Gantry::Preferences::load());
    Gantry::SshFolders::closeLeftoversAtStart(); // ssh masters a crashed Gantry left logged in
    return Gantry::Cli::run(arguments);
}

/// The window's command line: `gantry [--page P] [--image I] [--size WxH] [--screenshot F] [PATH]`.
struct GuiOptions
{
    QCommandLineParser parser;
    const QCommandLineOption screenshot{u"screenshot"_s,
        u"Open the window, wait for the Docker check, save a PNG of it to FILE and quit."_s, u"FILE"_s};
    const QCommandLineOption page{u"page"_s, u"Start on this page: configure, build, inspect or ship (with --screenshot also: preferences)."_s, u"PAGE"_s};
    const QCommandLineOption delay{u"screenshot-delay"_s,
        u"With --screenshot: wait MS milliseconds more (for pages that load in the background)."_s, u"MS"_s, u"0"_s};
    const QCommandLineOption image{u"image"_s, u"Inspect IMAGE from the engine and make it the one to ship."_s, u"IMAGE"_s};
    const QCommandLineOption size{u"size"_s, u"Open the window at WIDTHxHEIGHT (e.g. for screenshots)."_s, u"WxH"_s};

    explicit GuiOptions(const QApplication &app)
    {
        parser.setApplicationDescription(u"Build, inspect and ship small Rust web containers."_s);
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({screenshot, delay, page, image, size});
        parser.addPositionalArgument(u"path"_s, u"A project folder to open, or an image archive to inspect."_s, u"[FOLDER|ARCHIVE]"_s);
        parser.process(app);
    }
};

/// --screenshot: once the Docker check is done (and --screenshot-delay later), saves the window
/// (or the Preferences dialog) as a PNG and quits.
void takeScreenshotWhenReady(Gantry::MainWindow &window, const GuiOptions &o)
{
    const QString file = o.parser.value(o.screenshot);
    const bool preferences = o.parser.value(o.page) == u"preferences";
    const int delay = o.parser.value(o.delay).toInt();
    window.whenDockerChecked([&window, file, preferences, delay] {
        QTimer::singleShot(delay, &window, [&window, file, preferences] {
            bool saved = false;
            if (preferences) {
                auto *dialog = new Gantry::PreferencesDialog(window.preferences(), &window);
                dialog->show();
                saved = dialog->grab().save(file, "PNG");
            } else {
                saved = window.saveScreenshot(file);
            }
            QTextStream(stdout) << (saved ? "screenshot: " : "could not write screenshot: ") << QDir(file).absolutePath() << '\n';
            QCoreApplication::exit(saved ? 0 : 1);
        });
    });
}

/// The window.
int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"Gantry"_s);
    Gantry::applyToolPreferences(Gantry::Preferences::load());
#ifndef Q_OS_MACOS
    // On macOS the Dock shows the bundle's gantry.icns; setting the SVG would replace it.
    QApplication::setWindowIcon(QIcon(u":/icons/gantry.svg"_s));
#endif
    applyColorScheme(qEnvironmentVariable("GANTRY_COLOR_SCHEME"));
    // ssh masters a crashed Gantry left logged in (`ssh -O exit` can take seconds: not here).
    QThreadPool::globalInstance()->start([] { Gantry::SshFolders::closeLeftoversAtStart(); });
    const GuiOptions o(app);

    Gantry::MainWindow window;
    // Folders and archives from Finder (dropped on the Dock icon, "Open With"): QEvent::FileOpen.
    app.installEventFilter(new Gantry::FileOpenForwarder([&window](const QString &path) { window.openPath(path); }, &app));
    window.openAtStart(o.parser.positionalArguments().value(0), !o.parser.isSet(o.screenshot));
    if (o.parser.isSet(o.image))
        window.useImage(o.parser.value(o.image));
    if (o.parser.isSet(o.page))
        window.showPage(o.parser.value(o.page));
    if (o.parser.isSet(o.size)) {
        const QStringList wh = o.parser.value(o.size).split(u'x');
        if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    window.show();
    if (o.parser.isSet(o.screenshot))
        takeScreenshotWhenReady(window, o);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    // Run by ssh as SSH_ASKPASS: ask the Gantry process that started ssh, print the answer.
    // It holds the secret it prints: no core dump.
    if (qEnvironmentVariableIsSet(Gantry::askpassSocketVariable())) {
        Gantry::keepSecretsOutOfCoreDumps();
        return Gantry::askpassClientMain(argc, argv);
    }

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCoreApplication::setOrganizationName(u"Gantry"_s);
    QCoreApplication::setOrganizationDomain(u"gantry.dev"_s);
    QCoreApplication::setApplicationName(u"Gantry"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(GANTRY_VERSION));

    if (Gantry::Cli::isCliInvocation(arguments))
        return runCli(argc, argv, arguments);
    return runGui(argc, argv);
}
