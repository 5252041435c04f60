// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QWidget>

class QLabel;
class QPushButton;

namespace Gantry {

/// The centred "nothing here yet — here is what to do next" view of a page.
class EmptyStateWidget : public QWidget
{
    Q_OBJECT
public:
    EmptyStateWidget(const QIcon &icon, const QString &title, const QString &text, QWidget *parent = nullptr);
    QPushButton *addAction(const QString &label, bool primary = false);
    void setText(const QString &text);
    QString title() const;
    QString text() const;

private:
    QLabel *m_title;
    QLabel *m_text;
    QWidget *m_buttons;
};

} // namespace Gantry
