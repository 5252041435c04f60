// SPDX-License-Identifier: MIT
#include "wizardstep.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Gantry {

void WizardStep::setPage(const QString &title, const QString &intro, QLayout *content)
{
    auto *inner = new QWidget;
    auto *v = new QVBoxLayout(inner);
    v->addWidget(heading(title));
    if (!intro.isEmpty()) {
        auto *l = wrapLabel(intro);
        l->setForegroundRole(QPalette::PlaceholderText);
        v->addWidget(l);
    }
    v->addSpacing(6);
    v->addLayout(content);
    v->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

void WizardStep::emitChangedOnEdit()
{
    for (QLineEdit *e : findChildren<QLineEdit *>())
        connect(e, &QLineEdit::textChanged, this, &WizardStep::changed);
    for (QComboBox *c : findChildren<QComboBox *>())
        connect(c, &QComboBox::currentTextChanged, this, &WizardStep::changed);
    for (QAbstractButton *b : findChildren<QAbstractButton *>())
        if (b->isCheckable())
            connect(b, &QAbstractButton::toggled, this, &WizardStep::changed);
}

QLabel *WizardStep::wrapLabel(const QString &text)
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QLabel *WizardStep::richLabel(const QString &objectName)
{
    QLabel *l = wrapLabel();
    l->setObjectName(objectName);
    l->setTextFormat(Qt::RichText);
    return l;
}

QLabel *WizardStep::heading(const QString &text)
{
    auto *l = new QLabel(text);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setBold(true);
    l->setFont(f);
    return l;
}

QPlainTextEdit *WizardStep::codeView(const QString &name)
{
    auto *v = new QPlainTextEdit;
    v->setObjectName(name);
    v->setReadOnly(true);
    v->setLineWrapMode(QPlainTextEdit::NoWrap);
    v->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return v;
}

} // namespace Gantry
