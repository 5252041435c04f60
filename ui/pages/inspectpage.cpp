// SPDX-License-Identifier: MIT
#include "inspectpage.h"

#include "docker/dockerenvironment.h"
#include "image/analysisjob.h"
#include "image/reportformat.h"
#include "inspect/chartstyle.h"
#include "inspect/comparewidget.h"
#include "inspect/filetreemodel.h"
#include "inspect/layerchartmodel.h"
#include "inspect/layerchartview.h"
#include "inspect/layertablemodel.h"
#include "inspect/reclaimablemodel.h"
#include "inspect/sizehistoryview.h"
#include "inspect/treemapwidget.h"
#include "widgets/emptystate.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"

#include <QChartView>
#include <QEvent>
#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

InspectPage::InspectPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/inspect.svg"_s), tr("No image to inspect"),
                                   tr("After a build, Gantry explains the image's size layer by layer: what each layer costs, which Dockerfile line made it, and what is wasted. You can also drop an image archive (.tar, .tar.gz, .tar.zst) on the window."), this))
    , m_job(new AnalysisJob(this))
    , m_compareJob(new AnalysisJob(this))
{
    connect(m_empty->addAction(tr("Open Image Archive…"), true), &QPushButton::clicked, this, &InspectPage::openArchiveRequested);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(createBusyView());
    m_stack->addWidget(createReportView());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connectViews();
    connectJobs();
}

InspectPage::~InspectPage() = default;

QWidget *InspectPage::createBusyView()
{
    // Busy: progress and cancel.
    m_busy = new QWidget(this);
    auto *l = new QVBoxLayout(m_busy);
    l->addStretch();
    m_busyLabel = new QLabel(m_busy);
    m_busyLabel->setAlignment(Qt::AlignCenter);
    m_busyLabel->setWordWrap(true);
    m_progress = new QProgressBar(m_busy);
    m_progress->setMaximumWidth(420);
    auto *cancel = new QPushButton(tr("Cancel"), m_busy);
    connect(cancel, &QPushButton::clicked, this, [this] {
        m_job->cancel();
    });
    l->addWidget(m_busyLabel);
    l->addWidget(m_progress, 0, Qt::AlignHCenter);
    l->addWidget(cancel, 0, Qt::AlignHCenter);
    l->addStretch();
    return m_busy;
}

QWidget *InspectPage::createReportView()
{
    // The report.
    m_content = new QWidget(this);
    auto *content = new QVBoxLayout(m_content);
    m_message = new MessageBar(m_content);
    m_message->setObjectName(u"InspectMessage"_s);
    m_message->hide();
    content->addWidget(m_message);
    content->addLayout(createReportHeader());

    auto *cards = new QHBoxLayout;
    cards->addWidget(card(tr("Image size"), &m_sizeValue, &m_sizeDetail));
    cards->addWidget(card(tr("Layers"), &m_layersValue, &m_layersDetail));
    cards->addWidget(card(tr("Efficiency"), &m_effValue, &m_effDetail));
    cards->addWidget(card(tr("Reclaimable"), &m_reclaimValue, &m_reclaimDetail));
    cards->addWidget(card(tr("Payload vs overhead"), &m_payloadValue, &m_payloadDetail));
    content->addLayout(cards);

    auto *split = new QSplitter(Qt::Horizontal, m_content);
    QWidget *left = createLayerViews(split);
    QWidget *tabs = createTabs(split);
    split->addWidget(left);
    split->addWidget(tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({450, 550}); // the right half holds five tabs: each must show its whole name
    content->addWidget(split, 1);
    return m_content;
}

QHBoxLayout *InspectPage::createReportHeader()
{
    auto *header = new QHBoxLayout;
    m_title = new QLabel(m_content);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->addWidget(m_title, 1);
    m_compareButton = new QPushButton(tr("Compare with Previous Build"), m_content);
    m_compareButton->setObjectName(u"CompareWithPrevious"_s);
    m_compareArchiveButton = new QPushButton(tr("Compare with Archive…"), m_content);
    header->addWidget(m_compareButton);
    header->addWidget(m_compareArchiveButton);
    connect(m_compareButton, &QPushButton::clicked, this, &InspectPage::compareWithPrevious);
    connect(m_compareArchiveButton, &QPushButton::clicked, this, &InspectPage::compareWithArchive);
    return header;
}

QWidget *InspectPage::createLayerViews(QWidget *split)
{
    // The layers: a chart over a table.
    auto *left = new QSplitter(Qt::Vertical, split);
    m_layerChart = new LayerChartView(left);
    m_layerChart->setObjectName(u"LayerChart"_s);
    m_layerTable = new QTableView(left);
    m_layerTable->setObjectName(u"LayerTable"_s);
    m_layerModel = new LayerTableModel(this);
    m_layerTable->setModel(m_layerModel);
    // The chart draws the table's model: a new report redraws both.
    auto *chartModel = new LayerChartModel(this);
    chartModel->setSourceModel(m_layerModel);
    m_layerChart->setModel(chartModel);
    connect(m_layerChart, &LayerChartView::layerClicked, this, &InspectPage::selectLayer);
    m_layerTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_layerTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_layerTable->verticalHeader()->hide();
    m_layerTable->horizontalHeader()->setStretchLastSection(false);
    m_layerTable->setTextElideMode(Qt::ElideRight);
    m_layerTable->setWordWrap(false);
    left->addWidget(m_layerChart);
    left->addWidget(m_layerTable);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    return left;
}

QWidget *InspectPage::createTabs(QWidget *split)
{
    // Files | Treemap | Reclaimable | History | Compare
    m_tabs = new QTabWidget(split);
    m_tabs->addTab(createFilesTab(), tr("Files"));
    m_treemap = new TreemapWidget(m_tabs);
    m_treemap->setObjectName(u"Treemap"_s);
    m_tabs->addTab(m_treemap, tr("Treemap"));
    m_tabs->addTab(createReclaimableTab(), tr("Reclaimable"));
    QWidget *historyPage = createHistoryTab();
    m_tabs->addTab(historyPage, tr("History"));
    m_tabs->setTabToolTip(m_tabs->indexOf(historyPage), tr("The image's size over the project's builds"));
    m_compare = new CompareWidget(m_tabs);
    m_compareText = m_compare->textView();
    m_tabs->addTab(m_compare, tr("Compare"));
    // Five tabs in the right half of a 1024 px window: short names, elided before they overflow.
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->setUsesScrollButtons(false);
    return m_tabs;
}

QWidget *InspectPage::createFilesTab()
{
    auto *files = new QWidget(m_tabs);
    auto *l = new QVBoxLayout(files);
    l->setContentsMargins(4, 4, 4, 4);
    m_changesOnly = new QCheckBox(tr("Show only what this layer changed"), files);
    m_changesOnly->setObjectName(u"ChangesOnly"_s);
    l->addWidget(m_changesOnly);
    m_fileTree = new QTreeView(files);
    m_fileTree->setObjectName(u"FileTree"_s);
    m_fileModel = new FileTreeModel(this);
    m_fileTree->setModel(m_fileModel);
    m_fileTree->setSortingEnabled(true);
    m_fileTree->sortByColumn(FileTreeModel::Size, Qt::DescendingOrder);
    m_fileTree->setUniformRowHeights(true);
    m_fileTree->header()->setSectionResizeMode(FileTreeModel::Name, QHeaderView::Stretch);
    m_fileTree->header()->setStretchLastSection(false);
    for (int c : {FileTreeModel::Size, FileTreeModel::Change, FileTreeModel::Mode})
        m_fileTree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    l->addWidget(m_fileTree);
    connect(m_changesOnly, &QCheckBox::toggled, m_fileModel, &FileTreeModel::setChangesOnly);
    connect(m_changesOnly, &QCheckBox::toggled, m_fileTree, [this](bool on) {
        if (on)
            m_fileTree->expandAll();
    });
    return files;
}

QWidget *InspectPage::createReclaimableTab()
{
    m_reclaimTable = new QTableView(m_tabs);
    m_reclaimTable->setObjectName(u"ReclaimableTable"_s);
    m_reclaimModel = new ReclaimableModel(this);
    m_reclaimTable->setModel(m_reclaimModel);
    m_reclaimTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_reclaimTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_reclaimTable->verticalHeader()->hide();
    m_reclaimTable->horizontalHeader()->setStretchLastSection(true);
    m_reclaimStack = new QStackedWidget(m_tabs);
    m_reclaimEmpty = new QLabel(tr("<p><b>Nothing to reclaim.</b></p><p>No layer holds a copy of a file that a later layer "
                                   "overwrites or deletes, so every byte of every layer is visible in the final image.</p>"
                                   "<p>When a later step replaces or removes a file (a <code>RUN rm</code> after a "
                                   "<code>COPY</code>, say), the old copy still travels with the image: it is listed here, "
                                   "with the layer that holds it.</p>"), m_reclaimStack);
    m_reclaimEmpty->setObjectName(u"ReclaimableEmpty"_s);
    m_reclaimEmpty->setWordWrap(true);
    m_reclaimEmpty->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_reclaimEmpty->setMargin(12);
    m_reclaimStack->addWidget(m_reclaimTable);
    m_reclaimStack->addWidget(m_reclaimEmpty);
    // A dead copy: show the layer that holds it, with the file selected in the tree.
    connect(m_reclaimTable, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const int layer = index.data(ReclaimableModel::LayerRole).toInt();
        selectLayer(layer);
        const QModelIndex file = m_fileModel->indexForPath(index.data(ReclaimableModel::PathRole).toString());
        if (file.isValid()) {
            m_tabs->setCurrentIndex(0);
            m_fileTree->setCurrentIndex(file);
            m_fileTree->scrollTo(file);
        }
    });
    return m_reclaimStack;
}

QWidget *InspectPage::createHistoryTab()
{
    m_history = new SizeHistoryView(m_tabs);
    connect(m_history, &SizeHistoryView::shown, this, [this] {
        updateCompareButton();
        Q_EMIT historyShown();
    });
    return m_history;
}

void InspectPage::connectViews()
{
    // Keep every view on the same layer and path.
    connect(m_layerTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid())
            selectLayer(current.row());
    });
    connect(m_fileTree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        m_treemap->setHighlightedPath(current.data(FileTreeModel::PathRole).toString());
    });
    connect(m_treemap, &TreemapWidget::pathClicked, this, &InspectPage::revealPath);
}

void InspectPage::connectJobs()
{
    connect(m_job, &AnalysisJob::progress, this, [this](qint64 done, qint64 total) {
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(1000.0 * double(done) / double(total)));
        } else {
            m_progress->setRange(0, 0);
        }
    });
    connect(m_job, &AnalysisJob::finished, this, &InspectPage::showReport);
    connect(m_job, &AnalysisJob::failed, this, &InspectPage::showFailure);
    connect(m_compareJob, &AnalysisJob::finished, this, [this](const ImageReport &older) {
        showDiff(older, older.title());
    });
    connect(m_compareJob, &AnalysisJob::failed, this, [this](const Failure &failure) {
        m_compareButton->setEnabled(true);
        m_compareArchiveButton->setEnabled(true);
        m_compare->setMessage(tr("The comparison could not be made: %1").arg(failure.sentence()));
        Q_EMIT comparisonFinished();
    });
}

QWidget *InspectPage::card(const QString &caption, QLabel **value, QLabel **detail)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);
    frame->setBackgroundRole(QPalette::Base);
    auto *l = new QVBoxLayout(frame);
    l->setSpacing(2);
    auto *c = new QLabel(caption, frame);
    c->setForegroundRole(QPalette::PlaceholderText);
    *value = new QLabel(frame);
    QFont f = (*value)->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    (*value)->setFont(f);
    *detail = new QLabel(frame);
    (*detail)->setWordWrap(true);
    (*detail)->setForegroundRole(QPalette::PlaceholderText);
    l->addWidget(c);
    l->addWidget(*value);
    l->addWidget(*detail);
    return frame;
}

bool InspectPage::isBusy() const
{
    return m_job->isRunning();
}

void InspectPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange && event->type() != QEvent::ThemeChange)
        return;
    const auto views = findChildren<QChartView *>();
    for (QChartView *view : views)
        applyPaletteToChart(view->chart(), palette());
}

void InspectPage::setMeasuredCompressedSizes(const QHash<QString, qint64> &byDiffId)
{
    m_layerModel->setMeasuredCompressedSizes(byDiffId);
    if (!m_report.layers.isEmpty())
        fillCards();
}

void InspectPage::setProjectRoot(const QString &repoRoot)
{
    m_repoRoot = repoRoot;
}

void InspectPage::start(const QString &what)
{
    m_source = what;
    m_busyLabel->setText(tr("Reading %1…").arg(what));
    m_progress->setRange(0, 0);
    m_stack->setCurrentWidget(m_busy);
}

void InspectPage::analyzeImage(const QString &imageRef, const QString &repoRoot)
{
    if (!repoRoot.isEmpty())
        m_repoRoot = repoRoot;
    const QString docker = findDockerExecutable(QString(), QProcessEnvironment::systemEnvironment());
    start(imageRef);
    m_job->startImage(docker.isEmpty() ? u"docker"_s : docker, imageRef);
}

void InspectPage::openArchive(const QString &path)
{
    start(QFileInfo(path).fileName());
    m_job->startFile(path);
}

void InspectPage::showFailure(const Failure &failure)
{
    if (m_report.layers.isEmpty()) {
        m_empty->setText(failureText(failure));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_content);
        m_message->showMessage(MessageBar::Type::Error, failureText(failure));
        m_message->show();
    }
    Q_EMIT analysisFailed(failure);
}

void InspectPage::showReport(const ImageReport &report)
{
    m_report = report;
    m_message->hide();
    m_title->setText(report.title());
    m_title->setToolTip(tr("%1 · %2 · %3/%4").arg(report.image.format, report.image.config.id, report.image.config.os,
                                                   report.image.config.architecture));
    m_layerModel->setReport(report); // before the cards: they read its compressed sizes
    fillCards();
    m_layerTable->resizeColumnsToContents();
    m_layerTable->setColumnWidth(LayerTableModel::Instruction, std::min(m_layerTable->columnWidth(LayerTableModel::Instruction), 260));
    const int last = int(report.layers.size()) - 1;
    m_fileModel->setReport(report, std::max(last, 0));
    m_treemap->setReport(report);
    m_reclaimModel->setReport(report);
    m_reclaimTable->resizeColumnsToContents();
    m_reclaimStack->setCurrentWidget(report.reclaimable.isEmpty() ? static_cast<QWidget *>(m_reclaimEmpty) : m_reclaimTable);
    readHistory();
    m_compare->clear();
    m_stack->setCurrentWidget(m_content);
    if (last >= 0)
        selectLayer(last);
    Q_EMIT analysisFinished();
}

void InspectPage::fillCards()
{
    const ImageReport &r = m_report;
    m_sizeValue->setText(formatBytes(r.sizeBytes));
    m_sizeDetail->setText(tr("%1 files in the final filesystem").arg(r.finalFiles));
    m_layersValue->setText(QString::number(r.layers.size()));
    qint64 compressed = 0;
    bool allCompressed = !r.layers.isEmpty();
    for (int i = 0; i < r.layers.size(); ++i) {
        const qint64 size = m_layerModel->compressedSize(i);
        if (size < 0 && r.layers.at(i).size > 0)
            allCompressed = false;
        compressed += std::max<qint64>(size, 0);
    }
    m_layersDetail->setText(allCompressed ? tr("%1 to download").arg(formatBytes(compressed)) : tr("%1 entries").arg(r.fileEntries));
    m_effValue->setText(u"%1 %"_s.arg(r.efficiency * 100, 0, 'f', 1));
    m_effDetail->setText(tr("dive: %1 wasted (%2 % of the user size)").arg(formatBytes(r.wastedBytes)).arg(r.userWastedPercent * 100, 0, 'f', 1));
    m_reclaimValue->setText(formatBytes(r.reclaimableBytes));
    m_reclaimDetail->setText(r.reclaimable.isEmpty() ? tr("nothing: every copy is used")
                                                     : tr("%1 dead copies, e.g. %2").arg(r.reclaimable.size()).arg(r.reclaimable.first().path));
    m_reclaimDetail->setToolTip(m_reclaimDetail->text());
    m_payloadValue->setText(u"%1 / %2"_s.arg(formatBytes(r.payloadBytes), formatBytes(r.overheadBytes)));
    m_payloadDetail->setText(r.payloadRoots.isEmpty() ? tr("no application binary found") : r.payloadRoots.join(u", "_s));
    m_payloadDetail->setToolTip(m_payloadDetail->text());
}

void InspectPage::readHistory()
{
    m_history->read(m_repoRoot);
    updateCompareButton();
}

void InspectPage::updateCompareButton()
{
    const auto previous = previousBuild(m_history->builds(), m_report.image.config.id, m_report.image.engineId);
    m_compareButton->setEnabled(previous.has_value());
    m_compareButton->setToolTip(previous ? tr("Compare with the build of %1 (%2)").arg(previous->started.toLocalTime().toString(), previous->imageId.left(19))
                                         : tr("No earlier successful build of this project is recorded."));
}

void InspectPage::compareWithPrevious()
{
    const auto previous = previousBuild(m_history->builds(), m_report.image.config.id, m_report.image.engineId);
    if (!previous)
        return;
    const QString docker = findDockerExecutable(QString(), QProcessEnvironment::systemEnvironment());
    m_compareButton->setEnabled(false);
    m_compareArchiveButton->setEnabled(false);
    m_compare->setMessage(tr("Reading the previous build's image %1…").arg(previous->imageId));
    m_tabs->setCurrentWidget(m_compare);
    // By the engine's own name for it: on the containerd store the config digest finds nothing.
    m_compareJob->startImage(docker.isEmpty() ? u"docker"_s : docker, previous->engineRef.isEmpty() ? previous->imageId : previous->engineRef);
}

void InspectPage::compareWithArchive()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Compare with Image Archive"), QString(),
                                                      tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst)"));
    if (file.isEmpty())
        return;
    m_compareButton->setEnabled(false);
    m_compareArchiveButton->setEnabled(false);
    m_compare->setMessage(tr("Reading %1…").arg(file));
    m_tabs->setCurrentWidget(m_compare);
    m_compareJob->startFile(file);
}

void InspectPage::showDiff(const ImageReport &older, const QString &olderName)
{
    const ImageDiff d = diffImages(older, m_report);
    m_compare->setDiff(d, olderName, m_report.title());
    updateCompareButton();
    m_compareArchiveButton->setEnabled(true);
    m_tabs->setCurrentWidget(m_compare);
    Q_EMIT comparisonFinished();
}

int InspectPage::selectedLayer() const
{
    return m_fileModel->layer();
}

void InspectPage::selectLayer(int layer)
{
    if (layer < 0 || layer >= m_report.layers.size() || m_updatingSelection)
        return;
    m_updatingSelection = true;
    m_layerTable->selectRow(layer);
    m_layerTable->scrollTo(m_layerModel->index(layer, 0));
    QString title = tr("Layer %1: %2").arg(layer).arg(LayerTableModel::shortInstruction(m_report.layers.at(layer).createdBy));
    if (title.size() > 90)
        title = title.left(89) + u'…';
    m_layerChart->selectLayer(layer, title);
    m_fileModel->setLayer(layer);
    if (m_changesOnly->isChecked())
        m_fileTree->expandAll();
    m_updatingSelection = false;
}

void InspectPage::revealPath(const QString &path)
{
    // The treemap shows the final filesystem: look at the last layer.
    selectLayer(int(m_report.layers.size()) - 1);
    QModelIndex index = m_fileModel->indexForPath(path);
    if (!index.isValid() && m_changesOnly->isChecked()) {
        m_changesOnly->setChecked(false);
        index = m_fileModel->indexForPath(path);
    }
    if (!index.isValid())
        return;
    m_tabs->setCurrentIndex(0);
    m_fileTree->setCurrentIndex(index);
    m_fileTree->scrollTo(index);
}

} // namespace Gantry
