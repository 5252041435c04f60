// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace Gantry {

/// Finder's way of opening things: a folder or an archive dropped on the Dock icon, or
/// opened with Gantry ("Open With", a double click on a document type the bundle
/// declares), reaches the app as QEvent::FileOpen (not as a command-line argument).
/// Installed on the application, it hands each such path (a file or folder; a URL
/// without a local file is ignored) to open. A plain event filter, so that a test
/// posts a QFileOpenEvent on any platform.
class FileOpenForwarder : public QObject
{
    Q_OBJECT
public:
    FileOpenForwarder(std::function<void(const QString &)> open, QObject *parent = nullptr);
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::function<void(const QString &)> m_open;
};

} // namespace Gantry
