// SPDX-License-Identifier: MIT
#include "buildstepmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

const QString internalKey = u"internal"_s;
const QString outputKey = u"\x01output"_s; // steps without a stage: "exporting to image"

QColor stateColor(BuildStep::State state)
{
    switch (state) {
    case BuildStep::State::Running: return QColor(0x1d, 0x6f, 0xd6);
    case BuildStep::State::Done: return QColor(0x2e, 0x8b, 0x3a);
    case BuildStep::State::Cached: return QColor(0x6b, 0x6b, 0x6b);
    case BuildStep::State::Failed: return QColor(0xc6, 0x28, 0x28);
    case BuildStep::State::Cancelled: return QColor(0xb2, 0x6b, 0x00);
    case BuildStep::State::Waiting: break;
    }
    return QGuiApplication::palette().color(QPalette::PlaceholderText);
}

QString stateText(const BuildStep::State state, bool buildOver = false)
{
    switch (state) {
    case BuildStep::State::Waiting: return buildOver ? BuildStepModel::tr("not run") : BuildStepModel::tr("waiting");
    case BuildStep::State::Running: return BuildStepModel::tr("running…");
    case BuildStep::State::Done: return BuildStepModel::tr("done");
    case BuildStep::State::Cached: return BuildStepModel::tr("cached");
    case BuildStep::State::Failed: return BuildStepModel::tr("failed");
    case BuildStep::State::Cancelled: return BuildStepModel::tr("stopped");
    }
    return {};
}

QString stateMark(const BuildStep::State state)
{
    switch (state) {
    case BuildStep::State::Waiting: return u"○"_s;
    case BuildStep::State::Running: return u"▶"_s;
    case BuildStep::State::Done: return u"✔"_s;
    case BuildStep::State::Cached: return u"≡"_s;
    case BuildStep::State::Failed: return u"✖"_s;
    case BuildStep::State::Cancelled: return u"■"_s;
    }
    return {};
}

} // namespace

BuildStepModel::BuildStepModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void BuildStepModel::setBuildOver(bool over)
{
    if (over == m_buildOver)
        return;
    m_buildOver = over;
    for (int g = 0; g < m_groups.size(); ++g) {
        Q_EMIT dataChanged(index(g, StateColumn), index(g, StateColumn));
        const QModelIndex parentIndex = index(g, 0);
        if (!m_groups.at(g).steps.isEmpty())
            Q_EMIT dataChanged(index(0, StateColumn, parentIndex),
                               index(int(m_groups.at(g).steps.size()) - 1, StateColumn, parentIndex));
    }
}

void BuildStepModel::clear()
{
    beginResetModel();
    m_buildOver = false;
    m_steps.clear();
    m_groups.clear();
    m_groupOfStep.clear();
    m_platformOrder.clear();
    endResetModel();
}

void BuildStepModel::setShowInternal(bool show)
{
    if (show == m_showInternal)
        return;
    beginResetModel();
    m_showInternal = show;
    const QHash<int, BuildStep> steps = m_steps;
    m_steps.clear();
    m_groups.clear();
    m_groupOfStep.clear();
    m_platformOrder.clear();
    endResetModel();
    QList<int> keys = steps.keys();
    std::sort(keys.begin(), keys.end());
    for (int k : keys)
        updateStep(k, steps.value(k));
}

QString BuildStepModel::groupKey(const BuildStep &step)
{
    if (step.stage.isEmpty())
        return step.platform.isEmpty() ? outputKey : step.platform + u' ' + outputKey;
    return step.platform.isEmpty() ? step.stage : step.platform + u' ' + step.stage;
}

QString BuildStepModel::groupPlatform(const QString &key)
{
    const qsizetype space = key.indexOf(u' ');
    return space > 0 ? key.left(space) : QString();
}

int BuildStepModel::groupRank(const QString &key) const
{
    // buildx's internal steps first; then each platform's groups (platforms in the order they
    // appeared); then the groups of no platform (the only ones of a one-platform build). In
    // each: named stages in the order they appear, unnamed ones ("stage-2": usually the
    // final image) after them, the export last.
    static const QRegularExpression unnamed(u"(^| )stage-\\d+$"_s);
    if (key == internalKey)
        return 0;
    const QString platform = groupPlatform(key);
    const int base = platform.isEmpty() ? 1000 : 10 * (1 + int(m_platformOrder.indexOf(platform)));
    if (key.endsWith(outputKey))
        return base + 3;
    return base + (unnamed.match(key).hasMatch() ? 2 : 1);
}

bool BuildStepModel::isShown(const BuildStep &step) const
{
    return !step.name.isEmpty() && (m_showInternal || !step.isInternal());
}

void BuildStepModel::updateStep(int stepIndex, const BuildStep &step)
{
    const bool known = m_groupOfStep.contains(stepIndex);
    m_steps.insert(stepIndex, step);
    if (known) {
        const int g = m_groupOfStep.value(stepIndex);
        const QString key = groupKey(step);
        if (m_groups.at(g).stage == key) {
            const int row = int(m_groups.at(g).steps.indexOf(stepIndex));
            const QModelIndex parentIndex = index(g, 0);
            Q_EMIT dataChanged(index(row, 0, parentIndex), index(row, ColumnCount - 1, parentIndex));
            Q_EMIT dataChanged(index(g, 0), index(g, ColumnCount - 1));
            return;
        }
        // The name changed its stage (rare; a vertex re-sent with another name): move it.
        const int row = int(m_groups.at(g).steps.indexOf(stepIndex));
        beginRemoveRows(index(g, 0), row, row);
        m_groups[g].steps.removeAt(row);
        m_groupOfStep.remove(stepIndex);
        endRemoveRows();
    }
    if (!isShown(step))
        return;
    const QString key = groupKey(step);
    int g = -1;
    for (int i = 0; i < m_groups.size(); ++i)
        if (m_groups.at(i).stage == key)
            g = i;
    if (g < 0) {
        // New stage: after every stage of the same or lower rank (internal first, output last).
        const QString platform = groupPlatform(key);
        if (!platform.isEmpty() && !m_platformOrder.contains(platform))
            m_platformOrder << platform;
        const int rank = groupRank(key);
        g = 0;
        while (g < m_groups.size() && groupRank(m_groups.at(g).stage) <= rank)
            ++g;
        beginInsertRows({}, g, g);
        m_groups.insert(g, Group{key, {}, m_nextGroupId++});
        for (auto it = m_groupOfStep.begin(); it != m_groupOfStep.end(); ++it)
            if (*it >= g)
                ++*it;
        endInsertRows();
    }
    Group &group = m_groups[g];
    // Keep a stage's steps in their "n/m" order (buildx reports them in any order).
    int row = 0;
    while (row < group.steps.size()) {
        const BuildStep &other = m_steps[group.steps.at(row)];
        const int a = step.index > 0 ? step.index : 1000000 + stepIndex;
        const int b = other.index > 0 ? other.index : 1000000 + group.steps.at(row);
        if (a < b)
            break;
        ++row;
    }
    beginInsertRows(index(g, 0), row, row);
    group.steps.insert(row, stepIndex);
    m_groupOfStep.insert(stepIndex, g);
    endInsertRows();
    Q_EMIT dataChanged(index(g, 0), index(g, ColumnCount - 1));
}

void BuildStepModel::tick()
{
    for (int g = 0; g < m_groups.size(); ++g) {
        bool any = false;
        const QModelIndex parentIndex = index(g, 0);
        for (int row = 0; row < m_groups.at(g).steps.size(); ++row) {
            if (m_steps.value(m_groups.at(g).steps.at(row)).state == BuildStep::State::Running) {
                any = true;
                Q_EMIT dataChanged(index(row, DurationColumn, parentIndex), index(row, DurationColumn, parentIndex));
            }
        }
        if (any)
            Q_EMIT dataChanged(index(g, DurationColumn), index(g, DurationColumn));
    }
}

QModelIndex BuildStepModel::indexForStep(int stepIndex, int column) const
{
    const auto it = m_groupOfStep.constFind(stepIndex);
    if (it == m_groupOfStep.cend())
        return {};
    const int row = int(m_groups.at(*it).steps.indexOf(stepIndex));
    return index(row, column, index(*it, 0));
}

int BuildStepModel::groupRowOf(const QModelIndex &idx) const
{
    if (!idx.isValid() || idx.internalId() == 0)
        return -1;
    for (int g = 0; g < m_groups.size(); ++g)
        if (m_groups.at(g).id == idx.internalId())
            return g;
    return -1;
}

int BuildStepModel::stepIndex(const QModelIndex &idx) const
{
    const int g = groupRowOf(idx);
    if (g < 0 || idx.row() >= m_groups.at(g).steps.size())
        return -1;
    return m_groups.at(g).steps.at(idx.row());
}

const BuildStep *BuildStepModel::step(int stepIndex) const
{
    const auto it = m_steps.constFind(stepIndex);
    return it == m_steps.cend() ? nullptr : &*it;
}

QString BuildStepModel::stageName(int row) const
{
    if (row < 0 || row >= m_groups.size())
        return {};
    const QString &key = m_groups.at(row).stage;
    if (key == outputKey)
        return tr("output");
    if (key.endsWith(outputKey))
        return groupPlatform(key) + u' ' + tr("output");
    if (key == internalKey)
        return tr("buildx (internal)");
    return key;
}

QModelIndex BuildStepModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups.at(parent.row()).steps.size())
        return {};
    return createIndex(row, column, m_groups.at(parent.row()).id);
}

QModelIndex BuildStepModel::parent(const QModelIndex &child) const
{
    const int g = groupRowOf(child);
    return g < 0 ? QModelIndex() : createIndex(g, 0, quintptr(0));
}

int BuildStepModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).steps.size());
}

int BuildStepModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

BuildStep::State BuildStepModel::groupState(const Group &group) const
{
    bool anyRunning = false, anyCancelled = false, allCached = true, allFinished = true;
    for (int i : group.steps) {
        const BuildStep &s = m_steps[i];
        if (s.state == BuildStep::State::Failed)
            return BuildStep::State::Failed;
        anyRunning |= s.state == BuildStep::State::Running;
        anyCancelled |= s.state == BuildStep::State::Cancelled;
        allCached &= s.state == BuildStep::State::Cached;
        allFinished &= s.isFinished();
    }
    if (anyCancelled)
        return BuildStep::State::Cancelled;
    if (anyRunning)
        return BuildStep::State::Running;
    if (!allFinished)
        return BuildStep::State::Waiting;
    return allCached ? BuildStep::State::Cached : BuildStep::State::Done;
}

qint64 BuildStepModel::groupDuration(const Group &group) const
{
    // A stage's steps run one after another: its time is the sum of theirs. (Not the span
    // from first start to last end: a base image's vertex may be shared with another build
    // that started it long before this one.)
    qint64 total = 0;
    bool any = false;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i : group.steps) {
        const BuildStep &s = m_steps[i];
        if (s.cached || !s.started.isValid())
            continue;
        total += s.durationMs(now);
        any = true;
    }
    return any ? total : -1;
}

QVariant BuildStepModel::data(const QModelIndex &idx, int role) const
{
    if (!idx.isValid() || idx.model() != this)
        return {};
    if (idx.internalId() == 0) {
        const Group &group = m_groups.at(idx.row());
        const BuildStep::State state = groupState(group);
        switch (role) {
        case Qt::DisplayRole:
            switch (idx.column()) {
            case NameColumn: return QString(stateMark(state) + u"  "_s + stageName(idx.row()));
            case StateColumn: {
                int cached = 0;
                for (int i : group.steps)
                    cached += m_steps[i].cached ? 1 : 0;
                const QString text = stateText(state, m_buildOver);
                return cached > 0 && state != BuildStep::State::Cached
                           ? tr("%1 (%2 of %3 cached)").arg(text).arg(cached).arg(group.steps.size())
                           : text;
            }
            case DurationColumn: return formatDuration(groupDuration(group));
            }
            return {};
        case Qt::FontRole: {
            QFont f;
            f.setBold(true);
            return f;
        }
        case Qt::ForegroundRole:
            return idx.column() == NameColumn ? QVariant() : QVariant(QBrush(stateColor(state)));
        case StepIndexRole: return -1;
        case StateRole: return int(state);
        case StageRole: return stageName(idx.row());
        case Qt::TextAlignmentRole:
            return idx.column() == DurationColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
        }
        return {};
    }
    const int g = groupRowOf(idx);
    if (g < 0 || idx.row() >= m_groups.at(g).steps.size())
        return {};
    const int stepIdx = m_groups.at(g).steps.at(idx.row());
    const BuildStep &s = m_steps[stepIdx];
    switch (role) {
    case Qt::DisplayRole:
        switch (idx.column()) {
        case NameColumn: {
            const QString command = s.command.simplified();
            const QString shortCommand = command.size() > 120 ? command.left(119) + u'…' : command;
            return s.index > 0 ? u"%1  %2/%3  %4"_s.arg(stateMark(s.state)).arg(s.index).arg(s.count).arg(shortCommand)
                               : QString(stateMark(s.state) + u"  "_s + shortCommand);
        }
        case StateColumn: return stateText(s.state, m_buildOver);
        case DurationColumn:
            return s.state == BuildStep::State::Cached || s.state == BuildStep::State::Waiting ? QString()
                                                                                               : formatDuration(s.durationMs());
        }
        return {};
    case Qt::ToolTipRole:
        return s.error.isEmpty() ? s.name : QString(s.name + u"\n\n"_s + s.error);
    case Qt::ForegroundRole:
        if (idx.column() == NameColumn)
            return s.state == BuildStep::State::Cached || s.state == BuildStep::State::Waiting
                       ? QVariant(QBrush(QGuiApplication::palette().color(QPalette::PlaceholderText)))
                       : QVariant();
        return QBrush(stateColor(s.state));
    case Qt::TextAlignmentRole:
        return idx.column() == DurationColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case StepIndexRole: return stepIdx;
    case StateRole: return int(s.state);
    case CachedRole: return s.cached;
    case StageRole: return stageName(g);
    }
    return {};
}

QVariant BuildStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Step");
    case StateColumn: return tr("State");
    case DurationColumn: return tr("Time");
    }
    return {};
}

} // namespace Gantry
