// SPDX-License-Identifier: MIT
#pragma once

#include "imagearchive.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Gantry {

/// What one layer did to the filesystem.
struct LayerReport
{
    int index = 0;
    QString digest;
    QString diffId;
    QString createdBy;       ///< the instruction (from the config history)
    QString compression;
    qint64 size = 0;         ///< dive's layer size: the sum of its regular files' tar sizes
    qint64 compressedSize = -1;
    qint64 tarSize = 0;
    int entries = 0;         ///< dive's count: nodes of the layer's tree (implicit parents included)
    int added = 0, modified = 0, removed = 0;          ///< non-directory paths
    qint64 addedBytes = 0, modifiedBytes = 0, removedBytes = 0;
    qint64 reclaimableBytes = 0; ///< bytes of this layer's files that the final image does not show
};

/// dive's "inefficiency": a path several layers touched.
struct Inefficiency
{
    QString path;
    int count = 0;
    qint64 cumulativeSize = 0;
    QList<int> layers;
};

/// A copy of a file that is in a layer but not in the final filesystem.
struct ReclaimableItem
{
    enum class Reason : quint8 { Overwritten, Deleted, HiddenByOpaqueDirectory };
    QString path;
    qint64 size = 0;
    int layer = 0;           ///< the layer that holds the dead copy
    int byLayer = 0;         ///< the layer that overwrote / deleted / hid it
    Reason reason = Reason::Overwritten;
};

struct FileSize
{
    QString path;
    qint64 size = 0;
    int layer = 0;
};

/// The whole size story of one image.
struct ImageReport
{
    ImageData image;
    QList<LayerReport> layers;
    // dive-compatible figures
    qint64 sizeBytes = 0;        ///< Σ layer sizes
    qint64 userSizeBytes = 0;    ///< Σ layer sizes but the first
    double efficiency = 1.0;
    qint64 wastedBytes = 0;
    double userWastedPercent = 0.0;
    int fileEntries = 0;         ///< Σ entries
    QList<Inefficiency> inefficiencies; ///< largest cumulative size first
    // Gantry's own
    qint64 finalSizeBytes = 0;   ///< bytes of regular files in the final filesystem
    int finalFiles = 0;
    qint64 reclaimableBytes = 0; ///< Σ sizeBytes − finalSizeBytes: each dead copy counted once
    QList<ReclaimableItem> reclaimable; ///< largest first
    QList<FileSize> largestFiles;       ///< of the final filesystem, largest first
    QStringList payloadRoots;            ///< what counts as payload (binary, frontend folders)
    qint64 payloadBytes = 0;
    int payloadFiles = 0;
    qint64 overheadBytes = 0;            ///< finalSizeBytes − payloadBytes

    QString title() const;
};

struct AnalyzeOptions
{
    /// Paths that are the application (files, or folders whose files all count). Empty:
    /// the entrypoint's binary and the frontend folders beside it (public, static, dist,
    /// www, html, frontend) plus /usr/share/nginx/html and /var/www.
    QStringList payload;
    int largestFiles = 20;
};

ImageReport analyzeImage(const ImageData &image, const AnalyzeOptions &options = {});

/// The state of every path when the stack is seen up to one layer (dive's tree view).
struct LayerView
{
    enum class Change : quint8 { Absent, Unchanged, Added, Modified, Removed };
    struct Node
    {
        Change change = Change::Absent;
        bool directory = false;
        bool link = false;
        qint64 size = 0;        ///< own size (files) or Σ of live files below (directories)
        int layer = -1;         ///< the layer the visible copy comes from
        quint32 mode = 0;
    };
    QList<Node> nodes;          ///< by path id of image.paths
};
LayerView layerView(const ImageReport &report, int layer);

/// Two images side by side.
struct ImageDiff
{
    struct Layer
    {
        int index = 0;
        QString createdByA, createdByB;
        qint64 sizeA = -1, sizeB = -1; ///< -1: no such layer
        bool same = false;             ///< same diff id
    };
    struct Path
    {
        QString path;
        qint64 sizeA = -1, sizeB = -1; ///< -1: absent
        qint64 delta() const { return std::max<qint64>(sizeB, 0) - std::max<qint64>(sizeA, 0); }
    };
    qint64 sizeA = 0, sizeB = 0;
    QList<Layer> layers;
    QList<Path> paths;   ///< changed files, largest |delta| first
};
ImageDiff diffImages(const ImageReport &a, const ImageReport &b);

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ImageReport)
