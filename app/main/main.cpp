// SPDX-License-Identifier: MIT
#include "cli/cli.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCoreApplication::setOrganizationName(u"Gantry"_s);
    QCoreApplication::setOrganizationDomain(u"gantry.dev"_s);
    QCoreApplication::setApplicationName(u"Gantry"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(GANTRY_VERSION));

    if (Gantry::Cli::isCliInvocation(arguments)) {
        QCoreApplication app(argc, argv);
        return Gantry::Cli::run(arguments);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"Gantry"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/gantry.svg"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Build, inspect and ship small Rust web containers."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOpt(u"screenshot"_s,
        u"Open the window, wait for the Docker check, save a PNG of it to FILE and quit."_s, u"FILE"_s);
    const QCommandLineOption pageOpt(u"page"_s, u"Start on this page: configure, build, inspect or ship."_s, u"PAGE"_s);
    parser.addOption(screenshotOpt);
    parser.addOption(pageOpt);
    parser.addPositionalArgument(u"folder"_s, u"A project folder to open."_s, u"[FOLDER]"_s);
    parser.process(app);

    Gantry::MainWindow window;
    if (parser.isSet(pageOpt))
        window.showPage(parser.value(pageOpt));
    if (!parser.positionalArguments().isEmpty())
        window.openProject(QDir(parser.positionalArguments().constFirst()).absolutePath());
    window.show();

    if (parser.isSet(screenshotOpt)) {
        const QString file = parser.value(screenshotOpt);
        window.whenDockerChecked([&window, file] {
            const bool saved = window.saveScreenshot(file);
            QTextStream(stdout) << (saved ? "screenshot: " : "could not write screenshot: ")
                                << QDir(file).absolutePath() << '\n';
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
