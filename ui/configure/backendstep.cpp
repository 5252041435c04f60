// SPDX-License-Identifier: MIT
#include "backendstep.h"

#include "recipe/recipedefaults.h"
#include "widgets/wording.h"

#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

BackendStep::BackendStep(QWidget *parent)
    : WizardStep(parent)
    , m_summary(richLabel(u"backendSummary"_s))
    , m_binaryCombo(new QComboBox)
    , m_binaryProvenance(richLabel(u"binaryProvenance"_s))
    , m_tlsLabel(richLabel(u"tlsLabel"_s))
    , m_notes(wrapLabel())
{
    m_binaryCombo->setObjectName(u"binaryCombo"_s);
    m_notes->setObjectName(u"backendNotes"_s);
    auto *form = new QFormLayout;
    form->addRow(tr("Binary to ship:"), m_binaryCombo);
    form->addRow(QString(), m_binaryProvenance);
    connect(m_binaryCombo, &QComboBox::currentTextChanged, this, &BackendStep::updateProvenance);
    auto *tlsBox = new QGroupBox(tr("TLS and OpenSSL"));
    auto *tlsLayout = new QVBoxLayout(tlsBox);
    tlsLayout->addWidget(m_tlsLabel);
    auto *v = new QVBoxLayout;
    v->addWidget(m_summary);
    v->addLayout(form);
    v->addWidget(tlsBox);
    v->addWidget(m_notes);
    setPage(tr("Backend"),
            tr("What Cargo.toml and Cargo.lock say. A static binary for a small image is easiest when nothing links "
               "OpenSSL: Gantry lists the crates that bring it in and the switch to rustls."),
            v);
    emitChangedOnEdit();
}

void BackendStep::load(const ProjectFacts &facts, const BuildRecipe &r)
{
    m_facts = facts;
    const BackendFacts &b = facts.backend;
    QStringList facts1;
    if (!b.packageName.isEmpty())
        facts1 << tr("Package <b>%1</b> %2").arg(html(b.packageName), html(b.version));
    if (!b.workspaceMembers.isEmpty())
        facts1 << tr("Workspace members: %1").arg(html(b.workspaceMembers.join(u", "_s)));
    if (!b.edition.isEmpty())
        facts1 << tr("Edition %1").arg(html(b.edition));
    if (!b.rustVersion.isEmpty())
        facts1 << tr("rust-version %1").arg(html(b.rustVersion));
    facts1 << counted(b.dependencies.size(), tr("%1 direct dependency"), tr("%1 direct dependencies"));
    m_summary->setText(facts1.join(u" · "_s));
    m_binaryCombo->clear();
    m_binaryCombo->addItems(b.binaries);
    m_binaryCombo->setCurrentText(r.binary.isEmpty() ? b.defaultBinary : r.binary);
    m_tlsLabel->setText(tlsText(b));
    m_notes->setText(b.notes.join(u'\n'));
    updateProvenance();
}

void BackendStep::store(BuildRecipe &r) const
{
    if (!m_facts)
        return;
    r.backendDir = m_facts->backendRelative();
    r.binary = m_binaryCombo->currentText();
    applyWorkspaceLayout(r, *m_facts); // the workspace's folders for the binary chosen
}

QString BackendStep::tlsText(const BackendFacts &b) const
{
    if (!b.hasLockfile)
        return tr("There is no Cargo.lock, so Gantry cannot tell which crates bring in OpenSSL.");
    if (b.tlsFindings.isEmpty())
        return tr("<span style=\"color:#15803d\">✔</span> Nothing in Cargo.lock brings in OpenSSL: "
                  "the binary links statically without a C library to cross-compile.");
    QString t;
    for (const TlsFinding &f : b.tlsFindings) {
        t += tr("<p><span style=\"color:#b45309\">⚠</span> <b>%1 %2</b> brings in <b>%3</b><br>"
                "<code>%4</code><br><i>Fix:</i> %5</p>")
                 .arg(html(f.crate), html(f.crateVersion), html(f.opensslCrate), html(f.chainText()), html(f.fix));
    }
    return t;
}

void BackendStep::updateProvenance()
{
    if (!m_facts)
        return;
    const BackendFacts &b = m_facts->backend;
    QString text;
    QStringList all;
    for (const BinaryCandidate &c : b.candidates) {
        const QString folder = QDir(m_facts->repoRoot).relativeFilePath(c.packageDir);
        if (c.binary == m_binaryCombo->currentText() && text.isEmpty())
            text = tr("<b>%1</b> — package %2 in %3%4").arg(html(c.binary), html(c.package), html(folder.isEmpty() ? u"."_s : folder),
                                                          c.reasons.isEmpty() ? QString() : tr(": %1").arg(html(c.reasons.join(u", "_s))));
        all << tr("%1 (%2)").arg(html(c.binary), html(c.package));
    }
    if (all.size() > 1)
        text += u"<br>"_s + tr("All binaries: %1").arg(all.join(u", "_s));
    if (!b.metadataSource.isEmpty())
        text += u"<br><small>"_s + tr("Read with %1.").arg(html(b.metadataSource)) + u"</small>"_s;
    m_binaryProvenance->setText(text);
}

} // namespace Gantry
