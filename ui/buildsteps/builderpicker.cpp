// SPDX-License-Identifier: MIT
#include "builderpicker.h"

#include "buildrun/recipebuild.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// "Builds on docker context server (ssh://...): natively on that server, ...": where a
/// build with the builder or context `name` (empty: the current one) runs.
QString whereText(const QString &name, BuilderChoice::Kind kind, const BuilderChoice *choice)
{
    if (name.isEmpty() && !choice)
        return BuilderPicker::tr("Builds with docker buildx's current builder.");
    if (name.isEmpty())
        return BuilderPicker::tr("Builds with the current builder, %1 (%2).").arg(choice->name, choice->driver);
    if (kind == BuilderChoice::Kind::Context && choice && choice->isRemote())
        return BuilderPicker::tr("Builds on docker context %1 (%2): natively on that server, the image stays there.").arg(name, choice->endpoint);
    if (kind == BuilderChoice::Kind::Context)
        return BuilderPicker::tr("Builds on docker context %1%2.").arg(name, choice ? u" ("_s + choice->endpoint + u')' : QString());
    return BuilderPicker::tr("Builds with buildx builder %1%2.").arg(name, choice ? u" ("_s + choice->driver + u')' : QString());
}

} // namespace

BuilderPicker::BuilderPicker(QWidget *parent)
    : QWidget(parent)
    , m_platform(new QComboBox(this))
    , m_builder(new QComboBox(this))
    , m_refresh(new QToolButton(this))
    , m_where(new QLabel(this))
    , m_lister(new BuilderLister(this))
{
    m_platform->setObjectName(u"PlatformPicker"_s);
    m_platform->addItem(tr("This machine's platform"), QString());
    m_platform->addItem(u"linux/amd64"_s, u"linux/amd64"_s);
    m_platform->addItem(u"linux/arm64"_s, u"linux/arm64"_s);
    m_platform->setToolTip(tr("The server's platform. Gantry cross-compiles for it on this machine. "
                              "Several platforms build one after the other, each image tagged with its architecture (image:tag-amd64, image:tag-arm64)."));
    connect(m_platform, &QComboBox::currentIndexChanged, this, &BuilderPicker::platformsChanged);
    m_builder->setObjectName(u"BuilderPicker"_s);
    m_builder->addItem(tr("Current builder"));
    m_builder->setToolTip(tr("A buildx builder or a docker context. A context over ssh:// builds natively on that server."));
    m_builder->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_builder, &QComboBox::currentIndexChanged, this, &BuilderPicker::updateWhereLabel);
    m_where->setObjectName(u"BuilderLabel"_s);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh->setIcon(QIcon(u":/icons/refresh.svg"_s));
    m_refresh->setToolTip(tr("List builders and contexts again"));
    connect(m_refresh, &QToolButton::clicked, this, &BuilderPicker::refresh);
    connect(m_lister, &BuilderLister::finished, this, &BuilderPicker::onListed);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Platform:"), this));
    layout->addWidget(m_platform);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Builder:"), this));
    layout->addWidget(m_builder);
    layout->addWidget(m_refresh);
    layout->addSpacing(8);
    layout->addWidget(m_where, 1);
}

void BuilderPicker::setRecipe(const QStringList &platforms, const QString &builder)
{
    m_recipeBuilder = builder;
    // The recipe's platforms first in the list, its first one chosen.
    // Several: all of them (one after the other) is the choice, each one alone in the list too.
    for (const QString &p : platforms)
        if (m_platform->findData(p) < 0)
            m_platform->addItem(p, p);
    if (!platforms.isEmpty())
        setPlatform(platforms.join(u','));
    updateWhereLabel();
}

void BuilderPicker::setPlatform(const QString &platform)
{
    int i = m_platform->findData(platform);
    if (i < 0) {
        const QStringList list = platform.split(u',', Qt::SkipEmptyParts);
        m_platform->addItem(list.size() > 1 ? tr("Each of %1").arg(list.join(u" + "_s)) : platform, platform);
        i = m_platform->count() - 1;
    }
    m_platform->setCurrentIndex(i);
}

QStringList BuilderPicker::platforms() const
{
    return m_platform->currentData().toString().split(u',', Qt::SkipEmptyParts);
}

void BuilderPicker::addTo(BuildChoices &choices) const
{
    choices.platforms = platforms();
    const QVariantList builder = m_builder->currentData().toList();
    if (builder.size() == 2) { // a builder or context picked, else the recipe's
        choices.replaceBuilder = true;
        (builder.at(0).toInt() == int(BuilderChoice::Kind::Builder) ? choices.builder : choices.dockerContext) = builder.at(1).toString();
    }
}

void BuilderPicker::setBuilding(bool building)
{
    m_platform->setEnabled(!building);
    m_builder->setEnabled(!building);
}

void BuilderPicker::refresh()
{
    m_refresh->setEnabled(false);
    m_lister->start();
}

void BuilderPicker::listOnce()
{
    if (!m_lister->isRunning() && m_builder->count() <= 1)
        refresh();
}

void BuilderPicker::onListed(const BuilderList &list)
{
    m_refresh->setEnabled(true);
    const QString previous = m_builder->currentIndex() > 0 ? m_builder->currentText() : QString();
    m_builder->clear();
    m_builder->addItem(tr("Current builder"));
    for (const BuilderChoice &c : list.choices) {
        m_builder->addItem(c.label() + (c.current ? tr(" — current") : QString()), QVariantList{int(c.kind), c.name});
        m_builder->setItemData(m_builder->count() - 1,
                               c.kind == BuilderChoice::Kind::Builder ? c.platforms.join(u", "_s) : c.endpoint, Qt::ToolTipRole);
    }
    m_builders = list;
    for (const BuilderChoice &c : list.choices)
        if (c.kind == BuilderChoice::Kind::Builder && c.current)
            m_builder->setItemText(0, tr("Current builder (%1)").arg(c.name));
    int again = previous.isEmpty() ? -1 : m_builder->findText(previous);
    if (again <= 0 && !m_recipeBuilder.isEmpty()) {
        for (int i = 1; i < m_builder->count(); ++i)
            if (m_builder->itemData(i).toList().value(1).toString() == m_recipeBuilder)
                again = i;
    }
    m_builder->setCurrentIndex(again > 0 ? again : 0);
    updateWhereLabel();
    if (list.failure)
        Q_EMIT listFailed(*list.failure);
}

void BuilderPicker::updateWhereLabel()
{
    // Where the next (or the running) build happens, in words.
    const QVariantList data = m_builder->currentData().toList();
    QString name = data.value(1).toString();
    auto kind = BuilderChoice::Kind(data.value(0, int(BuilderChoice::Kind::Builder)).toInt());
    if (data.size() != 2 && !m_recipeBuilder.isEmpty())
        name = m_recipeBuilder;
    const BuilderChoice *choice = nullptr;
    for (const BuilderChoice &c : std::as_const(m_builders.choices)) {
        // A name that is a context builds on the context (docker --context NAME buildx build).
        if (c.name == name && (c.kind == BuilderChoice::Kind::Context || !choice))
            choice = &c;
        if (name.isEmpty() && c.kind == BuilderChoice::Kind::Builder && c.current)
            choice = &c;
    }
    if (choice)
        kind = choice->kind;
    const QString text = whereText(name, kind, choice);
    m_where->setText(u"<small>%1</small>"_s.arg(text.toHtmlEscaped()));
    m_where->setToolTip(text);
}

} // namespace Gantry
