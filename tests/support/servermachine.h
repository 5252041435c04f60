// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"
#include "util/processrunner.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace GantryTest {

/// A real second machine for ship and remote-build tests: a container of the image
/// gantry/test-server (tests/support/server/, built by scripts/setup from the
/// debootstrapped Debian) with its own network namespace, its own dockerd and image store
/// (classic or containerd), its own sshd and its own disk. The client reaches it ONLY
/// through ports published on 127.0.0.1 (never through the docker bridge's address):
/// ssh on port(), and each of Options::ports on publishedPort(). So "the image is on the
/// server" means the server's engine has it, and the client's engine does not.
///
///     ServerMachine server;                        // or ServerMachine({.store = Store::Containerd, .ports = {3000}})
///     QVERIFY2(server.start(), qPrintable(server.startFailure()));
///     runGantry({"ship", archive, "--to", server.destination(), "-i", server.clientKey(),
///                "--known-hosts", server.knownHostsFile(), "--batch"});
///     QVERIFY(server.hasImage("app:1"));           // on the server's engine
///     QVERIFY(server.shapeLink({.rateKbit = 8000})); // a slower link, both directions
///
/// The container is started --privileged (its dockerd needs it; NET_ADMIN shapes the link),
/// named tests-server-XXXXXXXX, removed with its volume by stop() or the destructor; one
/// left by a test that was killed is removed by the next run of the same test executable,
/// and any ends itself after 3 hours.
class ServerMachine
{
public:
    enum class Store { Classic, Containerd };
    /// The server engine's architecture. Arm64: Debian's arm64 dockerd under the host's QEMU
    /// user emulation (tests/support/server/Dockerfile), so `docker version` on the server
    /// says linux/arm64 and its containers run arm64 programs (slowly); it takes about 40 s to
    /// start here (a native one about 10 s).
    enum class Arch { Native, Arm64 };
    struct Options
    {
        Store store = Store::Classic;
        QList<int> ports;     ///< the server's own TCP ports to publish on 127.0.0.1 (e.g. 3000 for the app)
        QString image = QStringLiteral("gantry/test-server:latest");
        Arch arch = Arch::Native;
    };
    /// How the link between client and server behaves (0 = unchanged). Rate and loss apply in
    /// both directions. delayMs needs the kernel's netem; where it is missing (as on the
    /// kernel of this project's CI machine) shapeLink() says so instead of ignoring it.
    struct Link
    {
        int rateKbit = 0;
        double lossPercent = 0;
        int delayMs = 0;
    };

    /// gantry/test-server as this checkout's tests/support/server makes it: the tag scripts/setup
    /// gives it (the files' sha256), which another checkout's setup cannot re-point as it can
    /// :latest. Options{.image = ServerMachine::checkoutImage()} for a test that needs what this
    /// checkout's image has (e.g. Arch::Arm64).
    static QString checkoutImage();

    ServerMachine();
    explicit ServerMachine(Options options);
    ~ServerMachine();
    ServerMachine(const ServerMachine &) = delete;
    ServerMachine &operator=(const ServerMachine &) = delete;

    /// Starts the container and waits until its dockerd and sshd answer (about 5 s; an arm64
    /// server up to 240 s).
    bool start();
    /// Why start() failed (one sentence with cause and fix).
    QString startFailure() const { return m_failure.sentence(); }
    void stop();

    QString host() const { return QStringLiteral("127.0.0.1"); }
    int port() const { return m_sshPort; }                   ///< sshd, on 127.0.0.1
    QString destination(const QString &user = QStringLiteral("root")) const; ///< "user@127.0.0.1:PORT"
    QString clientKey() const;                               ///< private key accepted for root
    QString knownHostsFile() const;                          ///< trusts the server's host key
    QString hostKeyFingerprint() const;                      ///< "SHA256:..."
    int publishedPort(int serverPort) const;                 ///< where 127.0.0.1 reaches the server's port
    QString name() const { return m_name; }                  ///< the container's name
    Store store() const { return m_options.store; }
    Arch arch() const { return m_options.arch; }

    /// Runs a shell command on the server as root, beside ssh (docker exec): for looking at
    /// the server's own files and state, never the path under test.
    Gantry::ProcessResult run(const QString &shellCommand, int timeoutMs = 120000, const QByteArray &input = {}) const;
    /// The server's own docker client and engine.
    Gantry::ProcessResult docker(const QStringList &args, int timeoutMs = 120000) const;
    bool hasImage(const QString &image) const;
    /// Copies an image from the client's engine to the server's (docker save | docker load), for
    /// base images a remote build needs: no registry is reachable here.
    Gantry::Status copyImageFromClient(const QString &image) const;

    /// Also accepts this public key file (e.g. another server's clientKey() + ".pub") for root.
    bool authorizeKey(const QString &publicKeyFile) const;
    /// Adds a login with this password (uid 0, so it may use docker); the password goes to
    /// chpasswd on stdin.
    bool addPasswordUser(const QString &user, const QString &password) const;

    Gantry::Status shapeLink(const Link &link);
    /// The link goes silent without closing (every packet to and from sshd dropped), as a
    /// dead network does; restoreLink() brings it back.
    Gantry::Status cutLink();
    Gantry::Status restoreLink();

    QString sshdLog() const;
    QString dockerdLog() const;
    QString log() const; ///< both, for a failure message

private:
    Gantry::Status launch();
    Gantry::Status waitUntilReady();
    Gantry::Status writeKnownHosts();
    Gantry::Status checkArch() const;
    Gantry::ProcessResult hostDocker(const QStringList &args, int timeoutMs = 120000, const QByteArray &input = {}) const;

    Options m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_name;
    int m_sshPort = 0;
    QList<QPair<int, int>> m_published; ///< server port, 127.0.0.1 port
    Gantry::Failure m_failure;
};

} // namespace GantryTest
