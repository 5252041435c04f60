// SPDX-License-Identifier: MIT
#include "sshserver.h"

#include "testsupport.h"
#include "util/processrunner.h"

#include <QDeadlineTimer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>

using namespace Qt::StringLiterals;

namespace GantryTest {

SshServer::SshServer() = default;
SshServer::~SshServer() { stop(); }

QString SshServer::path(const QString &name) const { return m_dir ? m_dir->filePath(name) : QString(); }
QString SshServer::clientKey() const { return path(u"client_key"_s); }
QString SshServer::knownHostsFile() const { return path(u"known_hosts"_s); }
QString SshServer::destination(const QString &user) const { return u"%1@%2:%3"_s.arg(user, host()).arg(m_port); }

QString SshServer::log() const
{
    QFile f(path(u"sshd.log"_s));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString SshServer::hostKeyFingerprint() const
{
    const auto r = Gantry::runProcess(u"ssh-keygen"_s, {u"-lf"_s, path(u"host_ed25519.pub"_s)});
    return r.stdoutText().section(u' ', 1, 1);
}

bool SshServer::writeKnownHosts(QString *error)
{
    QFile pub(path(u"host_ed25519.pub"_s));
    QFile kh(knownHostsFile());
    if (!pub.open(QIODevice::ReadOnly) || !kh.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write known_hosts"_s;
        return false;
    }
    const QStringList parts = QString::fromUtf8(pub.readAll()).trimmed().split(u' ');
    kh.write(u"[127.0.0.1]:%1 %2 %3\n"_s.arg(m_port).arg(parts.value(0), parts.value(1)).toUtf8());
    return true;
}

bool SshServer::start(QString *error)
{
    if (!QFile::exists(u"/usr/sbin/sshd"_s)) {
        *error = u"/usr/sbin/sshd is not installed"_s;
        return false;
    }
    if (!m_dir) {
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/gantry-test-sshd-XXXXXX"_s);
        QDir().mkpath(u"/run/sshd"_s);
        for (const auto &[file, type] : {std::pair{u"host_ed25519"_s, u"ed25519"_s}, std::pair{u"client_key"_s, u"ed25519"_s}}) {
            const auto r = Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, type, u"-N"_s, u""_s, u"-f"_s, path(file)});
            if (!r.ok()) {
                *error = u"ssh-keygen failed: "_s + r.stderrText();
                return false;
            }
        }
        QFile::copy(path(u"client_key.pub"_s), path(u"authorized_keys"_s));
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        probe.close();
    }
    QFile config(path(u"sshd_config"_s));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write sshd_config"_s;
        return false;
    }
    config.write(u"Port %1\nListenAddress 127.0.0.1\nHostKey %2\nPidFile %3\nAuthorizedKeysFile %4\nStrictModes no\n"
                 "PermitRootLogin yes\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\nUsePAM no\n"
                 "PubkeyAuthentication yes\nMaxSessions 50\nMaxStartups 50\nLogLevel %5\n"_s
                     .arg(m_port)
                     .arg(path(u"host_ed25519"_s), path(u"sshd.pid"_s), path(u"authorized_keys"_s), m_logLevel)
                     .toUtf8());
    config.close();
    if (!writeKnownHosts(error))
        return false;
    m_sshd = std::make_unique<QProcess>();
    m_sshd->setStandardOutputFile(path(u"sshd.log"_s), QIODevice::Append);
    m_sshd->setStandardErrorFile(path(u"sshd.log"_s), QIODevice::Append);
    m_sshd->start(u"/usr/sbin/sshd"_s, {u"-D"_s, u"-e"_s, u"-f"_s, path(u"sshd_config"_s)});
    if (!m_sshd->waitForStarted(5000)) {
        *error = u"sshd did not start: "_s + m_sshd->errorString();
        return false;
    }
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, quint16(m_port));
        if (s.waitForConnected(200))
            return true;
        if (m_sshd->state() == QProcess::NotRunning)
            break;
        QThread::msleep(100);
    }
    *error = u"sshd did not listen on port %1: %2"_s.arg(m_port).arg(log());
    return false;
}

void SshServer::stop()
{
    if (m_sshd && m_sshd->state() != QProcess::NotRunning) {
        m_sshd->terminate();
        if (!m_sshd->waitForFinished(3000)) {
            m_sshd->kill();
            m_sshd->waitForFinished(3000);
        }
    }
    m_sshd.reset();
}

bool SshServer::authorizeKey(const QString &publicKeyFile, QString *error)
{
    QFile pub(publicKeyFile);
    QFile keys(path(u"authorized_keys"_s));
    if (!pub.open(QIODevice::ReadOnly) || !keys.open(QIODevice::Append)) {
        *error = u"cannot add %1 to authorized_keys"_s.arg(publicKeyFile);
        return false;
    }
    keys.write(pub.readAll());
    return true;
}

bool SshServer::changeHostKey(QString *error)
{
    stop();
    QFile::remove(path(u"host_ed25519"_s));
    QFile::remove(path(u"host_ed25519.pub"_s));
    const QString oldKnownHosts = knownHostsFile() + u".old"_s;
    QFile::remove(oldKnownHosts);
    QFile::copy(knownHostsFile(), oldKnownHosts);
    const auto r = Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, path(u"host_ed25519"_s)});
    if (!r.ok()) {
        *error = r.stderrText();
        return false;
    }
    if (!start(error))
        return false;
    // Tests keep trusting the old key: known_hosts goes back to it.
    QFile::remove(knownHostsFile());
    return QFile::copy(oldKnownHosts, knownHostsFile());
}

bool SshServer::addPasswordUser(const QString &user, const QString &password, QString *error)
{
    // A uid-0 alias cannot be deleted while root runs anything: an existing one is reused.
    auto r = Gantry::runProcess(u"id"_s, {user});
    if (!r.ok())
        r = Gantry::runProcess(u"useradd"_s, {u"-o"_s, u"-u"_s, u"0"_s, u"-g"_s, u"0"_s, u"-M"_s, u"-d"_s, u"/root"_s, u"-s"_s, u"/bin/sh"_s, user});
    if (!r.ok()) {
        *error = u"useradd failed: "_s + r.stderrText();
        return false;
    }
    r = Gantry::runProcess(u"chpasswd"_s, {}, QProcessEnvironment::systemEnvironment(), 10000, (user + u':' + password + u'\n').toUtf8());
    if (!r.ok()) {
        *error = u"chpasswd failed: "_s + r.stderrText();
        return false;
    }
    return true;
}

namespace {
QHash<qint64, qint64> parentsOfAllProcesses()
{
    QHash<qint64, qint64> parents;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(u"/proc/%1/stat"_s.arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QString text = QString::fromUtf8(stat.readAll());
        parents.insert(pid, text.mid(text.lastIndexOf(u')') + 2).split(u' ').value(1).toLongLong());
    }
    return parents;
}
} // namespace

int SshServer::signalSessions(int sig) const
{
    if (!m_sshd)
        return 0;
    const qint64 root = m_sshd->processId();
    const auto parents = parentsOfAllProcesses();
    int n = 0;
    for (auto it = parents.cbegin(); it != parents.cend(); ++it) {
        qint64 p = it.value();
        while (p > 1 && p != root)
            p = parents.value(p, 0);
        if (p == root && it.key() != root) {
            ::kill(pid_t(it.key()), sig);
            ++n;
        }
    }
    return n;
}

int SshServer::killSshChildrenOf(qint64 pid)
{
    int killed = 0;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 child = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(u"/proc/%1/stat"_s.arg(child));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QString text = QString::fromUtf8(stat.readAll());
        const int close = text.lastIndexOf(u')');
        const QString comm = text.mid(text.indexOf(u'(') + 1, close - text.indexOf(u'(') - 1);
        const QStringList rest = text.mid(close + 2).split(u' ');
        if (comm == u"ssh" && rest.value(1).toLongLong() == pid) {
            ::kill(pid_t(child), SIGKILL);
            ++killed;
        }
    }
    return killed;
}

ContainerdEngine::ContainerdEngine() = default;
ContainerdEngine::~ContainerdEngine() { stop(); }

QString ContainerdEngine::socketUrl() const { return m_dir ? u"unix://"_s + m_dir->filePath(u"docker.sock"_s) : QString(); }
QString ContainerdEngine::dockerCommand() const { return u"docker -H "_s + socketUrl(); }

Gantry::ProcessResult ContainerdEngine::docker(const QStringList &args, int timeoutMs) const
{
    return Gantry::runProcess(u"docker"_s, QStringList{u"-H"_s, socketUrl()} + args, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

QString ContainerdEngine::log() const
{
    QFile f(m_dir ? m_dir->filePath(u"dockerd.log"_s) : QString());
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool ContainerdEngine::provideBinaries(QString *error)
{
    if (!QStandardPaths::findExecutable(u"dockerd"_s).isEmpty() && !QStandardPaths::findExecutable(u"containerd"_s).isEmpty())
        return true;
    const QString bin = m_dir->filePath(u"bin"_s);
    QDir().mkpath(bin);
    QStringList mounts;
    for (const auto &[host, name] : {std::pair{u"/usr/sbin/dockerd"_s, u"dockerd"_s}, std::pair{u"/usr/bin/containerd"_s, u"containerd"_s},
                                     std::pair{u"/usr/bin/containerd-shim-runc-v2"_s, u"containerd-shim-runc-v2"_s},
                                     std::pair{u"/usr/sbin/runc"_s, u"runc"_s}})
        mounts << u"-v"_s << u"%1:/b/%2:ro"_s.arg(host, name);
    const QString script = u"docker run --rm \"$@\" gantry/debian:trixie tar -C /b -ch . | tar -x -C "_s + bin;
    const auto r = Gantry::runProcess(u"sh"_s, QStringList{u"-c"_s, script, u"sh"_s} + mounts, QProcessEnvironment::systemEnvironment(), 120000);
    if (!r.ok() || !QFile::exists(bin + u"/dockerd"_s)) {
        *error = u"dockerd is not installed here and could not be copied from the engine's host: "_s + r.stderrText();
        return false;
    }
    return true;
}

bool ContainerdEngine::start(QString *error)
{
    // Short path: the managed containerd's socket lives under it (sun_path is 108 bytes).
    m_dir = std::make_unique<QTemporaryDir>(u"/tmp/gtd-XXXXXX"_s);
    if (!m_dir->isValid()) {
        *error = u"cannot create a folder in /tmp"_s;
        return false;
    }
    auto r = Gantry::runProcess(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=1g"_s, u"tmpfs"_s, m_dir->path()});
    if (!r.ok()) {
        *error = u"cannot mount a tmpfs for the second engine (the test needs root and --privileged): "_s + r.stderrText();
        return false;
    }
    m_mounted = true;
    if (!provideBinaries(error))
        return false;
    QFile config(m_dir->filePath(u"daemon.json"_s));
    if (!config.open(QIODevice::WriteOnly) || config.write("{\"features\":{\"containerd-snapshotter\":true}}\n") <= 0) {
        *error = u"cannot write daemon.json"_s;
        return false;
    }
    config.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PATH"_s, m_dir->filePath(u"bin"_s) + u':' + env.value(u"PATH"_s));
    // A bridge of its own: with --bridge=none dockerd deletes the host's "docker0" on start
    // (it shares the host's network namespace here), which breaks every other build and
    // container of the main engine. Containers of this engine use --network host anyway.
    const QString bridge = u"gtd%1"_s.arg(QCoreApplication::applicationPid() % 100000);
    Gantry::runProcess(u"ip"_s, {u"link"_s, u"del"_s, bridge});
    r = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"ip link add \"$0\" type bridge && ip addr add 10.213.7.1/24 dev \"$0\" && ip link set \"$0\" up"_s, bridge});
    if (!r.ok()) {
        *error = u"cannot make a network bridge for the second engine (the test needs root and --privileged): "_s + r.stderrText();
        return false;
    }
    m_bridge = bridge;
    m_dockerd = std::make_unique<QProcess>();
    m_dockerd->setProcessEnvironment(env);
    m_dockerd->setStandardOutputFile(m_dir->filePath(u"dockerd.log"_s));
    m_dockerd->setStandardErrorFile(m_dir->filePath(u"dockerd.log"_s));
    // QProcess looks the program up in this process's PATH, not in the child's.
    QString dockerd = QStandardPaths::findExecutable(u"dockerd"_s, {m_dir->filePath(u"bin"_s)});
    if (dockerd.isEmpty())
        dockerd = QStandardPaths::findExecutable(u"dockerd"_s);
    m_dockerd->start(dockerd, {u"--config-file"_s, m_dir->filePath(u"daemon.json"_s), u"--data-root"_s, m_dir->filePath(u"data"_s),
                                    u"--exec-root"_s, m_dir->filePath(u"exec"_s), u"--pidfile"_s, m_dir->filePath(u"dockerd.pid"_s),
                                    u"-H"_s, socketUrl(), u"--bridge"_s, bridge, u"--iptables=false"_s, u"--ip6tables=false"_s,
                                    u"--userland-proxy=false"_s});
    if (!m_dockerd->waitForStarted(10000)) {
        *error = u"dockerd did not start: "_s + m_dockerd->errorString();
        return false;
    }
    const QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (m_dockerd->state() == QProcess::NotRunning)
            break;
        r = docker({u"info"_s, u"--format"_s, u"{{json .DriverStatus}} {{.Driver}}"_s}, 10000);
        if (r.ok() && r.stdoutText().contains(u"io.containerd.snapshotter"_s))
            return true;
        if (m_dockerd->waitForFinished(300))
            break;
    }
    *error = u"the second dockerd did not come up with the containerd image store (docker info: %1): %2"_s.arg(r.stdoutText() + r.stderrText(),
                                                                                                                 log().right(3000));
    return false;
}

void ContainerdEngine::stop()
{
    if (m_dockerd && m_dockerd->state() != QProcess::NotRunning) {
        const auto ids = docker({u"ps"_s, u"-aq"_s}, 30000).stdoutText().split(u'\n', Qt::SkipEmptyParts);
        if (!ids.isEmpty())
            docker(QStringList{u"rm"_s, u"-f"_s} + ids, 60000);
        m_dockerd->terminate();
        if (!m_dockerd->waitForFinished(30000)) {
            m_dockerd->kill();
            m_dockerd->waitForFinished(5000);
        }
    }
    m_dockerd.reset();
    if (!m_bridge.isEmpty()) {
        Gantry::runProcess(u"ip"_s, {u"link"_s, u"del"_s, m_bridge});
        m_bridge.clear();
    }
    if (m_mounted && m_dir) {
        Gantry::runProcess(u"umount"_s, {u"-l"_s, m_dir->path()});
        m_mounted = false;
    }
    m_dir.reset();
}

namespace ShipFixtures {

bool buildExampleImage(const QString &tag, const QString &frontendToken, bool changedBackend, QString *error)
{
    QTemporaryDir ctx(QDir::tempPath() + u"/gantry-test-ship-ctx-XXXXXX"_s);
    const QString example = QStringLiteral(GANTRY_SOURCE_DIR) + u"/examples/hello-stack"_s;
    auto r = Gantry::runProcess(u"cp"_s, {u"-r"_s, example + u"/backend"_s, example + u"/frontend"_s, ctx.path()});
    if (!r.ok()) {
        *error = r.stderrText();
        return false;
    }
    Gantry::runProcess(u"rm"_s, {u"-rf"_s, ctx.filePath(u"backend/target"_s), ctx.filePath(u"frontend/node_modules"_s), ctx.filePath(u"frontend/dist"_s)});
    const auto edit = [](const QString &file, const QString &from, const QString &to) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        QString text = QString::fromUtf8(f.readAll());
        f.close();
        if (!text.contains(from))
            return false;
        text.replace(from, to);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        f.write(text.toUtf8());
        return true;
    };
    if (!edit(ctx.filePath(u"frontend/src/index.html"_s), u"<h1>Hello Stack</h1>"_s, u"<h1>Hello Stack</h1>\n    <p id=\"token\">"_s + frontendToken + u"</p>"_s)) {
        *error = u"could not edit index.html"_s;
        return false;
    }
    if (changedBackend
        && !edit(ctx.filePath(u"backend/src/main.rs"_s), u"version: env!(\"CARGO_PKG_VERSION\"),"_s, u"version: \"gantry-test-v2\","_s)) {
        *error = u"could not edit main.rs"_s;
        return false;
    }
    r = Gantry::runProcess(u"docker"_s, {u"buildx"_s, u"build"_s, u"--load"_s, u"-t"_s, tag, u"-f"_s,
                                         QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/ship/hello-stack-delta.Dockerfile"_s, ctx.path()},
                           QProcessEnvironment::systemEnvironment(), 1800000);
    if (!r.ok()) {
        *error = u"docker buildx build failed: "_s + r.stderrText().right(2000);
        return false;
    }
    return true;
}

QStringList layerDiffIds(const QString &image)
{
    const auto r = Gantry::runProcess(u"docker"_s, {u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, image});
    return r.stdoutText().split(u' ', Qt::SkipEmptyParts);
}

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QByteArray httpGet(int port, const QString &path, int timeoutMs)
{
    const HttpAnswer answer = httpGetWhenUp(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path), timeoutMs);
    return answer.status == 200 ? answer.body : QByteArray();
}

} // namespace ShipFixtures

} // namespace GantryTest
