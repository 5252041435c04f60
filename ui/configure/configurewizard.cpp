// SPDX-License-Identifier: MIT
#include "configurewizard.h"

#include "configure/backendstep.h"
#include "configure/foldersstep.h"
#include "configure/frontendstep.h"
#include "configure/reviewstep.h"
#include "configure/runtimestep.h"
#include "configure/targetstep.h"
#include "project/projectscanner.h"
#include "recipe/recipedefaults.h"
#include "util/jobtracker.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

ConfigureScanResult runScan(const QString &folder, const QString &backendDir, const QString &frontendDir)
{
    ConfigureScanResult r;
    r.folder = folder;
    Result<ProjectFacts> scanned = ProjectScanner::scanRepository(folder, backendDir, frontendDir);
    if (scanned)
        r.facts = std::move(scanned).value();
    else
        r.failure = scanned.failure();
    if (r.facts && QFileInfo::exists(QDir(r.facts->repoRoot).filePath(u"gantry.toml"_s))) {
        if (Result<BuildRecipe> existing = BuildRecipe::load(r.facts->repoRoot))
            r.existing = std::move(existing).value();
        else
            r.existingFailure = existing.failure();
    }
    return r;
}

} // namespace

ConfigureWizard::ConfigureWizard(QWidget *parent)
    : QWidget(parent)
    , m_scans(new JobTracker(this))
    , m_steps(new QWidget(this))
    , m_message(new MessageBar(this))
    , m_pages(new QStackedWidget(this))
    , m_busy(new QProgressBar(this))
    , m_scanning(nullptr)
    , m_back(new QPushButton(tr("Back"), this))
    , m_next(new QPushButton(tr("Next"), this))
    , m_write(new QPushButton(tr("Write Files"), this))
{
    qRegisterMetaType<ConfigureScanResult>();
    setAcceptDrops(true);
    createStepButtons();
    m_message->setVisible(false);
    addSteps();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_steps);
    layout->addWidget(m_message);
    layout->addWidget(m_pages, 1);
    layout->addLayout(createButtonRow());

    connect(m_back, &QPushButton::clicked, this, [this] { setStep(currentStep() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setStep(currentStep() + 1); });
    connect(m_write, &QPushButton::clicked, this, &ConfigureWizard::write);
    setStep(Folders);
}

void ConfigureWizard::createStepButtons()
{
    // The steps as buttons: any step already reached can be clicked (or reached with Tab + Space).
    m_steps->setObjectName(u"stepBar"_s);
    auto *row = new QHBoxLayout(m_steps);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    const QStringList names{tr("Folders"), tr("Backend"), tr("Frontend"), tr("Target"), tr("Runtime"), tr("Review")};
    for (int i = 0; i < names.size(); ++i) {
        if (i > 0) {
            auto *sep = new QLabel(u"›"_s, m_steps);
            sep->setEnabled(false);
            row->addWidget(sep);
        }
        auto *b = new QToolButton(m_steps);
        b->setObjectName(u"step%1Button"_s.arg(i));
        b->setText(u"%1 %2"_s.arg(i + 1).arg(names.at(i)));
        b->setAutoRaise(true);
        b->setCheckable(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        connect(b, &QToolButton::clicked, this, [this, i] { setStep(i); });
        m_stepButtons << b;
        row->addWidget(b);
    }
    row->addStretch(1);
}

void ConfigureWizard::addSteps()
{
    m_folders = new FoldersStep;
    m_review = new ReviewStep;
    m_stepPages = {m_folders, new BackendStep, new FrontendStep, new TargetStep, new RuntimeStep, m_review};
    for (WizardStep *s : std::as_const(m_stepPages)) {
        m_pages->addWidget(s);
        connect(s, &WizardStep::changed, this, &ConfigureWizard::updateSummaries);
    }
    connect(m_folders, &FoldersStep::chooseFolderRequested, this, &ConfigureWizard::chooseFolderRequested);
    connect(m_folders, &FoldersStep::scanRequested, this, &ConfigureWizard::scan);
    connect(m_review, &ReviewStep::replaceToggled, this, &ConfigureWizard::updateStepLabels);
}

QLayout *ConfigureWizard::createButtonRow()
{
    m_back->setObjectName(u"backButton"_s);
    m_next->setObjectName(u"nextButton"_s);
    m_write->setObjectName(u"writeButton"_s);
    m_write->setDefault(true);
    m_busy->setObjectName(u"scanProgress"_s);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->setFormat(tr("Scanning…"));
    m_busy->setVisible(false);
    m_scanning = new QLabel(tr("Scanning the project…"), this);
    m_scanning->setObjectName(u"scanningLabel"_s);
    m_scanning->setVisible(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_busy);
    buttons->addWidget(m_scanning);
    buttons->addStretch(1);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addWidget(m_write);
    return buttons;
}

void ConfigureWizard::setDefaults(const QStringList &platforms, BuildRecipe::Runtime runtime)
{
    QStringList known;
    for (const QString &p : platforms)
        if (BuildRecipe::supportedPlatforms().contains(p) && !known.contains(p))
            known << p;
    m_defaultPlatforms = known.isEmpty() ? QStringList{u"linux/amd64"_s} : known;
    m_defaultRuntime = runtime;
}

QWidget *ConfigureWizard::stepWidget(int step) const
{
    return m_pages->widget(step);
}

int ConfigureWizard::currentStep() const
{
    return m_pages->currentIndex();
}

void ConfigureWizard::setStep(int step)
{
    step = std::clamp(step, 0, int(StepCount) - 1);
    if (step > Folders && !m_facts)
        step = Folders;
    if (step == Review)
        updateReview();
    m_pages->setCurrentIndex(step);
    updateStepLabels();
}

void ConfigureWizard::updateStepLabels()
{
    const bool scanning = isScanning();
    m_reached = m_facts ? std::max(m_reached, currentStep()) : Folders;
    for (int i = 0; i < m_stepButtons.size(); ++i) {
        QToolButton *b = m_stepButtons.at(i);
        b->setChecked(i == currentStep());
        QFont f = b->font();
        f.setBold(i == currentStep());
        b->setFont(f);
        b->setEnabled(i <= m_reached && !scanning);
        b->setToolTip(i <= m_reached ? tr("Go to this step") : tr("Reached with Next"));
    }
    m_back->setEnabled(currentStep() > Folders && !scanning);
    m_next->setVisible(currentStep() < Review);
    m_next->setEnabled(m_facts.has_value() && !scanning);
    m_write->setVisible(currentStep() == Review);
    m_review->setReplaceOffered(currentStep() == Review && wouldOverwrite(m_plan));
    const bool problem = currentStep() == Review && !recipe().validate().isEmpty();
    m_write->setEnabled(m_facts.has_value() && !scanning && !problem
                        && (!wouldOverwrite(m_plan) || m_review->replaceConfirmed()));
}

void ConfigureWizard::scan(const QString &folder, const QString &backendDir, const QString &frontendDir)
{
    m_message->clear();
    m_message->setVisible(false);
    m_folders->scanning(folder, backendDir.isEmpty() && frontendDir.isEmpty());
    m_busy->setVisible(true);
    m_scanning->setVisible(true);
    // Off the GUI thread; a newer scan makes this one's result stale (JobTracker).
    m_scans->start([folder, backendDir, frontendDir] { return runScan(folder, backendDir, frontendDir); },
                   [this](const ConfigureScanResult &r) {
                       m_busy->setVisible(false);
                       m_scanning->setVisible(false);
                       scanDone(r);
                   });
    updateStepLabels();
}

bool ConfigureWizard::isScanning() const
{
    return m_scans->isRunning();
}

void ConfigureWizard::scanDone(const ConfigureScanResult &r)
{
    if (!r.facts) {
        showScanFailure(r.failure);
        return;
    }
    const BuildRecipe recipe = startingRecipe(r);
    m_facts = r.facts;
    m_reached = Folders;
    load(*r.facts, recipe);
    updateSummaries();
    setStep(Folders);
    Q_EMIT scanFinished(true);
}

void ConfigureWizard::showScanFailure(const Failure &failure)
{
    m_facts.reset();
    m_reached = Folders;
    m_plan.clear();
    m_message->showMessage(MessageBar::Type::Error, failureText(failure));
    m_message->setVisible(true);
    m_folders->clearSummary();
    setStep(Folders);
    Q_EMIT scanFinished(false);
}

BuildRecipe ConfigureWizard::startingRecipe(const ConfigureScanResult &r)
{
    BuildRecipe recipe = recipeFromFacts(*r.facts);
    recipe.platforms = m_defaultPlatforms;
    recipe.runtime = m_defaultRuntime;
    if (r.existing) {
        recipe = *r.existing;
        // Folders the user just chose win over the saved ones.
        recipe.backendDir = r.facts->backendRelative();
        const BuildRecipe fresh = recipeFromFacts(*r.facts);
        if (fresh.frontendDir != recipe.frontendDir) {
            recipe.frontendDir = fresh.frontendDir;
            recipe.frontendOutputDir = fresh.frontendOutputDir;
        }
        m_message->showMessage(MessageBar::Type::Information,
                               tr("This project already has a gantry.toml: its choices are filled in. The review shows "
                                  "what would change before anything is written."));
        m_message->setVisible(true);
    } else if (r.existingFailure) {
        m_message->showMessage(MessageBar::Type::Warning, failureText(*r.existingFailure) + u'\n'
                                                              + tr("Gantry proposes a new recipe from the scan instead."));
        m_message->setVisible(true);
    }
    return recipe;
}

void ConfigureWizard::load(const ProjectFacts &facts, const BuildRecipe &recipe)
{
    m_base = recipe;
    m_review->load(facts, recipe); // first: the others' changes redo no stale summary of it
    for (WizardStep *s : std::as_const(m_stepPages))
        if (s != m_review)
            s->load(facts, recipe);
}

BuildRecipe ConfigureWizard::recipe() const
{
    BuildRecipe r = m_base;
    if (!m_facts)
        return r;
    for (const WizardStep *s : m_stepPages)
        s->store(r);
    return r;
}

void ConfigureWizard::updateReview()
{
    if (!m_facts)
        return;
    const BuildRecipe r = recipe();
    m_plan = planRecipeFiles(r, m_facts->repoRoot);
    const QStringList changed = m_review->show(r, m_plan, m_facts->repoRoot);
    const QString problem = r.validate();
    if (!problem.isEmpty()) {
        m_message->showMessage(MessageBar::Type::Error, problem);
        m_message->setVisible(true);
    } else if (!changed.isEmpty()) {
        m_message->showMessage(MessageBar::Type::Warning,
                               (changed.size() == 1
                                    ? tr("%1 already exists and would change. Look at the Changes tab, then confirm below to replace it.")
                                    : tr("%1 already exist and would change. Look at the Changes tab, then confirm below to replace them."))
                                   .arg(changed.join(u", "_s)));
        m_message->setVisible(true);
        m_review->setCurrentTab(ReviewStep::ChangesTab);
    } else {
        m_message->clear();
        m_message->setVisible(false);
        m_review->setCurrentTab(ReviewStep::DockerfileTab);
    }
    m_review->setReplaceConfirmed(false);
}

void ConfigureWizard::write()
{
    if (!m_facts)
        return;
    if (const Status written = writeRecipeFiles(m_plan, m_review->replaceConfirmed()); !written) {
        m_message->showMessage(MessageBar::Type::Error, failureText(written.failure()));
        m_message->setVisible(true);
        return;
    }
    const QString root = m_facts->repoRoot;
    m_message->showMessage(MessageBar::Type::Positive,
                           tr("Wrote gantry.toml, %1 and .dockerignore in %2.").arg(recipe().dockerfile, QDir::toNativeSeparators(root)));
    m_message->setVisible(true);
    updateReview();
    m_message->showMessage(MessageBar::Type::Positive,
                           tr("Wrote gantry.toml, %1 and .dockerignore in %2.").arg(recipe().dockerfile, QDir::toNativeSeparators(root)));
    m_message->setVisible(true);
    updateStepLabels();
    Q_EMIT recipeWritten(root);
}

void ConfigureWizard::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && QFileInfo(urls.first().toLocalFile()).isDir())
        event->acceptProposedAction();
}

void ConfigureWizard::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        scan(urls.first().toLocalFile());
    }
}

void ConfigureWizard::updateSummaries()
{
    if (!m_facts)
        return;
    m_review->updateSummary(recipe());
}

} // namespace Gantry
