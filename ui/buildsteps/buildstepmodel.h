// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildevents.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace Gantry {

/// A build's steps grouped by stage (a tree: stage → steps), with state, duration and
/// cache marks. Fed live from BuildRunner::stepUpdated; tick() refreshes running durations.
class BuildStepModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, DurationColumn, ColumnCount };
    enum Role { StepIndexRole = Qt::UserRole + 1, StateRole, CachedRole, StageRole };

    explicit BuildStepModel(QObject *parent = nullptr);

    void clear();
    /// After the build: steps that never started read "not run" instead of "waiting".
    void setBuildOver(bool over);
    /// Adds or updates the step with the runner's index stepIndex.
    void updateStep(int stepIndex, const BuildStep &step);
    /// Emits dataChanged for the durations of running steps (call it from a timer).
    void tick();
    /// Whether buildx's own "[internal]" steps are shown (a group of their own). Default: shown.
    void setShowInternal(bool show);

    QModelIndex indexForStep(int stepIndex, int column = NameColumn) const;
    /// The runner's step index of a step item, -1 for a stage item or an invalid index.
    int stepIndex(const QModelIndex &index) const;
    const BuildStep *step(int stepIndex) const;
    int stageCount() const { return int(m_groups.size()); }
    QString stageName(int row) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Group
    {
        QString stage;
        QList<int> steps; ///< runner step indexes, sorted by the step's position in its stage
        quintptr id = 0;  ///< a step item's internalId: stays the same when groups are inserted above
    };
    /// The row of the group a step item belongs to, -1 for a stage item or an unknown group.
    int groupRowOf(const QModelIndex &index) const;
    static QString groupKey(const BuildStep &step);
    static QString groupPlatform(const QString &key); ///< "linux/arm64" of "linux/arm64 backend", else empty
    int groupRank(const QString &key) const;
    BuildStep::State groupState(const Group &group) const;
    qint64 groupDuration(const Group &group) const;
    bool isShown(const BuildStep &step) const;

    QHash<int, BuildStep> m_steps;
    QList<Group> m_groups;
    QHash<int, int> m_groupOfStep;  ///< step index → group row (only for shown steps)
    QStringList m_platformOrder;    ///< platforms in the order their first group appeared
    bool m_showInternal = true;
    bool m_buildOver = false;
    quintptr m_nextGroupId = 1;     ///< 0 is the internalId of stage items
};

} // namespace Gantry
