// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;
class QTreeWidget;

namespace Gantry {

/// Two images side by side: per layer and per path, each change with a bar (red: grew,
/// green: shrank) scaled to the largest change; the same as text for copying.
class CompareWidget : public QWidget
{
    Q_OBJECT
public:
    explicit CompareWidget(QWidget *parent = nullptr);
    /// A sentence instead of a comparison (reading…, or why none could be made).
    void setMessage(const QString &text);
    void setDiff(const ImageDiff &diff, const QString &olderName, const QString &newerName);
    void clear();

    QPlainTextEdit *textView() const { return m_text; }
    QTreeWidget *layerView() const { return m_layers; }
    QTreeWidget *pathView() const { return m_paths; }
    QString headline() const;

private:
    QStackedWidget *m_stack;
    QLabel *m_headline;
    QLabel *m_placeholder;
    QTreeWidget *m_layers;
    QTreeWidget *m_paths;
    QPlainTextEdit *m_text;
    QToolButton *m_asText;
};

} // namespace Gantry
