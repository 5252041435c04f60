// SPDX-License-Identifier: MIT
#include "serverprofile.h"

#include "remotepolicy.h"

#include <QDir>
#include <QRegularExpression>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

void addProblem(QStringList &problems, const Status &status)
{
    if (!status)
        problems << status.failure().sentence();
}

} // namespace

QString ServerProfile::destination() const { return user.isEmpty() ? host : user + u'@' + host; }

QString ServerProfile::displayName() const
{
    if (!name.isEmpty())
        return name;
    return port == 22 ? destination() : u"%1:%2"_s.arg(destination()).arg(port);
}

QString ServerProfile::passwordKey() const { return u"ssh-password/%1@%2:%3"_s.arg(user, host).arg(port); }

QString ServerProfile::passphraseKey() const
{
    return u"ssh-passphrase/"_s + (identityFile.isEmpty() ? u"default"_s : QDir::cleanPath(QDir(identityFile).absolutePath()));
}

QString ServerProfile::containerEnvKey(const QString &variable) const
{
    return u"container-env/%1@%2:%3/%4/%5"_s.arg(user, host).arg(port).arg(containerName, variable);
}

QStringList ServerProfile::validate() const
{
    QStringList problems;
    static const QRegularExpression hostRx(u"^[A-Za-z0-9._:%\\-\\[\\]]+$"_s);
    if (host.isEmpty())
        problems << u"The host is empty: enter the server's name or address."_s;
    else if (!hostRx.match(host).hasMatch() || host.startsWith(u'-'))
        problems << u"The host '%1' is not a valid name or address: use e.g. example.com or 192.0.2.10."_s.arg(host);
    if (port < 1 || port > 65535)
        problems << u"The port %1 is out of range: use 1 to 65535 (SSH's default is 22)."_s.arg(port);
    if (const QString problem = RemotePolicy::userProblem(user); !problem.isEmpty())
        problems << problem;
    if (const QString problem = RemotePolicy::folderProblem(remoteDir); !problem.isEmpty())
        problems << problem;
    if (dockerCommand.trimmed().isEmpty())
        problems << u"The docker command is empty: use docker or sudo -n docker."_s;
    if (afterLoad == AfterLoad::Restart && containerName.trimmed().isEmpty())
        problems << u"Restarting needs a container name: enter one or choose to do nothing after loading."_s;
    else if (afterLoad == AfterLoad::Restart)
        addProblem(problems, RunSettings::checkContainerName(containerName));
    addProblem(problems, RunSettings::checkHealthUrl(healthUrl));
    for (const QString &p : ports)
        addProblem(problems, RunSettings::checkPort(p));
    for (const QString &e : env)
        addProblem(problems, RunSettings::checkEnv(e));
    for (const QString &k : secretEnv)
        addProblem(problems, RunSettings::checkSecretName(k));
    if (!restartPolicy.isEmpty())
        addProblem(problems, RunSettings::checkRestartPolicy(restartPolicy));
    addProblem(problems, RunSettings::checkNetwork(network));
    for (const QString &v : volumes)
        addProblem(problems, RunSettings::checkVolume(v));
    if (healthTimeoutSec < 1 || healthTimeoutSec > 3600)
        problems << u"The health-check time limit %1 s is out of range: use 1 to 3600 seconds."_s.arg(healthTimeoutSec);
    if (stopTimeoutSec < 0 || stopTimeoutSec > 600)
        problems << u"The stop timeout %1 s is out of range: use 0 to 600 seconds."_s.arg(stopTimeoutSec);
    if (keepImages < 1 || keepImages > 100)
        problems << u"Keeping %1 images is out of range: keep 1 to 100 (2 or more allows a rollback)."_s.arg(keepImages);
    return problems;
}

Result<ServerProfile> ServerProfile::fromDestination(const QString &spec)
{
    static const QRegularExpression rx(u"^(?:([^@\\s:]+)@)?(\\[[0-9A-Fa-f:.]+\\]|[^@\\s:\\[\\]]+)(?::(\\d{1,5}))?$"_s);
    const auto m = rx.match(spec.trimmed());
    if (!m.hasMatch())
        return Failure(ErrorClass::Other,
                       u"'%1' is neither a server profile nor USER@HOST[:PORT]"_s.arg(spec),
                       u"Check the name (gantry ship --list-servers) or write e.g. deploy@example.com:22."_s);
    ServerProfile p;
    p.user = m.captured(1);
    p.host = m.captured(2);
    if (p.host.startsWith(u'['))
        p.host = p.host.mid(1, p.host.size() - 2);
    if (!m.captured(3).isEmpty())
        p.port = m.captured(3).toInt();
    const QStringList problems = p.validate();
    if (!problems.isEmpty())
        return Failure(ErrorClass::Other, problems.constFirst());
    return p;
}

namespace ServerProfiles {

QList<ServerProfile> load(QSettings &s)
{
    QList<ServerProfile> list;
    const int n = s.beginReadArray(u"servers"_s);
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ServerProfile p;
        p.name = s.value(u"name"_s).toString();
        p.host = s.value(u"host"_s).toString();
        p.port = s.value(u"port"_s, 22).toInt();
        p.user = s.value(u"user"_s).toString();
        p.identityFile = s.value(u"identityFile"_s).toString();
        p.jumpHost = s.value(u"jumpHost"_s).toString();
        p.remoteDir = s.value(u"remoteDir"_s, p.remoteDir).toString();
        p.dockerCommand = s.value(u"dockerCommand"_s, p.dockerCommand).toString();
        p.knownHostsFile = s.value(u"knownHostsFile"_s).toString();
        p.afterLoad = s.value(u"afterLoad"_s).toString() == u"restart" ? ServerProfile::AfterLoad::Restart
                                                                       : ServerProfile::AfterLoad::Nothing;
        p.containerName = s.value(u"containerName"_s).toString();
        p.ports = s.value(u"ports"_s).toStringList();
        p.env = s.value(u"env"_s).toStringList();
        p.restartPolicy = s.value(u"restartPolicy"_s, p.restartPolicy).toString();
        p.healthUrl = s.value(u"healthUrl"_s).toString();
        p.secretEnv = s.value(u"secretEnv"_s).toStringList();
        p.volumes = s.value(u"volumes"_s).toStringList();
        p.network = s.value(u"network"_s).toString();
        // Before "healthWhere" a profile had only "check on the server" (healthOnServer).
        p.healthWhere = s.contains(u"healthWhere"_s) ? RunSettings::healthWhereFromName(s.value(u"healthWhere"_s).toString())
                        : s.value(u"healthOnServer"_s, false).toBool() ? RunSettings::HealthWhere::Server
                                                                       : RunSettings::HealthWhere::Auto;
        p.healthTimeoutSec = s.value(u"healthTimeoutSec"_s, p.healthTimeoutSec).toInt();
        p.stopTimeoutSec = s.value(u"stopTimeoutSec"_s, p.stopTimeoutSec).toInt();
        p.keepImages = s.value(u"keepImages"_s, p.keepImages).toInt();
        if (!p.host.isEmpty())
            list << p;
    }
    s.endArray();
    return list;
}

QList<ServerProfile> load()
{
    QSettings settings;
    return load(settings);
}

void save(QSettings &s, const QList<ServerProfile> &profiles)
{
    s.remove(u"servers"_s);
    s.beginWriteArray(u"servers"_s, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ServerProfile &p = profiles.at(i);
        s.setArrayIndex(i);
        s.setValue(u"name"_s, p.name);
        s.setValue(u"host"_s, p.host);
        s.setValue(u"port"_s, p.port);
        s.setValue(u"user"_s, p.user);
        s.setValue(u"identityFile"_s, p.identityFile);
        s.setValue(u"jumpHost"_s, p.jumpHost);
        s.setValue(u"remoteDir"_s, p.remoteDir);
        s.setValue(u"dockerCommand"_s, p.dockerCommand);
        s.setValue(u"knownHostsFile"_s, p.knownHostsFile);
        s.setValue(u"afterLoad"_s, p.afterLoad == ServerProfile::AfterLoad::Restart ? u"restart"_s : u"nothing"_s);
        s.setValue(u"containerName"_s, p.containerName);
        s.setValue(u"ports"_s, p.ports);
        s.setValue(u"env"_s, p.env);
        s.setValue(u"restartPolicy"_s, p.restartPolicy);
        s.setValue(u"healthUrl"_s, p.healthUrl);
        s.setValue(u"secretEnv"_s, p.secretEnv);
        s.setValue(u"volumes"_s, p.volumes);
        s.setValue(u"network"_s, p.network);
        s.setValue(u"healthWhere"_s, RunSettings::healthWhereName(p.healthWhere));
        s.setValue(u"healthTimeoutSec"_s, p.healthTimeoutSec);
        s.setValue(u"stopTimeoutSec"_s, p.stopTimeoutSec);
        s.setValue(u"keepImages"_s, p.keepImages);
    }
    s.endArray();
    s.sync();
}

void save(const QList<ServerProfile> &profiles)
{
    QSettings settings;
    save(settings, profiles);
}

std::optional<ServerProfile> find(const QList<ServerProfile> &profiles, const QString &name)
{
    for (const ServerProfile &p : profiles)
        if (p.name == name)
            return p;
    return std::nullopt;
}

} // namespace ServerProfiles

} // namespace Gantry
