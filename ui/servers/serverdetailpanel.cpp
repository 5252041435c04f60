// SPDX-License-Identifier: MIT
#include "serverdetailpanel.h"

#include "widgets/rowtable.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ServerDetailPanel::ServerDetailPanel(QWidget *parent)
    : QWidget(parent)
    , m_layers(new LayerStateModel(this))
{
    setObjectName(u"ServerDetail"_s);
    m_layers->setObjectName(u"LayerStateModel"_s);
    m_layerView = makeRowTable(m_layers, this);
    m_layerView->setObjectName(u"LayerTable"_s);
    m_layerView->setSelectionMode(QAbstractItemView::NoSelection);
    m_layerView->horizontalHeader()->resizeSection(LayerStateModel::LayerColumn, 160);
    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(u"RemoteOutput"_s);
    m_output->setReadOnly(true);
    m_output->setMaximumBlockCount(2000);
    m_output->setPlaceholderText(tr("Output of docker load and docker run on the server appears here."));
    QFont mono(u"monospace"_s);
    mono.setStyleHint(QFont::Monospace);
    m_output->setFont(mono);
    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *layersBox = new QGroupBox(tr("Layers on the selected server"), split);
    (new QVBoxLayout(layersBox))->addWidget(m_layerView);
    auto *outputBox = new QGroupBox(tr("Remote output"), split);
    (new QVBoxLayout(outputBox))->addWidget(m_output);
    split->addWidget(layersBox);
    split->addWidget(outputBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
}

void ServerDetailPanel::setLayers(const QList<LayerShipState> &layers) { m_layers->setLayers(layers); }
void ServerDetailPanel::setOutcome(LayerStateModel::Outcome outcome) { m_layers->setOutcome(outcome); }
void ServerDetailPanel::clearOutput() { m_output->clear(); }

void ServerDetailPanel::appendOutput(const QString &server, const QString &line)
{
    m_output->appendPlainText(u"[%1] %2"_s.arg(server, line));
}

} // namespace Gantry
