// SPDX-License-Identifier: MIT
#include "configurepage.h"

#include "configure/configurewizard.h"
#include "settings/preferences.h"
#include "widgets/emptystate.h"

#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ConfigurePage::ConfigurePage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/configure.svg"_s), tr("Point Gantry at your project"),
                                   tr("Choose the folder that holds your Rust backend and JavaScript frontend. Gantry reads Cargo.toml, Cargo.lock and package.json, warns about crates that drag in OpenSSL, and writes a small, cross-compiling Dockerfile."), this))
    , m_wizard(new ConfigureWizard(this))
{
    connect(m_empty->addAction(tr("Open Project Folder…"), true), &QPushButton::clicked, this, &ConfigurePage::openProjectRequested);
    connect(m_wizard, &ConfigureWizard::chooseFolderRequested, this, &ConfigurePage::openProjectRequested);
    connect(m_wizard, &ConfigureWizard::recipeWritten, this, &ConfigurePage::recipeWritten);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_wizard);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void ConfigurePage::openProject(const QString &folder)
{
    // A project without gantry.toml starts from the defaults chosen in Preferences.
    const Preferences preferences = Preferences::load();
    m_wizard->setDefaults({preferences.defaultPlatform},
                          BuildRecipe::runtimeFromName(preferences.defaultRuntime).value_or(BuildRecipe::Runtime::Scratch));
    m_stack->setCurrentWidget(m_wizard);
    m_wizard->scan(folder);
}

} // namespace Gantry
