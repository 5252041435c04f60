// SPDX-License-Identifier: MIT
#include "deltaship.h"

#include "shipper.h"
#include "sshconnection.h"
#include "util/digest.h"
#include "util/format.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Gantry {

DeltaShipper::DeltaShipper(const PreparedImage &image, QString cacheDir, ServerDeltaFacts facts)
    : m_image(image), m_cache(std::move(cacheDir)), m_facts(std::move(facts))
{
}

QString DeltaShipper::layerName(int index) const
{
    return u"layer %1 (%2)"_s.arg(index + 1).arg(m_image.layers.at(index).diffId.mid(7, 12));
}

QList<DeltaLayer> DeltaShipper::referenceCandidates() const
{
    QList<DeltaLayer> out;
    for (const QString &id : m_facts.blobs) {
        const QString blob = QDir(m_cache).filePath(u"blobs/%1.tar.gz"_s.arg(hexOf(id)));
        if (!QFileInfo::exists(blob))
            continue;
        const auto files = layerBlobFiles(blob);
        if (files)
            out << DeltaLayer{id, files->size, QFileInfo(blob).size(), files->paths};
    }
    return out;
}

Status DeltaShipper::prepare(const QList<int> &toSend, const std::function<void(const QString &)> &say, const std::atomic_bool *cancel)
{
    if (toSend.isEmpty())
        return {};
    DeltaPlanInput input;
    input.serverZstd = m_facts.zstd;
    input.serverBlobs = m_facts.blobs;
    for (int i : toSend) {
        const auto &l = m_image.layers.at(i);
        const auto files = layerBlobFiles(l.blobPath);
        input.toSend << DeltaLayer{l.diffId, l.size, l.blobSize, files ? files->paths : QStringList()};
    }
    if (!m_facts.zstd.isEmpty())
        input.clientLayers = referenceCandidates();
    const QList<DeltaChoice> plan = planDeltas(input);
    bool noZstdSaid = false;
    for (int k = 0; k < plan.size(); ++k) {
        const DeltaChoice &c = plan.at(k);
        const int i = toSend.at(k);
        if (!c.delta) {
            // One line for "no zstd" (it concerns every layer); none for layers too small to matter.
            if (c.whyWhole.contains(u"zstd"_s) && !noZstdSaid) {
                m_notes << u"Whole layers: %1."_s.arg(c.whyWhole);
                noZstdSaid = true;
            } else if (!c.whyWhole.contains(u"zstd"_s) && input.toSend.at(k).wholeSize >= DeltaLimits().minWholeSize) {
                m_notes << u"%1 goes whole: %2."_s.arg(layerName(i), c.whyWhole);
            }
            continue;
        }
        say(u"Making a delta of %1 against %2…"_s.arg(layerName(i), c.referenceDiffId.mid(7, 12)));
        const auto patch = cachedLayerDelta(m_cache, c.referenceDiffId, c.diffId, c.windowLog, c.level, {}, cancel);
        if (!patch) {
            if (patch.failure().cancelled())
                return patch.failure();
            m_notes << u"%1 goes whole: the delta could not be made (%2)."_s.arg(layerName(i), patch.failure().sentence());
            continue;
        }
        if (const QString why = deltaNotWorthIt(patch->size, input.toSend.at(k).wholeSize); !why.isEmpty()) {
            m_notes << u"%1 goes whole: %2."_s.arg(layerName(i), why);
            continue;
        }
        m_patches.insert(i, *patch);
        m_windowLogs.insert(i, c.windowLog);
    }
    return {};
}

Result<DeltaShipper::Sent> DeltaShipper::send(int index, SshConnection &ssh, const QString &sharedVars,
                                              const std::function<void(qint64)> &progress, const std::atomic_bool *cancel,
                                              qint64 bytesPerSecond, const ExplainFn &explain)
{
    const DeltaPatch patch = m_patches.value(index);
    Sent sent;
    QFile in(patch.path);
    if (!in.open(QIODevice::ReadOnly)) {
        sent.whyWhole = u"%1 goes whole: its delta %2 cannot be read."_s.arg(layerName(index), patch.path);
        m_notes << sent.whyWhole;
        return sent;
    }
    const auto up = ssh.upload(&in, sharedVars + receivePatchCommand(patch.diffId, patch.referenceDiffId, patch.sha256, patch.size, false),
                               progress, cancel, bytesPerSecond);
    sent.sent = up.sent;
    if (!up.ok())
        return *up.failure;
    if (!up.output.contains("verified")) {
        sent.whyWhole = u"%1 goes whole: its delta arrived damaged (sha256 mismatch)."_s.arg(layerName(index));
        m_notes << sent.whyWhole;
        return sent;
    }
    const QString token = QUuid::createUuid().toString(QUuid::Id128);
    const ProcessResult apply = ssh.run(sharedVars + applyPatchCommand(patch.diffId, patch.referenceDiffId, m_windowLogs.value(index), token),
                                        600000);
    if (!apply.ok())
        return explain(apply, u"applying a delta"_s);
    const QString why = applyOutcome(apply.stdoutText());
    sent.applied = why.isEmpty();
    if (!sent.applied) {
        sent.whyWhole = u"%1 goes whole: %2."_s.arg(layerName(index), why);
        m_notes << sent.whyWhole;
    }
    return sent;
}

} // namespace Gantry
