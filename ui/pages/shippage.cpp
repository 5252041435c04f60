// SPDX-License-Identifier: MIT
#include "shippage.h"

#include "widgets/emptystate.h"

#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ShipPage::ShipPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/ship.svg"_s), tr("Nothing to ship yet"),
                                   tr("Build an image, then export it to a compressed archive or send it to your server over SSH — only the layers the server does not have yet."), this))
{
    connect(m_empty->addAction(tr("Go to Build"), true), &QPushButton::clicked, this, &ShipPage::buildRequested);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void ShipPage::setImage(const QString &imageRef, const QString &repoRoot)
{
    Q_UNUSED(imageRef)
    Q_UNUSED(repoRoot)
}

bool ShipPage::hasImage() const { return false; }
bool ShipPage::isBusy() const { return false; }
void ShipPage::exportImage() {}
void ShipPage::shipImage() {}

} // namespace Gantry
