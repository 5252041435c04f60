// SPDX-License-Identifier: MIT
#include "messagebar.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace Gantry {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_buttons(new QHBoxLayout)
{
    setObjectName(u"MessageBar"_s);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    hide();
}

void MessageBar::showMessage(Type type, const QString &text)
{
    m_type = type;
    m_text->setText(text);
    applyStyle();
    show();
}

void MessageBar::clear()
{
    hide();
    m_text->clear();
    while (QLayoutItem *item = m_buttons->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

QString MessageBar::text() const { return m_text->text(); }

void MessageBar::addButton(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_buttons->addWidget(button);
}

void MessageBar::applyStyle()
{
    QString border, background;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    switch (m_type) {
    case Type::Information:
        border = u"#5b9bd5"_s; background = u"rgba(91,155,213,0.14)"_s;
        break;
    case Type::Warning:
        border = u"#e0a526"_s; background = u"rgba(246,190,60,0.18)"_s; icon = QStyle::SP_MessageBoxWarning;
        break;
    case Type::Error:
        border = u"#d9534f"_s; background = u"rgba(217,83,79,0.14)"_s; icon = QStyle::SP_MessageBoxCritical;
        break;
    case Type::Positive:
        border = u"#3c9d5d"_s; background = u"rgba(60,157,93,0.14)"_s;
        break;
    }
    setStyleSheet(u"QFrame#MessageBar { border: 1px solid %1; border-radius: 6px; background: %2; }"_s.arg(border, background));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
}

} // namespace Gantry
