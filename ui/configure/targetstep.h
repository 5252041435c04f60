// SPDX-License-Identifier: MIT
#pragma once

#include "configure/wizardstep.h"

class QCheckBox;
class QLineEdit;
class QRadioButton;

namespace Gantry {

/// Step 4: the server's architecture, how to build for it, the Rust toolchain and the builder.
class TargetStep : public WizardStep
{
    Q_OBJECT
public:
    explicit TargetStep(QWidget *parent = nullptr);
    void load(const ProjectFacts &facts, const BuildRecipe &recipe) override;
    /// Platforms, strategy, toolchain, the rust and node images, builder and cache mounts.
    void store(BuildRecipe &recipe) const override;

private:
    void createWidgets();
    void layOut();
    void updateStrategyNote();

    QCheckBox *m_amd64;
    QCheckBox *m_arm64;
    QRadioButton *m_cross;
    QRadioButton *m_emulate;
    QLabel *m_strategyNote;
    QRadioButton *m_rustup;
    QRadioButton *m_debian;
    QLineEdit *m_rustImageEdit;
    QLineEdit *m_nodeImageEdit;
    QLineEdit *m_builderEdit;
    QCheckBox *m_cacheMountsCheck;
};

} // namespace Gantry
