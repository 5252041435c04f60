// SPDX-License-Identifier: MIT
#include "configurewizard.h"

#include "configure/dockerfilehighlighter.h"
#include "project/projectscanner.h"
#include "recipe/recipedefaults.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"
#include "widgets/wording.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSysInfo>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

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

QLabel *wrapLabel(const QString &text = {})
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QLabel *heading(const QString &text)
{
    auto *l = new QLabel(text);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setBold(true);
    l->setFont(f);
    return l;
}

QPlainTextEdit *codeView(const QString &name)
{
    auto *v = new QPlainTextEdit;
    v->setObjectName(name);
    v->setReadOnly(true);
    v->setLineWrapMode(QPlainTextEdit::NoWrap);
    v->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return v;
}

/// A page: a heading, an explanation and a form, scrollable when the window is small.
QWidget *page(const QString &title, const QString &intro, QLayout *content)
{
    auto *inner = new QWidget;
    auto *v = new QVBoxLayout(inner);
    v->addWidget(heading(title));
    if (!intro.isEmpty()) {
        auto *l = wrapLabel(intro);
        l->setForegroundRole(QPalette::PlaceholderText);
        v->addWidget(l);
    }
    v->addSpacing(6);
    v->addLayout(content);
    v->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

QString html(const QString &s)
{
    return s.toHtmlEscaped();
}

} // namespace

ConfigureWizard::ConfigureWizard(QWidget *parent)
    : QWidget(parent)
    , m_steps(new QWidget(this))
    , m_message(new MessageBar(this))
    , m_pages(new QStackedWidget(this))
    , m_busy(new QProgressBar(this))
    , m_back(new QPushButton(tr("Back"), this))
    , m_next(new QPushButton(tr("Next"), this))
    , m_write(new QPushButton(tr("Write Files"), this))
{
    qRegisterMetaType<ConfigureScanResult>();
    setAcceptDrops(true);
    m_steps->setObjectName(u"stepBar"_s);
    {
        // The steps as buttons: any step already reached can be clicked (or reached with Tab + Space).
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
    m_back->setObjectName(u"backButton"_s);
    m_next->setObjectName(u"nextButton"_s);
    m_write->setObjectName(u"writeButton"_s);
    m_write->setDefault(true);
    m_busy->setObjectName(u"scanProgress"_s);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->setFormat(tr("Scanning…"));
    m_busy->setVisible(false);
    m_message->setVisible(false);

    m_pages->addWidget(createFoldersPage());
    m_pages->addWidget(createBackendPage());
    m_pages->addWidget(createFrontendPage());
    m_pages->addWidget(createTargetPage());
    m_pages->addWidget(createRuntimePage());
    m_pages->addWidget(createReviewPage());

    auto *buttons = new QHBoxLayout;
    auto *scanning = new QLabel(tr("Scanning the project…"), this);
    scanning->setObjectName(u"scanningLabel"_s);
    scanning->setVisible(false);
    buttons->addWidget(m_busy);
    buttons->addWidget(scanning);
    buttons->addStretch(1);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addWidget(m_write);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_steps);
    layout->addWidget(m_message);
    layout->addWidget(m_pages, 1);
    layout->addLayout(buttons);

    connect(m_back, &QPushButton::clicked, this, [this] { setStep(currentStep() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setStep(currentStep() + 1); });
    connect(m_write, &QPushButton::clicked, this, &ConfigureWizard::write);
    connect(&m_watcher, &QFutureWatcher<ConfigureScanResult>::started, this, [this, scanning] {
        m_busy->setVisible(true);
        scanning->setVisible(true);
        updateStepLabels();
    });
    connect(&m_watcher, &QFutureWatcher<ConfigureScanResult>::finished, this, [this, scanning] {
        m_busy->setVisible(false);
        scanning->setVisible(false);
        scanDone();
    });
    // Every field that a summary repeats redoes the summaries as it changes.
    for (QLineEdit *e : findChildren<QLineEdit *>())
        connect(e, &QLineEdit::textChanged, this, &ConfigureWizard::updateSummaries);
    for (QComboBox *c : findChildren<QComboBox *>())
        connect(c, &QComboBox::currentTextChanged, this, &ConfigureWizard::updateSummaries);
    for (QAbstractButton *b : findChildren<QAbstractButton *>())
        if (b->isCheckable() && !m_stepButtons.contains(qobject_cast<QToolButton *>(b)))
            connect(b, &QAbstractButton::toggled, this, &ConfigureWizard::updateSummaries);
    connect(m_portSpin, &QSpinBox::valueChanged, this, &ConfigureWizard::updateSummaries);
    connect(m_envTable, &QTableWidget::itemChanged, this, &ConfigureWizard::updateSummaries);
    setStep(Folders);
}

QWidget *ConfigureWizard::createFoldersPage()
{
    m_rootEdit = new QLineEdit;
    m_rootEdit->setObjectName(u"rootEdit"_s);
    m_rootEdit->setPlaceholderText(tr("The repository's folder (drop it here)"));
    auto *choose = new QPushButton(tr("Choose…"));
    connect(choose, &QPushButton::clicked, this, &ConfigureWizard::chooseFolderRequested);
    connect(m_rootEdit, &QLineEdit::returnPressed, this, [this] { scan(m_rootEdit->text()); });
    auto *rootRow = new QHBoxLayout;
    rootRow->addWidget(m_rootEdit, 1);
    rootRow->addWidget(choose);

    m_backendEdit = new QLineEdit;
    m_backendEdit->setObjectName(u"backendEdit"_s);
    m_backendEdit->setPlaceholderText(tr("found on its own"));
    m_frontendEdit = new QLineEdit;
    m_frontendEdit->setObjectName(u"frontendEdit"_s);
    m_frontendEdit->setPlaceholderText(tr("found on its own; none if there is no package.json with a build script"));
    auto *rescan = new QPushButton(tr("Scan Again"));
    rescan->setObjectName(u"rescanButton"_s);
    connect(rescan, &QPushButton::clicked, this, [this] {
        scan(m_rootEdit->text(), m_backendEdit->text().trimmed(), m_frontendEdit->text().trimmed());
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Repository:"), rootRow);
    form->addRow(tr("Backend folder:"), m_backendEdit);
    form->addRow(tr("Frontend folder:"), m_frontendEdit);
    auto *rescanRow = new QHBoxLayout;
    rescanRow->addWidget(rescan);
    rescanRow->addStretch(1);
    form->addRow(QString(), rescanRow);
    m_foldersSummary = wrapLabel();
    m_foldersSummary->setObjectName(u"foldersSummary"_s);
    m_foldersSummary->setTextFormat(Qt::RichText);
    auto *v = new QVBoxLayout;
    v->addLayout(form);
    v->addSpacing(8);
    v->addWidget(m_foldersSummary);
    return page(tr("Folders"),
                tr("The repository holds the Rust backend (Cargo.toml) and the JavaScript frontend (package.json). "
                   "Gantry finds both on its own; type a folder (relative to the repository) and scan again to pick another."),
                v);
}

QWidget *ConfigureWizard::createBackendPage()
{
    m_backendSummary = wrapLabel();
    m_backendSummary->setObjectName(u"backendSummary"_s);
    m_backendSummary->setTextFormat(Qt::RichText);
    m_binaryCombo = new QComboBox;
    m_binaryCombo->setObjectName(u"binaryCombo"_s);
    m_tlsLabel = wrapLabel();
    m_tlsLabel->setObjectName(u"tlsLabel"_s);
    m_tlsLabel->setTextFormat(Qt::RichText);
    m_backendNotes = wrapLabel();
    m_backendNotes->setObjectName(u"backendNotes"_s);
    auto *form = new QFormLayout;
    form->addRow(tr("Binary to ship:"), m_binaryCombo);
    m_binaryProvenance = wrapLabel();
    m_binaryProvenance->setObjectName(u"binaryProvenance"_s);
    m_binaryProvenance->setTextFormat(Qt::RichText);
    form->addRow(QString(), m_binaryProvenance);
    connect(m_binaryCombo, &QComboBox::currentTextChanged, this, &ConfigureWizard::updateProvenance);
    auto *tlsBox = new QGroupBox(tr("TLS and OpenSSL"));
    auto *tlsLayout = new QVBoxLayout(tlsBox);
    tlsLayout->addWidget(m_tlsLabel);
    auto *v = new QVBoxLayout;
    v->addWidget(m_backendSummary);
    v->addLayout(form);
    v->addWidget(tlsBox);
    v->addWidget(m_backendNotes);
    return page(tr("Backend"),
                tr("What Cargo.toml and Cargo.lock say. A static binary for a small image is easiest when nothing links "
                   "OpenSSL: Gantry lists the crates that bring it in and the switch to rustls."),
                v);
}

QWidget *ConfigureWizard::createFrontendPage()
{
    m_frontendSummary = wrapLabel();
    m_frontendSummary->setObjectName(u"frontendSummary"_s);
    m_frontendSummary->setTextFormat(Qt::RichText);
    m_frontendEnabled = new QCheckBox(tr("Build the frontend and serve its files from the image"));
    m_frontendEnabled->setObjectName(u"frontendEnabled"_s);
    m_packageManagerCombo = new QComboBox;
    m_packageManagerCombo->setObjectName(u"packageManagerCombo"_s);
    for (const PackageManagerTraits &pm : PackageManagers::all())
        m_packageManagerCombo->addItem(pm.name, int(pm.manager));
    m_outputEdit = new QLineEdit;
    m_outputEdit->setObjectName(u"outputEdit"_s);
    m_nodeEdit = new QLineEdit;
    m_nodeEdit->setObjectName(u"nodeEdit"_s);
    m_nodeEdit->setPlaceholderText(u"20"_s);
    auto *form = new QFormLayout;
    form->addRow(QString(), m_frontendEnabled);
    form->addRow(tr("Package manager:"), m_packageManagerCombo);
    form->addRow(tr("Output folder:"), m_outputEdit);
    m_outputProvenance = wrapLabel();
    m_outputProvenance->setObjectName(u"outputProvenance"_s);
    m_outputProvenance->setTextFormat(Qt::RichText);
    form->addRow(QString(), m_outputProvenance);
    form->addRow(tr("Node major version:"), m_nodeEdit);
    connect(m_frontendEnabled, &QCheckBox::toggled, this, [this](bool on) {
        m_packageManagerCombo->setEnabled(on);
        m_outputEdit->setEnabled(on);
        m_nodeEdit->setEnabled(on);
    });
    m_frontendOutputNote = wrapLabel();
    m_frontendOutputNote->setObjectName(u"frontendOutputNote"_s);
    m_frontendOutputNote->setTextFormat(Qt::RichText);
    auto *v = new QVBoxLayout;
    v->addWidget(m_frontendSummary);
    v->addWidget(m_frontendOutputNote);
    v->addLayout(form);
    return page(tr("Frontend"),
                tr("The frontend is built once, on the build machine's own platform (its files are the same for every "
                   "architecture), and copied into the image next to the backend."),
                v);
}

QWidget *ConfigureWizard::createTargetPage()
{
    m_amd64 = new QCheckBox(tr("linux/amd64 (x86-64 servers)"));
    m_amd64->setObjectName(u"amd64Check"_s);
    m_arm64 = new QCheckBox(tr("linux/arm64 (Graviton, Ampere, Raspberry Pi 4/5)"));
    m_arm64->setObjectName(u"arm64Check"_s);
    m_cross = new QRadioButton(tr("Cross-compile on this machine (recommended)"));
    m_cross->setObjectName(u"crossRadio"_s);
    m_emulate = new QRadioButton(tr("Emulate the target under QEMU"));
    m_emulate->setObjectName(u"emulateRadio"_s);
    auto *strategyGroup = new QButtonGroup(this);
    strategyGroup->addButton(m_cross);
    strategyGroup->addButton(m_emulate);
    m_strategyNote = wrapLabel();
    m_strategyNote->setObjectName(u"strategyNote"_s);
    m_rustup = new QRadioButton(tr("rustup: the official rust image, musl, fully static, linked with rust-lld"));
    m_rustup->setObjectName(u"rustupRadio"_s);
    m_debian = new QRadioButton(tr("debian: Debian's rustc and crate packages, static glibc, builds offline"));
    m_debian->setObjectName(u"debianRadio"_s);
    auto *toolchainGroup = new QButtonGroup(this);
    toolchainGroup->addButton(m_rustup);
    toolchainGroup->addButton(m_debian);
    m_rustImageEdit = new QLineEdit;
    m_rustImageEdit->setObjectName(u"rustImageEdit"_s);
    m_nodeImageEdit = new QLineEdit;
    m_nodeImageEdit->setObjectName(u"nodeImageEdit"_s);
    m_builderEdit = new QLineEdit;
    m_builderEdit->setObjectName(u"builderEdit"_s);
    m_builderEdit->setPlaceholderText(tr("the current one (a docker context over ssh:// builds on the server itself)"));
    m_cacheMountsCheck = new QCheckBox(tr("Keep cargo's and npm's caches between builds (BuildKit cache mounts)"));
    m_cacheMountsCheck->setObjectName(u"cacheMountsCheck"_s);

    for (QAbstractButton *b : {static_cast<QAbstractButton *>(m_amd64), static_cast<QAbstractButton *>(m_arm64),
                               static_cast<QAbstractButton *>(m_cross), static_cast<QAbstractButton *>(m_emulate),
                               static_cast<QAbstractButton *>(m_rustup), static_cast<QAbstractButton *>(m_debian)})
        connect(b, &QAbstractButton::toggled, this, &ConfigureWizard::updateStrategyNote);

    auto *platformBox = new QGroupBox(tr("The server's architecture"));
    auto *pl = new QVBoxLayout(platformBox);
    pl->addWidget(m_amd64);
    pl->addWidget(m_arm64);
    auto *strategyBox = new QGroupBox(tr("How to build for it"));
    auto *sl = new QVBoxLayout(strategyBox);
    sl->addWidget(m_cross);
    sl->addWidget(m_emulate);
    sl->addWidget(m_strategyNote);
    auto *toolchainBox = new QGroupBox(tr("Rust toolchain"));
    auto *tl = new QVBoxLayout(toolchainBox);
    tl->addWidget(m_rustup);
    tl->addWidget(m_debian);
    auto *images = new QFormLayout;
    images->addRow(tr("Rust image:"), m_rustImageEdit);
    images->addRow(tr("Node image:"), m_nodeImageEdit);
    tl->addLayout(images);
    auto *buildForm = new QFormLayout;
    buildForm->addRow(tr("Builder or context:"), m_builderEdit);
    buildForm->addRow(QString(), m_cacheMountsCheck);
    auto *v = new QVBoxLayout;
    v->addWidget(platformBox);
    v->addWidget(strategyBox);
    v->addWidget(toolchainBox);
    v->addLayout(buildForm);
    return page(tr("Target"), tr("Where the image will run, and how Gantry builds for it."), v);
}

QWidget *ConfigureWizard::createRuntimePage()
{
    m_runtimeCombo = new QComboBox;
    m_runtimeCombo->setObjectName(u"runtimeCombo"_s);
    m_runtimeCombo->addItem(tr("scratch: nothing but your files (smallest)"), u"scratch"_s);
    m_runtimeCombo->addItem(tr("distroless static: CA certificates, passwd, no shell"), u"distroless"_s);
    m_runtimeCombo->addItem(tr("alpine: a small shell for debugging"), u"alpine"_s);
    m_runtimeCombo->addItem(tr("debian-slim: a full userland"), u"debian-slim"_s);
    m_runtimeImageEdit = new QLineEdit;
    m_runtimeImageEdit->setObjectName(u"runtimeImageEdit"_s);
    m_portSpin = new QSpinBox;
    m_portSpin->setObjectName(u"portSpin"_s);
    m_portSpin->setRange(0, 65535);
    m_portSpin->setSpecialValueText(tr("none"));
    m_portSpin->setMaximumWidth(140);
    m_userEdit = new QLineEdit;
    m_userEdit->setObjectName(u"userEdit"_s);
    m_userEdit->setPlaceholderText(tr("empty: root"));
    m_caCheck = new QCheckBox(tr("Copy a CA certificate bundle (for outgoing HTTPS)"));
    m_caCheck->setObjectName(u"caCheck"_s);
    m_tagEdit = new QLineEdit;
    m_tagEdit->setObjectName(u"tagEdit"_s);
    m_envTable = new QTableWidget(0, 2);
    m_envTable->setObjectName(u"envTable"_s);
    m_envTable->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_envTable->horizontalHeader()->setStretchLastSection(true);
    m_envTable->verticalHeader()->setVisible(false);
    m_envTable->setMinimumHeight(110);
    m_envTable->setMaximumHeight(170);
    auto *addEnv = new QPushButton(tr("Add"));
    addEnv->setObjectName(u"addEnvButton"_s);
    auto *removeEnv = new QPushButton(tr("Remove"));
    connect(addEnv, &QPushButton::clicked, this, [this] {
        const int row = m_envTable->rowCount();
        m_envTable->insertRow(row);
        m_envTable->setItem(row, 0, new QTableWidgetItem(u"NAME"_s));
        m_envTable->setItem(row, 1, new QTableWidgetItem);
        m_envTable->editItem(m_envTable->item(row, 0));
    });
    connect(removeEnv, &QPushButton::clicked, this, [this] {
        if (m_envTable->currentRow() >= 0)
            m_envTable->removeRow(m_envTable->currentRow());
    });
    auto *envButtons = new QHBoxLayout;
    envButtons->addWidget(addEnv);
    envButtons->addWidget(removeEnv);
    envButtons->addStretch(1);
    auto *envBox = new QVBoxLayout;
    envBox->addWidget(m_envTable);
    envBox->addLayout(envButtons);

    auto *form = new QFormLayout;
    form->addRow(tr("Base:"), m_runtimeCombo);
    form->addRow(tr("Base image:"), m_runtimeImageEdit);
    form->addRow(tr("Port:"), m_portSpin);
    form->addRow(tr("User:"), m_userEdit);
    form->addRow(QString(), m_caCheck);
    form->addRow(tr("Environment:"), envBox);
    form->addRow(tr("Image tag:"), m_tagEdit);
    return page(tr("Runtime"),
                tr("What the final image is made of. Its stage has no RUN: it only receives the binary, the frontend's "
                   "files and the certificates, so it never needs emulation."),
                form);
}

QWidget *ConfigureWizard::createReviewPage()
{
    m_reviewSummary = wrapLabel();
    m_reviewSummary->setObjectName(u"reviewSummary"_s);
    m_reviewSummary->setTextFormat(Qt::RichText);
    m_reviewTabs = new QTabWidget;
    m_reviewTabs->setObjectName(u"reviewTabs"_s);
    m_dockerfileView = codeView(u"dockerfileView"_s);
    new DockerfileHighlighter(m_dockerfileView->document());
    m_dockerignoreView = codeView(u"dockerignoreView"_s);
    new DockerfileHighlighter(m_dockerignoreView->document());
    m_tomlView = codeView(u"tomlView"_s);
    m_diffView = codeView(u"diffView"_s);
    new DockerfileHighlighter(m_diffView->document(), DockerfileHighlighter::Mode::Diff);
    m_reviewTabs->addTab(m_dockerfileView, u"Dockerfile"_s);
    m_reviewTabs->addTab(m_dockerignoreView, u".dockerignore"_s);
    m_reviewTabs->addTab(m_tomlView, u"gantry.toml"_s);
    m_reviewTabs->addTab(m_diffView, tr("Changes"));
    m_replaceCheck = new QCheckBox(tr("Replace the existing files with these changes"));
    m_replaceCheck->setObjectName(u"replaceCheck"_s);
    connect(m_replaceCheck, &QCheckBox::toggled, this, [this] { updateStepLabels(); });

    auto *inner = new QWidget;
    auto *v = new QVBoxLayout(inner);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(heading(tr("Review")));
    v->addWidget(m_reviewSummary);
    v->addWidget(m_reviewTabs, 1);
    v->addWidget(m_replaceCheck);
    return inner;
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
    m_replaceCheck->setVisible(currentStep() == Review && wouldOverwrite(m_plan));
    const bool problem = currentStep() == Review && !recipe().validate().isEmpty();
    m_write->setEnabled(m_facts.has_value() && !scanning && !problem
                        && (!wouldOverwrite(m_plan) || m_replaceCheck->isChecked()));
}

void ConfigureWizard::updateStrategyNote()
{
    const QString cpu = QSysInfo::currentCpuArchitecture();
    const QString native = cpu == u"arm64" || cpu == u"aarch64" ? u"linux/arm64"_s : u"linux/amd64"_s;
    const bool foreign = (m_arm64->isChecked() && native != u"linux/arm64") || (m_amd64->isChecked() && native != u"linux/amd64");
    QString note;
    if (m_cross->isChecked())
        note = tr("The compiler runs natively on this machine and writes code for the server's architecture; "
                  "only the finished binary differs per platform. As fast as a native build.");
    else
        note = tr("Every RUN step of the backend runs under QEMU for a foreign architecture. Measured here: "
                  "cargo build --release took 61 s natively and 32 min 44 s as linux/arm64 under QEMU (32× slower); "
                  "installing the toolchain took 1 min natively and almost 8 min emulated.");
    if (!foreign && m_emulate->isChecked())
        note += u' ' + tr("(For %1 alone nothing is emulated on this machine.)").arg(native);
    m_strategyNote->setText(note);
    BuildRecipe probe;
    probe.toolchain = m_debian->isChecked() ? BuildRecipe::Toolchain::Debian : BuildRecipe::Toolchain::Rustup;
    m_rustImageEdit->setPlaceholderText(tr("default: %1").arg(probe.rustImage()));
}

void ConfigureWizard::scan(const QString &folder, const QString &backendDir, const QString &frontendDir)
{
    m_message->clear();
    m_message->setVisible(false);
    m_rootEdit->setText(QDir::toNativeSeparators(folder));
    if (backendDir.isEmpty() && frontendDir.isEmpty()) {
        // A new folder: nothing of the previous project's folders applies to it.
        m_backendEdit->clear();
        m_frontendEdit->clear();
        m_foldersSummary->clear();
    }
    ++m_scanGeneration;
    const int generation = m_scanGeneration;
    m_watcher.setProperty("generation", generation);
    m_watcher.setFuture(QtConcurrent::run(runScan, folder, backendDir, frontendDir));
    updateStepLabels();
}

void ConfigureWizard::scanDone()
{
    if (m_watcher.property("generation").toInt() != m_scanGeneration)
        return; // a newer scan is on its way
    const ConfigureScanResult r = m_watcher.result();
    if (!r.facts) {
        m_facts.reset();
        m_reached = Folders;
        m_plan.clear();
        m_message->showMessage(MessageBar::Type::Error, failureText(r.failure));
        m_message->setVisible(true);
        m_foldersSummary->clear();
        setStep(Folders);
        Q_EMIT scanFinished(false);
        return;
    }
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
    m_facts = r.facts;
    m_reached = Folders;
    m_filesSummary.clear();
    fill(*r.facts, recipe);
    updateSummaries();
    setStep(Folders);
    Q_EMIT scanFinished(true);
}

void ConfigureWizard::fill(const ProjectFacts &facts, const BuildRecipe &r)
{
    m_base = r;
    const BackendFacts &b = facts.backend;
    m_backendEdit->setText(facts.backendRelative());
    m_frontendEdit->setText(facts.frontend ? facts.frontendRelative() : QString());
    QString summary = tr("<b>Backend:</b> %1 — %2").arg(html(facts.backendRelative()),
                                                       html(b.packageName.isEmpty()
                                                                ? counted(b.workspaceMembers.size(), tr("workspace of %1 member"), tr("workspace of %1 members"))
                                                                : b.packageName + u' ' + b.version));
    summary += u"<br>"_s;
    summary += facts.frontend ? tr("<b>Frontend:</b> %1 — %2, %3").arg(html(facts.frontendRelative()),
                                                                      html(PackageManagers::name(facts.frontend->packageManager)),
                                                                      html(facts.frontend->buildScript))
                              : tr("<b>Frontend:</b> none found");
    if (!b.tlsFindings.isEmpty())
        summary += u"<br>"_s + counted(b.tlsFindings.size(), tr("<b>TLS:</b> %1 crate brings in OpenSSL — see the next page."),
                                          tr("<b>TLS:</b> %1 crates bring in OpenSSL — see the next page."));
    for (const QString &n : facts.notes)
        summary += u"<br>"_s + html(n);
    m_foldersSummary->setText(summary);

    QStringList facts1;
    if (!b.packageName.isEmpty())
        facts1 << tr("Package <b>%1</b> %2").arg(html(b.packageName), html(b.version));
    if (!b.workspaceMembers.isEmpty())
        facts1 << tr("Workspace members: %1").arg(html(b.workspaceMembers.join(u", "_s)));
    if (!b.edition.isEmpty())
        facts1 << tr("Edition %1").arg(html(b.edition));
    if (!b.rustVersion.isEmpty())
        facts1 << tr("rust-version %1").arg(html(b.rustVersion));
    facts1 << counted(b.dependencies.size(), tr("%1 direct dependency"), tr("%1 direct dependencies"));
    m_backendSummary->setText(facts1.join(u" · "_s));
    m_binaryCombo->clear();
    m_binaryCombo->addItems(b.binaries);
    m_binaryCombo->setCurrentText(r.binary.isEmpty() ? b.defaultBinary : r.binary);
    if (!b.hasLockfile) {
        m_tlsLabel->setText(tr("There is no Cargo.lock, so Gantry cannot tell which crates bring in OpenSSL."));
    } else if (b.tlsFindings.isEmpty()) {
        m_tlsLabel->setText(tr("<span style=\"color:#15803d\">✔</span> Nothing in Cargo.lock brings in OpenSSL: "
                               "the binary links statically without a C library to cross-compile."));
    } else {
        QString t;
        for (const TlsFinding &f : b.tlsFindings) {
            t += tr("<p><span style=\"color:#b45309\">⚠</span> <b>%1 %2</b> brings in <b>%3</b><br>"
                    "<code>%4</code><br><i>Fix:</i> %5</p>")
                     .arg(html(f.crate), html(f.crateVersion), html(f.opensslCrate), html(f.chainText()), html(f.fix));
        }
        m_tlsLabel->setText(t);
    }
    m_backendNotes->setText(b.notes.join(u'\n'));

    m_frontendEnabled->setChecked(!r.frontendDir.isEmpty());
    m_frontendEnabled->setEnabled(facts.frontend.has_value());
    if (facts.frontend) {
        const FrontendFacts &f = *facts.frontend;
        m_frontendSummary->setText(tr("<b>%1</b> in %2 · build script <code>%3</code> · lockfile %4 · Node asked for: %5")
                                       .arg(html(f.packageName), html(facts.frontendRelative()), html(f.buildScript),
                                            html(f.lockfile.isEmpty() ? tr("none") : f.lockfile),
                                            html(f.nodeVersion.isEmpty() ? tr("not said") : f.nodeVersion)));
    } else {
        m_frontendSummary->setText(tr("No frontend: the image will hold the backend only."));
    }
    m_packageManagerCombo->setCurrentIndex(m_packageManagerCombo->findData(int(r.packageManager)));
    m_outputEdit->setText(r.frontendOutputDir);
    m_nodeEdit->setText(r.nodeVersion);
    updateProvenance();

    m_amd64->setChecked(r.platforms.contains(u"linux/amd64"_s));
    m_arm64->setChecked(r.platforms.contains(u"linux/arm64"_s));
    (r.strategy == BuildRecipe::Strategy::CrossCompile ? m_cross : m_emulate)->setChecked(true);
    (r.toolchain == BuildRecipe::Toolchain::Debian ? m_debian : m_rustup)->setChecked(true);
    m_rustImageEdit->setText(r.baseImages.value(u"rust"_s));
    m_nodeImageEdit->setText(r.baseImages.value(u"node"_s));
    m_builderEdit->setText(r.builder);
    m_cacheMountsCheck->setChecked(r.cacheMounts);
    BuildRecipe defaults = r;
    defaults.baseImages.clear();
    m_nodeImageEdit->setPlaceholderText(tr("default: %1").arg(defaults.nodeImage()));

    m_runtimeCombo->setCurrentIndex(m_runtimeCombo->findData(BuildRecipe::runtimeName(r.runtime)));
    m_runtimeImageEdit->setText(r.baseImages.value(u"runtime"_s));
    m_runtimeImageEdit->setPlaceholderText(tr("default for the base"));
    m_portSpin->setValue(r.port);
    m_userEdit->setText(r.user);
    m_caCheck->setChecked(r.caCertificates);
    m_envTable->setRowCount(0);
    for (const auto &[k, v] : r.env) {
        const int row = m_envTable->rowCount();
        m_envTable->insertRow(row);
        m_envTable->setItem(row, 0, new QTableWidgetItem(k));
        m_envTable->setItem(row, 1, new QTableWidgetItem(v));
    }
    m_tagEdit->setText(r.imageTag);
    m_tagEdit->setPlaceholderText(r.effectiveImageTag());
    m_replaceCheck->setChecked(false);
    updateStrategyNote();
}

void ConfigureWizard::updateProvenance()
{
    if (!m_facts || !m_binaryProvenance)
        return;
    const BackendFacts &b = m_facts->backend;
    QString text;
    QStringList all;
    for (const BinaryCandidate &c : b.candidates) {
        const QString folder = QDir(m_facts->repoRoot).relativeFilePath(c.packageDir);
        if (c.binary == m_binaryCombo->currentText() && text.isEmpty())
            text = tr("<b>%1</b> — package %2 in %3%4").arg(html(c.binary), html(c.package), html(folder.isEmpty() ? u"."_s : folder),
                                                          c.reasons.isEmpty() ? QString() : tr(": %1").arg(html(c.reasons.join(u", "_s))));
        all << tr("%1 (%2)").arg(html(c.binary), html(c.package));
    }
    if (all.size() > 1)
        text += u"<br>"_s + tr("All binaries: %1").arg(all.join(u", "_s));
    if (!b.metadataSource.isEmpty())
        text += u"<br><small>"_s + tr("Read with %1.").arg(html(b.metadataSource)) + u"</small>"_s;
    m_binaryProvenance->setText(text);
    if (!m_facts->frontend) {
        m_outputProvenance->clear();
        return;
    }
    const FrontendFacts &f = *m_facts->frontend;
    QString out = f.outputIsGuess
                      ? tr("<span style=\"color:#b45309\">⚠</span> <b>%1</b> is a guess (%2). Check the folder your build writes and type it above.")
                            .arg(html(f.outputDir), html(f.outputReason))
                      : tr("<b>%1</b> — from %2").arg(html(f.outputDir), html(f.outputReason));
    if (!f.outputAlternatives.isEmpty())
        out += u"<br>"_s + tr("Other folders a build there could write: %1").arg(html(f.outputAlternatives.join(u", "_s)));
    if (!f.nodeSource.isEmpty())
        out += u"<br>"_s + tr("Node %1 — from %2").arg(html(f.nodeVersion), html(QDir(m_facts->repoRoot).relativeFilePath(f.nodeSource)));
    m_outputProvenance->setText(out);
}

BuildRecipe ConfigureWizard::recipe() const
{
    BuildRecipe r = m_base;
    if (!m_facts)
        return r;
    r.backendDir = m_facts->backendRelative();
    r.binary = m_binaryCombo->currentText();
    applyWorkspaceLayout(r, *m_facts); // the workspace's folders for the binary chosen
    r.frontendRoot.clear();
    if (m_frontendEnabled->isChecked() && m_facts->frontend) {
        r.frontendRoot = recipeFromFacts(*m_facts).frontendRoot;
        r.frontendDir = m_facts->frontendRelative();
        r.packageManager = PackageManager(m_packageManagerCombo->currentData().toInt());
        r.frontendOutputDir = m_outputEdit->text().trimmed();
        r.nodeVersion = m_nodeEdit->text().trimmed();
    } else {
        r.frontendDir.clear();
    }
    r.platforms.clear();
    if (m_amd64->isChecked())
        r.platforms << u"linux/amd64"_s;
    if (m_arm64->isChecked())
        r.platforms << u"linux/arm64"_s;
    r.strategy = m_cross->isChecked() ? BuildRecipe::Strategy::CrossCompile : BuildRecipe::Strategy::Emulate;
    r.toolchain = m_debian->isChecked() ? BuildRecipe::Toolchain::Debian : BuildRecipe::Toolchain::Rustup;
    r.baseImages.clear();
    const QList<std::pair<QString, QLineEdit *>> images{
        {u"rust"_s, m_rustImageEdit}, {u"node"_s, m_nodeImageEdit}, {u"runtime"_s, m_runtimeImageEdit}};
    for (const auto &[key, edit] : images)
        if (!edit->text().trimmed().isEmpty())
            r.baseImages.insert(key, edit->text().trimmed());
    if (const auto runtime = BuildRecipe::runtimeFromName(m_runtimeCombo->currentData().toString()))
        r.runtime = *runtime;
    r.port = m_portSpin->value();
    r.user = m_userEdit->text().trimmed();
    r.caCertificates = m_caCheck->isChecked();
    r.env.clear();
    for (int row = 0; row < m_envTable->rowCount(); ++row) {
        const QString k = m_envTable->item(row, 0) ? m_envTable->item(row, 0)->text().trimmed() : QString();
        const QString v = m_envTable->item(row, 1) ? m_envTable->item(row, 1)->text() : QString();
        if (!k.isEmpty())
            r.env.append({k, v});
    }
    r.imageTag = m_tagEdit->text().trimmed();
    r.builder = m_builderEdit->text().trimmed();
    r.cacheMounts = m_cacheMountsCheck->isChecked();
    return r;
}

void ConfigureWizard::updateReview()
{
    if (!m_facts)
        return;
    const BuildRecipe r = recipe();
    m_plan = planRecipeFiles(r, m_facts->repoRoot);
    m_dockerfileView->setPlainText(DockerfileWriter::dockerfile(r));
    m_dockerignoreView->setPlainText(DockerfileWriter::dockerignore(r));
    m_tomlView->setPlainText(r.toToml());
    QString diff;
    QStringList changed, fresh, same;
    for (const PlannedFile &f : std::as_const(m_plan)) {
        diff += f.diff();
        (!f.exists ? fresh : f.changes() ? changed : same) << f.relativePath;
    }
    m_diffView->setPlainText(diff.isEmpty() ? tr("No existing file changes.") : diff);
    m_reviewTabs->setTabEnabled(3, !diff.isEmpty());
    QString files = tr("In %1:").arg(html(QDir::toNativeSeparators(m_facts->repoRoot)));
    if (!fresh.isEmpty())
        files += u' ' + tr("new %1.").arg(html(fresh.join(u", "_s)));
    if (!changed.isEmpty())
        files += u' ' + tr("<b>changes %1</b> (see Changes).").arg(html(changed.join(u", "_s)));
    if (!same.isEmpty())
        files += u' ' + tr("%1 unchanged.").arg(html(same.join(u", "_s)));
    m_filesSummary = files;
    m_reviewSummary->setText(recipeSummary(r) + u"<br>"_s + m_filesSummary);
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
        m_reviewTabs->setCurrentIndex(3);
    } else {
        m_message->clear();
        m_message->setVisible(false);
        m_reviewTabs->setCurrentIndex(0);
    }
    m_replaceCheck->setChecked(false);
}

void ConfigureWizard::write()
{
    if (!m_facts)
        return;
    if (const Status written = writeRecipeFiles(m_plan, m_replaceCheck->isChecked()); !written) {
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

QString ConfigureWizard::recipeSummary(const BuildRecipe &r) const
{
    // Every choice of the wizard, in the order of its steps.
    QString text = tr("<b>%1</b> for %2 · %3 · %4 toolchain · runtime %5 · port %6")
                       .arg(html(r.effectiveImageTag()), html(r.platforms.isEmpty() ? tr("no platform") : r.platforms.join(u", "_s)),
                            r.strategy == BuildRecipe::Strategy::CrossCompile ? tr("cross-compiled") : tr("emulated"),
                            html(BuildRecipe::toolchainName(r.toolchain)), html(BuildRecipe::runtimeName(r.runtime)))
                       .arg(r.port);
    text += u"<br>"_s + tr("Backend in %1/, binary <b>%2</b>").arg(html(r.backendDir), html(r.binary));
    if (r.frontendDir.isEmpty())
        text += u" · "_s + tr("no frontend");
    else
        text += u" · "_s + tr("frontend in %1/ with %2, output folder <b>%3</b>, Node %4")
                              .arg(html(r.frontendDir), html(BuildRecipe::packageManagerName(r.packageManager)), html(r.frontendOutputDir),
                                   html(r.nodeVersion.isEmpty() ? u"20"_s : r.nodeVersion));
    QStringList runtime;
    runtime << (r.user.isEmpty() ? tr("runs as root") : tr("runs as %1").arg(html(r.user)));
    runtime << (r.caCertificates ? tr("CA certificates") : tr("no CA certificates"));
    if (!r.env.isEmpty()) {
        QStringList names;
        for (const auto &[k, v] : r.env)
            names << html(k);
        runtime << tr("environment: %1").arg(names.join(u", "_s));
    }
    runtime << (r.builder.isEmpty() ? tr("current builder") : tr("builder %1").arg(html(r.builder)));
    if (!r.cacheMounts)
        runtime << tr("no cache mounts");
    for (auto it = r.baseImages.cbegin(); it != r.baseImages.cend(); ++it)
        runtime << tr("%1 image %2").arg(html(it.key()), html(it.value()));
    text += u"<br>"_s + runtime.join(u" · "_s);
    return text;
}

void ConfigureWizard::updateSummaries()
{
    if (!m_facts || !m_frontendOutputNote)
        return;
    const BuildRecipe r = recipe();
    // Frontend: the output folder as the field says, and what the scan found when it differs.
    if (m_facts->frontend) {
        const FrontendFacts &f = *m_facts->frontend;
        const QString typed = m_outputEdit->text().trimmed();
        m_frontendOutputNote->setText(typed == f.outputDir || typed.isEmpty()
                                          ? tr("Output folder: <b>%1</b> (%2)").arg(html(f.outputDir), html(f.outputReason))
                                          : tr("Output folder: <b>%1</b> — your choice; the scan found %2 (%3)")
                                                .arg(html(typed), html(f.outputDir), html(f.outputReason)));
    } else {
        m_frontendOutputNote->clear();
    }
    if (!m_filesSummary.isEmpty())
        m_reviewSummary->setText(recipeSummary(r) + u"<br>"_s + m_filesSummary);
}

} // namespace Gantry
