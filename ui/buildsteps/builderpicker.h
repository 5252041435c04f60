// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/builders.h"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace Gantry {

struct BuildChoices;

/// Where and for what the Build page builds: the platform (this machine's, linux/amd64,
/// linux/arm64, the recipe's, or each of several one after the other) and the buildx
/// builder or docker context (listed by BuilderLister in the background; refresh lists
/// them again), with a line saying where the build runs.
class BuilderPicker : public QWidget
{
    Q_OBJECT
public:
    explicit BuilderPicker(QWidget *parent = nullptr);

    /// The project's platforms (added to the list; all of them chosen when there are any)
    /// and its builder or context (chosen while no other one is picked; empty: the current one).
    void setRecipe(const QStringList &platforms, const QString &builder);
    /// "linux/amd64", several joined by ',' (each built in turn), or empty for the builder's own.
    void setPlatform(const QString &platform);
    /// Every platform chosen; empty: the builder's own.
    QStringList platforms() const;
    /// The chosen platforms, and the chosen builder or context when one is picked (else the recipe's stays).
    void addTo(BuildChoices &choices) const;
    /// While a build runs, the choice cannot change.
    void setBuilding(bool building);

public Q_SLOTS:
    /// Lists the builders and contexts again (in the background).
    void refresh();
    /// Lists them unless they are listed already or being listed.
    void listOnce();

Q_SIGNALS:
    void platformsChanged();
    /// Listing the builders failed: why, in one sentence.
    void listFailed(const Gantry::Failure &failure);

private:
    void onListed(const BuilderList &list);
    void updateWhereLabel();

    QComboBox *m_platform;
    QComboBox *m_builder;
    QToolButton *m_refresh;
    QLabel *m_where;          ///< where the build runs, in words
    BuilderLister *m_lister;
    BuilderList m_builders;
    QString m_recipeBuilder;  ///< the recipe's builder or context; empty: the current one
};

} // namespace Gantry
