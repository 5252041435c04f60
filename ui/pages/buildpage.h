// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildrunner.h"
#include "buildrun/builders.h"
#include "buildrun/multiplatformbuild.h"
#include "buildrun/recipebuild.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;
class QToolButton;
class QTreeView;

namespace Gantry {

class BuildStepModel;
class EmptyStateWidget;
class MessageBar;

/// The Build step of the pipeline. Shows values and starts jobs; computes nothing.
/// Steps grouped by stage update live in a tree; the log shows all steps or the selected
/// one; on failure the failing step is selected and its error is shown on top; on
/// success a summary and "Inspect".
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

    // For tests and screenshots.
    BuildStepModel *stepModel() const { return m_model; }
    QTreeView *stepView() const { return m_tree; }
    QPlainTextEdit *logView() const { return m_log; }
    MessageBar *messageBar() const { return m_message; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *platformLabel() const { return m_platformLabel; }
    QLabel *builderLabel() const { return m_builderLabel; }
    QPushButton *inspectButton() const { return m_inspect; }
    QProgressBar *progressBar() const { return m_progress; }
    QPlainTextEdit *errorView() const { return m_errorView; }
    QListWidget *locationList() const { return m_locations; }
    const BuildResult &lastResult() const { return m_lastResult; }

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
    void updateProjectState();
    void setBuilding(bool building);
    void onStepUpdated(int index, const BuildStep &step);
    void onLogAppended(int index, const QString &text);
    void onProgress(int done, int total);
    void onFinished(const BuildResult &result);
    void onBuildersListed(const BuilderList &list);
    void onPlatformStarted(int index, int count, const QString &platform, const QString &tag);
    void updateBuilderLabel();
    void showLogFor(int stepIndex);
    void appendToLogView(int stepIndex, const QString &text);
    void updateStatus();
    void showFailure(const BuildResult &result);
    void openLocation(const QString &relativePath, int line, int column);

    QString m_repoRoot;
    ProjectBuildPlan m_plan;
    QString m_dockerfileOverride;          ///< empty: the project's (planned with it)
    std::optional<QString> m_tagOverride;  ///< unset: the project's
    bool m_canBuild = false;

    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    QWidget *m_buildView = nullptr;
    QLabel *m_projectLabel = nullptr;
    QComboBox *m_platformCombo = nullptr;
    QComboBox *m_builderCombo = nullptr;
    QToolButton *m_refreshBuilders = nullptr;
    QPushButton *m_buildButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    MessageBar *m_message = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_platformLabel = nullptr;  ///< "2 of 2: linux/arm64" while a build of several runs
    QLabel *m_builderLabel = nullptr;   ///< where the build runs
    QWidget *m_summaryPanel = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_inspect = nullptr;
    QTreeView *m_tree = nullptr;
    BuildStepModel *m_model = nullptr;
    QLabel *m_logTitle = nullptr;
    QToolButton *m_allLogs = nullptr;
    QPlainTextEdit *m_errorView = nullptr;
    QListWidget *m_locations = nullptr;   ///< the compiler's locations, repository-relative; Enter opens one
    QPlainTextEdit *m_log = nullptr;
    QTimer *m_tick = nullptr;

    MultiPlatformBuild *m_runner;
    BuilderLister *m_lister;
    BuildResult m_lastResult;
    BuilderList m_builders;
    QList<QPair<int, QString>> m_allLog;  ///< every step's output in arrival order (capped)
    qsizetype m_allLogChars = 0;
    int m_logStep = -1;                   ///< -1: all steps
    int m_lastAppendedStep = -2;
    int m_done = 0;
    int m_total = 0;
    bool m_stopping = false;
};

} // namespace Gantry
