// SPDX-License-Identifier: MIT
// Internal to the image reader (imagearchive.cpp): reads one layer blob of an image archive
// into an ImageLayer, refusing hostile paths, links, truncation and decompression bombs.
#pragma once

#include "imagearchive.h"
#include "util/failure.h"

class KArchiveFile;

namespace Gantry {

/// Whether the link at LINKPATH with the relative TARGET resolves above the image's root.
bool climbsOut(const QString &linkPath, const QString &target);

/// Reads the layer BLOB (decompressing as needed) into LAYER: its entries, its sizes and
/// compression; paths are interned in PATHS. OPTIONS gives the caps and the cancel flag.
Status readLayer(const KArchiveFile *blob, ImageLayer &layer, PathTable &paths, const ImageReadOptions &options);

} // namespace Gantry
