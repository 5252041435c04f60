// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildevents.h"
#include "buildrun/failuresummary.h"

#include <QList>
#include <QPair>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QToolButton;

namespace Gantry {

class BuildStepModel;
struct BuildResult;

/// The Build page's output pane: the output of all steps as it arrives, each step's under
/// its heading (the newest 8 MB kept to show again), or of the one step selected. After a
/// failure, the compiler's lines on top and the places it names in the repository, each
/// opening in the user's editor (Preferences ▸ Editor) on Enter or a double-click, as in
/// an IDE's Issues pane.
class BuildLogView : public QWidget
{
    Q_OBJECT
public:
    /// steps: the page's step model (the steps' headings, errors and cache marks).
    explicit BuildLogView(const BuildStepModel *steps, QWidget *parent = nullptr);

    /// Empty, showing all steps: a new build, or another project.
    void clear();
    /// A piece of a step's output arrived (stepIndex -1: buildx's own lines).
    void append(int stepIndex, const QString &text);
    /// The output of every step, each under its step's heading.
    void showAll();
    /// The output of one step; log is its whole output (the model's copy is as of its last update).
    void showStep(int stepIndex, const QString &log);
    /// After a successful build: says so when no step had to run (nothing was shown).
    void showNothingRan();
    /// After a failed build: the failing lines on top, and the compiler's locations
    /// (repository-relative to repoRoot; those not in it are shown greyed out).
    void showFailure(const BuildResult &result, const QList<SourceLocation> &locations, const QString &repoRoot);

    /// "[backend 5/5] RUN cargo build …": a step's name in one line.
    static QString stepHeading(const BuildStep &step);

Q_SIGNALS:
    /// "All steps" was pressed (the page clears its step selection).
    void allStepsRequested();
    /// A location could not be opened in the editor: why, in one sentence.
    void openFailed(const QString &sentence);

private:
    void appendToLog(int stepIndex, const QString &text);
    void showLocations(const QList<SourceLocation> &locations);
    void openLocation(const QString &relativePath, int line, int column);

    const BuildStepModel *m_steps;
    QLabel *m_title;
    QToolButton *m_allSteps;
    QPlainTextEdit *m_errorLines;
    QListWidget *m_locations;   ///< the compiler's locations, repository-relative; Enter opens one
    QPlainTextEdit *m_log;
    QString m_repoRoot;
    QList<QPair<int, QString>> m_allLog;  ///< every step's output in arrival order (capped)
    qsizetype m_allLogChars = 0;
    int m_logStep = -1;                   ///< -1: all steps
    int m_lastAppendedStep = -2;
};

} // namespace Gantry
