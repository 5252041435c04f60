// SPDX-License-Identifier: MIT
#pragma once

#include "configure/wizardstep.h"
#include "recipe/dockerfilewriter.h"

class QCheckBox;
class QTabWidget;

namespace Gantry {

/// Step 6: the files the recipe makes (Dockerfile, .dockerignore, gantry.toml) and what
/// would change in the repository, with the confirmation to replace changed files.
class ReviewStep : public WizardStep
{
    Q_OBJECT
public:
    explicit ReviewStep(QWidget *parent = nullptr);
    /// A new project: nothing shown yet, nothing confirmed.
    void load(const ProjectFacts &facts, const BuildRecipe &recipe) override;
    /// The review only shows the recipe: it stores nothing.
    void store(BuildRecipe &recipe) const override;

    /// What the files say, and which would be new, change or stay (in repoRoot). Returns the
    /// files that would change.
    QStringList show(const BuildRecipe &recipe, const QList<PlannedFile> &plan, const QString &repoRoot);
    /// Redoes the recipe line of the summary (once the files were shown).
    void updateSummary(const BuildRecipe &recipe);
    enum Tab { DockerfileTab, DockerignoreTab, TomlTab, ChangesTab };
    void setCurrentTab(Tab tab);
    bool replaceConfirmed() const;
    void setReplaceOffered(bool offered);
    void setReplaceConfirmed(bool confirmed);

Q_SIGNALS:
    void replaceToggled();

private:
    QString recipeSummary(const BuildRecipe &r) const;
    QString runtimeSummary(const BuildRecipe &r) const;

    QLabel *m_summary;
    QString m_filesSummary; ///< "In <repo>: new …, changes …"
    QTabWidget *m_tabs;
    QPlainTextEdit *m_dockerfileView;
    QPlainTextEdit *m_dockerignoreView;
    QPlainTextEdit *m_tomlView;
    QPlainTextEdit *m_diffView;
    QCheckBox *m_replaceCheck;
};

} // namespace Gantry
