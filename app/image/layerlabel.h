// SPDX-License-Identifier: MIT
#pragma once

#include "imagereport.h"

#include <QString>

namespace Gantry {

/// What a layer holds, in a few characters: the deepest path that holds most of the
/// layer's bytes ("/app/ledger", "/usr/lib"), else the instruction's target ("WORKDIR
/// /app" → "/app"), else "/" for a layer spread over the whole tree.
QString layerContentPath(const ImageReport &report, int layer);

/// "/app/ledger · 3.7 MB": what the chart writes beside a layer's bar.
QString layerLabel(const ImageReport &report, int layer);

} // namespace Gantry
