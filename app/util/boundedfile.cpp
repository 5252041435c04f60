// SPDX-License-Identifier: MIT
#include "boundedfile.h"
#include "format.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry {

Result<QByteArray> readBoundedFile(const QString &path, qint64 cap)
{
    const QString shown = QDir::toNativeSeparators(path);
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return Failure(ErrorClass::Unreadable, u"Cannot read %1 (%2)"_s.arg(shown, QString::fromLocal8Bit(std::strerror(errno))),
                       u"Check its permissions."_s);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Failure(ErrorClass::Unreadable, u"%1 is not a regular file (a device, a pipe or a socket, or a link to one)"_s.arg(shown),
                       u"Replace it with the real file."_s);
    }
    QByteArray bytes;
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const ssize_t n = ::read(fd, chunk.data(), size_t(chunk.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return Failure(ErrorClass::Unreadable, u"Cannot read %1 (%2)"_s.arg(shown, QString::fromLocal8Bit(std::strerror(err))),
                           u"Check the file and the disk."_s);
        }
        if (n == 0)
            break;
        bytes.append(chunk.constData(), n);
        if (bytes.size() > cap) {
            ::close(fd);
            return Failure(ErrorClass::ManifestTooLarge,
                           u"%1 is larger than such a file can be (at most %2)"_s.arg(shown, formatBytes(cap)),
                           u"Check that it is the right file and not generated or damaged."_s);
        }
    }
    ::close(fd);
    return bytes;
}

} // namespace Gantry
