// SPDX-License-Identifier: MIT
#pragma once

#include "deltaplan.h"
#include "deltaremote.h"
#include "layerdelta.h"
#include "util/failure.h"
#include "util/processrunner.h"

#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>

namespace Gantry {

class SshConnection;
struct PreparedImage;

/// The in-layer deltas of one ship to one server: which layers go as zstd patches (planned
/// from what both sides hold), the patches made (once, cached), then each one sent, applied
/// and checked on the server. A layer whose delta cannot be used goes whole, with one line
/// saying why.
class DeltaShipper
{
public:
    /// Turns a failed remote command into the shipper's one sentence.
    using ExplainFn = std::function<Failure(const ProcessResult &, const QString &what)>;

    DeltaShipper(const PreparedImage &image, QString cacheDir, ServerDeltaFacts facts);

    /// Plans the layers (indexes into the image) the server lacks and makes their patches.
    /// notes() then holds a line for each layer that will go whole although a delta was
    /// possible in principle. Fails only when cancelled.
    Status prepare(const QList<int> &toSend, const std::function<void(const QString &)> &say, const std::atomic_bool *cancel);

    bool hasPatch(int index) const { return m_patches.contains(index); }
    qint64 patchSize(int index) const { return m_patches.value(index).size; }
    QString referenceOf(int index) const { return m_patches.value(index).referenceDiffId; }

    struct Sent
    {
        bool applied = false; ///< the server rebuilt and checked the layer: it need not go whole
        qint64 sent = 0;      ///< bytes handed to ssh
        QString whyWhole;     ///< when !applied: a line for the user
    };
    /// Sends layer index's patch and has the server apply it. A Failure only for what would
    /// fail a whole upload too (broken link, full disk, cancel).
    Result<Sent> send(int index, SshConnection &ssh, const QString &sharedVars, const std::function<void(qint64)> &progress,
                      const std::atomic_bool *cancel, qint64 bytesPerSecond, const ExplainFn &explain);

    QStringList notes() const { return m_notes; }

private:
    QString layerName(int index) const;
    QList<DeltaLayer> referenceCandidates() const;

    const PreparedImage &m_image;
    QString m_cache;
    ServerDeltaFacts m_facts;
    QHash<int, DeltaPatch> m_patches;
    QHash<int, int> m_windowLogs;
    QStringList m_notes;
};

} // namespace Gantry
