// SPDX-License-Identifier: MIT
#include "runsettingswidget.h"

#include "ship/runsettings.h"
#include "ship/secretstore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextDocument>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QSpinBox *spin(QWidget *parent, int low, int high, int value, const QString &suffix, const QString &objectName)
{
    auto *s = new QSpinBox(parent);
    s->setRange(low, high);
    s->setValue(value);
    s->setSuffix(suffix);
    s->setObjectName(objectName);
    return s;
}

/// A list with one value per line, tall enough for `rows` lines without a scroll bar.
QPlainTextEdit *lines(QWidget *parent, const QStringList &values, const QString &placeholder, int rows, const QString &objectName)
{
    auto *e = new QPlainTextEdit(values.join(u'\n'), parent);
    e->setPlaceholderText(placeholder);
    const int margins = int(e->document()->documentMargin() * 2) + e->frameWidth() * 2 + e->contentsMargins().top() + e->contentsMargins().bottom();
    e->setFixedHeight(e->fontMetrics().lineSpacing() * rows + margins + 6);
    e->setTabChangesFocus(true);
    e->setObjectName(objectName);
    return e;
}

} // namespace

RunSettingsWidget::RunSettingsWidget(const ServerProfile &profile, QWidget *parent)
    : QWidget(parent)
    , m_original(profile)
{
    m_afterLoad = new QComboBox(this);
    m_afterLoad->addItem(tr("Nothing"));
    m_afterLoad->addItem(tr("(Re)start a container"));
    m_afterLoad->setObjectName(u"runAfterLoad"_s);
    m_afterLoad->setCurrentIndex(profile.afterLoad == ServerProfile::AfterLoad::Restart ? 1 : 0);
    m_container = new QLineEdit(profile.containerName, this);
    m_container->setObjectName(u"runContainer"_s);
    m_container->setPlaceholderText(tr("hello-web"));
    m_ports = new QLineEdit(profile.ports.join(u", "_s), this);
    m_ports->setObjectName(u"runPorts"_s);
    m_ports->setPlaceholderText(tr("8080:3000, 127.0.0.1:9090:9090"));
    m_env = lines(this, profile.env, tr("KEY=VALUE, one per line"), 3, u"runEnv"_s);
    m_volumes = lines(this, profile.volumes, tr("SOURCE:TARGET, one per line (data:/var/lib/app)"), 3, u"runVolumes"_s);
    m_network = new QLineEdit(profile.network, this);
    m_network->setObjectName(u"runNetwork"_s);
    m_network->setPlaceholderText(tr("docker's default"));
    m_restartPolicy = new QComboBox(this);
    m_restartPolicy->setEditable(true);
    m_restartPolicy->setObjectName(u"runRestartPolicy"_s);
    m_restartPolicy->addItems({u"unless-stopped"_s, u"always"_s, u"on-failure"_s, u"no"_s});
    m_restartPolicy->setCurrentText(profile.restartPolicy);
    m_health = new QLineEdit(profile.healthUrl, this);
    m_health->setObjectName(u"runHealthUrl"_s);
    m_health->setPlaceholderText(tr("http://example.com:8080/api/health (optional)"));
    m_healthWhere = new QComboBox(this);
    m_healthWhere->setObjectName(u"runHealthWhere"_s);
    m_healthWhere->addItem(tr("from here, else on the server"), int(RunSettings::HealthWhere::Auto));
    m_healthWhere->addItem(tr("only from here"), int(RunSettings::HealthWhere::Here));
    m_healthWhere->addItem(tr("always on the server"), int(RunSettings::HealthWhere::Server));
    m_healthWhere->setCurrentIndex(m_healthWhere->findData(int(profile.healthWhere)));
    m_healthTimeout = spin(this, 1, 3600, profile.healthTimeoutSec, tr(" s"), u"runHealthTimeout"_s);
    m_stopTimeout = spin(this, 0, 600, profile.stopTimeoutSec, tr(" s"), u"runStopTimeout"_s);
    m_keep = spin(this, 1, 100, profile.keepImages, QString(), u"runKeepImages"_s);

    layOut(profile.secretEnv);

    connect(m_afterLoad, &QComboBox::currentIndexChanged, this, &RunSettingsWidget::updateEnabled);
    for (QLineEdit *e : {m_container, m_ports, m_network, m_health})
        connect(e, &QLineEdit::textChanged, this, &RunSettingsWidget::edited);
    for (QPlainTextEdit *e : {m_env, m_volumes})
        connect(e, &QPlainTextEdit::textChanged, this, &RunSettingsWidget::edited);
    connect(m_restartPolicy, &QComboBox::currentTextChanged, this, &RunSettingsWidget::edited);
    updateEnabled();
}

void RunSettingsWidget::layOut(const QStringList &secretNames)
{
    auto *healthRow = new QHBoxLayout;
    healthRow->addWidget(new QLabel(tr("checked"), this));
    healthRow->addWidget(m_healthWhere, 1);
    healthRow->addWidget(new QLabel(tr("healthy within"), this));
    healthRow->addWidget(m_healthTimeout);
    auto *keepRow = new QHBoxLayout;
    keepRow->addWidget(m_keep);
    keepRow->addWidget(new QLabel(tr("images for rollbacks; docker stop waits"), this));
    keepRow->addWidget(m_stopTimeout);
    keepRow->addStretch(1);

    m_secretGrid = new QGridLayout;
    m_secretGrid->setContentsMargins(0, 0, 0, 0);
    m_addSecret = new QPushButton(tr("Add Secret Variable"), this);
    m_addSecret->setObjectName(u"runAddSecret"_s);
    connect(m_addSecret, &QPushButton::clicked, this, [this] { addSecretRow({}); });
    auto *secrets = new QVBoxLayout;
    secrets->setContentsMargins(0, 0, 0, 0);
    secrets->addLayout(m_secretGrid);
    secrets->addWidget(m_addSecret, 0, Qt::AlignLeft);
    for (const QString &name : secretNames)
        addSecretRow(name);

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&After loading:"), m_afterLoad);
    form->addRow(tr("&Container name:"), m_container);
    form->addRow(tr("P&orts:"), m_ports);
    form->addRow(tr("&Environment:"), m_env);
    form->addRow(tr("Secret variables:"), secrets);
    form->addRow(tr("&Volumes:"), m_volumes);
    form->addRow(tr("&Network:"), m_network);
    form->addRow(tr("&Restart policy:"), m_restartPolicy);
    form->addRow(tr("Health-check &URL:"), m_health);
    form->addRow(QString(), healthRow);
    // A row holding a layout gets no buddy from addRow: without one the label would show its "&".
    auto *keepLabel = new QLabel(tr("&Keep:"), this);
    keepLabel->setBuddy(m_keep);
    form->addRow(keepLabel, keepRow);
    setMinimumWidth(620);
}

void RunSettingsWidget::addSecretRow(const QString &name)
{
    SecretRow row{new QLineEdit(name, this), new QLineEdit(this), new QPushButton(tr("Remove"), this)};
    row.name->setObjectName(u"runSecretName"_s);
    row.name->setPlaceholderText(tr("NAME"));
    row.name->setMaximumWidth(170);
    row.value->setObjectName(u"runSecretValue"_s);
    row.value->setEchoMode(QLineEdit::Password);
    row.remove->setObjectName(u"runSecretRemove"_s);
    const int r = m_secretGrid->rowCount();
    m_secretGrid->addWidget(row.name, r, 0);
    m_secretGrid->addWidget(row.value, r, 1);
    m_secretGrid->addWidget(row.remove, r, 2);
    m_secretGrid->setColumnStretch(1, 1);
    connect(row.remove, &QPushButton::clicked, this, [this, button = row.remove] { removeSecretRow(button); });
    connect(row.name, &QLineEdit::textChanged, this, &RunSettingsWidget::edited);
    connect(row.value, &QLineEdit::textChanged, this, &RunSettingsWidget::edited);
    m_secrets << row;
    if (name.isEmpty()) {
        row.value->setPlaceholderText(tr("its value (kept in the keychain)"));
        row.name->setFocus();
        QMetaObject::invokeMethod( // room for the new row: the window grows, never shrinks
            this,
            [this] {
                QWidget *w = window();
                if (w->height() < w->sizeHint().height())
                    w->resize(w->width(), w->sizeHint().height());
            },
            Qt::QueuedConnection);
    } else {
        showStored(row);
    }
    updateEnabled();
}

void RunSettingsWidget::removeSecretRow(QPushButton *button)
{
    for (qsizetype i = 0; i < m_secrets.size(); ++i) {
        if (m_secrets.at(i).remove != button)
            continue;
        const SecretRow row = m_secrets.takeAt(i);
        for (QWidget *w : std::initializer_list<QWidget *>{row.name, row.value, row.remove}) {
            m_secretGrid->removeWidget(w);
            w->deleteLater();
        }
        emit edited();
        return;
    }
}

void RunSettingsWidget::showStored(const SecretRow &row)
{
    const QString name = row.name->text();
    if (!m_original.secretEnv.contains(name)) {
        row.value->setPlaceholderText(tr("its value (kept in the keychain)"));
        return;
    }
    row.value->setPlaceholderText(tr("checking the keychain…"));
    QLineEdit *value = row.value;
    SecretStore::readAsync(m_original.containerEnvKey(name), value, [value](const SecretStore::ReadResult &r) {
        if (!r)
            value->setPlaceholderText(tr("the keychain cannot be read: %1").arg(r.failure().sentence()));
        else
            value->setPlaceholderText(r->has_value() ? tr("stored in the keychain — leave empty to keep it")
                                                     : tr("not in the keychain — enter its value"));
    });
}

void RunSettingsWidget::updateEnabled()
{
    const bool restart = m_afterLoad->currentIndex() == 1;
    for (QWidget *w : findChildren<QWidget *>())
        if (w != m_afterLoad && !qobject_cast<QLabel *>(w))
            w->setEnabled(restart);
}

void RunSettingsWidget::applyTo(ServerProfile &p) const
{
    p.afterLoad = m_afterLoad->currentIndex() == 1 ? ServerProfile::AfterLoad::Restart : ServerProfile::AfterLoad::Nothing;
    p.containerName = m_container->text().trimmed();
    p.ports = RunSettings::splitPorts(m_ports->text());
    p.env.clear();
    for (const QString &line : m_env->toPlainText().split(u'\n'))
        if (!line.trimmed().isEmpty())
            p.env << line; // the value keeps its spaces; the grammar check refuses a key with one
    p.volumes = RunSettings::splitLines(m_volumes->toPlainText());
    p.network = m_network->text().trimmed();
    p.restartPolicy = m_restartPolicy->currentText().trimmed();
    p.healthUrl = m_health->text().trimmed();
    p.healthWhere = RunSettings::HealthWhere(m_healthWhere->currentData().toInt());
    p.healthTimeoutSec = m_healthTimeout->value();
    p.stopTimeoutSec = m_stopTimeout->value();
    p.keepImages = m_keep->value();
    p.secretEnv.clear();
    for (const SecretRow &row : m_secrets)
        if (!row.name->text().trimmed().isEmpty() && !p.secretEnv.contains(row.name->text().trimmed()))
            p.secretEnv << row.name->text().trimmed();
}

QMap<QString, QString> RunSettingsWidget::secretValues() const
{
    QMap<QString, QString> values;
    for (const SecretRow &row : m_secrets)
        if (!row.name->text().trimmed().isEmpty() && !row.value->text().isEmpty())
            values.insert(row.name->text().trimmed(), row.value->text());
    return values;
}

QStringList RunSettingsWidget::problems() const
{
    QStringList problems, seen;
    for (const SecretRow &row : m_secrets) {
        const QString name = row.name->text().trimmed();
        if (name.isEmpty() && !row.value->text().isEmpty())
            problems << tr("A secret value has no variable name: enter its name (e.g. DATABASE_URL) or remove the row.");
        else if (!name.isEmpty() && seen.contains(name))
            problems << tr("The secret variable %1 is listed twice: remove one of the rows.").arg(name);
        else if (!name.isEmpty() && QString(u"\n"_s + m_env->toPlainText()).contains(QString(u"\n"_s + name + u'=')))
            problems << tr("%1 is both a plain and a secret variable: keep it in one of the two lists.").arg(name);
        seen << name;
    }
    return problems;
}

} // namespace Gantry
