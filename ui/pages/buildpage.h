// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildrunner.h"
#include "buildrun/multiplatformbuild.h"
#include "buildrun/recipebuild.h"

#include <QWidget>

#include <optional>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;
class QTreeView;

namespace Gantry {

class BuilderPicker;
class BuildLogView;
class BuildStepModel;
class EmptyStateWidget;
class JobTracker;
class MessageBar;

/// The Build step of the pipeline. Shows values and starts jobs; computes nothing.
/// Steps grouped by stage update live in a tree; the log (BuildLogView) shows all steps or
/// the selected one; on failure the failing step is selected and its error is shown on
/// top; on success a summary and "Inspect". Where and for what it builds is picked in a
/// BuilderPicker.
class BuildPage : public QWidget
{
    Q_OBJECT
public:
    explicit BuildPage(QWidget *parent = nullptr);
    ~BuildPage() override;
    EmptyStateWidget *emptyState() const { return m_empty; }

    /// The project to build (its gantry.toml is at repoRoot).
    void setProject(const QString &repoRoot);
    QString projectRoot() const { return m_repoRoot; }
    bool canBuild() const;
    bool isBuilding() const;

    /// Overrides for what the project says (tests, and "build this Dockerfile" use).
    void setDockerfile(const QString &path);
    void setImageTag(const QString &tag);
    /// "linux/amd64", "linux/arm64", several joined by ',' ("linux/amd64,linux/arm64": each
    /// built in turn, tagged <tag>-amd64 / <tag>-arm64), or empty for the builder's own platform.
    void setPlatform(const QString &platform);
    /// The (first) platform chosen; empty: the builder's own.
    QString platform() const;
    /// Every platform the next build makes.
    QStringList platforms() const;
    QString imageTag() const;

public Q_SLOTS:
    void startBuild();
    void stopBuild();
    void refreshBuilders();

Q_SIGNALS:
    void configureRequested();
    void canBuildChanged(bool canBuild);
    void buildingChanged(bool building);
    /// A build finished and loaded imageRef into the engine (emitted by "Inspect").
    void buildSucceeded(const QString &imageRef, const QString &repoRoot);
    /// Emitted when a build ends (succeeded, failed or cancelled).
    void buildFinished(const Gantry::BuildResult &result);

private:
    QWidget *createBuildView();
    QHBoxLayout *createHeader(QWidget *view);
    QHBoxLayout *createProgressRow(QWidget *view);
    QWidget *createSummaryPanel(QWidget *view);
    QWidget *createStepsAndLog(QWidget *view);
    void connectRunner();
    void resetView();
    void showLastBuild();
    void updateProjectState();
    void setBuilding(bool building);
    void onLogAppended(int index, const QString &text);
    void onProgress(int done, int total);
    void onFinished(const BuildResult &result);
    void onPlatformStarted(int index, int count, const QString &platform, const QString &tag);
    void showLogFor(int stepIndex);
    QString stepLog(int stepIndex) const;
    void updateStatus();
    void showSucceeded(const BuildResult &result);
    void showCancelled(const BuildResult &result);
    void showFailed(const BuildResult &result);

    QString m_repoRoot;
    ProjectBuildPlan m_plan;
    QString m_dockerfileOverride;          ///< empty: the project's (planned with it)
    std::optional<QString> m_tagOverride;  ///< unset: the project's
    bool m_canBuild = false;

    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    QWidget *m_buildView = nullptr;
    QLabel *m_projectLabel = nullptr;
    BuilderPicker *m_picker = nullptr;
    QPushButton *m_buildButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    MessageBar *m_message = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_platformLabel = nullptr;  ///< "2 of 2: linux/arm64" while a build of several runs
    QWidget *m_summaryPanel = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_inspect = nullptr;
    QTreeView *m_tree = nullptr;
    BuildStepModel *m_model = nullptr;
    BuildLogView *m_log = nullptr;
    QTimer *m_tick = nullptr;

    MultiPlatformBuild *m_runner;
    JobTracker *m_lastBuildJobs;   ///< reads the "Last build" line from the history
    BuildResult m_lastResult;
    bool m_stopping = false;
};

} // namespace Gantry
