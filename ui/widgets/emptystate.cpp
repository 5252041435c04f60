// SPDX-License-Identifier: MIT
#include "emptystate.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Gantry {

EmptyStateWidget::EmptyStateWidget(const QIcon &icon, const QString &title, const QString &text, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(title, this))
    , m_text(new QLabel(text, this))
    , m_buttons(new QWidget(this))
{
    auto *iconLabel = new QLabel(this);
    iconLabel->setPixmap(icon.pixmap(QSize(64, 64), devicePixelRatioF()));
    iconLabel->setAlignment(Qt::AlignCenter);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.45);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);

    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setFixedWidth(480);
    m_text->setMinimumHeight(m_text->heightForWidth(480)); // wrapped text needs its full height
    QPalette pal = m_text->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    m_text->setPalette(pal);

    auto *buttons = new QHBoxLayout(m_buttons);
    buttons->setContentsMargins(0, 8, 0, 0);
    buttons->addStretch();

    auto *column = new QVBoxLayout;
    column->setSpacing(10);
    column->addWidget(iconLabel);
    column->addWidget(m_title);
    column->addWidget(m_text, 0, Qt::AlignHCenter);
    column->addWidget(m_buttons);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch(2);
    outer->addLayout(column);
    outer->addStretch(3);
}

QPushButton *EmptyStateWidget::addAction(const QString &label, bool primary)
{
    auto *button = new QPushButton(label, m_buttons);
    button->setDefault(primary);
    button->setAutoDefault(primary);
    auto *layout = static_cast<QHBoxLayout *>(m_buttons->layout());
    // Keep the buttons centred: one stretch before (added in the constructor), one after.
    if (layout->count() > 1)
        delete layout->takeAt(layout->count() - 1);
    layout->addWidget(button);
    layout->addStretch();
    return button;
}

void EmptyStateWidget::setText(const QString &text)
{
    m_text->setText(text);
    m_text->setMinimumHeight(m_text->heightForWidth(m_text->width()));
}
QString EmptyStateWidget::title() const { return m_title->text(); }
QString EmptyStateWidget::text() const { return m_text->text(); }

} // namespace Gantry
