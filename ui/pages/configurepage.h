// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QStackedWidget;

namespace Gantry {

class ConfigureWizard;
class EmptyStateWidget;

/// The Configure step of the pipeline. Shows values and starts jobs; computes nothing.
class ConfigurePage : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigurePage(QWidget *parent = nullptr);
    EmptyStateWidget *emptyState() const { return m_empty; }
    ConfigureWizard *wizard() const { return m_wizard; }

    /// Scan FOLDER (a monorepo root or a backend folder) and start the wizard on it.
    void openProject(const QString &folder);

Q_SIGNALS:
    void openProjectRequested();
    /// The wizard wrote gantry.toml (+ Dockerfile, .dockerignore) at repoRoot.
    void recipeWritten(const QString &repoRoot);

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    ConfigureWizard *m_wizard;
};

} // namespace Gantry
