// SPDX-License-Identifier: MIT
#pragma once

#include "configure/wizardstep.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace Gantry {

/// Step 5: what the final image is made of: base, port, user, certificates, environment, tag.
class RuntimeStep : public WizardStep
{
    Q_OBJECT
public:
    explicit RuntimeStep(QWidget *parent = nullptr);
    void load(const ProjectFacts &facts, const BuildRecipe &recipe) override;
    /// The runtime base and its image, port, user, certificates, environment and image tag.
    void store(BuildRecipe &recipe) const override;

private:
    void createWidgets();
    QLayout *createEnvBox();

    QComboBox *m_runtimeCombo;
    QLineEdit *m_runtimeImageEdit;
    QSpinBox *m_portSpin;
    QLineEdit *m_userEdit;
    QCheckBox *m_caCheck;
    QTableWidget *m_envTable;
    QLineEdit *m_tagEdit;
};

} // namespace Gantry
