// SPDX-License-Identifier: MIT
#include "runtimestep.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

RuntimeStep::RuntimeStep(QWidget *parent)
    : WizardStep(parent)
{
    createWidgets();
    QLayout *envBox = createEnvBox();
    auto *form = new QFormLayout;
    form->addRow(tr("Base:"), m_runtimeCombo);
    form->addRow(tr("Base image:"), m_runtimeImageEdit);
    form->addRow(tr("Port:"), m_portSpin);
    form->addRow(tr("User:"), m_userEdit);
    form->addRow(QString(), m_caCheck);
    form->addRow(tr("Environment:"), envBox);
    form->addRow(tr("Image tag:"), m_tagEdit);
    setPage(tr("Runtime"),
            tr("What the final image is made of. Its stage has no RUN: it only receives the binary, the frontend's "
               "files and the certificates, so it never needs emulation."),
            form);
    emitChangedOnEdit();
    connect(m_portSpin, &QSpinBox::valueChanged, this, &RuntimeStep::changed);
    connect(m_envTable, &QTableWidget::itemChanged, this, &RuntimeStep::changed);
}

void RuntimeStep::createWidgets()
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
}

QLayout *RuntimeStep::createEnvBox()
{
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
    return envBox;
}

void RuntimeStep::load(const ProjectFacts &, const BuildRecipe &r)
{
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
}

void RuntimeStep::store(BuildRecipe &r) const
{
    r.baseImages.remove(u"runtime"_s);
    if (!m_runtimeImageEdit->text().trimmed().isEmpty())
        r.baseImages.insert(u"runtime"_s, m_runtimeImageEdit->text().trimmed());
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
}

} // namespace Gantry
