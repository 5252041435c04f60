// SPDX-License-Identifier: MIT
#pragma once

#include "util/digest.h" // isSha256Digest()

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class KTar;
class KArchiveFile;

namespace Gantry {

/// A minimal reader of a `docker save` archive (plain or gzip/xz/zstd compressed):
/// manifest.json's first image, its config and its layer tars. Enough to ship; the
/// size analysis lives in gantry_image.
class DockerArchive
{
public:
    DockerArchive();
    ~DockerArchive();
    DockerArchive(const DockerArchive &) = delete;
    DockerArchive &operator=(const DockerArchive &) = delete;

    /// Opens and checks the archive; on failure returns false and sets *error to one sentence.
    bool open(const QString &path, QString *error);

    QByteArray configJson() const { return m_config; }
    QString configDigest() const { return m_configDigest; } ///< "sha256:<hex>" of the config bytes (the image id)
    QStringList diffIds() const { return m_diffIds; }      ///< "sha256:<hex>" of each uncompressed layer
    QStringList repoTags() const { return m_repoTags; }
    QString architecture() const { return m_architecture; }
    QString os() const { return m_os; }
    int layerCount() const { return int(m_layerPaths.size()); }
    /// The layer's file in the archive (a tar, possibly compressed as docker saved it).
    const KArchiveFile *layerFile(int index) const;
    qint64 layerSize(int index) const;
    QString layerPath(int index) const { return m_layerPaths.value(index); }
    /// The image as `docker run` can name it: the first tag, else the image id.
    QString runnableRef() const { return m_repoTags.isEmpty() ? m_configDigest : m_repoTags.constFirst(); }

private:
    std::unique_ptr<KTar> m_tar;
    QByteArray m_config;
    QString m_configDigest;
    QStringList m_diffIds;
    QStringList m_layerPaths;
    QStringList m_repoTags;
    QString m_architecture;
    QString m_os;
};

} // namespace Gantry
