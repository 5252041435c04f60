// SPDX-License-Identifier: MIT
#include "inspectpage.h"

#include "widgets/emptystate.h"

#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

InspectPage::InspectPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/inspect.svg"_s), tr("No image to inspect"),
                                   tr("After a build, Gantry explains the image's size layer by layer: what each layer costs, which Dockerfile line made it, and what is wasted. You can also drop an image archive (.tar, .tar.gz, .tar.zst) on the window."), this))
{
    connect(m_empty->addAction(tr("Open Image Archive…"), true), &QPushButton::clicked, this, &InspectPage::openArchiveRequested);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void InspectPage::analyzeImage(const QString &imageRef, const QString &repoRoot)
{
    Q_UNUSED(imageRef)
    Q_UNUSED(repoRoot)
}

void InspectPage::openArchive(const QString &path)
{
    Q_UNUSED(path)
}

} // namespace Gantry
