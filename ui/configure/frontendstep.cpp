// SPDX-License-Identifier: MIT
#include "frontendstep.h"

#include "recipe/recipedefaults.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

FrontendStep::FrontendStep(QWidget *parent)
    : WizardStep(parent)
    , m_summary(richLabel(u"frontendSummary"_s))
    , m_outputNote(richLabel(u"frontendOutputNote"_s))
    , m_enabled(new QCheckBox(tr("Build the frontend and serve its files from the image")))
    , m_packageManagerCombo(new QComboBox)
    , m_outputEdit(new QLineEdit)
    , m_outputProvenance(richLabel(u"outputProvenance"_s))
    , m_nodeEdit(new QLineEdit)
{
    m_enabled->setObjectName(u"frontendEnabled"_s);
    m_packageManagerCombo->setObjectName(u"packageManagerCombo"_s);
    for (const PackageManagerTraits &pm : PackageManagers::all())
        m_packageManagerCombo->addItem(pm.name, int(pm.manager));
    m_outputEdit->setObjectName(u"outputEdit"_s);
    m_nodeEdit->setObjectName(u"nodeEdit"_s);
    m_nodeEdit->setPlaceholderText(u"20"_s);
    auto *form = new QFormLayout;
    form->addRow(QString(), m_enabled);
    form->addRow(tr("Package manager:"), m_packageManagerCombo);
    form->addRow(tr("Output folder:"), m_outputEdit);
    form->addRow(QString(), m_outputProvenance);
    form->addRow(tr("Node major version:"), m_nodeEdit);
    connect(m_enabled, &QCheckBox::toggled, this, [this](bool on) {
        m_packageManagerCombo->setEnabled(on);
        m_outputEdit->setEnabled(on);
        m_nodeEdit->setEnabled(on);
    });
    connect(m_outputEdit, &QLineEdit::textChanged, this, &FrontendStep::updateOutputNote);
    auto *v = new QVBoxLayout;
    v->addWidget(m_summary);
    v->addWidget(m_outputNote);
    v->addLayout(form);
    setPage(tr("Frontend"),
            tr("The frontend is built once, on the build machine's own platform (its files are the same for every "
               "architecture), and copied into the image next to the backend."),
            v);
    emitChangedOnEdit();
}

void FrontendStep::load(const ProjectFacts &facts, const BuildRecipe &r)
{
    m_facts = facts;
    m_enabled->setChecked(!r.frontendDir.isEmpty());
    m_enabled->setEnabled(facts.frontend.has_value());
    m_summary->setText(summary(facts));
    m_packageManagerCombo->setCurrentIndex(m_packageManagerCombo->findData(int(r.packageManager)));
    m_outputEdit->setText(r.frontendOutputDir);
    m_nodeEdit->setText(r.nodeVersion);
    updateProvenance();
    updateOutputNote();
}

void FrontendStep::store(BuildRecipe &r) const
{
    if (!m_facts)
        return;
    r.frontendRoot.clear();
    if (m_enabled->isChecked() && m_facts->frontend) {
        r.frontendRoot = recipeFromFacts(*m_facts).frontendRoot;
        r.frontendDir = m_facts->frontendRelative();
        r.packageManager = PackageManager(m_packageManagerCombo->currentData().toInt());
        r.frontendOutputDir = m_outputEdit->text().trimmed();
        r.nodeVersion = m_nodeEdit->text().trimmed();
    } else {
        r.frontendDir.clear();
    }
}

QString FrontendStep::summary(const ProjectFacts &facts) const
{
    if (!facts.frontend)
        return tr("No frontend: the image will hold the backend only.");
    const FrontendFacts &f = *facts.frontend;
    return tr("<b>%1</b> in %2 · build script <code>%3</code> · lockfile %4 · Node asked for: %5")
        .arg(html(f.packageName), html(facts.frontendRelative()), html(f.buildScript),
             html(f.lockfile.isEmpty() ? tr("none") : f.lockfile), html(f.nodeVersion.isEmpty() ? tr("not said") : f.nodeVersion));
}

void FrontendStep::updateProvenance()
{
    if (!m_facts || !m_facts->frontend) {
        m_outputProvenance->clear();
        return;
    }
    const FrontendFacts &f = *m_facts->frontend;
    QString out = f.outputIsGuess
                      ? tr("<span style=\"color:#b45309\">⚠</span> <b>%1</b> is a guess (%2). Check the folder your build writes and type it above.")
                            .arg(html(f.outputDir), html(f.outputReason))
                      : tr("<b>%1</b> — from %2").arg(html(f.outputDir), html(f.outputReason));
    if (!f.outputAlternatives.isEmpty())
        out += u"<br>"_s + tr("Other folders a build there could write: %1").arg(html(f.outputAlternatives.join(u", "_s)));
    if (!f.nodeSource.isEmpty())
        out += u"<br>"_s + tr("Node %1 — from %2").arg(html(f.nodeVersion), html(QDir(m_facts->repoRoot).relativeFilePath(f.nodeSource)));
    m_outputProvenance->setText(out);
}

void FrontendStep::updateOutputNote()
{
    if (!m_facts)
        return;
    if (!m_facts->frontend) {
        m_outputNote->clear();
        return;
    }
    const FrontendFacts &f = *m_facts->frontend;
    const QString typed = m_outputEdit->text().trimmed();
    m_outputNote->setText(typed == f.outputDir || typed.isEmpty()
                              ? tr("Output folder: <b>%1</b> (%2)").arg(html(f.outputDir), html(f.outputReason))
                              : tr("Output folder: <b>%1</b> — your choice; the scan found %2 (%3)")
                                    .arg(html(typed), html(f.outputDir), html(f.outputReason)));
}

} // namespace Gantry
