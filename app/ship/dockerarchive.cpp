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

using namespace Qt::StringLiterals;

namespace Gantry {

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
    const QJsonArray manifest = QJsonDocument::fromJson(manifestEntry->data()).array();
    if (manifest.isEmpty())
        return fail(u"The manifest.json in %1 lists no image: export the image again."_s.arg(path));
    const QJsonObject image = manifest.first().toObject();
    const auto *configEntry = root->file(image.value(u"Config"_s).toString());
    if (!configEntry)
        return fail(u"The image config named in %1's manifest.json is missing: export the image again."_s.arg(path));
    m_config = configEntry->data();
    m_configDigest = u"sha256:"_s + QString::fromLatin1(QCryptographicHash::hash(m_config, QCryptographicHash::Sha256).toHex());
    const QJsonObject config = QJsonDocument::fromJson(m_config).object();
    m_architecture = config.value(u"architecture"_s).toString();
    m_os = config.value(u"os"_s).toString();
    m_diffIds.clear();
    for (const auto &v : config.value(u"rootfs"_s).toObject().value(u"diff_ids"_s).toArray())
        m_diffIds << v.toString();
    m_layerPaths.clear();
    for (const auto &v : image.value(u"Layers"_s).toArray())
        m_layerPaths << v.toString();
    m_repoTags.clear();
    for (const auto &v : image.value(u"RepoTags"_s).toArray())
        m_repoTags << v.toString();
    if (m_layerPaths.size() != m_diffIds.size())
        return fail(u"%1 lists %2 layer files but its config has %3 layers: export the image again."_s.arg(path).arg(m_layerPaths.size()).arg(m_diffIds.size()));
    for (int i = 0; i < m_layerPaths.size(); ++i)
        if (!layerFile(i))
            return fail(u"Layer %1 (%2) is missing from %3: export the image again."_s.arg(i + 1).arg(m_layerPaths.at(i), path));
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
