// SPDX-License-Identifier: MIT
#include "headerauditdevice.h"
#include "util/format.h"

#include <KCompressionDevice>

#include <QDir>
#include <QRegularExpression>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

constexpr qint64 Block = 512;
constexpr qint64 MaxLongName = 64 * 1024;

QString fieldText(const char *field, int length)
{
    return QString::fromUtf8(field, qstrnlen(field, length));
}

qint64 octalField(const char *field, int length)
{
    qint64 value = 0;
    int i = 0;
    while (i < length && field[i] == ' ')
        ++i;
    for (; i < length && field[i] >= '0' && field[i] <= '7'; ++i) {
        if (value > (qint64(1) << 58))
            return -1;
        value = value * 8 + (field[i] - '0');
    }
    return value;
}

bool hostileName(const QString &name)
{
    if (name == u"/" || name == u"./")
        return false; // the root itself (kaniko writes it)
    if (name.startsWith(u'/'))
        return true;
    const auto parts = QStringView(name).split(u'/');
    for (const auto &part : parts)
        if (part == u"..")
            return true;
    return false;
}

} // namespace

HeaderAuditDevice::HeaderAuditDevice(QIODevice *source, QObject *parent)
    : QIODevice(parent)
    , m_source(source)
{
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

qint64 HeaderAuditDevice::size() const
{
    return m_source->size();
}

void HeaderAuditDevice::refuse(const QString &problem, ErrorClass cls)
{
    if (m_problem.isEmpty()) {
        m_problem = problem;
        m_problemClass = cls;
    }
}

bool HeaderAuditDevice::seek(qint64 pos)
{
    if (!m_problem.isEmpty())
        return false;
    if (!m_auditing) {
        if (!m_source->seek(pos))
            return false;
        return QIODevice::seek(pos);
    }
    // A seek forward is how KTar skips an entry's data: the data must really be there.
    bool ok = true;
    if (dynamic_cast<KCompressionDevice *>(m_source) && pos >= m_source->pos()) {
        // Skip forward by reading: KCompressionDevice::seek() restarts decompression from
        // the start whenever the target lies inside QIODevice's read-ahead buffer.
        char scratch[64 * 1024];
        qint64 left = pos - m_source->pos();
        while (ok && left > 0) {
            if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
                m_cancelled = true;
                refuse(tr("Cancelled."), ErrorClass::Cancelled);
                return false;
            }
            const qint64 n = m_source->read(scratch, std::min<qint64>(left, sizeof scratch));
            if (n <= 0)
                ok = false;
            else
                left -= n;
            if (m_progress && m_source->pos() - m_lastProgress > (4 << 20)) {
                m_lastProgress = m_source->pos();
                m_progress(m_lastProgress); // may set the cancel flag (a decompression bomb)
            }
        }
    } else {
        const qint64 sourceSize = m_source->isSequential() ? -1 : m_source->size();
        if (!dynamic_cast<KCompressionDevice *>(m_source) && sourceSize >= 0 && pos > sourceSize)
            ok = false;
        if (ok)
            ok = m_source->seek(pos);
    }
    if (!ok) {
        refuse(tr("The data of “%1” ends early: the entry declares more bytes than the archive holds (it is truncated, or the declared size is false).")
                   .arg(m_lastName), ErrorClass::ArchiveTruncated);
        return false;
    }
    m_furthest = std::max(m_furthest, pos);
    return QIODevice::seek(pos);
}

qint64 HeaderAuditDevice::readData(char *data, qint64 maxSize)
{
    if (!m_problem.isEmpty())
        return -1;
    if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
        m_cancelled = true;
        refuse(tr("Cancelled."), ErrorClass::Cancelled);
        return -1;
    }
    const qint64 at = pos();
    const qint64 n = m_source->read(data, maxSize);
    if (n < 0) {
        refuse(tr("Reading “%1” failed (%2): the archive is damaged.").arg(m_lastName, m_source->errorString()),
               ErrorClass::ArchiveCorrupt);
        return -1;
    }
    if (n > 0)
        m_furthest = std::max(m_furthest, at + n);
    if (!m_auditing) {
    } else if (m_paxPending > 0 && n == Block && at % Block == 0) {
        // KTar reads (and skips) exactly one block of a PAX record.
        const QByteArray records(data, m_paxPending);
        m_paxPending = 0;
        qsizetype pos = 0;
        while (pos < records.size()) {
            const qsizetype space = records.indexOf(' ', pos);
            if (space < 0)
                break;
            bool ok = false;
            const qsizetype len = records.mid(pos, space - pos).toLongLong(&ok);
            if (!ok || len <= space - pos || pos + len > records.size())
                break;
            const QByteArray record = records.mid(space + 1, len - (space - pos) - 2);
            if (record.startsWith("path="))
                m_paxPath = QString::fromUtf8(record.mid(5));
            pos += len;
        }
    } else if (m_longNameLeft > 0) {
        const qint64 take = std::min(m_longNameLeft, n);
        m_longName.append(data, take);
        m_longNameLeft -= take;
    } else if (n == Block && maxSize == Block && at % Block == 0) {
        inspectHeader(data, at);
        if (!m_problem.isEmpty())
            return -1;
    } else if (n > 0 && n < maxSize && maxSize == Block && at % Block == 0 && data[0] != 0) {
        refuse(tr("The archive ends in the middle of a tar header after “%1”: the file is truncated.").arg(m_lastName),
               ErrorClass::ArchiveTruncated);
        return -1;
    }
    if (m_progress && m_furthest - m_lastProgress > (4 << 20)) {
        m_lastProgress = m_furthest;
        m_progress(m_furthest);
    }
    return n;
}

void HeaderAuditDevice::inspectHeader(const char *block, qint64 at)
{
    if (block[0] == 0 && block[345] == 0)
        return; // an end-of-archive block
    if (std::memcmp(block + 257, "ustar", 5) != 0)
        return; // not a header we can read more about; KTar checks the checksum itself
    const char type = block[156];
    if (type == 'L' || type == 'K') {
        const qint64 size = octalField(block + 124, 12);
        if (size < 0 || size > MaxLongName) {
            refuse(tr("The tar entry at byte %1 declares a %2 long name, more than a file name can be: the archive is damaged or hostile.")
                       .arg(at)
                       .arg(formatBytes(std::max<qint64>(size, 0))),
                   ErrorClass::ArchiveCorrupt);
            return;
        }
        if (type == 'L') {
            m_longName.clear();
            m_longNameLeft = size;
        }
        return;
    }
    if (type == 'x' || type == 'g') {
        const qint64 size = octalField(block + 124, 12);
        if (size < 0 || size > Block) {
            refuse(tr("The tar entry after “%1” has a %2 PAX extended header; KArchive reads at most 512 bytes of one, so this layer cannot be read correctly.")
                       .arg(m_lastName, formatBytes(std::max<qint64>(size, 0))),
                   ErrorClass::ArchiveCorrupt);
            return;
        }
        if (type == 'x')
            m_paxPending = size;
        return;
    }
    QString name;
    if (!m_longName.isEmpty()) {
        name = QString::fromUtf8(m_longName.constData(), qstrnlen(m_longName.constData(), m_longName.size()));
        m_longName.clear();
    } else {
        name = fieldText(block, 100);
        if (block[345] != 0 && std::memcmp(block + 257, "ustar\0", 6) == 0)
            name = fieldText(block + 345, 155) + u'/' + name;
    }
    if (!m_paxPath.isEmpty()) {
        // Key: the path as KTar will show it; value: the real one.
        QString shown = QDir::cleanPath(name);
        if (shown.startsWith(u"./"_s))
            shown = shown.mid(2);
        m_paxRenames.insert(u'/' + shown, u'/' + QDir::cleanPath(m_paxPath).remove(QRegularExpression(u"^(\\./)+"_s)));
        name = m_paxPath;
        m_paxPath.clear();
    }
    m_lastName = name;
    if (hostileName(name))
        refuse(tr("The archive entry “%1” points outside the image (an absolute path or “..”): refusing a hostile archive.").arg(name),
               ErrorClass::ArchiveUnsafePath);
}

} // namespace Gantry
