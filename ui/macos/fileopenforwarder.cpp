// SPDX-License-Identifier: MIT
#include "fileopenforwarder.h"

#include <QFileInfo>
#include <QFileOpenEvent>

namespace Gantry {

FileOpenForwarder::FileOpenForwarder(std::function<void(const QString &)> open, QObject *parent)
    : QObject(parent)
    , m_open(std::move(open))
{
}

bool FileOpenForwarder::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::FileOpen)
        return QObject::eventFilter(watched, event);
    const auto *open = static_cast<QFileOpenEvent *>(event);
    const QString path = !open->file().isEmpty() ? open->file() : open->url().toLocalFile();
    if (path.isEmpty() || !m_open)
        return false;
    m_open(QFileInfo(path).absoluteFilePath());
    return true;
}

} // namespace Gantry
