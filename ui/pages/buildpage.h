// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QStackedWidget;

namespace Gantry {

class EmptyStateWidget;

/// The Build step of the pipeline. Shows values and starts jobs; computes nothing.
class BuildPage : public QWidget
{
    Q_OBJECT
public:
    explicit BuildPage(QWidget *parent = nullptr);
    EmptyStateWidget *emptyState() const { return m_empty; }

    /// The project to build (its gantry.toml is at repoRoot).
    void setProject(const QString &repoRoot);
    bool canBuild() const;
    bool isBuilding() const;

public Q_SLOTS:
    void startBuild();
    void stopBuild();

Q_SIGNALS:
    void configureRequested();
    void canBuildChanged(bool canBuild);
    void buildingChanged(bool building);
    /// A build finished and loaded imageRef into the engine.
    void buildSucceeded(const QString &imageRef, const QString &repoRoot);

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
};

} // namespace Gantry
