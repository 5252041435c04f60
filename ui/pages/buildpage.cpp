// SPDX-License-Identifier: MIT
#include "buildpage.h"

#include "buildrun/buildhistory.h"
#include "buildrun/failuresummary.h"
#include "util/jobtracker.h"
#include "buildsteps/builderpicker.h"
#include "buildsteps/buildlogview.h"
#include "buildsteps/buildstepmodel.h"
#include "widgets/emptystate.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"

#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

BuildPage::BuildPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/build.svg"_s), tr("Nothing to build yet"),
                                   tr("Configure a project first. Gantry builds with docker buildx and cross-compiles on this machine instead of emulating the server's CPU, showing every step live."), this))
    , m_runner(new MultiPlatformBuild(this))
    , m_lastBuildJobs(new JobTracker(this))
{
    connect(m_empty->addAction(tr("Go to Configure"), true), &QPushButton::clicked, this, &BuildPage::configureRequested);
    m_stack->addWidget(m_empty);
    m_buildView = createBuildView();
    m_stack->addWidget(m_buildView);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    connectRunner();
    m_tick = new QTimer(this);
    m_tick->setInterval(500);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_model->tick();
        updateStatus();
    });
}

BuildPage::~BuildPage() = default;

void BuildPage::connectRunner()
{
    connect(m_runner, &MultiPlatformBuild::platformStarted, this, &BuildPage::onPlatformStarted);
    connect(m_runner, &MultiPlatformBuild::stepUpdated, m_model, &BuildStepModel::updateStep);
    connect(m_runner, &MultiPlatformBuild::logAppended, this, &BuildPage::onLogAppended);
    connect(m_runner, &MultiPlatformBuild::progress, this, &BuildPage::onProgress);
    connect(m_runner, &MultiPlatformBuild::finished, this, &BuildPage::onFinished);
    connect(m_runner, &MultiPlatformBuild::messageLine, this, [this](const QString &line) { onLogAppended(-1, line + u'\n'); });
    connect(m_runner, &MultiPlatformBuild::warningReported, this, [this](const BuildWarning &w) {
        onLogAppended(-1, tr("warning: %1\n").arg(w.text));
    });
}

QWidget *BuildPage::createBuildView()
{
    auto *view = new QWidget(this);
    // What is built, for which platform, on which builder; Build / Stop. (The picker is
    // made first: Tab goes from it to Build.)
    m_picker = new BuilderPicker(view);
    QHBoxLayout *header = createHeader(view);
    connect(m_picker, &BuilderPicker::platformsChanged, this, &BuildPage::updateProjectState);
    connect(m_picker, &BuilderPicker::listFailed, this, [this](const Failure &failure) {
        if (isBuilding())
            return;
        m_message->showMessage(MessageBar::Type::Warning, failureText(failure));
        m_message->show();
    });
    m_message = new MessageBar(view);
    m_message->hide();
    QHBoxLayout *progressRow = createProgressRow(view);
    m_summaryPanel = createSummaryPanel(view);

    auto *layout = new QVBoxLayout(view);
    layout->addLayout(header);
    layout->addWidget(m_picker);
    layout->addWidget(m_message);
    layout->addLayout(progressRow);
    layout->addWidget(m_summaryPanel);
    layout->addWidget(createStepsAndLog(view), 1);
    return view;
}

QHBoxLayout *BuildPage::createHeader(QWidget *view)
{
    m_projectLabel = new QLabel(view);
    m_projectLabel->setObjectName(u"BuildProject"_s);
    m_projectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_projectLabel->setWordWrap(false);
    m_buildButton = new QPushButton(QIcon(u":/icons/build.svg"_s), tr("Build"), view);
    m_buildButton->setDefault(true);
    m_buildButton->setObjectName(u"BuildButton"_s);
    m_stopButton = new QPushButton(QIcon(u":/icons/stop.svg"_s), tr("Stop"), view);
    m_stopButton->setObjectName(u"StopButton"_s);
    m_stopButton->setEnabled(false);
    connect(m_buildButton, &QPushButton::clicked, this, &BuildPage::startBuild);
    connect(m_stopButton, &QPushButton::clicked, this, &BuildPage::stopBuild);
    auto *header = new QHBoxLayout;
    header->addWidget(m_projectLabel, 1);
    header->addWidget(m_buildButton);
    header->addWidget(m_stopButton);
    return header;
}

QHBoxLayout *BuildPage::createProgressRow(QWidget *view)
{
    m_progress = new QProgressBar(view);
    m_progress->setObjectName(u"BuildProgress"_s);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setFormat(tr("%v of %m steps"));
    m_status = new QLabel(tr("Ready to build."), view);
    m_status->setObjectName(u"BuildStatus"_s);
    m_status->setMinimumWidth(200);
    m_status->setMaximumWidth(440);
    m_platformLabel = new QLabel(view);
    m_platformLabel->setObjectName(u"BuildPlatform"_s);
    QFont platformFont = m_platformLabel->font();
    platformFont.setBold(true);
    m_platformLabel->setFont(platformFont);
    m_platformLabel->hide();
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_platformLabel);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_status);
    return progressRow;
}

QWidget *BuildPage::createSummaryPanel(QWidget *view)
{
    // The summary of a successful build.
    auto *panel = new QFrame(view);
    panel->setFrameShape(QFrame::StyledPanel);
    panel->setAutoFillBackground(true);
    QPalette pal = panel->palette();
    pal.setColor(QPalette::Window, QColor(0xe6, 0xf4, 0xea));
    pal.setColor(QPalette::WindowText, QColor(0x1e, 0x4d, 0x2b));
    panel->setPalette(pal);
    m_summary = new QLabel(panel);
    m_summary->setObjectName(u"BuildSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_inspect = new QPushButton(QIcon(u":/icons/inspect.svg"_s), tr("Inspect"), panel);
    m_inspect->setObjectName(u"InspectButton"_s);
    m_inspect->setToolTip(tr("See what the image is made of, layer by layer, and ship it"));
    connect(m_inspect, &QPushButton::clicked, this, [this] {
        if (m_lastResult.succeeded())
            Q_EMIT buildSucceeded(m_lastResult.imageRef, m_repoRoot);
    });
    auto *summaryLayout = new QHBoxLayout(panel);
    summaryLayout->addWidget(m_summary, 1);
    summaryLayout->addWidget(m_inspect);
    panel->hide();
    return panel;
}

QWidget *BuildPage::createStepsAndLog(QWidget *view)
{
    // Steps by stage | (error on top) log
    m_model = new BuildStepModel(this);
    m_model->setObjectName(u"BuildStepModel"_s);
    m_tree = new QTreeView(view);
    m_tree->setObjectName(u"BuildStepView"_s);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setRootIsDecorated(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(BuildStepModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(BuildStepModel::StateColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(BuildStepModel::DurationColumn, QHeaderView::ResizeToContents);
    m_tree->setTextElideMode(Qt::ElideRight);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        if (!parent.isValid()) {
            for (int row = first; row <= last; ++row)
                if (m_model->stageName(row) != tr("buildx (internal)"))
                    m_tree->expand(m_model->index(row, 0));
        }
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        showLogFor(m_model->stepIndex(current));
    });
    m_log = new BuildLogView(m_model, view);
    connect(m_log, &BuildLogView::allStepsRequested, this, [this] {
        m_tree->setCurrentIndex({});
        m_tree->clearSelection();
    });
    connect(m_log, &BuildLogView::openFailed, m_status, &QLabel::setText);

    auto *splitter = new QSplitter(Qt::Horizontal, view);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    splitter->setChildrenCollapsible(false);
    m_tree->setMinimumWidth(260); // the step list stays readable whatever the log shows
    return splitter;
}

void BuildPage::setProject(const QString &repoRoot)
{
    if (isBuilding())
        return; // the running build keeps its project; the window asks before switching
    m_repoRoot = repoRoot.isEmpty() ? QString() : QFileInfo(repoRoot).absoluteFilePath();
    m_plan = m_repoRoot.isEmpty() ? ProjectBuildPlan() : planProjectBuild(m_repoRoot, m_dockerfileOverride);
    m_picker->setRecipe(m_plan.platforms, m_plan.builder);
    resetView();
    showLastBuild();
    updateProjectState();
    if (!m_repoRoot.isEmpty())
        m_picker->listOnce();
}

void BuildPage::resetView()
{
    m_model->clear();
    m_log->clear();
    m_summaryPanel->hide();
    m_message->hide();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_status->setText(tr("Ready to build."));
}

void BuildPage::showLastBuild()
{
    if (m_repoRoot.isEmpty()) {
        m_lastBuildJobs->drop();
        return;
    }
    // The last build of this project, from the history: read off the GUI thread, shown unless
    // a build started meanwhile (startBuild drops the read).
    m_lastBuildJobs->start([root = m_repoRoot] { return BuildHistory().recent(1, root); }, [this](const QList<BuildRecord> &last) {
        if (last.isEmpty() || isBuilding())
            return;
        const BuildRecord &r = last.constFirst();
        QString text = tr("Last build %1: %2 in %3").arg(QLocale().toString(r.started.toLocalTime(), QLocale::ShortFormat), r.result,
                                                         formatDuration(r.durationMs));
        if (r.imageSize >= 0)
            text += tr(", %1").arg(formatBytes(r.imageSize));
        m_status->setText(text + u'.');
    });
}

void BuildPage::setDockerfile(const QString &path)
{
    m_dockerfileOverride = path;
    if (!m_repoRoot.isEmpty() && !isBuilding())
        m_plan = planProjectBuild(m_repoRoot, m_dockerfileOverride);
    updateProjectState();
}

void BuildPage::setImageTag(const QString &tag)
{
    m_tagOverride = tag.isEmpty() ? std::nullopt : std::optional<QString>(tag);
    updateProjectState();
}

QString BuildPage::imageTag() const
{
    return m_repoRoot.isEmpty() ? m_tagOverride.value_or(QString()) : m_tagOverride.value_or(m_plan.tag);
}

void BuildPage::setPlatform(const QString &platform)
{
    m_picker->setPlatform(platform);
}

QString BuildPage::platform() const
{
    return platforms().value(0);
}

QStringList BuildPage::platforms() const
{
    return m_picker->platforms();
}

void BuildPage::updateProjectState()
{
    const bool hasProject = !m_repoRoot.isEmpty();
    const bool hasDockerfile = hasProject && m_plan.isBuildable();
    if (!hasProject) {
        m_empty->setText(tr("Configure a project first. Gantry builds with docker buildx and cross-compiles on this machine instead of emulating the server's CPU, showing every step live."));
        m_stack->setCurrentWidget(m_empty);
    } else if (!hasDockerfile && !isBuilding()) {
        const bool badRecipe = m_plan.failure && !m_plan.hasRecipe && QFileInfo::exists(QDir(m_repoRoot).filePath(u"gantry.toml"_s));
        m_empty->setText(badRecipe ? failureText(*m_plan.failure)
                                   : tr("%1 has no Dockerfile yet. Go to Configure to choose the folders and the target platform; Gantry writes the Dockerfile for you.")
                                         .arg(QDir::toNativeSeparators(m_repoRoot)));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_buildView);
        // Several platforms: one image each, tagged with its architecture.
        const QStringList chosen = platforms();
        const QString tag = imageTag();
        QStringList tags;
        for (const QString &p : chosen)
            tags << platformImageTag(tag, p);
        m_projectLabel->setText(tr("<b>%1</b><br><small>Dockerfile %2 → %3 %4</small>")
                                    .arg(QFileInfo(m_repoRoot).fileName().toHtmlEscaped(),
                                         QDir::toNativeSeparators(m_plan.dockerfile).toHtmlEscaped(),
                                         chosen.size() > 1 ? tr("images") : tr("image"),
                                         (chosen.size() > 1 ? tags.join(u", "_s) : tag).toHtmlEscaped()));
    }
    const bool can = hasDockerfile && !isBuilding();
    m_buildButton->setEnabled(can);
    if (can != m_canBuild) {
        m_canBuild = can;
        Q_EMIT canBuildChanged(can);
    }
}

bool BuildPage::canBuild() const
{
    return m_canBuild;
}

bool BuildPage::isBuilding() const
{
    return m_runner->isRunning();
}

void BuildPage::refreshBuilders()
{
    m_picker->refresh();
}

void BuildPage::setBuilding(bool building)
{
    m_stopButton->setEnabled(building);
    m_picker->setBuilding(building);
    if (building)
        m_tick->start();
    else
        m_tick->stop();
    updateProjectState();
    Q_EMIT buildingChanged(building);
}

void BuildPage::startBuild()
{
    if (isBuilding())
        return;
    m_lastBuildJobs->drop();
    if (!m_canBuild) {
        updateProjectState();
        return;
    }
    BuildChoices choices;
    m_picker->addTo(choices);
    choices.tag = m_tagOverride;

    m_model->clear();
    m_log->clear();
    m_stopping = false;
    m_lastResult = {};
    m_summaryPanel->hide();
    m_message->clear();
    m_message->hide();
    m_progress->setRange(0, 0); // busy until the steps are known
    m_progress->setTextVisible(true);
    m_status->setText(tr("Starting docker buildx…"));
    m_platformLabel->hide();
    m_runner->start(m_plan.request(choices));
    setBuilding(true);
}

void BuildPage::stopBuild()
{
    if (!isBuilding())
        return;
    m_stopping = true;
    m_stopButton->setEnabled(false);
    m_status->setText(tr("Stopping…"));
    m_runner->cancel();
}

void BuildPage::onPlatformStarted(int index, int count, const QString &platform, const QString &tag)
{
    if (count <= 1)
        return;
    m_platformLabel->setText(tr("%1 of %2: %3").arg(index + 1).arg(count).arg(platform));
    m_platformLabel->setToolTip(tr("Building %1 for %2").arg(tag, platform));
    m_platformLabel->show();
    m_progress->setRange(0, 0); // busy until this platform's steps are known
    updateStatus();
}

void BuildPage::onLogAppended(int index, const QString &text)
{
    m_log->append(index, text);
}

void BuildPage::showLogFor(int stepIndex)
{
    if (stepIndex < 0)
        m_log->showAll();
    else
        m_log->showStep(stepIndex, stepLog(stepIndex));
}

QString BuildPage::stepLog(int stepIndex) const
{
    // The runner's copy has the whole log (the model's copy is as of its last update).
    const QList<BuildStep> &steps = m_runner->steps();
    const BuildStep *s = m_model->step(stepIndex);
    QString log = stepIndex < steps.size() ? steps.at(stepIndex).log : (s ? s->log : QString());
    if (log.isEmpty() && stepIndex < m_lastResult.steps.size())
        log = m_lastResult.steps.at(stepIndex).log;
    return log;
}

void BuildPage::onProgress(int done, int total)
{
    if (total > 0) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    }
    updateStatus();
}

void BuildPage::updateStatus()
{
    if (!isBuilding() || m_stopping)
        return;
    QString running;
    for (const BuildStep &s : m_runner->steps()) {
        if (s.state == BuildStep::State::Running && !s.isInternal()) {
            running = BuildLogView::stepHeading(s);
            break;
        }
    }
    QString text = running.isEmpty() ? tr("Building…") : tr("Running %1").arg(running);
    if (m_runner->platformCount() > 1)
        text = m_runner->platformLabel() + u" · "_s + text;
    m_status->setText(m_status->fontMetrics().elidedText(text, Qt::ElideRight, 420));
    m_status->setToolTip(text);
}

void BuildPage::onFinished(const BuildResult &result)
{
    m_lastResult = result;
    for (int i = 0; i < result.steps.size(); ++i)
        m_model->updateStep(i, result.steps.at(i));
    m_progress->setRange(0, std::max(1, result.stepCount));
    m_progress->setValue(result.outcome == BuildResult::Outcome::Succeeded ? result.stepCount
                                                                           : int(std::count_if(result.steps.cbegin(), result.steps.cend(), [](const BuildStep &s) {
                                                                                 return !s.isInternal() && s.isFinished() && s.state != BuildStep::State::Cancelled;
                                                                             })));
    m_model->setBuildOver(true);
    setBuilding(false);
    if (result.images.size() <= 1)
        m_platformLabel->hide();
    switch (result.outcome) {
    case BuildResult::Outcome::Succeeded:
        showSucceeded(result);
        break;
    case BuildResult::Outcome::Cancelled:
        showCancelled(result);
        break;
    case BuildResult::Outcome::Failed:
        showFailed(result);
        break;
    }
    Q_EMIT buildFinished(result);
}

void BuildPage::showSucceeded(const BuildResult &result)
{
    const QString whereText = !result.dockerContext.isEmpty() ? tr(" · on docker context %1").arg(result.dockerContext.toHtmlEscaped())
                              : !result.builder.isEmpty()     ? tr(" · on builder %1").arg(result.builder.toHtmlEscaped())
                                                              : QString();
    m_status->setText(tr("Built in %1.").arg(formatDuration(result.durationMs)));
    QString text;
    if (result.images.size() > 1) {
        m_platformLabel->setText(tr("%1 platforms").arg(result.images.size()));
        text = tr("<b>Built %1 images</b> in %2 · %3 steps, %4 from the cache")
                   .arg(result.images.size())
                   .arg(formatDuration(result.durationMs))
                   .arg(result.stepCount)
                   .arg(result.cachedSteps);
        text += whereText;
        for (const PlatformImage &i : result.images)
            text += tr("<br>%1 · <b>%2</b> · %3 <small>%4</small>")
                        .arg(i.platform.toHtmlEscaped(), i.tag.toHtmlEscaped(), formatBytes(i.imageSize), i.imageId.left(19).toHtmlEscaped());
        m_inspect->setToolTip(tr("See %1 layer by layer, and ship it").arg(result.imageRef));
    } else {
        text = tr("<b>Built %1</b> in %2 · %3 steps, %4 from the cache")
                   .arg(result.imageRef.toHtmlEscaped(), formatDuration(result.durationMs))
                   .arg(result.stepCount)
                   .arg(result.cachedSteps);
        if (result.imageSize >= 0)
            text += tr(" · image %1").arg(formatBytes(result.imageSize));
        if (!result.platforms.isEmpty())
            text += tr(" · %1").arg(result.platforms.join(u", "_s));
        text += whereText;
        if (!result.imageId.isEmpty())
            text += u"<br><small>%1</small>"_s.arg(result.imageId.toHtmlEscaped());
    }
    m_summary->setText(text);
    m_summaryPanel->show();
    m_log->showNothingRan();
}

void BuildPage::showCancelled(const BuildResult &result)
{
    m_status->setText(tr("Stopped after %1.").arg(formatDuration(result.durationMs)));
    if (result.images.isEmpty()) {
        m_message->showMessage(MessageBar::Type::Information,
                               tr("The build was stopped after %1; nothing was loaded. Build again to continue from the cache.")
                                   .arg(formatDuration(result.durationMs)));
    } else {
        QStringList done;
        for (const PlatformImage &i : result.images)
            done << i.tag;
        m_message->showMessage(MessageBar::Type::Information,
                               tr("The build was stopped after %1; only %2 was loaded. Build again to continue from the cache.")
                                   .arg(formatDuration(result.durationMs), done.join(u", "_s)));
    }
    m_message->show();
}

void BuildPage::showFailed(const BuildResult &result)
{
    m_status->setText(tr("Failed after %1.").arg(formatDuration(result.durationMs)));
    // Like an IDE's Issues pane: one headline, the cause and the fix apart, and the
    // compiler's locations in the repository, each opening in the user's editor.
    const int stepIndex = result.failure.stepIndex;
    const BuildStep *step = stepIndex >= 0 && stepIndex < result.steps.size() ? &result.steps.at(stepIndex) : nullptr;
    const FailureSummary summary = summarizeFailure(result.failure, step, m_repoRoot);
    QString html = u"<b>%1</b><br>%2"_s.arg(summary.headline.toHtmlEscaped(), summary.cause.toHtmlEscaped());
    if (!summary.fix.isEmpty())
        html += u"<br><i>%1</i> %2"_s.arg(tr("Fix:"), summary.fix.toHtmlEscaped());
    m_message->showMessage(MessageBar::Type::Error, html);
    m_message->setToolTip(result.failure.sentence());
    m_message->show();
    m_log->showFailure(result, summary.locations, m_repoRoot);
    if (stepIndex >= 0) {
        const QModelIndex idx = m_model->indexForStep(stepIndex);
        if (idx.isValid()) {
            m_tree->expand(idx.parent());
            m_tree->setCurrentIndex(idx);
            m_tree->scrollTo(idx);
        }
    }
}

} // namespace Gantry
