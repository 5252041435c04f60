// SPDX-License-Identifier: MIT
#pragma once

#include "ship/serverprofile.h"

#include <QMap>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace Gantry {

/// The container's run settings of a server profile (issue 19): what runs after loading, the
/// container name, ports, environment, secret variables (values go to the keychain, never to
/// the profile), volumes, network, restart policy, the health check and the images kept.
/// Values are read with the grammar the CLI's run flags use (ship/runsettings.h).
class RunSettingsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit RunSettingsWidget(const ServerProfile &profile, QWidget *parent = nullptr);

    /// Writes the run settings into p (the connection fields are left alone).
    void applyTo(ServerProfile &p) const;
    /// Secret values typed here, by variable name; a variable left empty keeps its stored value.
    QMap<QString, QString> secretValues() const;
    /// What the profile cannot express: a secret value without a name, a name given twice.
    QStringList problems() const;

Q_SIGNALS:
    void edited();

private:
    struct SecretRow
    {
        QLineEdit *name;
        QLineEdit *value;
        QPushButton *remove;
    };
    /// The form: one row per setting, the secret variables' rows (one per name) under their button.
    void layOut(const QStringList &secretNames);
    void addSecretRow(const QString &name);
    void removeSecretRow(QPushButton *button);
    /// Says in a secret's value field what the keychain really holds for it.
    void showStored(const SecretRow &row);
    void updateEnabled();

    ServerProfile m_original;
    QComboBox *m_afterLoad, *m_restartPolicy, *m_healthWhere;
    QLineEdit *m_container, *m_ports, *m_network, *m_health;
    QPlainTextEdit *m_env, *m_volumes;
    QSpinBox *m_healthTimeout, *m_stopTimeout, *m_keep;
    QGridLayout *m_secretGrid;
    QPushButton *m_addSecret;
    QList<SecretRow> m_secrets;
};

} // namespace Gantry
