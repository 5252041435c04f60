// SPDX-License-Identifier: MIT
#pragma once

#include "servers/layerstatemodel.h"

#include <QWidget>

class QPlainTextEdit;
class QTableView;

namespace Gantry {

/// What the selected server got from the ship, side by side: its layers (a LayerStateModel
/// it owns: already there, sent, waiting, not sent) and the remote output of docker load
/// and docker run.
class ServerDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ServerDetailPanel(QWidget *parent = nullptr);

    void setLayers(const QList<LayerShipState> &layers);
    void setOutcome(LayerStateModel::Outcome outcome);
    void clearOutput();
    /// One line of a server's output, after its name in brackets.
    void appendOutput(const QString &server, const QString &line);

private:
    LayerStateModel *m_layers;
    QTableView *m_layerView;
    QPlainTextEdit *m_output;
};

} // namespace Gantry
