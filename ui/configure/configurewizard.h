// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "recipe/buildrecipe.h"
#include "recipe/dockerfilewriter.h"
#include "util/failure.h"

#include <QFutureWatcher>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QTableWidget;
class QToolButton;

namespace Gantry {

class MessageBar;

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
/// It shows what the scan found and the choices; the scan, the recipe, the Dockerfile
/// text and the writing all come from the core.
class ConfigureWizard : public QWidget
{
    Q_OBJECT
public:
    enum Step { Folders, Backend, Frontend, Target, Runtime, Review, StepCount };
    explicit ConfigureWizard(QWidget *parent = nullptr);

    /// Scans folder off the GUI thread (backendDir/frontendDir: optional overrides, relative).
    void scan(const QString &folder, const QString &backendDir = {}, const QString &frontendDir = {});
    bool isScanning() const { return m_watcher.isRunning(); }
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
    QWidget *createFoldersPage();
    QWidget *createBackendPage();
    QWidget *createFrontendPage();
    QWidget *createTargetPage();
    QWidget *createRuntimePage();
    QWidget *createReviewPage();
    void scanDone();
    void fill(const ProjectFacts &facts, const BuildRecipe &recipe);
    void updateStepLabels();
    void updateStrategyNote();
    void updateProvenance();
    void updateReview();
    /// The summaries that repeat what the fields say (Frontend's output folder, Review's
    /// recipe line), redone whenever a field changes.
    void updateSummaries();
    QString recipeSummary(const BuildRecipe &r) const;
    void write();

    QFutureWatcher<ConfigureScanResult> m_watcher;
    int m_scanGeneration = 0;
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
    QPushButton *m_back;
    QPushButton *m_next;
    QPushButton *m_write;

    // Folders
    QLineEdit *m_rootEdit;
    QLineEdit *m_backendEdit;
    QLineEdit *m_frontendEdit;
    QLabel *m_foldersSummary;
    // Backend
    QLabel *m_backendSummary;
    QComboBox *m_binaryCombo;
    QLabel *m_binaryProvenance = nullptr; ///< where the binary guess came from, and every binary with its package
    QLabel *m_outputProvenance = nullptr; ///< where the output folder came from, and the other folders a build could write
    QLabel *m_tlsLabel;
    QLabel *m_backendNotes;
    // Frontend
    QLabel *m_frontendSummary;
    QCheckBox *m_frontendEnabled;
    QComboBox *m_packageManagerCombo;
    QLineEdit *m_outputEdit;
    QLineEdit *m_nodeEdit;
    // Target
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
    // Runtime
    QComboBox *m_runtimeCombo;
    QLineEdit *m_runtimeImageEdit;
    QSpinBox *m_portSpin;
    QLineEdit *m_userEdit;
    QCheckBox *m_caCheck;
    QTableWidget *m_envTable;
    QLineEdit *m_tagEdit;
    // Review
    QLabel *m_reviewSummary;
    QString m_filesSummary;                ///< Review's "In <repo>: new …, changes …" line
    QLabel *m_frontendOutputNote = nullptr;
    QTabWidget *m_reviewTabs;
    QPlainTextEdit *m_dockerfileView;
    QPlainTextEdit *m_dockerignoreView;
    QPlainTextEdit *m_tomlView;
    QPlainTextEdit *m_diffView;
    QCheckBox *m_replaceCheck;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ConfigureScanResult)
