// SPDX-License-Identifier: MIT
// SshConnection::upload: a source streamed into a remote command's stdin over the master
// connection, with a bounded buffer, an optional rate, stall detection, Cancel and the
// server's verdict.
#include "sshconnection.h"

#include "remotefailure.h"
#include "remotepolicy.h"
#include "sshprocess.h"
#include "util/cancelflag.h"

#include <QElapsedTimer>
#include <QIODevice>
#include <QThread>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <csignal>
#endif

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// One upload through ssh: the source streamed into the remote command's stdin with a
/// bounded buffer, an optional rate, stall detection and Cancel, then the server's verdict.
class UploadRun
{
public:
    using Upload = SshConnection::Upload;
    UploadRun(const SshConnection &connection, const std::atomic_bool *cancel, qint64 bytesPerSecond)
        : m_connection(connection), m_cancel(cancel), m_bytesPerSecond(bytesPerSecond)
    {
    }

    bool start(const QStringList &args)
    {
#ifdef Q_OS_LINUX
        // Ends with Gantry (as endWithParent() does), and a 1 MiB pipe instead of Linux' 64 KiB:
        // fewer wake-ups of Gantry and ssh per megabyte (best effort: above
        // /proc/sys/fs/pipe-max-size it just stays as it is).
        m_ssh.setChildProcessModifier([] {
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            ::fcntl(STDIN_FILENO, F_SETPIPE_SZ, 1024 * 1024);
        });
#else
        endWithParent(m_ssh);
#endif
        m_ssh.start(u"ssh"_s, args);
        if (m_ssh.waitForStarted(10000))
            return true;
        m_result.failure = Failure(ErrorClass::Other, u"The ssh program could not be started (%1)"_s.arg(m_ssh.errorString()),
                                   u"Install OpenSSH, or set its path in Preferences."_s);
        return false;
    }

    /// Streams source to its end; false when the upload ended early (result() says why).
    bool send(QIODevice *source, const std::function<void(qint64)> &progress)
    {
        const qint64 chunk = m_bytesPerSecond > 0 ? qBound(qint64(4096), m_bytesPerSecond / 10, qint64(256 * 1024)) : 1024 * 1024;
        QByteArray buffer(chunk, Qt::Uninitialized);
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            if (isCancelled())
                return cancelled();
            const qint64 n = source->read(buffer.data(), chunk);
            if (n < 0)
                return unreadable(source->errorString());
            if (n == 0)
                return true;
            if (m_ssh.state() != QProcess::Running || m_ssh.write(buffer.constData(), n) != n)
                return broken(u"ssh ended"_s);
            m_handed += n;
            if (!waitForRoom())
                return false;
            if (progress)
                progress(m_handed - m_ssh.bytesToWrite());
            if (m_bytesPerSecond > 0) {
                const qint64 due = m_handed * 1000 / m_bytesPerSecond;
                if (due > clock.elapsed())
                    QThread::msleep(quint64(due - clock.elapsed()));
            }
        }
    }

    /// Waits for ssh to take the rest and for the server's verdict; fills result().
    bool finish(const std::function<void(qint64)> &progress)
    {
        QElapsedTimer stall;
        stall.start();
        // A layer smaller than the pipe and ssh's buffers is all "handed" at once: the wait for it
        // to drain and for the server's verdict is where a slow link spends its time, so Cancel
        // is looked at there too (it was not: a cancelled ship of a small image went on).
        while (m_ssh.bytesToWrite() > 0) {
            if (isCancelled())
                return cancelled();
            if (!m_ssh.waitForBytesWritten(200) && m_ssh.state() != QProcess::Running)
                return broken(u"ssh ended"_s);
            if (stall.elapsed() > stallMs)
                return broken(u"no data could be sent for %1 s"_s.arg(stallMs / 1000));
        }
        if (progress)
            progress(m_handed);
        m_ssh.closeWriteChannel();
        // The remote command verifies what it received (sha256 of a large file takes a while).
        QElapsedTimer verdict;
        verdict.start();
        while (!m_ssh.waitForFinished(200) && m_ssh.state() != QProcess::NotRunning && verdict.elapsed() < 600000)
            if (isCancelled())
                return cancelled();
        if (m_ssh.state() != QProcess::NotRunning) {
            kill();
            m_result.failure = Failure(ErrorClass::RemoteFailed,
                                       u"%1 did not finish processing the upload within 10 minutes"_s.arg(m_connection.hostDescription()),
                                       u"Check the server's load and disk."_s);
            return false;
        }
        return verdictOfServer();
    }

    Upload result() const { return m_result; }

private:
    static constexpr qint64 maxBuffered = 4 * 1024 * 1024;
    static constexpr int stallMs = 30000;

    bool isCancelled() const { return Gantry::isCancelled(m_cancel); }
    void kill()
    {
        m_ssh.kill();
        m_ssh.waitForFinished(3000);
    }

    /// Keeps at most maxBuffered bytes (any, with a rate) waiting in ssh; a stall breaks it.
    bool waitForRoom()
    {
        QElapsedTimer stall;
        stall.start();
        qint64 lastPending = m_ssh.bytesToWrite();
        while (m_ssh.bytesToWrite() > maxBuffered || (m_bytesPerSecond > 0 && m_ssh.bytesToWrite() > 0)) {
            m_ssh.waitForBytesWritten(200);
            if (m_ssh.state() != QProcess::Running)
                return broken(u"ssh ended"_s);
            if (isCancelled())
                break;
            if (m_ssh.bytesToWrite() < lastPending) {
                lastPending = m_ssh.bytesToWrite();
                stall.restart();
            } else if (stall.elapsed() > stallMs) {
                return broken(u"no data could be sent for %1 s"_s.arg(stallMs / 1000));
            }
        }
        return true;
    }

    bool broken(const QString &why)
    {
        kill();
        const QString err = QString::fromUtf8(m_ssh.readAllStandardError()).trimmed();
        // The remote command may have ended first because the server's disk is full.
        if (auto full = remoteDiskFull(err, m_connection))
            m_result.failure = *full;
        else
            m_result.failure = Failure(ErrorClass::LinkDropped,
                                       u"The connection to %1 broke during the upload (%2)"_s
                                           .arg(m_connection.hostDescription(), err.isEmpty() ? why : err.section(u'\n', -1)),
                                       u"Check the network and ship again: the transfer resumes where it stopped."_s);
        m_result.sent = m_handed - m_ssh.bytesToWrite();
        return false;
    }

    // Cancel ends ssh at once: the remote command then sees its input end short and keeps
    // the bytes under FILE.partial (never under the final name) for the next ship to resume.
    bool cancelled()
    {
        const qint64 unsent = m_ssh.bytesToWrite();
        kill();
        m_result.failure = Failure(ErrorClass::Cancelled, u"The upload to %1 was cancelled; the next ship resumes it."_s.arg(m_connection.hostDescription()));
        m_result.sent = m_handed - unsent;
        return false;
    }

    bool unreadable(const QString &why)
    {
        kill();
        m_result.failure = Failure(ErrorClass::Unreadable, u"Reading the local file failed (%1)"_s.arg(why), u"Check the disk."_s);
        return false;
    }

    /// The remote command's exit: stored and verified, or why not.
    bool verdictOfServer()
    {
        m_result.sent = m_handed;
        m_result.output = m_ssh.readAllStandardOutput();
        const QString err = QString::fromUtf8(m_ssh.readAllStandardError()).trimmed();
        if (m_ssh.exitStatus() != QProcess::NormalExit || m_ssh.exitCode() == 255)
            return broken(u"ssh ended"_s);
        if (m_ssh.exitCode() == 0)
            return true;
        QString what = err.section(u'\n', -1).trimmed();
        if (what.startsWith(u"gantry: "_s))
            what = what.mid(8);
        m_result.failure = err.isEmpty()
            ? remoteFailure(m_ssh.exitCode(), err, m_connection, u"The server could not store the upload (exit %1)."_s.arg(m_ssh.exitCode()),
                            u"Check the free space in the remote folder, then ship again."_s)
            : remoteFailure(m_ssh.exitCode(), err, m_connection,
                            u"%1 could not store the upload (%2)."_s.arg(m_connection.hostDescription(), what),
                            u"Check the remote folder and ship again."_s);
        return false;
    }

    const SshConnection &m_connection;
    const std::atomic_bool *m_cancel;
    qint64 m_bytesPerSecond;
    QProcess m_ssh;
    Upload m_result;
    qint64 m_handed = 0; ///< bytes given to ssh's stdin
};

} // namespace

SshConnection::Upload SshConnection::upload(QIODevice *source, const QString &remoteCommand,
                                            const std::function<void(qint64)> &progress, const std::atomic_bool *cancel,
                                            qint64 bytesPerSecond)
{
    QStringList args = clientArguments();
    args << u"--"_s << RemotePolicy::wrapInSh(remoteCommand);
    UploadRun run(*this, cancel, bytesPerSecond);
    if (run.start(args) && run.send(source, progress))
        run.finish(progress);
    return run.result();
}

} // namespace Gantry
