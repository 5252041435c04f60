// SPDX-License-Identifier: MIT
#include "dockerarchive.h"

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KTar>

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "util/format.h"

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// manifest.json and the config are read whole: a cap (as ImageArchive's) and no links.
QString entryProblem(const KArchiveFile *entry, const QString &path)
{
    constexpr qint64 jsonCap = 8 * 1024 * 1024;
    if (!entry->symLinkTarget().isEmpty())
        return u"%1 in %2 is a link to %3, not a file: refusing a hostile archive."_s.arg(entry->name(), path, entry->symLinkTarget());
    if (entry->size() > jsonCap)
        return u"%1 in %2 is %3, larger than any real image's (8 MiB at most): the archive is damaged or hostile."_s.arg(
            entry->name(), path, formatBytes(entry->size()));
    return {};
}

} // namespace

DockerArchive::DockerArchive() = default;
DockerArchive::~DockerArchive() = default;

bool DockerArchive::open(const QString &path, QString *error)
{
    const auto fail = [error](const QString &text) {
        if (error)
            *error = text;
        return false;
    };
    if (!QFileInfo::exists(path))
        return fail(u"The archive %1 does not exist: export the image first or check the path."_s.arg(path));
    m_tar = std::make_unique<KTar>(path);
    if (!m_tar->open(QIODevice::ReadOnly))
        return fail(u"%1 is not a readable tar archive (%2): export the image again."_s.arg(path, m_tar->errorString()));
    const KArchiveDirectory *root = m_tar->directory();
    const auto *manifestEntry = root->file(u"manifest.json"_s);
    if (!manifestEntry)
        return fail(u"%1 has no manifest.json, so it is not a docker-archive: create it with 'gantry export' or 'docker save'."_s.arg(path));
    if (const QString problem = entryProblem(manifestEntry, path); !problem.isEmpty())
        return fail(problem);
    const QJsonArray manifest = QJsonDocument::fromJson(manifestEntry->data()).array();
    if (manifest.isEmpty())
        return fail(u"The manifest.json in %1 lists no image: export the image again."_s.arg(path));
    const QJsonObject image = manifest.first().toObject();
    const auto *configEntry = root->file(image.value(u"Config"_s).toString());
    if (!configEntry)
        return fail(u"The image config named in %1's manifest.json is missing: export the image again."_s.arg(path));
    if (const QString problem = entryProblem(configEntry, path); !problem.isEmpty())
        return fail(problem);
    m_config = configEntry->data();
    m_configDigest = u"sha256:"_s + QString::fromLatin1(QCryptographicHash::hash(m_config, QCryptographicHash::Sha256).toHex());
    const QJsonObject config = QJsonDocument::fromJson(m_config).object();
    m_architecture = config.value(u"architecture"_s).toString();
    m_os = config.value(u"os"_s).toString();
    m_diffIds.clear();
    for (const auto &v : config.value(u"rootfs"_s).toObject().value(u"diff_ids"_s).toArray()) {
        // Digests name files and go into remote scripts: only the one grammar passes.
        if (!isSha256Digest(v.toString()))
            return fail(u"The image config in %1 names a layer '%2', which is not a sha256 digest: the archive is damaged or hostile; export the image again."_s
                            .arg(path, v.toString().left(100)));
        m_diffIds << v.toString();
    }
    m_layerPaths.clear();
    for (const auto &v : image.value(u"Layers"_s).toArray())
        m_layerPaths << v.toString();
    m_repoTags.clear();
    static const QRegularExpression tagRx(QRegularExpression::anchoredPattern(u"[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}"_s));
    for (const auto &v : image.value(u"RepoTags"_s).toArray()) {
        if (!tagRx.match(v.toString()).hasMatch())
            return fail(u"The manifest.json in %1 names the image '%2', which is not an image reference: export the image again."_s.arg(
                path, v.toString().left(100)));
        m_repoTags << v.toString();
    }
    if (m_layerPaths.size() != m_diffIds.size())
        return fail(u"%1 lists %2 layer files but its config has %3 layers: export the image again."_s.arg(path).arg(m_layerPaths.size()).arg(m_diffIds.size()));
    for (int i = 0; i < m_layerPaths.size(); ++i) {
        if (!layerFile(i))
            return fail(u"Layer %1 (%2) is missing from %3: export the image again."_s.arg(i + 1).arg(m_layerPaths.at(i), path));
        if (!layerFile(i)->symLinkTarget().isEmpty())
            return fail(u"Layer %1 (%2) of %3 is a link to %4, not a layer: refusing a hostile archive."_s.arg(i + 1).arg(
                m_layerPaths.at(i), path, layerFile(i)->symLinkTarget()));
    }
    return true;
}

const KArchiveFile *DockerArchive::layerFile(int index) const
{
    if (!m_tar || index < 0 || index >= m_layerPaths.size())
        return nullptr;
    return m_tar->directory()->file(m_layerPaths.at(index));
}

qint64 DockerArchive::layerSize(int index) const
{
    const KArchiveFile *f = layerFile(index);
    return f ? f->size() : 0;
}

} // namespace Gantry
