// SPDX-License-Identifier: MIT
#include "buildpage.h"

#include "buildrun/buildhistory.h"
#include "buildsteps/buildstepmodel.h"
#include "buildrun/failuresummary.h"
#include "settings/preferences.h"
#include "widgets/emptystate.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"
#include "widgets/openineditor.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

constexpr qsizetype maxAllLogChars = 8 * 1024 * 1024;

QString stepHeading(const BuildStep &s)
{
    const QString command = s.command.simplified();
    const QString shortCommand = command.size() > 100 ? command.left(99) + u'…' : command;
    if (s.index > 0)
        return u"[%1 %2/%3] %4"_s.arg(s.stage).arg(s.index).arg(s.count).arg(shortCommand);
    return s.stage.isEmpty() ? shortCommand : u"[%1] %2"_s.arg(s.stage, shortCommand);
}

} // namespace

BuildPage::BuildPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/build.svg"_s), tr("Nothing to build yet"),
                                   tr("Configure a project first. Gantry builds with docker buildx and cross-compiles on this machine instead of emulating the server's CPU, showing every step live."), this))
    , m_runner(new MultiPlatformBuild(this))
    , m_lister(new BuilderLister(this))
{
    connect(m_empty->addAction(tr("Go to Configure"), true), &QPushButton::clicked, this, &BuildPage::configureRequested);
    m_stack->addWidget(m_empty);
    m_buildView = createBuildView();
    m_stack->addWidget(m_buildView);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_runner, &MultiPlatformBuild::platformStarted, this, &BuildPage::onPlatformStarted);
    connect(m_runner, &MultiPlatformBuild::stepUpdated, this, &BuildPage::onStepUpdated);
    connect(m_runner, &MultiPlatformBuild::logAppended, this, &BuildPage::onLogAppended);
    connect(m_runner, &MultiPlatformBuild::progress, this, &BuildPage::onProgress);
    connect(m_runner, &MultiPlatformBuild::finished, this, &BuildPage::onFinished);
    connect(m_runner, &MultiPlatformBuild::messageLine, this, [this](const QString &line) { onLogAppended(-1, line + u'\n'); });
    connect(m_runner, &MultiPlatformBuild::warningReported, this, [this](const BuildWarning &w) {
        onLogAppended(-1, tr("warning: %1\n").arg(w.text));
    });
    connect(m_lister, &BuilderLister::finished, this, &BuildPage::onBuildersListed);
    m_tick = new QTimer(this);
    m_tick->setInterval(500);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_model->tick();
        updateStatus();
    });
}

BuildPage::~BuildPage() = default;

QWidget *BuildPage::createBuildView()
{
    auto *view = new QWidget(this);

    // Header: what is built, for which platform, on which builder; Build / Stop.
    m_projectLabel = new QLabel(view);
    m_projectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_projectLabel->setWordWrap(false);
    m_platformCombo = new QComboBox(view);
    m_platformCombo->addItem(tr("This machine's platform"), QString());
    m_platformCombo->addItem(u"linux/amd64"_s, u"linux/amd64"_s);
    m_platformCombo->addItem(u"linux/arm64"_s, u"linux/arm64"_s);
    m_platformCombo->setToolTip(tr("The server's platform. Gantry cross-compiles for it on this machine. "
                                   "Several platforms build one after the other, each image tagged with its architecture (image:tag-amd64, image:tag-arm64)."));
    connect(m_platformCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (m_projectLabel)
            updateProjectState();
    });
    m_builderCombo = new QComboBox(view);
    m_builderCombo->addItem(tr("Current builder"));
    m_builderCombo->setToolTip(tr("A buildx builder or a docker context. A context over ssh:// builds natively on that server."));
    m_builderCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_builderLabel = new QLabel(view);
    m_builderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_builderCombo, &QComboBox::currentIndexChanged, this, &BuildPage::updateBuilderLabel);
    m_refreshBuilders = new QToolButton(view);
    m_refreshBuilders->setIcon(QIcon(u":/icons/refresh.svg"_s));
    m_refreshBuilders->setToolTip(tr("List builders and contexts again"));
    connect(m_refreshBuilders, &QToolButton::clicked, this, &BuildPage::refreshBuilders);
    m_buildButton = new QPushButton(QIcon(u":/icons/build.svg"_s), tr("Build"), view);
    m_buildButton->setDefault(true);
    m_buildButton->setObjectName(u"BuildButton"_s);
    m_stopButton = new QPushButton(QIcon(u":/icons/stop.svg"_s), tr("Stop"), view);
    m_stopButton->setEnabled(false);
    connect(m_buildButton, &QPushButton::clicked, this, &BuildPage::startBuild);
    connect(m_stopButton, &QPushButton::clicked, this, &BuildPage::stopBuild);

    auto *header = new QHBoxLayout;
    header->addWidget(m_projectLabel, 1);
    header->addWidget(m_buildButton);
    header->addWidget(m_stopButton);
    auto *options = new QHBoxLayout;
    options->addWidget(new QLabel(tr("Platform:"), view));
    options->addWidget(m_platformCombo);
    options->addSpacing(12);
    options->addWidget(new QLabel(tr("Builder:"), view));
    options->addWidget(m_builderCombo);
    options->addWidget(m_refreshBuilders);
    options->addSpacing(8);
    options->addWidget(m_builderLabel, 1);

    m_message = new MessageBar(view);
    m_message->hide();

    m_progress = new QProgressBar(view);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setFormat(tr("%v of %m steps"));
    m_status = new QLabel(tr("Ready to build."), view);
    m_status->setMinimumWidth(200);
    m_status->setMaximumWidth(440);
    m_platformLabel = new QLabel(view);
    QFont platformFont = m_platformLabel->font();
    platformFont.setBold(true);
    m_platformLabel->setFont(platformFont);
    m_platformLabel->hide();
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_platformLabel);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_status);

    // The summary of a successful build.
    m_summaryPanel = new QFrame(view);
    auto *summaryFrame = static_cast<QFrame *>(m_summaryPanel);
    summaryFrame->setFrameShape(QFrame::StyledPanel);
    summaryFrame->setAutoFillBackground(true);
    QPalette pal = summaryFrame->palette();
    pal.setColor(QPalette::Window, QColor(0xe6, 0xf4, 0xea));
    pal.setColor(QPalette::WindowText, QColor(0x1e, 0x4d, 0x2b));
    summaryFrame->setPalette(pal);
    m_summary = new QLabel(m_summaryPanel);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_inspect = new QPushButton(QIcon(u":/icons/inspect.svg"_s), tr("Inspect"), m_summaryPanel);
    m_inspect->setToolTip(tr("See what the image is made of, layer by layer, and ship it"));
    connect(m_inspect, &QPushButton::clicked, this, [this] {
        if (m_lastResult.succeeded())
            Q_EMIT buildSucceeded(m_lastResult.imageRef, m_repoRoot);
    });
    auto *summaryLayout = new QHBoxLayout(m_summaryPanel);
    summaryLayout->addWidget(m_summary, 1);
    summaryLayout->addWidget(m_inspect);
    m_summaryPanel->hide();

    // Steps by stage | (error on top) log
    m_model = new BuildStepModel(this);
    m_tree = new QTreeView(view);
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

    m_logTitle = new QLabel(tr("Output of all steps"), view);
    QFont bold = m_logTitle->font();
    bold.setBold(true);
    m_logTitle->setFont(bold);
    // A step's heading can be a whole RUN script: it must not widen the log pane (and
    // squeeze the step list); it is cut at the pane's edge, whole in the tooltip.
    m_logTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_logTitle->setMinimumWidth(0);
    m_allLogs = new QToolButton(view);
    m_allLogs->setText(tr("All steps"));
    m_allLogs->setToolTip(tr("Show the output of every step"));
    connect(m_allLogs, &QToolButton::clicked, this, [this] {
        m_tree->setCurrentIndex({});
        m_tree->clearSelection();
        showLogFor(-1);
    });
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_errorView = new QPlainTextEdit(view);
    m_errorView->setReadOnly(true);
    m_errorView->setFont(mono);
    m_errorView->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_errorView->setMaximumHeight(200);
    QPalette errPal = m_errorView->palette();
    errPal.setColor(QPalette::Base, QColor(0xfd, 0xec, 0xea));
    errPal.setColor(QPalette::Text, QColor(0x8a, 0x1c, 0x1c));
    m_errorView->setPalette(errPal);
    m_errorView->hide();
    m_locations = new QListWidget(view);
    m_locations->setObjectName(u"FailureLocations"_s);
    m_locations->setToolTip(tr("Double-click or press Enter to open the file at this line in your editor (Preferences ▸ Editor)"));
    m_locations->setMaximumHeight(4 * m_locations->fontMetrics().height() + 12);
    m_locations->setTextElideMode(Qt::ElideMiddle);
    m_locations->hide();
    connect(m_locations, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        openLocation(item->data(Qt::UserRole).toString(), item->data(Qt::UserRole + 1).toInt(), item->data(Qt::UserRole + 2).toInt());
    });
    m_log = new QPlainTextEdit(view);
    m_log->setReadOnly(true);
    m_log->setFont(mono);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setMaximumBlockCount(20000);
    m_log->setPlaceholderText(tr("Press Build to run docker buildx: every step and its output appear here as they happen."));

    auto *logPane = new QWidget(view);
    auto *logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(0, 0, 0, 0);
    auto *logHeader = new QHBoxLayout;
    logHeader->addWidget(m_logTitle, 1);
    logHeader->addWidget(m_allLogs);
    logLayout->addWidget(m_locations);
    logLayout->addWidget(m_errorView);
    logLayout->addLayout(logHeader);
    logLayout->addWidget(m_log, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, view);
    splitter->addWidget(m_tree);
    splitter->addWidget(logPane);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    splitter->setChildrenCollapsible(false);
    m_tree->setMinimumWidth(260); // the step list stays readable whatever the log shows

    auto *layout = new QVBoxLayout(view);
    layout->addLayout(header);
    layout->addLayout(options);
    layout->addWidget(m_message);
    layout->addLayout(progressRow);
    layout->addWidget(m_summaryPanel);
    layout->addWidget(splitter, 1);
    return view;
}

void BuildPage::setProject(const QString &repoRoot)
{
    if (isBuilding())
        return; // the running build keeps its project; the window asks before switching
    m_repoRoot = repoRoot.isEmpty() ? QString() : QFileInfo(repoRoot).absoluteFilePath();
    m_plan = m_repoRoot.isEmpty() ? ProjectBuildPlan() : planProjectBuild(m_repoRoot, m_dockerfileOverride);
    // The recipe's platforms first in the list, its first one chosen.
    // Several: all of them (one after the other) is the choice, each one alone in the list too.
    for (const QString &p : std::as_const(m_plan.platforms))
        if (m_platformCombo->findData(p) < 0)
            m_platformCombo->addItem(p, p);
    if (!m_plan.platforms.isEmpty())
        setPlatform(m_plan.platforms.join(u','));
    m_model->clear();
    m_log->clear();
    m_allLog.clear();
    m_allLogChars = 0;
    m_errorView->hide();
    m_locations->clear();
    m_locations->hide();
    m_summaryPanel->hide();
    m_message->hide();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_status->setText(tr("Ready to build."));
    if (!m_repoRoot.isEmpty()) {
        // The last build of this project, from the history.
        const BuildHistory history;
        const QList<BuildRecord> last = history.recent(1, m_repoRoot);
        if (!last.isEmpty()) {
            const BuildRecord &r = last.constFirst();
            QString text = tr("Last build %1: %2 in %3").arg(QLocale().toString(r.started.toLocalTime(), QLocale::ShortFormat), r.result,
                                                             formatDuration(r.durationMs));
            if (r.imageSize >= 0)
                text += tr(", %1").arg(formatBytes(r.imageSize));
            m_status->setText(text + u'.');
        }
    }
    updateProjectState();
    if (!m_repoRoot.isEmpty() && !m_lister->isRunning() && m_builderCombo->count() <= 1)
        refreshBuilders();
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
    int i = m_platformCombo->findData(platform);
    if (i < 0) {
        const QStringList list = platform.split(u',', Qt::SkipEmptyParts);
        m_platformCombo->addItem(list.size() > 1 ? tr("Each of %1").arg(list.join(u" + "_s)) : platform, platform);
        i = m_platformCombo->count() - 1;
    }
    m_platformCombo->setCurrentIndex(i);
}

QString BuildPage::platform() const
{
    return platforms().value(0);
}

QStringList BuildPage::platforms() const
{
    return m_platformCombo->currentData().toString().split(u',', Qt::SkipEmptyParts);
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
        QStringList tags;
        const QString tag = imageTag();
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
    m_refreshBuilders->setEnabled(false);
    m_lister->start();
}

void BuildPage::onBuildersListed(const BuilderList &list)
{
    m_refreshBuilders->setEnabled(true);
    const QString previous = m_builderCombo->currentIndex() > 0 ? m_builderCombo->currentText() : QString();
    m_builderCombo->clear();
    m_builderCombo->addItem(tr("Current builder"));
    for (const BuilderChoice &c : list.choices) {
        m_builderCombo->addItem(c.label() + (c.current ? tr(" — current") : QString()),
                                QVariantList{int(c.kind), c.name});
        m_builderCombo->setItemData(m_builderCombo->count() - 1,
                                    c.kind == BuilderChoice::Kind::Builder ? c.platforms.join(u", "_s) : c.endpoint,
                                    Qt::ToolTipRole);
    }
    m_builders = list;
    for (const BuilderChoice &c : list.choices)
        if (c.kind == BuilderChoice::Kind::Builder && c.current)
            m_builderCombo->setItemText(0, tr("Current builder (%1)").arg(c.name));
    int again = previous.isEmpty() ? -1 : m_builderCombo->findText(previous);
    if (again <= 0 && !m_plan.builder.isEmpty()) {
        for (int i = 1; i < m_builderCombo->count(); ++i)
            if (m_builderCombo->itemData(i).toList().value(1).toString() == m_plan.builder)
                again = i;
    }
    m_builderCombo->setCurrentIndex(again > 0 ? again : 0);
    updateBuilderLabel();
    if (!list.error.isEmpty() && !isBuilding()) {
        m_message->showMessage(MessageBar::Type::Warning, list.error);
        m_message->show();
    }
}

void BuildPage::updateBuilderLabel()
{
    // Where the next (or the running) build happens, in words.
    const QVariantList data = m_builderCombo->currentData().toList();
    QString name = data.value(1).toString();
    auto kind = BuilderChoice::Kind(data.value(0, int(BuilderChoice::Kind::Builder)).toInt());
    if (data.size() != 2 && !m_plan.builder.isEmpty())
        name = m_plan.builder;
    const BuilderChoice *choice = nullptr;
    for (const BuilderChoice &c : std::as_const(m_builders.choices)) {
        // A name that is a context builds on the context (docker --context NAME buildx build).
        if (c.name == name && (c.kind == BuilderChoice::Kind::Context || !choice))
            choice = &c;
        if (name.isEmpty() && c.kind == BuilderChoice::Kind::Builder && c.current)
            choice = &c;
    }
    if (choice)
        kind = choice->kind;
    QString text;
    if (name.isEmpty() && !choice)
        text = tr("Builds with docker buildx's current builder.");
    else if (name.isEmpty())
        text = tr("Builds with the current builder, %1 (%2).").arg(choice->name, choice->driver);
    else if (kind == BuilderChoice::Kind::Context && choice && choice->isRemote())
        text = tr("Builds on docker context %1 (%2): natively on that server, the image stays there.").arg(name, choice->endpoint);
    else if (kind == BuilderChoice::Kind::Context)
        text = tr("Builds on docker context %1%2.").arg(name, choice ? u" ("_s + choice->endpoint + u')' : QString());
    else
        text = tr("Builds with buildx builder %1%2.").arg(name, choice ? u" ("_s + choice->driver + u')' : QString());
    m_builderLabel->setText(u"<small>%1</small>"_s.arg(text.toHtmlEscaped()));
    m_builderLabel->setToolTip(text);
}

void BuildPage::setBuilding(bool building)
{
    m_stopButton->setEnabled(building);
    m_platformCombo->setEnabled(!building);
    m_builderCombo->setEnabled(!building);
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
    if (!m_canBuild) {
        updateProjectState();
        return;
    }
    BuildChoices choices;
    choices.platforms = platforms();
    choices.tag = m_tagOverride;
    const QVariantList builder = m_builderCombo->currentData().toList();
    if (builder.size() == 2) { // a builder or context chosen, else the recipe's
        choices.replaceBuilder = true;
        (builder.at(0).toInt() == int(BuilderChoice::Kind::Builder) ? choices.builder : choices.dockerContext) = builder.at(1).toString();
    }

    m_model->clear();
    m_log->clear();
    m_allLog.clear();
    m_allLogChars = 0;
    m_logStep = -1;
    m_lastAppendedStep = -2;
    m_done = m_total = 0;
    m_stopping = false;
    m_lastResult = {};
    m_logTitle->setText(tr("Output of all steps"));
    m_errorView->clear();
    m_errorView->hide();
    m_locations->clear();
    m_locations->hide();
    m_summaryPanel->hide();
    m_message->clear();
    m_message->hide();
    m_progress->setRange(0, 0); // busy until the steps are known
    m_progress->setTextVisible(true);
    m_status->setText(tr("Starting docker buildx…"));
    m_platformLabel->hide();
    updateBuilderLabel();
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
    m_done = m_total = 0;
    m_progress->setRange(0, 0); // busy until this platform's steps are known
    updateStatus();
}

void BuildPage::onStepUpdated(int index, const BuildStep &step)
{
    m_model->updateStep(index, step);
}

void BuildPage::onLogAppended(int index, const QString &text)
{
    m_allLog.append({index, text});
    m_allLogChars += text.size();
    while (m_allLogChars > maxAllLogChars && !m_allLog.isEmpty())
        m_allLogChars -= m_allLog.takeFirst().second.size();
    if (m_logStep == -1 || m_logStep == index)
        appendToLogView(index, text);
}

void BuildPage::appendToLogView(int stepIndex, const QString &text)
{
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 4;
    QString chunk;
    if (m_logStep == -1 && stepIndex != m_lastAppendedStep) {
        const BuildStep *s = m_model->step(stepIndex);
        if (s) {
            if (!m_log->document()->isEmpty() && !m_log->toPlainText().endsWith(u'\n'))
                chunk += u'\n';
            chunk += u"── "_s + stepHeading(*s) + u" ──\n"_s;
        }
        m_lastAppendedStep = stepIndex;
    }
    chunk += text;
    QTextCursor cursor(m_log->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(chunk);
    if (follow)
        bar->setValue(bar->maximum());
}

void BuildPage::showLogFor(int stepIndex)
{
    m_logStep = stepIndex;
    m_lastAppendedStep = -2;
    m_log->clear();
    if (stepIndex < 0) {
        m_logTitle->setText(tr("Output of all steps"));
        QString all;
        for (const auto &[index, text] : std::as_const(m_allLog)) {
            if (index != m_lastAppendedStep) {
                if (const BuildStep *s = m_model->step(index)) {
                    if (!all.isEmpty() && !all.endsWith(u'\n'))
                        all += u'\n';
                    all += u"── "_s + stepHeading(*s) + u" ──\n"_s;
                }
                m_lastAppendedStep = index;
            }
            all += text;
        }
        m_log->setPlainText(all);
    } else {
        const BuildStep *s = m_model->step(stepIndex);
        m_logTitle->setText(s ? tr("Output of %1").arg(stepHeading(*s)) : tr("Output"));
        m_logTitle->setToolTip(m_logTitle->text());
        // The runner's copy has the whole log (the model's copy is as of its last update).
        const QList<BuildStep> &steps = m_runner->steps();
        QString log = stepIndex < steps.size() ? steps.at(stepIndex).log : (s ? s->log : QString());
        if (log.isEmpty() && stepIndex < m_lastResult.steps.size())
            log = m_lastResult.steps.at(stepIndex).log;
        if (s && !s->error.isEmpty())
            log += (log.isEmpty() || log.endsWith(u'\n') ? QString() : u"\n"_s) + tr("ERROR: %1").arg(s->error);
        m_log->setPlainText(log.isEmpty() ? (s && s->cached ? tr("(cached: this step did not run)") : QString()) : log);
    }
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void BuildPage::onProgress(int done, int total)
{
    m_done = done;
    m_total = total;
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
            running = stepHeading(s);
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
    const QString whereText = !result.dockerContext.isEmpty() ? tr(" · on docker context %1").arg(result.dockerContext.toHtmlEscaped())
                              : !result.builder.isEmpty()     ? tr(" · on builder %1").arg(result.builder.toHtmlEscaped())
                                                              : QString();
    switch (result.outcome) {
    case BuildResult::Outcome::Succeeded: {
        m_status->setText(tr("Built in %1.").arg(formatDuration(result.durationMs)));
        if (result.images.size() > 1) {
            m_platformLabel->setText(tr("%1 platforms").arg(result.images.size()));
            QString text = tr("<b>Built %1 images</b> in %2 · %3 steps, %4 from the cache")
                               .arg(result.images.size())
                               .arg(formatDuration(result.durationMs))
                               .arg(result.stepCount)
                               .arg(result.cachedSteps);
            text += whereText;
            for (const PlatformImage &i : result.images)
                text += tr("<br>%1 · <b>%2</b> · %3 <small>%4</small>")
                            .arg(i.platform.toHtmlEscaped(), i.tag.toHtmlEscaped(), formatBytes(i.imageSize), i.imageId.left(19).toHtmlEscaped());
            m_summary->setText(text);
            m_inspect->setToolTip(tr("See %1 layer by layer, and ship it").arg(result.imageRef));
            m_summaryPanel->show();
            if (m_allLog.isEmpty() && m_logStep == -1)
                m_log->setPlainText(tr("Every step came from the build cache: nothing had to run."));
            break;
        }
        QString text = tr("<b>Built %1</b> in %2 · %3 steps, %4 from the cache")
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
        m_summary->setText(text);
        m_summaryPanel->show();
        if (m_allLog.isEmpty() && m_logStep == -1)
            m_log->setPlainText(tr("Every step came from the build cache: nothing had to run."));
        break;
    }
    case BuildResult::Outcome::Cancelled:
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
        break;
    case BuildResult::Outcome::Failed: {
        m_status->setText(tr("Failed after %1.").arg(formatDuration(result.durationMs)));
        showFailure(result);
        QStringList lines = result.failure.compilerLines;
        if (lines.isEmpty() && result.failure.stepIndex >= 0 && result.failure.stepIndex < result.steps.size()) {
            const BuildStep &s = result.steps.at(result.failure.stepIndex);
            lines = s.log.trimmed().split(u'\n');
            lines = lines.mid(std::max<qsizetype>(0, lines.size() - 12));
            if (!s.error.isEmpty())
                lines << s.error;
        }
        if (lines.isEmpty() && !result.failure.details.isEmpty())
            lines << result.failure.details;
        if (!lines.isEmpty()) {
            m_errorView->setPlainText(lines.join(u'\n'));
            m_errorView->show();
        }
        if (result.failure.stepIndex >= 0) {
            const QModelIndex idx = m_model->indexForStep(result.failure.stepIndex);
            if (idx.isValid()) {
                m_tree->expand(idx.parent());
                m_tree->setCurrentIndex(idx);
                m_tree->scrollTo(idx);
            }
        }
        break;
    }
    }
    Q_EMIT buildFinished(result);
}

void BuildPage::showFailure(const BuildResult &result)
{
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
    m_locations->clear();
    const QDir root(m_repoRoot);
    for (const SourceLocation &loc : summary.locations) {
        const bool inRepo = !m_repoRoot.isEmpty() && QFileInfo(root.filePath(loc.path)).isFile();
        auto *item = new QListWidgetItem(QIcon::fromTheme(u"text-x-generic"_s), loc.text(), m_locations);
        item->setData(Qt::UserRole, loc.path);
        item->setData(Qt::UserRole + 1, loc.line);
        item->setData(Qt::UserRole + 2, loc.column);
        item->setToolTip(inRepo ? QDir::toNativeSeparators(root.filePath(loc.path))
                                : tr("%1 is a path inside the build container; no file of the project matches it.").arg(loc.path));
        if (!inRepo)
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    m_locations->setVisible(m_locations->count() > 0);
    if (m_locations->count() > 0)
        m_locations->setCurrentRow(0);
}

void BuildPage::openLocation(const QString &relativePath, int line, int column)
{
    const Status opened = openInEditor(Preferences::load().editorCommand, QDir(m_repoRoot).filePath(relativePath), line, column);
    if (!opened)
        m_status->setText(opened.failure().sentence());
}

} // namespace Gantry
