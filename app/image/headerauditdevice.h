// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QIODevice>
#include <QString>

#include "util/errorclass.h"

#include <atomic>
#include <functional>

namespace Gantry {

/// A read-only pass-through device that KTar reads a tar stream through. KTar does all
/// the tar parsing; this device only watches the 512-byte header blocks KTar asks for,
/// so that Gantry can refuse what KTar would silently accept or "fix": absolute names,
/// ".." components, GNU long-name records with absurd sizes (KTar would allocate them),
/// and seeks past the end of the data (a truncated stream or a huge declared size).
/// It also counts bytes and honours a cancel flag.
class HeaderAuditDevice : public QIODevice
{
    Q_OBJECT
public:
    explicit HeaderAuditDevice(QIODevice *source, QObject *parent = nullptr);

    bool isSequential() const override { return false; }
    qint64 size() const override;
    bool seek(qint64 pos) override;

    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    void setProgress(std::function<void(qint64)> progress) { m_progress = std::move(progress); }
    /// Stop looking at headers (once KTar has indexed the archive, reads are entry data).
    void setAuditing(bool on) { m_auditing = on; }

    /// Empty unless a header was refused or the data ended early; names the entry.
    QString problem() const { return m_problem; }
    /// What kind of problem() it is (ArchiveUnsafePath, ArchiveTruncated, ...); None when there is none.
    ErrorClass problemClass() const { return m_problemClass; }
    /// The name of the last header KTar read (for messages).
    QString lastName() const { return m_lastName; }
    /// Real names from PAX records ("path=") by the path KTar shows ("/a/b"): KTar skips
    /// PAX records, so long and non-ASCII names written by Go's archive/tar (docker,
    /// buildkit) would otherwise appear truncated.
    const QHash<QString, QString> &paxRenames() const { return m_paxRenames; }
    /// The furthest position any read or seek reached successfully.
    qint64 furthest() const { return m_furthest; }
    bool cancelled() const { return m_cancelled; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    void inspectHeader(const char *block, qint64 at);
    void refuse(const QString &problem, ErrorClass cls);

    QIODevice *m_source;
    const std::atomic_bool *m_cancel = nullptr;
    std::function<void(qint64)> m_progress;
    QString m_problem;
    ErrorClass m_problemClass = ErrorClass::None;
    QString m_lastName;
    QByteArray m_longName;      ///< a GNU long name being collected
    qint64 m_paxPending = 0;    ///< size of a PAX record whose data block comes next
    QString m_paxPath;          ///< "path=" of the PAX record for the next header
    QHash<QString, QString> m_paxRenames;
    qint64 m_longNameLeft = 0;  ///< bytes of it still to come
    qint64 m_furthest = 0;
    qint64 m_lastProgress = 0;
    bool m_cancelled = false;
    bool m_auditing = true;
};

} // namespace Gantry
