// SPDX-License-Identifier: MIT
#include "configurepage.h"

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
{
    connect(m_empty->addAction(tr("Open Project Folder…"), true), &QPushButton::clicked, this, &ConfigurePage::openProjectRequested);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void ConfigurePage::openProject(const QString &folder)
{
    Q_UNUSED(folder)
}

} // namespace Gantry
