// SPDX-License-Identifier: MIT
#pragma once

#include "configure/wizardstep.h"

#include <optional>

class QComboBox;

namespace Gantry {

/// Step 2: what Cargo.toml and Cargo.lock say, and the binary to ship.
class BackendStep : public WizardStep
{
    Q_OBJECT
public:
    explicit BackendStep(QWidget *parent = nullptr);
    void load(const ProjectFacts &facts, const BuildRecipe &recipe) override;
    /// The binary, and the workspace's folders it is built from.
    void store(BuildRecipe &recipe) const override;

private:
    QString tlsText(const BackendFacts &b) const;
    void updateProvenance();

    std::optional<ProjectFacts> m_facts;
    QLabel *m_summary;
    QComboBox *m_binaryCombo;
    QLabel *m_binaryProvenance; ///< where the binary guess came from, and every binary with its package
    QLabel *m_tlsLabel;
    QLabel *m_notes;
};

} // namespace Gantry
