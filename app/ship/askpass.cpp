// SPDX-License-Identifier: MIT
#include "askpass.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QDeadlineTimer>
#include <QLocalSocket>
#include <QRegularExpression>

#include <cstdio>

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

bool AskpassServer::listen(const QString &socketPath, QString *error)
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server.listen(socketPath)) {
        if (error)
            *error = u"Gantry could not open its password channel for ssh (%1): check the temporary folder."_s.arg(m_server.errorString());
        return false;
    }
    return true;
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
