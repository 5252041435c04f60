// SPDX-License-Identifier: MIT
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include "util/processrunner.h"

#include <memory>

namespace GantryTest {

/// A real OpenSSH server (/usr/sbin/sshd) on 127.0.0.1 and a free port, with its own host
/// key, config and authorized_keys in a temporary folder. Key auth for root with
/// clientKey(); password auth for users added with addPasswordUser(). Its docker is the
/// engine the tests use.
class SshServer
{
public:
    SshServer();
    ~SshServer();

    bool start(QString *error);
    /// sshd's LogLevel for the next start() (default VERBOSE; DEBUG1 logs forwarded connections).
    void setLogLevel(const QString &level) { m_logLevel = level; }
    /// Also accepts this public key (e.g. another server's clientKey() + ".pub") for root.
    bool authorizeKey(const QString &publicKeyFile, QString *error);
    void stop();
    /// Replaces the host key and restarts on the same port (a "changed host key").
    bool changeHostKey(QString *error);

    QString host() const { return QStringLiteral("127.0.0.1"); }
    int port() const { return m_port; }
    QString destination(const QString &user = QStringLiteral("root")) const;
    QString clientKey() const;          ///< private key accepted for root
    QString knownHostsFile() const;     ///< a known_hosts that trusts the current host key
    QString hostKeyFingerprint() const; ///< "SHA256:..." of the current host key
    QString path(const QString &name) const; ///< a file in the server's folder
    QString log() const;

    /// Adds a login with this password (uid 0, so it may use docker); the password goes
    /// to chpasswd on stdin, never on a command line.
    static bool addPasswordUser(const QString &user, const QString &password, QString *error);

    /// Sends sig to every process under sshd (the sessions, not the listener): SIGSTOP makes
    /// a link that goes silent without closing, as a dead network does.
    int signalSessions(int sig) const;

    /// Kills every ssh process whose parent is pid (a broken link, for real).
    static int killSshChildrenOf(qint64 pid);

private:
    bool writeKnownHosts(QString *error);
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sshd;
    int m_port = 0;
    QString m_logLevel = QStringLiteral("VERBOSE");
};

/// A second, private Docker engine with the containerd image store (the default of fresh
/// Docker Engine 29 installs): its own dockerd and the containerd it manages, data on a
/// tmpfs (overlayfs cannot stack on the toolbox's overlay root), --bridge=none
/// --iptables=false, listening on a unix socket in its folder. If dockerd is not installed
/// where the test runs (the toolbox has only the client), the engine host's own dockerd,
/// containerd, shim and runc are copied out through a throwaway container.
class ContainerdEngine
{
public:
    ContainerdEngine();
    ~ContainerdEngine();
    bool start(QString *error);
    void stop();
    QString socketUrl() const;     ///< unix:///.../docker.sock
    QString dockerCommand() const; ///< "docker -H unix:///.../docker.sock", a profile's docker command
    Gantry::ProcessResult docker(const QStringList &args, int timeoutMs = 300000) const;
    QString log() const;

private:
    bool provideBinaries(QString *error);
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_dockerd;
    bool m_mounted = false;
    QString m_bridge; ///< the private bridge the second dockerd uses, deleted in stop()
};

/// Ship test fixtures: the example image, built from a temporary copy of
/// examples/hello-stack with tests/data/ship/hello-stack-delta.Dockerfile (cached: seconds;
/// the backend binary is the top layer).
namespace ShipFixtures {
/// frontendToken is written into index.html (so the image is unique to the test run and
/// GET / shows it); changedBackend changes one line of main.rs (/api/health's version).
bool buildExampleImage(const QString &tag, const QString &frontendToken, bool changedBackend, QString *error);
/// The image's layer diff ids, from the engine.
QStringList layerDiffIds(const QString &image);
/// A TCP port nothing listens on (for -p).
int freePort();
/// GET http://127.0.0.1:port/path, retried until it answers or timeoutMs passes.
QByteArray httpGet(int port, const QString &path, int timeoutMs = 30000);
} // namespace ShipFixtures

} // namespace GantryTest
