// SPDX-License-Identifier: MIT
#include "buildlogview.h"

#include "buildstepmodel.h"
#include "buildrun/buildrunner.h"
#include "settings/preferences.h"
#include "widgets/openineditor.h"

#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

constexpr qsizetype maxAllLogChars = 8 * 1024 * 1024;

/// The lines shown on top of a failed build's log: the compiler's, else the end of the
/// failing step's output and its error, else the failure's details.
QStringList failingLines(const BuildResult &result)
{
    QStringList lines = result.failure.compilerLines;
    if (lines.isEmpty() && result.failure.stepIndex >= 0 && result.failure.stepIndex < result.steps.size()) {
        const BuildStep &s = result.steps.at(result.failure.stepIndex);
        lines = s.log.trimmed().split(u'\n');
        lines = lines.mid(std::max<qsizetype>(0, lines.size() - 12));
        if (!s.error.isEmpty())
            lines << s.error;
    }
    if (lines.isEmpty() && !result.failure.details.isEmpty())
        lines << result.failure.details;
    return lines;
}

QPlainTextEdit *monospaceView(QWidget *parent, const QString &objectName)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    return view;
}

} // namespace

QString BuildLogView::stepHeading(const BuildStep &s)
{
    const QString command = s.command.simplified();
    const QString shortCommand = command.size() > 100 ? command.left(99) + u'…' : command;
    if (s.index > 0)
        return u"[%1 %2/%3] %4"_s.arg(s.stage).arg(s.index).arg(s.count).arg(shortCommand);
    return s.stage.isEmpty() ? shortCommand : u"[%1] %2"_s.arg(s.stage, shortCommand);
}

BuildLogView::BuildLogView(const BuildStepModel *steps, QWidget *parent)
    : QWidget(parent)
    , m_steps(steps)
    , m_title(new QLabel(tr("Output of all steps"), this))
    , m_allSteps(new QToolButton(this))
    , m_errorLines(monospaceView(this, u"BuildErrorLines"_s))
    , m_locations(new QListWidget(this))
    , m_log(monospaceView(this, u"BuildLog"_s))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    // A step's heading can be a whole RUN script: it must not widen the log pane (and
    // squeeze the step list); it is cut at the pane's edge, whole in the tooltip.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(0);
    m_allSteps->setText(tr("All steps"));
    m_allSteps->setToolTip(tr("Show the output of every step"));
    connect(m_allSteps, &QToolButton::clicked, this, [this] {
        Q_EMIT allStepsRequested();
        showAll();
    });
    m_errorLines->setMaximumHeight(200);
    QPalette errPal = m_errorLines->palette();
    errPal.setColor(QPalette::Base, QColor(0xfd, 0xec, 0xea));
    errPal.setColor(QPalette::Text, QColor(0x8a, 0x1c, 0x1c));
    m_errorLines->setPalette(errPal);
    m_errorLines->hide();
    m_locations->setObjectName(u"FailureLocations"_s);
    m_locations->setToolTip(tr("Double-click or press Enter to open the file at this line in your editor (Preferences ▸ Editor)"));
    m_locations->setMaximumHeight(4 * m_locations->fontMetrics().height() + 12);
    m_locations->setTextElideMode(Qt::ElideMiddle);
    m_locations->hide();
    connect(m_locations, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        openLocation(item->data(Qt::UserRole).toString(), item->data(Qt::UserRole + 1).toInt(), item->data(Qt::UserRole + 2).toInt());
    });
    m_log->setMaximumBlockCount(20000);
    m_log->setPlaceholderText(tr("Press Build to run docker buildx: every step and its output appear here as they happen."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_allSteps);
    layout->addWidget(m_locations);
    layout->addWidget(m_errorLines);
    layout->addLayout(header);
    layout->addWidget(m_log, 1);
}

void BuildLogView::clear()
{
    m_log->clear();
    m_allLog.clear();
    m_allLogChars = 0;
    m_logStep = -1;
    m_lastAppendedStep = -2;
    m_title->setText(tr("Output of all steps"));
    m_errorLines->clear();
    m_errorLines->hide();
    m_locations->clear();
    m_locations->hide();
}

void BuildLogView::append(int stepIndex, const QString &text)
{
    m_allLog.append({stepIndex, text});
    m_allLogChars += text.size();
    while (m_allLogChars > maxAllLogChars && !m_allLog.isEmpty())
        m_allLogChars -= m_allLog.takeFirst().second.size();
    if (m_logStep == -1 || m_logStep == stepIndex)
        appendToLog(stepIndex, text);
}

void BuildLogView::appendToLog(int stepIndex, const QString &text)
{
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 4;
    QString chunk;
    if (m_logStep == -1 && stepIndex != m_lastAppendedStep) {
        if (const BuildStep *s = m_steps->step(stepIndex)) {
            if (!m_log->document()->isEmpty() && !m_log->toPlainText().endsWith(u'\n'))
                chunk += u'\n';
            chunk += u"── "_s + stepHeading(*s) + u" ──\n"_s;
        }
        m_lastAppendedStep = stepIndex;
    }
    chunk += text;
    QTextCursor cursor(m_log->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(chunk);
    if (follow)
        bar->setValue(bar->maximum());
}

void BuildLogView::showAll()
{
    m_logStep = -1;
    m_lastAppendedStep = -2;
    m_title->setText(tr("Output of all steps"));
    QString all;
    for (const auto &[index, text] : std::as_const(m_allLog)) {
        if (index != m_lastAppendedStep) {
            if (const BuildStep *s = m_steps->step(index)) {
                if (!all.isEmpty() && !all.endsWith(u'\n'))
                    all += u'\n';
                all += u"── "_s + stepHeading(*s) + u" ──\n"_s;
            }
            m_lastAppendedStep = index;
        }
        all += text;
    }
    m_log->setPlainText(all);
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void BuildLogView::showStep(int stepIndex, const QString &log)
{
    m_logStep = stepIndex;
    m_lastAppendedStep = -2;
    const BuildStep *s = m_steps->step(stepIndex);
    m_title->setText(s ? tr("Output of %1").arg(stepHeading(*s)) : tr("Output"));
    m_title->setToolTip(m_title->text());
    QString text = log;
    if (s && !s->error.isEmpty())
        text += (text.isEmpty() || text.endsWith(u'\n') ? QString() : u"\n"_s) + tr("ERROR: %1").arg(s->error);
    m_log->setPlainText(text.isEmpty() ? (s && s->cached ? tr("(cached: this step did not run)") : QString()) : text);
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void BuildLogView::showNothingRan()
{
    if (m_allLog.isEmpty() && m_logStep == -1)
        m_log->setPlainText(tr("Every step came from the build cache: nothing had to run."));
}

void BuildLogView::showFailure(const BuildResult &result, const QList<SourceLocation> &locations, const QString &repoRoot)
{
    m_repoRoot = repoRoot;
    showLocations(locations);
    const QStringList lines = failingLines(result);
    if (!lines.isEmpty()) {
        m_errorLines->setPlainText(lines.join(u'\n'));
        m_errorLines->show();
    }
}

void BuildLogView::showLocations(const QList<SourceLocation> &locations)
{
    m_locations->clear();
    const QDir root(m_repoRoot);
    for (const SourceLocation &loc : locations) {
        const bool inRepo = !m_repoRoot.isEmpty() && QFileInfo(root.filePath(loc.path)).isFile();
        auto *item = new QListWidgetItem(QIcon::fromTheme(u"text-x-generic"_s), loc.text(), m_locations);
        item->setData(Qt::UserRole, loc.path);
        item->setData(Qt::UserRole + 1, loc.line);
        item->setData(Qt::UserRole + 2, loc.column);
        item->setToolTip(inRepo ? QDir::toNativeSeparators(root.filePath(loc.path))
                                : tr("%1 is a path inside the build container; no file of the project matches it.").arg(loc.path));
        if (!inRepo)
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    m_locations->setVisible(m_locations->count() > 0);
    if (m_locations->count() > 0)
        m_locations->setCurrentRow(0);
}

void BuildLogView::openLocation(const QString &relativePath, int line, int column)
{
    const Status opened = openInEditor(Preferences::load().editorCommand, QDir(m_repoRoot).filePath(relativePath), line, column);
    if (!opened)
        Q_EMIT openFailed(opened.failure().sentence());
}

} // namespace Gantry
