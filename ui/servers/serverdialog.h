// SPDX-License-Identifier: MIT
#pragma once

#include "ship/containersecrets.h"
#include "ship/serverprofile.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace Gantry {

class RunSettingsWidget;

/// Add or edit a server profile. The password, passphrase and secret container variables typed
/// here go to the keychain (secrets(), for storeServerSecrets()); they are never part of the profile.
class ServerDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ServerDialog(const ServerProfile &profile, const QStringList &takenNames, QWidget *parent = nullptr);

    ServerProfile profile() const;
    QString password() const;        ///< empty: keep what the keychain has
    QString passphrase() const;      ///< empty: keep what the keychain has
    bool forgetSecrets() const;      ///< remove both from the keychain
    /// Secret container variables typed in (name → value).
    QMap<QString, QString> containerSecrets() const;
    /// All of the above, for storeServerSecrets().
    ServerSecrets secrets() const;

    void accept() override;

private:
    QTabWidget *createTabs(const ServerProfile &profile);
    QGroupBox *createConnectionBox(const ServerProfile &profile);
    QHBoxLayout *createIdentityRow(const ServerProfile &profile);
    QGroupBox *createServerBox(const ServerProfile &profile);
    /// "deploy@example.com:2222" typed in the Host field goes to User, Host and Port.
    void splitDestination();
    /// Says in the password fields what the keychain really holds for this server.
    void showStoredSecrets();

    QStringList m_taken;
    ServerProfile m_original;
    QLineEdit *m_name, *m_host, *m_user, *m_identity, *m_jump, *m_remoteDir, *m_password, *m_passphrase;
    QSpinBox *m_port;
    QComboBox *m_docker;
    RunSettingsWidget *m_run;
    QCheckBox *m_forget;
    QLabel *m_error;
};

} // namespace Gantry
