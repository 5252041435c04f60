// SPDX-License-Identifier: MIT
#pragma once

#include "runsettings.h"
#include "util/failure.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace Gantry {

/// A server to ship to. Stored in QSettings (group "servers"); the password and the key's
/// passphrase are never part of it: they live in the keychain (SecretStore) under
/// passwordKey() / passphraseKey().
struct ServerProfile
{
    QString name;              ///< what the user calls it; unique
    QString host;
    int port = 22;
    QString user;              ///< empty: ssh's default (~/.ssh/config or the local user)
    QString identityFile;      ///< empty: the agent / ssh's defaults
    QString jumpHost;          ///< ProxyJump, e.g. "bastion" or "me@bastion:2222"
    QString remoteDir = QStringLiteral(".gantry"); ///< Gantry's folder on the server (relative: under $HOME)
    QString dockerCommand = QStringLiteral("docker"); ///< or "sudo -n docker"
    QString knownHostsFile;    ///< empty: ssh's default known_hosts

    enum class AfterLoad { Nothing, Restart };
    AfterLoad afterLoad = AfterLoad::Nothing;
    QString containerName;
    QStringList ports;         ///< "-p" values, e.g. "8080:3000"
    QStringList env;           ///< "KEY=VALUE"
    QString restartPolicy = QStringLiteral("unless-stopped");
    QString healthUrl;         ///< checked from this machine after a restart; empty: none
    // The rest of the container's run settings and the switchover (issue 19).
    QStringList secretEnv;     ///< variable names whose values live in the keychain (containerEnvKey())
    QStringList volumes;       ///< "-v" values, e.g. "data:/var/lib/app"
    QString network;           ///< "--network"; empty: docker's default
    /// Where healthUrl is checked: Auto = from here, or on the server when this machine cannot reach it.
    RunSettings::HealthWhere healthWhere = RunSettings::HealthWhere::Auto;
    int healthTimeoutSec = 60; ///< the new container must be healthy within this, else rollback
    int stopTimeoutSec = 10;   ///< docker stop -t for the running container
    int keepImages = 3;        ///< the server keeps the last N images Gantry deployed there

    QString destination() const;   ///< "user@host" or "host"
    QString displayName() const;   ///< name, else user@host:port
    QString passwordKey() const;   ///< keychain key of the login password
    QString passphraseKey() const; ///< keychain key of the identity file's passphrase
    /// Keychain key of a secret container variable (secretEnv) of this profile.
    QString containerEnvKey(const QString &variable) const;
    /// One sentence per problem; empty when the profile can be used.
    QStringList validate() const;

    /// USER@HOST[:PORT] (also [v6addr]:PORT); a Failure (one sentence) for anything else.
    static Result<ServerProfile> fromDestination(const QString &spec);

    bool operator==(const ServerProfile &) const = default;
};

/// The list of profiles in QSettings.
namespace ServerProfiles {
QList<ServerProfile> load(QSettings &settings);
QList<ServerProfile> load(); ///< from the application's QSettings
void save(QSettings &settings, const QList<ServerProfile> &profiles);
void save(const QList<ServerProfile> &profiles);
std::optional<ServerProfile> find(const QList<ServerProfile> &profiles, const QString &name);
} // namespace ServerProfiles

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ServerProfile)
