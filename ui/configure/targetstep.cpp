// SPDX-License-Identifier: MIT
#include "targetstep.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSysInfo>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

TargetStep::TargetStep(QWidget *parent)
    : WizardStep(parent)
{
    createWidgets();
    for (QAbstractButton *b : {static_cast<QAbstractButton *>(m_amd64), static_cast<QAbstractButton *>(m_arm64),
                               static_cast<QAbstractButton *>(m_cross), static_cast<QAbstractButton *>(m_emulate),
                               static_cast<QAbstractButton *>(m_rustup), static_cast<QAbstractButton *>(m_debian)})
        connect(b, &QAbstractButton::toggled, this, &TargetStep::updateStrategyNote);
    layOut();
    emitChangedOnEdit();
}

void TargetStep::createWidgets()
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
}

void TargetStep::layOut()
{
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
    setPage(tr("Target"), tr("Where the image will run, and how Gantry builds for it."), v);
}

void TargetStep::load(const ProjectFacts &, const BuildRecipe &r)
{
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
    updateStrategyNote();
}

void TargetStep::store(BuildRecipe &r) const
{
    r.platforms.clear();
    if (m_amd64->isChecked())
        r.platforms << u"linux/amd64"_s;
    if (m_arm64->isChecked())
        r.platforms << u"linux/arm64"_s;
    r.strategy = m_cross->isChecked() ? BuildRecipe::Strategy::CrossCompile : BuildRecipe::Strategy::Emulate;
    r.toolchain = m_debian->isChecked() ? BuildRecipe::Toolchain::Debian : BuildRecipe::Toolchain::Rustup;
    const QList<std::pair<QString, QLineEdit *>> images{{u"rust"_s, m_rustImageEdit}, {u"node"_s, m_nodeImageEdit}};
    for (const auto &[key, edit] : images) {
        r.baseImages.remove(key);
        if (!edit->text().trimmed().isEmpty())
            r.baseImages.insert(key, edit->text().trimmed());
    }
    r.builder = m_builderEdit->text().trimmed();
    r.cacheMounts = m_cacheMountsCheck->isChecked();
}

void TargetStep::updateStrategyNote()
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

} // namespace Gantry
