// SPDX-License-Identifier: MIT
#include "testsupport.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QUrl>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace GantryTest {

QString sourceDir() { return QStringLiteral(GANTRY_SOURCE_DIR); }

QString gantryExecutable() { return QStringLiteral(GANTRY_BINARY_DIR) + u"/bin/gantry"_s; }

QString dockerExecutable() { return QStandardPaths::findExecutable(u"docker"_s); }

Gantry::ProcessResult runGantry(const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs)
{
    return Gantry::runProcess(gantryExecutable(), arguments, environment, timeoutMs);
}

Gantry::ProcessResult runDocker(const QStringList &arguments, int timeoutMs)
{
    return Gantry::runProcess(dockerExecutable(), arguments, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

QString deadDockerHost()
{
    // A path in a fresh temp folder: no socket exists there, so nothing can answer.
    return u"unix://"_s + QDir::tempPath() + u"/gantry-no-engine-%1.sock"_s.arg(QCoreApplication::applicationPid());
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = to + u'/' + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(dst).absolutePath());
        if (!QFile::copy(src, dst))
            return false;
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList processesMentioning(const QString &marker)
{
    QStringList out;
    const QString self = QString::number(QCoreApplication::applicationPid());
    for (const QString &pid : QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (pid == self || !pid.at(0).isDigit())
            continue;
        QFile f(u"/proc/"_s + pid + u"/cmdline"_s);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QByteArray cmd = f.readAll();
        cmd.replace('\0', ' ');
        if (cmd.contains(marker.toUtf8()))
            out << pid + u": "_s + QString::fromUtf8(cmd);
    }
    return out;
}

QString sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

HttpAnswer httpGet(const QString &url, int timeoutMs)
{
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError)
        answer.error = reply->errorString();
    reply->deleteLater();
    return answer;
}

HttpAnswer httpGetWhenUp(const QString &url, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    HttpAnswer answer;
    for (;;) {
        answer = httpGet(url, 3000);
        if (answer.status == 200 || deadline.hasExpired())
            return answer;
        QTest::qWait(300);
    }
}

} // namespace GantryTest
