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
    /// A titled list of links under the buttons (e.g. recent projects); empty hides it.
    /// Activating one emits linkActivated(value).
    void setLinks(const QString &heading, const QList<QPair<QString, QString>> &labelsAndValues);
    QString title() const;
    QString text() const;

Q_SIGNALS:
    void linkActivated(const QString &value);

private:
    QLabel *m_title;
    QLabel *m_text;
    QWidget *m_buttons;
    QLabel *m_links;
};

} // namespace Gantry
