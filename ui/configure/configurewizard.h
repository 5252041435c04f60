// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "recipe/buildrecipe.h"
#include "recipe/dockerfilewriter.h"
#include "util/failure.h"

#include <QWidget>

#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QToolButton;

namespace Gantry {

class BackendStep;
class FoldersStep;
class FrontendStep;
class JobTracker;
class MessageBar;
class ReviewStep;
class RuntimeStep;
class TargetStep;
class WizardStep;

/// What a background scan of a folder found (crosses from the worker thread by value).
struct ConfigureScanResult
{
    QString folder;
    std::optional<ProjectFacts> facts;
    Failure failure;                     ///< why facts is empty
    std::optional<BuildRecipe> existing; ///< gantry.toml already there
    std::optional<Failure> existingFailure; ///< gantry.toml there but unreadable
};

/// The Configure wizard: folders → backend → frontend → target → runtime → review.
/// A frame around one widget per step (configure/*step.h), each loading and storing its
/// part of the recipe. The frame keeps the step navigation, the scan, the message bar and
/// the writing; the scan, the recipe, the Dockerfile text and the writing all come from the core.
class ConfigureWizard : public QWidget
{
    Q_OBJECT
public:
    enum Step { Folders, Backend, Frontend, Target, Runtime, Review, StepCount };
    explicit ConfigureWizard(QWidget *parent = nullptr);

    /// Scans folder off the GUI thread (backendDir/frontendDir: optional overrides, relative).
    void scan(const QString &folder, const QString &backendDir = {}, const QString &frontendDir = {});
    bool isScanning() const;
    int currentStep() const;
    void setStep(int step);
    /// The recipe as the widgets say now.
    BuildRecipe recipe() const;
    QString repoRoot() const { return m_facts ? m_facts->repoRoot : QString(); }
    /// What a new recipe (no gantry.toml yet) starts with: the user's Preferences.
    void setDefaults(const QStringList &platforms, BuildRecipe::Runtime runtime);
    /// The page widget of a step (for screenshots).
    QWidget *stepWidget(int step) const;

Q_SIGNALS:
    void scanFinished(bool ok);
    void recipeWritten(const QString &repoRoot);
    void chooseFolderRequested();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createStepButtons();
    QLayout *createButtonRow();
    void addSteps();
    void scanDone(const ConfigureScanResult &r);
    /// The recipe to start from: gantry.toml's (with the folders just scanned), else the scan's.
    BuildRecipe startingRecipe(const ConfigureScanResult &r);
    void showScanFailure(const Failure &failure);
    void load(const ProjectFacts &facts, const BuildRecipe &recipe);
    void updateStepLabels();
    void updateReview();
    /// Review's recipe line repeats every field: redone whenever one changes.
    void updateSummaries();
    void write();

    JobTracker *m_scans;   ///< the newest scan's result only
    std::optional<ProjectFacts> m_facts;
    QStringList m_defaultPlatforms{QStringLiteral("linux/amd64")};
    BuildRecipe::Runtime m_defaultRuntime = BuildRecipe::Runtime::Scratch;
    BuildRecipe m_base;            ///< what the widgets do not show, kept from the scan / gantry.toml
    QList<PlannedFile> m_plan;

    QWidget *m_steps;                      ///< one button per step; steps reached so far can be clicked
    QList<QToolButton *> m_stepButtons;
    int m_reached = 0;                     ///< the furthest step shown since the last scan
    MessageBar *m_message;
    QStackedWidget *m_pages;
    QProgressBar *m_busy;
    QLabel *m_scanning;
    QPushButton *m_back;
    QPushButton *m_next;
    QPushButton *m_write;

    QList<WizardStep *> m_stepPages;       ///< in the order of Step
    FoldersStep *m_folders;
    ReviewStep *m_review;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ConfigureScanResult)
