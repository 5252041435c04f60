// SPDX-License-Identifier: MIT
#include "dockerstatuswidget.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace Gantry {

DockerStatusWidget::DockerStatusWidget(QWidget *parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_text(new QLabel(this))
    , m_recheck(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_text);
    layout->addWidget(m_recheck);
    layout->addStretch(1);
    m_recheck->setIcon(QIcon(u":/icons/refresh.svg"_s));
    m_recheck->setAutoRaise(true);
    m_recheck->setToolTip(tr("Check the Docker setup again"));
    m_text->setCursor(Qt::PointingHandCursor);
    m_text->installEventFilter(this);
    connect(m_recheck, &QToolButton::clicked, this, &DockerStatusWidget::recheckRequested);
    setChecking();
}

void DockerStatusWidget::setDot(const QColor &color)
{
    const qreal dpr = devicePixelRatioF();
    QPixmap pm(QSize(10, 10) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(0.5, 0.5, 9, 9));
    m_dot->setPixmap(pm);
}

void DockerStatusWidget::setChecking()
{
    setDot(QColor(0x9a, 0xa3, 0xad));
    m_text->setText(tr("Checking Docker…"));
    m_text->setMinimumWidth(m_text->sizeHint().width());
    m_recheck->setEnabled(false);
}

void DockerStatusWidget::setEnvironment(const DockerEnvironment &env)
{
    bool warnings = false;
    for (const DockerProblem &p : env.problems)
        warnings = warnings || !p.isError();
    setDot(env.hasErrors() ? QColor(0xd9, 0x53, 0x4f) : warnings ? QColor(0xe0, 0xa5, 0x26) : QColor(0x3c, 0x9d, 0x5d));
    m_text->setText(env.statusLine());
    m_text->setMinimumWidth(m_text->sizeHint().width()); // the status bar would otherwise keep the old width
    layout()->activate();
    updateGeometry();
    m_text->setToolTip(env.report());
    m_recheck->setEnabled(true);
}

QString DockerStatusWidget::text() const { return m_text->text(); }

bool DockerStatusWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && event->type() == QEvent::MouseButtonRelease)
        Q_EMIT detailsRequested();
    return QWidget::eventFilter(watched, event);
}

} // namespace Gantry
