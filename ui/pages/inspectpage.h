// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"
#include "buildrun/buildhistory.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;

namespace Gantry {

class AnalysisJob;
class CompareWidget;
class EmptyStateWidget;
class FileTreeModel;
class LayerChartView;
class LayerTableModel;
class SizeHistoryView;
class MessageBar;
class ReclaimableModel;
class TreemapWidget;

/// The Inspect step of the pipeline. Shows values and starts jobs; computes nothing.
class InspectPage : public QWidget
{
    Q_OBJECT
public:
    explicit InspectPage(QWidget *parent = nullptr);
    ~InspectPage() override;
    EmptyStateWidget *emptyState() const { return m_empty; }

    /// Analyse an image in the engine (saved with docker save to a temporary file).
    void analyzeImage(const QString &imageRef, const QString &repoRoot = {});
    /// Analyse an image archive file (docker-archive or OCI layout, plain/gzip/zstd).
    void openArchive(const QString &path);
    /// Compressed layer sizes measured by shipping (gzip), by diff id: the Compressed column
    /// and the Layers card show them for layers the archive holds uncompressed.
    void setMeasuredCompressedSizes(const QHash<QString, qint64> &byDiffId);
    /// The project whose build history the size chart shows (analyzeImage sets it too).
    void setProjectRoot(const QString &repoRoot);

    bool isBusy() const;
    const ImageReport &report() const { return m_report; }
    int selectedLayer() const;
    void selectLayer(int layer);


Q_SIGNALS:
    void openArchiveRequested();
    void analysisFinished();
    void analysisFailed(const Gantry::Failure &failure);
    void comparisonFinished();
    /// The size history read for the current report is drawn (after analysisFinished).
    void historyShown();

protected:
    /// A switch to dark mode (or back) while the page shows: the charts follow at once.
    void changeEvent(QEvent *event) override;

private:
    QWidget *createBusyView();
    QWidget *createReportView();
    QHBoxLayout *createReportHeader();
    QWidget *createLayerViews(QWidget *split);
    QWidget *createTabs(QWidget *split);
    QWidget *createFilesTab();
    QWidget *createReclaimableTab();
    QWidget *createHistoryTab();
    void connectViews();
    void connectJobs();
    void start(const QString &what);
    void showReport(const ImageReport &report);
    void showFailure(const Gantry::Failure &failure);
    void fillCards();
    /// Starts reading the project's size history (the Size history tab draws it when it arrives).
    void readHistory();
    /// "Compare with previous build": enabled when the history has an earlier build of this project.
    void updateCompareButton();
    void compareWithPrevious();
    void compareWithArchive();
    void showDiff(const ImageReport &older, const QString &olderName);
    void revealPath(const QString &path);
    QWidget *card(const QString &caption, QLabel **value, QLabel **detail);

    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    QWidget *m_busy;
    QLabel *m_busyLabel;
    QProgressBar *m_progress;
    QWidget *m_content;
    MessageBar *m_message;
    QLabel *m_title;
    QLabel *m_sizeValue, *m_sizeDetail, *m_layersValue, *m_layersDetail, *m_effValue, *m_effDetail, *m_reclaimValue,
        *m_reclaimDetail, *m_payloadValue, *m_payloadDetail;
    LayerChartView *m_layerChart;
    QTableView *m_layerTable;
    LayerTableModel *m_layerModel;
    QTreeView *m_fileTree;
    FileTreeModel *m_fileModel;
    QCheckBox *m_changesOnly;
    TreemapWidget *m_treemap;
    QTabWidget *m_tabs;
    SizeHistoryView *m_history;
    QPushButton *m_compareButton;
    QPushButton *m_compareArchiveButton;
    QPlainTextEdit *m_compareText;   ///< the comparison as text (inside m_compare)
    CompareWidget *m_compare;
    QStackedWidget *m_reclaimStack;
    QLabel *m_reclaimEmpty;
    QTableView *m_reclaimTable;
    ReclaimableModel *m_reclaimModel;
    AnalysisJob *m_job;
    AnalysisJob *m_compareJob;
    ImageReport m_report;
    QString m_repoRoot;
    QString m_source;
    bool m_updatingSelection = false;
};

} // namespace Gantry
