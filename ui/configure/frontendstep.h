// SPDX-License-Identifier: MIT
#pragma once

#include "configure/wizardstep.h"

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace Gantry {

/// Step 3: the JavaScript frontend, its package manager, output folder and Node version.
class FrontendStep : public WizardStep
{
    Q_OBJECT
public:
    explicit FrontendStep(QWidget *parent = nullptr);
    void load(const ProjectFacts &facts, const BuildRecipe &recipe) override;
    /// The frontend's folders, package manager, output and Node; none when it is switched off.
    void store(BuildRecipe &recipe) const override;

private:
    QString summary(const ProjectFacts &facts) const;
    void updateProvenance();
    /// The output folder as the field says, and what the scan found when it differs.
    void updateOutputNote();

    std::optional<ProjectFacts> m_facts;
    QLabel *m_summary;
    QLabel *m_outputNote;
    QCheckBox *m_enabled;
    QComboBox *m_packageManagerCombo;
    QLineEdit *m_outputEdit;
    QLabel *m_outputProvenance; ///< where the output folder came from, and the other folders a build could write
    QLineEdit *m_nodeEdit;
};

} // namespace Gantry
