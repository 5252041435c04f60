// SPDX-License-Identifier: MIT
#include "emptystate.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Gantry {

EmptyStateWidget::EmptyStateWidget(const QIcon &icon, const QString &title, const QString &text, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(title, this))
    , m_text(new QLabel(text, this))
    , m_buttons(new QWidget(this))
    , m_links(new QLabel(this))
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
    m_links->setAlignment(Qt::AlignCenter);
    m_links->setTextFormat(Qt::RichText);
    m_links->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_links->setObjectName(QStringLiteral("emptyStateLinks"));
    m_links->hide();
    connect(m_links, &QLabel::linkActivated, this, [this](const QString &link) {
        emit linkActivated(QUrl::fromPercentEncoding(link.mid(5).toUtf8())); // "open:" + value
    });
    column->addSpacing(8);
    column->addWidget(m_links);

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
void EmptyStateWidget::setLinks(const QString &heading, const QList<QPair<QString, QString>> &labelsAndValues)
{
    if (labelsAndValues.isEmpty()) {
        m_links->clear();
        m_links->hide();
        return;
    }
    QString html = QStringLiteral("<p style='margin-bottom:4px'><b>%1</b></p>").arg(heading.toHtmlEscaped());
    for (const auto &[label, value] : labelsAndValues)
        html += QStringLiteral("<div style='margin:3px'><a href='open:%1'>%2</a></div>")
                    .arg(QString::fromUtf8(QUrl::toPercentEncoding(value)), label.toHtmlEscaped());
    m_links->setText(html);
    m_links->show();
}

QString EmptyStateWidget::title() const { return m_title->text(); }
QString EmptyStateWidget::text() const { return m_text->text(); }

} // namespace Gantry
