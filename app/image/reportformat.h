// SPDX-License-Identifier: MIT
#pragma once

#include "util/format.h"

#include "imagereport.h"

#include <QJsonObject>

#include <optional>

namespace Gantry {

/// The report as JSON, with stable keys (`layers[].size`, `efficiency`, `wastedBytes`,
/// `userWastedPercent`, `reclaimableBytes`, `sizeBytes`, `userSizeBytes`, ...).
QJsonObject reportToJson(const ImageReport &report);
/// The report as text for a terminal.
QString reportToText(const ImageReport &report);

QJsonObject diffToJson(const ImageDiff &diff, const QString &nameA, const QString &nameB);
QString diffToText(const ImageDiff &diff, const QString &nameA, const QString &nameB, int maxPaths = 30);

/// dive's CI rules, plus a size cap.
struct CiRules
{
    std::optional<double> lowestEfficiency;        ///< fail when efficiency is below
    std::optional<qint64> highestWastedBytes;      ///< fail when wasted bytes are above
    std::optional<double> highestUserWastedPercent;///< fail when above (a ratio, 0.1 = 10 %)
    std::optional<qint64> maxSize;                 ///< fail when sizeBytes is above
};
/// One sentence per broken rule; empty when all pass.
QStringList ciFailures(const ImageReport &report, const CiRules &rules);

/// "1048576", "20MB", "1.5 GiB", "500k" → bytes; nullopt when unreadable.
std::optional<qint64> parseByteSize(const QString &text);
/// "0.9", "90%" → 0.9
std::optional<double> parseRatio(const QString &text);

// formatBytes(): util/format.h

} // namespace Gantry
