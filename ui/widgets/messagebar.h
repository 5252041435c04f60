// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>

class QLabel;
class QHBoxLayout;

namespace Gantry {

/// An inline message bar (KMessageWidget style): cause and fix where the user looks.
class MessageBar : public QFrame
{
    Q_OBJECT
public:
    enum class Type { Information, Warning, Error, Positive };
    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(Type type, const QString &text);
    void clear();
    QString text() const;
    Type type() const { return m_type; }
    /// An action shown as a button at the right end (kept until clear()).
    void addButton(QAction *action);

private:
    void applyStyle();
    QLabel *m_icon;
    QLabel *m_text;
    QHBoxLayout *m_buttons;
    Type m_type = Type::Information;
};

} // namespace Gantry
