// SPDX-License-Identifier: MIT
#include "servermachine.h"

#include "testsupport.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QThread>
#include <QUuid>

#include <utility>

using namespace Qt::StringLiterals;
using Gantry::ErrorClass;
using Gantry::Failure;
using Gantry::ProcessResult;
using Gantry::Status;

namespace GantryTest {

namespace {
Failure setupFailure(const QString &cause, const QString &fix = {})
{
    return Failure(ErrorClass::Other, cause, fix);
}

/// The server's own chain for link faults (sshd's port only), hooked into INPUT and OUTPUT once;
/// restoreLink() flushes it and leaves the server's dockerd rules alone.
QString linkChain()
{
    return u"{ iptables -N GANTRY-LINK 2>/dev/null || true; } && { iptables -C INPUT -j GANTRY-LINK 2>/dev/null || iptables -I INPUT -j GANTRY-LINK; }"
           " && { iptables -C OUTPUT -j GANTRY-LINK 2>/dev/null || iptables -I OUTPUT -j GANTRY-LINK; }"_s;
}

QString output(const ProcessResult &r)
{
    return QString(r.stderrText() + u' ' + r.stdoutText()).trimmed().right(1500);
}
} // namespace

QString ServerMachine::checkoutImage()
{
    // As scripts/setup's test_server_image: sha256 of the three files, one after the other.
    QCryptographicHash sum(QCryptographicHash::Sha256);
    for (const QString &file : {u"Dockerfile"_s, u"entrypoint.sh"_s, u"arm64-runc"_s})
        sum.addData(readAll(sourceDir() + u"/tests/support/server/"_s + file));
    return u"gantry/test-server:"_s + QString::fromLatin1(sum.result().toHex().left(12));
}

ServerMachine::ServerMachine() : ServerMachine(Options{}) {}
ServerMachine::ServerMachine(Options options) : m_options(std::move(options)) {}
ServerMachine::~ServerMachine() { stop(); }

QString ServerMachine::destination(const QString &user) const { return u"%1@127.0.0.1:%2"_s.arg(user).arg(m_sshPort); }
QString ServerMachine::clientKey() const { return m_dir ? m_dir->filePath(u"client_key"_s) : QString(); }
QString ServerMachine::knownHostsFile() const { return m_dir ? m_dir->filePath(u"known_hosts"_s) : QString(); }

QString ServerMachine::hostKeyFingerprint() const
{
    const auto r = Gantry::runProcess(u"ssh-keygen"_s, {u"-lf"_s, m_dir->filePath(u"host_key.pub"_s)});
    return r.stdoutText().section(u' ', 1, 1);
}

int ServerMachine::publishedPort(int serverPort) const
{
    for (const auto &[inside, outside] : m_published)
        if (inside == serverPort)
            return outside;
    return 0;
}

ProcessResult ServerMachine::hostDocker(const QStringList &args, int timeoutMs, const QByteArray &input) const
{
    // The client's engine, which runs the server's container.
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DOCKER_CONTEXT"_s);
    return Gantry::runProcess(u"docker"_s, args, env, timeoutMs, input);
}

ProcessResult ServerMachine::run(const QString &shellCommand, int timeoutMs, const QByteArray &input) const
{
    QStringList args{u"exec"_s};
    if (!input.isNull())
        args << u"-i"_s;
    return hostDocker(args + QStringList{m_name, u"sh"_s, u"-c"_s, shellCommand}, timeoutMs, input);
}

ProcessResult ServerMachine::docker(const QStringList &args, int timeoutMs) const
{
    return hostDocker(QStringList{u"exec"_s, m_name, u"docker"_s} + args, timeoutMs);
}

bool ServerMachine::hasImage(const QString &image) const
{
    return docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image}).ok();
}

Status ServerMachine::copyImageFromClient(const QString &image) const
{
    const auto r = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"set -o pipefail 2>/dev/null; docker save \"$1\" | docker exec -i \"$2\" docker load -q"_s,
                                                u"sh"_s, image, m_name},
                                      QProcessEnvironment::systemEnvironment(), 600000);
    if (!r.ok() || !hasImage(image))
        return setupFailure(u"could not copy %1 to the test server: %2"_s.arg(image, output(r)));
    return {};
}

bool ServerMachine::authorizeKey(const QString &publicKeyFile) const
{
    QFile pub(publicKeyFile);
    if (!pub.open(QIODevice::ReadOnly))
        return false;
    return run(u"cat >> /root/.ssh/authorized_keys"_s, 30000, pub.readAll()).ok();
}

bool ServerMachine::addPasswordUser(const QString &user, const QString &password) const
{
    const QString add = u"id \"$0\" >/dev/null 2>&1 || useradd -o -u 0 -g 0 -M -d /root -s /bin/sh \"$0\""_s;
    const auto r = hostDocker({u"exec"_s, m_name, u"sh"_s, u"-c"_s, add, user});
    return r.ok() && run(u"chpasswd"_s, 30000, (user + u':' + password + u'\n').toUtf8()).ok();
}

bool ServerMachine::start()
{
    m_failure = {};
    Status s = launch();
    if (s)
        s = waitUntilReady();
    if (s)
        s = writeKnownHosts();
    if (s)
        s = checkArch();
    if (!s) {
        m_failure = s.failure();
        if (!m_name.isEmpty())
            m_failure.cause += u"\n"_s + log().right(3000);
        stop();
        return false;
    }
    return true;
}

Status ServerMachine::launch()
{
    if (!hostDocker({u"image"_s, u"inspect"_s, m_options.image}).ok())
        return setupFailure(u"the test server image %1 is not built"_s.arg(m_options.image), u"Run scripts/setup (it builds it from tests/support/server)."_s);
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/tests-server-XXXXXX"_s);
    auto r = Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, clientKey()});
    if (!r.ok())
        return setupFailure(u"ssh-keygen failed: "_s + output(r));
    // A test killed by CTest's time limit cannot stop its servers: the next run of the same
    // test executable (the same build folder, so never a parallel run) removes them first.
    const QString owner = u"gantry.test-owner="_s + QCoreApplication::applicationFilePath();
    static bool leftoversRemoved = false;
    if (!std::exchange(leftoversRemoved, true)) {
        const QStringList old = hostDocker({u"ps"_s, u"-aq"_s, u"--filter"_s, u"label="_s + owner}).stdoutText().split(u'\n', Qt::SkipEmptyParts);
        if (!old.isEmpty())
            hostDocker(QStringList{u"rm"_s, u"-f"_s, u"-v"_s} + old, 120000);
    }
    m_name = u"tests-server-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
    QStringList args{u"run"_s, u"-d"_s, u"--rm"_s, u"--name"_s, m_name, u"--hostname"_s, m_name, u"--privileged"_s,
                     u"--cap-add"_s, u"NET_ADMIN"_s, u"--label"_s, u"gantry.test-server=1"_s, u"--label"_s, owner,
                     u"--mount"_s, u"type=volume,dst=/var/lib/docker"_s, u"-p"_s, u"127.0.0.1::22"_s,
                     u"-e"_s, u"GANTRY_SERVER_STORE="_s + (m_options.store == Store::Containerd ? u"containerd"_s : u"classic"_s),
                     u"-e"_s, u"GANTRY_SERVER_ARCH="_s + (m_options.arch == Arch::Arm64 ? u"arm64"_s : u"native"_s),
                     u"-e"_s, u"GANTRY_SERVER_AUTHORIZED_KEY="_s + QString::fromUtf8(readAll(clientKey() + u".pub"_s)).trimmed()};
    for (int p : std::as_const(m_options.ports))
        args << u"-p"_s << u"127.0.0.1::%1"_s.arg(p);
    r = hostDocker(args << m_options.image, 120000);
    if (!r.ok()) {
        m_name.clear();
        return setupFailure(u"docker run of the test server failed: "_s + output(r));
    }
    const auto portOf = [this](int inside) {
        const auto p = hostDocker({u"port"_s, m_name, u"%1/tcp"_s.arg(inside)});
        return p.stdoutText().section(u'\n', 0, 0).section(u':', -1).toInt();
    };
    m_sshPort = portOf(22);
    m_published.clear();
    for (int p : std::as_const(m_options.ports))
        m_published.append({p, portOf(p)});
    if (m_sshPort <= 0)
        return setupFailure(u"the test server's ssh port was not published on 127.0.0.1"_s);
    return {};
}

Status ServerMachine::waitUntilReady()
{
    const int limitMs = m_options.arch == Arch::Arm64 ? 240000 : 120000; // an emulated dockerd starts slowly
    const QDeadlineTimer deadline(limitMs);
    while (!deadline.hasExpired()) {
        if (run(u"test -e /run/gantry-server-ready"_s, 10000).ok())
            return {};
        if (hostDocker({u"inspect"_s, u"-f"_s, u"{{.State.Running}}"_s, m_name}).stdoutText() != u"true"_s)
            return setupFailure(u"the test server stopped while starting"_s);
        QThread::msleep(300);
    }
    return setupFailure(u"the test server's dockerd and sshd did not come up within %1 s"_s.arg(limitMs / 1000));
}

Status ServerMachine::writeKnownHosts()
{
    const auto r = run(u"cat /etc/ssh/ssh_host_ed25519_key.pub"_s);
    const QStringList parts = r.stdoutText().split(u' ');
    QFile pub(m_dir->filePath(u"host_key.pub"_s));
    QFile kh(knownHostsFile());
    if (!r.ok() || parts.size() < 2 || !pub.open(QIODevice::WriteOnly) || !kh.open(QIODevice::WriteOnly))
        return setupFailure(u"could not read the test server's host key: "_s + output(r));
    pub.write(r.standardOutput);
    kh.write(u"[127.0.0.1]:%1 %2 %3\n"_s.arg(m_sshPort).arg(parts.at(0), parts.at(1)).toUtf8());
    return {};
}

Status ServerMachine::checkArch() const
{
    if (m_options.arch == Arch::Native)
        return {};
    // An image built before the arm64 server existed ignores GANTRY_SERVER_ARCH and starts
    // the native dockerd: the engine's own answer is what counts.
    const auto r = docker({u"version"_s, u"--format"_s, u"{{.Server.Os}}/{{.Server.Arch}}"_s});
    if (r.stdoutText() != u"linux/arm64"_s)
        return setupFailure(u"the arm64 test server's engine says %1, not linux/arm64"_s.arg(output(r)),
                            u"Run scripts/setup (it rebuilds gantry/test-server with the arm64 dockerd)."_s);
    return {};
}

void ServerMachine::stop()
{
    if (!m_name.isEmpty()) {
        // -v: the anonymous volume with the server's image store goes too.
        hostDocker({u"rm"_s, u"-f"_s, u"-v"_s, m_name}, 120000);
        m_name.clear();
    }
    m_sshPort = 0;
    m_published.clear();
}

Status ServerMachine::shapeLink(const Link &link)
{
    if (link.delayMs > 0 && !run(u"tc qdisc add dev lo root netem delay 1ms && tc qdisc del dev lo root"_s).ok())
        return setupFailure(u"this kernel has no netem (CONFIG_NET_SCH_NETEM), so the link cannot be given a delay"_s,
                            u"Shape rate and loss only, or run on a kernel with netem."_s);
    Status s = restoreLink();
    if (!s)
        return s;
    QStringList script;
    if (link.rateKbit > 0 || link.delayMs > 0) {
        // Egress on eth0; ingress redirected through an IFB device and shaped there.
        const QString rate = link.rateKbit > 0 ? u"%1kbit"_s.arg(link.rateKbit) : QString();
        const QString qdisc = link.delayMs > 0
            ? u"netem delay %1ms"_s.arg(link.delayMs) + (rate.isEmpty() ? QString() : u" rate "_s + rate)
            : u"tbf rate %1 burst 32kb latency 400ms"_s.arg(rate);
        script << u"ip link add gifb0 type ifb && ip link set gifb0 up"_s
               << u"tc qdisc add dev eth0 handle ffff: ingress"_s
               << u"tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev gifb0"_s
               << u"tc qdisc add dev gifb0 root "_s + qdisc << u"tc qdisc replace dev eth0 root "_s + qdisc;
    }
    if (link.lossPercent > 0) {
        const QString p = QString::number(link.lossPercent / 100.0, 'f', 4);
        script << linkChain() + u"; iptables -A GANTRY-LINK -p tcp --dport 22 -m statistic --mode random --probability %1 -j DROP"_s.arg(p)
               << u"iptables -A GANTRY-LINK -p tcp --sport 22 -m statistic --mode random --probability %1 -j DROP"_s.arg(p);
    }
    if (script.isEmpty())
        return {};
    const auto r = run(u"set -e; "_s + script.join(u"; "_s));
    if (!r.ok())
        return setupFailure(u"could not shape the test server's link: "_s + output(r));
    return {};
}

Status ServerMachine::cutLink()
{
    const auto r = run(linkChain() + u" && iptables -A GANTRY-LINK -p tcp --dport 22 -j DROP && iptables -A GANTRY-LINK -p tcp --sport 22 -j DROP"_s);
    if (!r.ok())
        return setupFailure(u"could not cut the test server's link: "_s + output(r));
    return {};
}

Status ServerMachine::restoreLink()
{
    const auto r = run(u"tc qdisc del dev eth0 root 2>/dev/null; tc qdisc del dev eth0 ingress 2>/dev/null; ip link del gifb0 2>/dev/null; "
                       "iptables -F GANTRY-LINK 2>/dev/null; true"_s);
    if (!r.ok())
        return setupFailure(u"could not restore the test server's link: "_s + output(r));
    return {};
}

QString ServerMachine::sshdLog() const { return m_name.isEmpty() ? QString() : run(u"cat /var/log/sshd.log"_s).stdoutText(); }
QString ServerMachine::dockerdLog() const { return m_name.isEmpty() ? QString() : run(u"tail -n 200 /var/log/dockerd.log"_s).stdoutText(); }

QString ServerMachine::log() const
{
    return u"--- sshd on %1 ---\n%2\n--- dockerd ---\n%3"_s.arg(m_name, sshdLog().right(4000), dockerdLog().right(4000));
}

} // namespace GantryTest
