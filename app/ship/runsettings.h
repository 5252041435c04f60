// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>
#include <QStringList>

namespace Gantry {

/// The grammar of a container's run settings (issue 19): one parser for the server dialog,
/// ServerProfile::validate() and the CLI's run flags (app/cli/serverflags.*). Each check
/// returns a Failure whose cause names the value and whose fix shows a good one.
namespace RunSettings {

/// A `docker run -p` value: [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], a port being
/// 1–65535 or a range "8000-8010"; IP is IPv4 or [IPv6].
Status checkPort(const QString &value);
/// A `docker run -v` value: SOURCE:TARGET[:OPTIONS], TARGET an absolute path in the container.
Status checkVolume(const QString &value);
/// A KEY=VALUE environment entry on one line, KEY of letters, digits and _ (not first a digit).
Status checkEnv(const QString &entry);
/// The name of a variable whose value lives in the keychain.
Status checkSecretName(const QString &key);
/// no, always, unless-stopped, on-failure or on-failure:N.
Status checkRestartPolicy(const QString &value);
/// A docker network name; empty means docker's default.
Status checkNetwork(const QString &value);
/// A name docker accepts for a container.
Status checkContainerName(const QString &value);
/// Empty (no URL) or an http(s) URL with a host.
Status checkHealthUrl(const QString &value);

/// "8080:3000, 9090" → {"8080:3000", "9090"}: commas or white space between values.
QStringList splitPorts(const QString &text);
/// One value per line, trimmed, empty lines dropped (volumes may hold commas: "data:/x:ro,z").
QStringList splitLines(const QString &text);

/// Where the health URL is checked (ServerProfile::healthWhere).
enum class HealthWhere { Auto, Here, Server };
QString healthWhereName(HealthWhere where);              ///< "auto", "here", "server"
HealthWhere healthWhereFromName(const QString &name);    ///< unknown: Auto

} // namespace RunSettings

} // namespace Gantry
