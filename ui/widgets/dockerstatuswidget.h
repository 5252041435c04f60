// SPDX-License-Identifier: MIT
#pragma once

#include "docker/dockerenvironment.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace Gantry {

/// The Docker line of the status bar: a coloured dot, the facts, and "check again".
class DockerStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit DockerStatusWidget(QWidget *parent = nullptr);
    void setChecking();
    void setEnvironment(const DockerEnvironment &environment);
    QString text() const;

Q_SIGNALS:
    void recheckRequested();
    void detailsRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setDot(const QColor &color);
    QLabel *m_dot;
    QLabel *m_text;
    QToolButton *m_recheck;
};

} // namespace Gantry
