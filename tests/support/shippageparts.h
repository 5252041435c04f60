// SPDX-License-Identifier: MIT
// The Ship page's parts as a test reaches them: by object name (or class), the way a user's
// eye finds them on the page, since the page has no accessors for tests.
#pragma once

#include "pages/shippage.h"
#include "servers/deployspanel.h"
#include "servers/exportpanel.h"
#include "servers/layerstatemodel.h"
#include "servers/serverlistmodel.h"
#include "widgets/messagebar.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTableView>

namespace GantryTest::ShipPageParts {

/// A part of the page, found by its object name (empty: the one of its class); a fatal
/// error if there is none, which means the page changed, not the behaviour under test.
template<class T>
T *part(const QWidget &page, const QString &name = {})
{
    T *found = page.findChild<T *>(name);
    if (!found)
        qFatal("the Ship page has no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return found;
}

/// The server list: its table, and the model behind it (profiles and each server's status).
inline QTableView *serverTable(const QWidget &page) { return part<QTableView>(page, QStringLiteral("ServerTable")); }
inline Gantry::ServerListModel *servers(const QWidget &page) { return part<Gantry::ServerListModel>(page, QStringLiteral("ServerListModel")); }
/// The selected server's layers (the table's model).
inline Gantry::LayerStateModel *layers(const QWidget &page) { return part<Gantry::LayerStateModel>(page, QStringLiteral("LayerStateModel")); }
/// The page's message bar (the one at its top).
inline Gantry::MessageBar *messageBar(const QWidget &page) { return part<Gantry::MessageBar>(page); }
/// The bold line under the ship's progress bar: what the last ship did.
inline QString shipSummary(const QWidget &page) { return part<QLabel>(page, QStringLiteral("ShipSummary"))->text(); }
inline QProgressBar *shipProgress(const QWidget &page) { return part<QProgressBar>(page, QStringLiteral("ShipProgress")); }
/// What docker load and docker run said on the servers.
inline QString remoteOutput(const QWidget &page) { return part<QPlainTextEdit>(page, QStringLiteral("RemoteOutput"))->toPlainText(); }
/// The export box, its line (what it is doing, what it wrote or why not) and its progress bar.
inline Gantry::ExportPanel *exportPanel(const QWidget &page) { return part<Gantry::ExportPanel>(page); }
inline QString exportStatus(const QWidget &page) { return part<QLabel>(page, QStringLiteral("ExportStatus"))->text(); }
inline QProgressBar *exportProgress(const QWidget &page) { return part<QProgressBar>(page, QStringLiteral("ExportProgress")); }
inline Gantry::DeploysPanel *deploysPanel(const QWidget &page) { return part<Gantry::DeploysPanel>(page); }

} // namespace GantryTest::ShipPageParts
