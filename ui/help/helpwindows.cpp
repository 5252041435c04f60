// SPDX-License-Identifier: MIT
#include "helpwindows.h"

#include "libraryversions.h"
#include "widgets/wording.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QFile>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QDialogButtonBox *closeButtons(QDialog *dialog)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return buttons;
}

QString plainMenuText(QString text)
{
    text.remove(u'&');
    if (text.endsWith(u"…"_s))
        text.chop(1);
    return text;
}

} // namespace

GuideWindow::GuideWindow(QWidget *parent)
    : QDialog(parent)
    , m_browser(new QTextBrowser(this))
{
    setObjectName(u"UserGuide"_s);
    setWindowTitle(tr("Gantry User Guide"));
    m_browser->setOpenExternalLinks(true);
    m_browser->setSearchPaths({u":/docs"_s});
    QFile guide(u":/docs/user-guide.md"_s);
    if (guide.open(QIODevice::ReadOnly))
        m_browser->setMarkdown(QString::fromUtf8(guide.readAll()));
    else
        m_browser->setPlainText(tr("The user guide is not part of this build of Gantry. It is docs/user-guide.md in the source."));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser, 1);
    layout->addWidget(closeButtons(this));
    resize(860, 680);
}

bool GuideWindow::showSection(const QString &title)
{
    for (QTextBlock block = m_browser->document()->begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() > 0 && block.text().contains(title, Qt::CaseInsensitive)) {
            QTextCursor cursor(block);
            m_browser->setTextCursor(cursor);
            // The heading at the top of the view, not merely somewhere in it.
            m_browser->verticalScrollBar()->setValue(m_browser->verticalScrollBar()->maximum());
            m_browser->ensureCursorVisible();
            return true;
        }
    }
    return false;
}

ShortcutsSheet::ShortcutsSheet(QWidget *menuOwner, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"ShortcutsSheet"_s);
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto *tree = new QTreeWidget(this);
    tree->setObjectName(u"ShortcutsTable"_s);
    tree->setColumnCount(2);
    tree->setHeaderLabels({tr("Command"), tr("Shortcut")});
    tree->setRootIsDecorated(false);
    tree->setAlternatingRowColors(true);
    tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree->header()->setStretchLastSection(false);
    QMenuBar *bar = menuOwner ? menuOwner->findChild<QMenuBar *>() : nullptr;
    for (QAction *menuAction : bar ? bar->actions() : QList<QAction *>()) {
        QMenu *menu = menuAction->menu();
        if (!menu)
            continue;
        for (QAction *a : menu->actions()) {
            if (a->shortcut().isEmpty())
                continue;
            auto *item = new QTreeWidgetItem(tree, {plainMenuText(menuAction->text()) + u" ▸ "_s + plainMenuText(a->text()),
                                                    a->shortcut().toString(QKeySequence::NativeText)});
            item->setToolTip(0, a->toolTip());
        }
    }
    auto *note = new QLabel(tr("In the Build page, Enter on an error location opens it in your editor (Preferences ▸ Editor). "
                               "In the wizard, the step names on the left jump back to any step already reached."), this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tree, 1);
    layout->addWidget(note);
    layout->addWidget(closeButtons(this));
    resize(520, 480);
}

DockerSetupWindow::DockerSetupWindow(QWidget *parent)
    : QDialog(parent)
    , m_headline(new QLabel(this))
    , m_report(new QPlainTextEdit(this))
    , m_again(new QPushButton(tr("Check Again"), this))
{
    setObjectName(u"DockerSetupDialog"_s);
    setWindowTitle(tr("Docker Setup"));
    QFont bold = m_headline->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_headline->setFont(bold);
    m_headline->setWordWrap(true);
    m_headline->setObjectName(u"DockerSetupHeadline"_s);
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_report->setObjectName(u"DockerSetupReport"_s);
    m_report->setMinimumSize(560, 240);
    connect(m_again, &QPushButton::clicked, this, &DockerSetupWindow::checkAgainRequested);
    auto *buttons = closeButtons(this);
    buttons->addButton(m_again, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(m_report, 1);
    layout->addWidget(buttons);
    setChecking();
}

void DockerSetupWindow::setChecking()
{
    m_headline->setText(tr("Checking Docker…"));
    m_report->setPlainText(tr("Asking the docker client, the engine and buildx. This takes a few seconds."));
    m_again->setEnabled(false);
}

void DockerSetupWindow::setEnvironment(const DockerEnvironment &environment)
{
    int errors = 0, warnings = 0;
    for (const DockerProblem &p : environment.problems)
        (p.isError() ? errors : warnings)++;
    m_headline->setText(errors     ? counted(errors, tr("Docker is not ready: %1 problem to fix."), tr("Docker is not ready: %1 problems to fix."))
                        : warnings ? counted(warnings, tr("Docker is ready, with %1 warning."), tr("Docker is ready, with %1 warnings."))
                                   : tr("Docker is ready: Gantry can build and inspect images."));
    m_report->setPlainText(environment.report());
    m_again->setEnabled(true);
}

QString DockerSetupWindow::headline() const { return m_headline->text(); }
QString DockerSetupWindow::reportText() const { return m_report->toPlainText(); }

AboutDialog::AboutDialog(const DockerEnvironment &docker, bool dockerChecked, const QString &sshVersion, QWidget *parent)
    : QDialog(parent)
    , m_text(new QTextBrowser(this))
{
    setObjectName(u"AboutDialog"_s);
    setWindowTitle(tr("About Gantry"));
    m_text->setOpenExternalLinks(true);
    m_text->setFrameShape(QFrame::NoFrame);
    QString html = tr("<h2>Gantry %1</h2><p>Build a small Linux container for your Rust web app on this machine, "
                      "see what makes it big, and ship it to your server over SSH.</p>")
                       .arg(linkedComponents().constFirst().version.toHtmlEscaped());
    html += tr("<p>Gantry is free software under the MIT licence.</p>");
    html += u"<table cellpadding='3'><tr><th align='left'>%1</th><th align='left'>%2</th><th align='left'>%3</th></tr>"_s
                .arg(tr("Part"), tr("Version"), tr("Licence"));
    const auto row = [&html](const QString &name, const QString &version, const QString &licence, const QString &url) {
        const QString shownName = url.isEmpty() ? name.toHtmlEscaped() : u"<a href='%1'>%2</a>"_s.arg(url, name.toHtmlEscaped());
        html += u"<tr><td>%1</td><td>%2</td><td>%3</td></tr>"_s.arg(shownName, version.isEmpty() ? tr("unknown") : version.toHtmlEscaped(),
                                                                 licence.toHtmlEscaped());
    };
    for (const Component &c : linkedComponents())
        row(c.name, c.version, c.licence, c.url);
    const QString notChecked = dockerChecked ? tr("not found") : tr("still checking");
    row(tr("docker client (run, not linked)"), docker.clientVersion.isEmpty() ? notChecked : docker.clientVersion, u"Apache-2.0"_s, QString());
    row(tr("Docker engine"), docker.engineVersion.isEmpty() ? notChecked : docker.engineVersion, u"Apache-2.0"_s, QString());
    row(tr("docker buildx"), docker.buildxVersion.isEmpty() ? notChecked : docker.buildxVersion, u"Apache-2.0"_s, QString());
    row(tr("OpenSSH client (run, not linked)"), sshVersion, u"BSD"_s, QString());
    html += u"</table>"_s;
    html += tr("<p>Qt is used under the GNU LGPL version 3: you may replace the Qt libraries this app loads with your own build.</p>");
    m_text->setHtml(html);
    auto *buttons = closeButtons(this);
    auto *aboutQt = buttons->addButton(tr("About Qt"), QDialogButtonBox::ActionRole);
    connect(aboutQt, &QPushButton::clicked, this, [this] { QMessageBox::aboutQt(this); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(560, 460);
}

QString AboutDialog::text() const { return m_text->toPlainText(); }

} // namespace Gantry
