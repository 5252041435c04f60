// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "recipe/buildrecipe.h"

#include <QWidget>

class QLabel;
class QLayout;
class QPlainTextEdit;

namespace Gantry {

/// One step of the Configure wizard: the widgets for its part of the recipe. It loads that
/// part from the scan and the recipe, stores it back, and says when one of its fields changed.
class WizardStep : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;
    /// Shows what the scan found and the recipe's choices for this step.
    virtual void load(const ProjectFacts &facts, const BuildRecipe &recipe) = 0;
    /// Writes this step's choices into recipe (the rest of it stays as it is).
    virtual void store(BuildRecipe &recipe) const = 0;

Q_SIGNALS:
    /// A field of this step changed: the summaries that repeat it are redone.
    void changed();

protected:
    /// The step's content: a heading, an explanation and content, scrollable when the window is small.
    void setPage(const QString &title, const QString &intro, QLayout *content);
    /// Every field of the step (line edits, combos, checkable buttons) emits changed().
    void emitChangedOnEdit();

    static QLabel *wrapLabel(const QString &text = {});
    static QLabel *richLabel(const QString &objectName);
    static QLabel *heading(const QString &text);
    static QPlainTextEdit *codeView(const QString &name);
    static QString html(const QString &s) { return s.toHtmlEscaped(); }
};

} // namespace Gantry
