// SPDX-License-Identifier: MIT
#include "buildpage.h"

#include "widgets/emptystate.h"

#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

BuildPage::BuildPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/build.svg"_s), tr("Nothing to build yet"),
                                   tr("Configure a project first. Gantry builds with docker buildx and cross-compiles on this machine instead of emulating the server's CPU, showing every step live."), this))
{
    connect(m_empty->addAction(tr("Go to Configure"), true), &QPushButton::clicked, this, &BuildPage::configureRequested);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void BuildPage::setProject(const QString &repoRoot)
{
    Q_UNUSED(repoRoot)
}

bool BuildPage::canBuild() const { return false; }
bool BuildPage::isBuilding() const { return false; }
void BuildPage::startBuild() {}
void BuildPage::stopBuild() {}

} // namespace Gantry
