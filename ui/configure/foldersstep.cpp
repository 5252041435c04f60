// SPDX-License-Identifier: MIT
#include "foldersstep.h"

#include "widgets/wording.h"

#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

FoldersStep::FoldersStep(QWidget *parent)
    : WizardStep(parent)
    , m_rootEdit(new QLineEdit)
    , m_backendEdit(new QLineEdit)
    , m_frontendEdit(new QLineEdit)
    , m_summary(richLabel(u"foldersSummary"_s))
{
    m_rootEdit->setObjectName(u"rootEdit"_s);
    m_rootEdit->setPlaceholderText(tr("The repository's folder (drop it here)"));
    auto *choose = new QPushButton(tr("Choose…"));
    connect(choose, &QPushButton::clicked, this, &FoldersStep::chooseFolderRequested);
    connect(m_rootEdit, &QLineEdit::returnPressed, this, [this] { Q_EMIT scanRequested(m_rootEdit->text(), {}, {}); });
    auto *rootRow = new QHBoxLayout;
    rootRow->addWidget(m_rootEdit, 1);
    rootRow->addWidget(choose);

    m_backendEdit->setObjectName(u"backendEdit"_s);
    m_backendEdit->setPlaceholderText(tr("found on its own"));
    m_frontendEdit->setObjectName(u"frontendEdit"_s);
    m_frontendEdit->setPlaceholderText(tr("found on its own; none if there is no package.json with a build script"));
    auto *rescan = new QPushButton(tr("Scan Again"));
    rescan->setObjectName(u"rescanButton"_s);
    connect(rescan, &QPushButton::clicked, this, [this] {
        Q_EMIT scanRequested(m_rootEdit->text(), m_backendEdit->text().trimmed(), m_frontendEdit->text().trimmed());
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Repository:"), rootRow);
    form->addRow(tr("Backend folder:"), m_backendEdit);
    form->addRow(tr("Frontend folder:"), m_frontendEdit);
    auto *rescanRow = new QHBoxLayout;
    rescanRow->addWidget(rescan);
    rescanRow->addStretch(1);
    form->addRow(QString(), rescanRow);
    auto *v = new QVBoxLayout;
    v->addLayout(form);
    v->addSpacing(8);
    v->addWidget(m_summary);
    setPage(tr("Folders"),
            tr("The repository holds the Rust backend (Cargo.toml) and the JavaScript frontend (package.json). "
               "Gantry finds both on its own; type a folder (relative to the repository) and scan again to pick another."),
            v);
}

void FoldersStep::scanning(const QString &folder, bool newFolder)
{
    m_rootEdit->setText(QDir::toNativeSeparators(folder));
    if (newFolder) {
        // A new folder: nothing of the previous project's folders applies to it.
        m_backendEdit->clear();
        m_frontendEdit->clear();
        m_summary->clear();
    }
}

void FoldersStep::clearSummary()
{
    m_summary->clear();
}

void FoldersStep::load(const ProjectFacts &facts, const BuildRecipe &)
{
    m_backendEdit->setText(facts.backendRelative());
    m_frontendEdit->setText(facts.frontend ? facts.frontendRelative() : QString());
    m_summary->setText(summary(facts));
}

void FoldersStep::store(BuildRecipe &) const
{
    // The folders are the scan's (recipe.backendDir, recipe.frontendDir): typing one asks for a new scan.
}

QString FoldersStep::summary(const ProjectFacts &facts) const
{
    const BackendFacts &b = facts.backend;
    QString summary = tr("<b>Backend:</b> %1 — %2").arg(html(facts.backendRelative()),
                                                       html(b.packageName.isEmpty()
                                                                ? counted(b.workspaceMembers.size(), tr("workspace of %1 member"), tr("workspace of %1 members"))
                                                                : b.packageName + u' ' + b.version));
    summary += u"<br>"_s;
    summary += facts.frontend ? tr("<b>Frontend:</b> %1 — %2, %3").arg(html(facts.frontendRelative()),
                                                                      html(PackageManagers::name(facts.frontend->packageManager)),
                                                                      html(facts.frontend->buildScript))
                              : tr("<b>Frontend:</b> none found");
    if (!b.tlsFindings.isEmpty())
        summary += u"<br>"_s + counted(b.tlsFindings.size(), tr("<b>TLS:</b> %1 crate brings in OpenSSL — see the next page."),
                                          tr("<b>TLS:</b> %1 crates bring in OpenSSL — see the next page."));
    for (const QString &n : facts.notes)
        summary += u"<br>"_s + html(n);
    return summary;
}

} // namespace Gantry
