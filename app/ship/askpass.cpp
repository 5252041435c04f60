// SPDX-License-Identifier: MIT
#include "askpass.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QDeadlineTimer>
#include <QFile>
#include <QLocalSocket>
#include <QRegularExpression>

#include <cstdio>

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef Q_OS_MACOS
#include <sys/sysctl.h>
#include <sys/un.h>
#endif

using namespace Qt::StringLiterals;

namespace Gantry {

AskpassRequest AskpassRequest::fromPrompt(const QString &prompt)
{
    AskpassRequest r;
    r.prompt = prompt;
    const QString lower = prompt.toLower();
    if (lower.contains(u"authenticity of host"_s) || lower.contains(u"continue connecting"_s)) {
        r.kind = HostKey;
        static const QRegularExpression fp(u"(SHA256:[A-Za-z0-9+/=]+|MD5:[0-9a-f:]+)"_s);
        r.fingerprint = fp.match(prompt).captured(1);
        static const QRegularExpression type(u"([A-Z0-9-]+) key fingerprint is"_s);
        r.keyType = type.match(prompt).captured(1);
        static const QRegularExpression host(u"authenticity of host '([^' ]+)"_s);
        r.host = host.match(prompt).captured(1);
    } else if (lower.contains(u"passphrase"_s)) {
        r.kind = Passphrase;
    } else if (lower.contains(u"password"_s)) {
        r.kind = Password;
    }
    return r;
}

int askpassClientMain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString prompt = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    QLocalSocket socket;
    socket.connectToServer(qEnvironmentVariable(askpassSocketVariable()));
    if (!socket.waitForConnected(5000)) {
        std::fputs("gantry askpass: Gantry is not listening any more.\n", stderr);
        return 1;
    }
    {
        QByteArray block;
        QDataStream out(&block, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << prompt;
        socket.write(block);
        socket.flush();
    }
    // The user may take a while to answer a dialog; ssh waits as long as we do.
    QDataStream in(&socket);
    in.setVersion(QDataStream::Qt_6_0);
    bool ok = false;
    QString answer;
    for (;;) {
        in.startTransaction();
        in >> ok >> answer;
        if (in.commitTransaction())
            break;
        if (!socket.waitForReadyRead(-1) && socket.state() != QLocalSocket::ConnectedState) {
            std::fputs("gantry askpass: Gantry closed the connection without an answer.\n", stderr);
            return 1;
        }
    }
    if (!ok)
        return 1;
    const QByteArray bytes = answer.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
    return 0;
}

namespace {

/// The parent of pid; -1 when unknown.
qint64 parentOf(qint64 pid)
{
#if defined(Q_OS_LINUX)
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; it ends at the last ')'.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> rest = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return rest.size() > 1 ? rest.at(1).toLongLong() : -1;
#elif defined(Q_OS_MACOS)
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, int(pid)};
    struct kinfo_proc info {};
    size_t size = sizeof info;
    if (::sysctl(mib, 4, &info, &size, nullptr, 0) != 0 || size == 0)
        return -1;
    return info.kp_eproc.e_ppid;
#else
    Q_UNUSED(pid)
    return -1;
#endif
}

} // namespace

bool askpassPeerIsOurs(qintptr socketDescriptor)
{
    // Same user (the socket's folder is 0700 already), and a process this one started: the
    // helper runs under an ssh that Gantry started (a ProxyCommand's ssh under a shell under
    // it), so this process is among its first few ancestors.
    qint64 pid = -1;
#if defined(Q_OS_LINUX)
    struct ucred cred {};
    socklen_t len = sizeof cred;
    if (::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != ::geteuid())
        return false;
    pid = cred.pid;
#elif defined(Q_OS_MACOS)
    uid_t uid = 0;
    gid_t gid = 0;
    if (::getpeereid(int(socketDescriptor), &uid, &gid) != 0 || uid != ::geteuid())
        return false;
    pid_t peer = 0;
    socklen_t len = sizeof peer;
    if (::getsockopt(int(socketDescriptor), SOL_LOCAL, LOCAL_PEERPID, &peer, &len) != 0)
        return false;
    pid = peer;
#else
    Q_UNUSED(socketDescriptor)
    return true;
#endif
    const qint64 self = QCoreApplication::applicationPid();
    for (int hop = 0; hop < 8 && pid > 1; ++hop) {
        pid = parentOf(pid);
        if (pid == self)
            return true;
    }
    return false;
}

Status AskpassServer::listen(const QString &socketPath)
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server.listen(socketPath))
        return Failure(ErrorClass::Other,
                       u"Gantry could not open its password channel for ssh (%1)"_s.arg(m_server.errorString()),
                       u"Check that the temporary folder exists and is writable (TMPDIR)."_s);
    return {};
}

bool AskpassServer::serve(int waitMs, const AskpassResponder &handler)
{
    if (!m_server.isListening())
        return false;
    bool timedOut = false;
    if (!m_server.hasPendingConnections() && !m_server.waitForNewConnection(waitMs, &timedOut))
        return false;
    QLocalSocket *socket = m_server.nextPendingConnection();
    if (!socket)
        return false;
    if (!askpassPeerIsOurs(socket->socketDescriptor())) {
        // Another program of the same user found the socket: it gets nothing, not even a "no".
        socket->abort();
        delete socket;
        return true;
    }
    QDataStream in(socket);
    in.setVersion(QDataStream::Qt_6_0);
    QString prompt;
    const QDeadlineTimer deadline(5000);
    for (;;) {
        in.startTransaction();
        in >> prompt;
        if (in.commitTransaction())
            break;
        if (deadline.hasExpired() || !socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            delete socket;
            return true;
        }
    }
    const AskpassReply reply = handler ? handler(AskpassRequest::fromPrompt(prompt)) : AskpassReply{};
    QByteArray block;
    QDataStream out(&block, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << reply.ok << reply.answer;
    socket->write(block);
    socket->waitForBytesWritten(5000);
    socket->disconnectFromServer();
    delete socket;
    return true;
}

} // namespace Gantry
