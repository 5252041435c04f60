// SPDX-License-Identifier: MIT
#include "reviewstep.h"

#include "configure/dockerfilehighlighter.h"

#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ReviewStep::ReviewStep(QWidget *parent)
    : WizardStep(parent)
    , m_summary(richLabel(u"reviewSummary"_s))
    , m_tabs(new QTabWidget)
    , m_dockerfileView(codeView(u"dockerfileView"_s))
    , m_dockerignoreView(codeView(u"dockerignoreView"_s))
    , m_tomlView(codeView(u"tomlView"_s))
    , m_diffView(codeView(u"diffView"_s))
    , m_replaceCheck(new QCheckBox(tr("Replace the existing files with these changes")))
{
    m_tabs->setObjectName(u"reviewTabs"_s);
    new DockerfileHighlighter(m_dockerfileView->document());
    new DockerfileHighlighter(m_dockerignoreView->document());
    new DockerfileHighlighter(m_diffView->document(), DockerfileHighlighter::Mode::Diff);
    m_tabs->addTab(m_dockerfileView, u"Dockerfile"_s);
    m_tabs->addTab(m_dockerignoreView, u".dockerignore"_s);
    m_tabs->addTab(m_tomlView, u"gantry.toml"_s);
    m_tabs->addTab(m_diffView, tr("Changes"));
    m_replaceCheck->setObjectName(u"replaceCheck"_s);
    connect(m_replaceCheck, &QCheckBox::toggled, this, &ReviewStep::replaceToggled);

    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(heading(tr("Review")));
    v->addWidget(m_summary);
    v->addWidget(m_tabs, 1);
    v->addWidget(m_replaceCheck);
}

void ReviewStep::load(const ProjectFacts &, const BuildRecipe &)
{
    m_filesSummary.clear();
    m_replaceCheck->setChecked(false);
}

void ReviewStep::store(BuildRecipe &) const
{
}

QStringList ReviewStep::show(const BuildRecipe &r, const QList<PlannedFile> &plan, const QString &repoRoot)
{
    m_dockerfileView->setPlainText(DockerfileWriter::dockerfile(r));
    m_dockerignoreView->setPlainText(DockerfileWriter::dockerignore(r));
    m_tomlView->setPlainText(r.toToml());
    QString diff;
    QStringList changed, fresh, same;
    for (const PlannedFile &f : plan) {
        diff += f.diff();
        (!f.exists ? fresh : f.changes() ? changed : same) << f.relativePath;
    }
    m_diffView->setPlainText(diff.isEmpty() ? tr("No existing file changes.") : diff);
    m_tabs->setTabEnabled(ChangesTab, !diff.isEmpty());
    QString files = tr("In %1:").arg(html(QDir::toNativeSeparators(repoRoot)));
    if (!fresh.isEmpty())
        files += u' ' + tr("new %1.").arg(html(fresh.join(u", "_s)));
    if (!changed.isEmpty())
        files += u' ' + tr("<b>changes %1</b> (see Changes).").arg(html(changed.join(u", "_s)));
    if (!same.isEmpty())
        files += u' ' + tr("%1 unchanged.").arg(html(same.join(u", "_s)));
    m_filesSummary = files;
    m_summary->setText(recipeSummary(r) + u"<br>"_s + m_filesSummary);
    return changed;
}

void ReviewStep::updateSummary(const BuildRecipe &r)
{
    if (!m_filesSummary.isEmpty())
        m_summary->setText(recipeSummary(r) + u"<br>"_s + m_filesSummary);
}

void ReviewStep::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

bool ReviewStep::replaceConfirmed() const
{
    return m_replaceCheck->isChecked();
}

void ReviewStep::setReplaceOffered(bool offered)
{
    m_replaceCheck->setVisible(offered);
}

void ReviewStep::setReplaceConfirmed(bool confirmed)
{
    m_replaceCheck->setChecked(confirmed);
}

QString ReviewStep::recipeSummary(const BuildRecipe &r) const
{
    // Every choice of the wizard, in the order of its steps.
    QString text = tr("<b>%1</b> for %2 · %3 · %4 toolchain · runtime %5 · port %6")
                       .arg(html(r.effectiveImageTag()), html(r.platforms.isEmpty() ? tr("no platform") : r.platforms.join(u", "_s)),
                            r.strategy == BuildRecipe::Strategy::CrossCompile ? tr("cross-compiled") : tr("emulated"),
                            html(BuildRecipe::toolchainName(r.toolchain)), html(BuildRecipe::runtimeName(r.runtime)))
                       .arg(r.port);
    text += u"<br>"_s + tr("Backend in %1/, binary <b>%2</b>").arg(html(r.backendDir), html(r.binary));
    if (r.frontendDir.isEmpty())
        text += u" · "_s + tr("no frontend");
    else
        text += u" · "_s + tr("frontend in %1/ with %2, output folder <b>%3</b>, Node %4")
                              .arg(html(r.frontendDir), html(BuildRecipe::packageManagerName(r.packageManager)),
                                   html(r.frontendOutputDir), html(r.nodeVersion.isEmpty() ? u"20"_s : r.nodeVersion));
    return text + u"<br>"_s + runtimeSummary(r);
}

QString ReviewStep::runtimeSummary(const BuildRecipe &r) const
{
    QStringList runtime;
    runtime << (r.user.isEmpty() ? tr("runs as root") : tr("runs as %1").arg(html(r.user)));
    runtime << (r.caCertificates ? tr("CA certificates") : tr("no CA certificates"));
    if (!r.env.isEmpty()) {
        QStringList names;
        for (const auto &[k, v] : r.env)
            names << html(k);
        runtime << tr("environment: %1").arg(names.join(u", "_s));
    }
    runtime << (r.builder.isEmpty() ? tr("current builder") : tr("builder %1").arg(html(r.builder)));
    if (!r.cacheMounts)
        runtime << tr("no cache mounts");
    for (auto it = r.baseImages.cbegin(); it != r.baseImages.cend(); ++it)
        runtime << tr("%1 image %2").arg(html(it.key()), html(it.value()));
    return runtime.join(u" · "_s);
}

} // namespace Gantry
