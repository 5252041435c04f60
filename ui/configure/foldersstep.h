// SPDX-License-Identifier: MIT
#pragma once

#include "configure/wizardstep.h"

class QLineEdit;

namespace Gantry {

/// Step 1: the repository, and the backend and frontend folders in it.
class FoldersStep : public WizardStep
{
    Q_OBJECT
public:
    explicit FoldersStep(QWidget *parent = nullptr);
    void load(const ProjectFacts &facts, const BuildRecipe &recipe) override;
    void store(BuildRecipe &recipe) const override;
    /// A scan of folder starts (newFolder: another project, whose folders do not apply).
    void scanning(const QString &folder, bool newFolder);
    /// The scan failed: nothing found to summarise.
    void clearSummary();

Q_SIGNALS:
    /// Scan folder (backendDir, frontendDir: the folders typed, relative; empty: found on its own).
    void scanRequested(const QString &folder, const QString &backendDir, const QString &frontendDir);
    void chooseFolderRequested();

private:
    QString summary(const ProjectFacts &facts) const;

    QLineEdit *m_rootEdit;
    QLineEdit *m_backendEdit;
    QLineEdit *m_frontendEdit;
    QLabel *m_summary;
};

} // namespace Gantry
