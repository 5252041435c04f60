// SPDX-License-Identifier: MIT
#include "reportformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Gantry::ImageReport", text);
}

QString reasonKey(ReclaimableItem::Reason r)
{
    switch (r) {
    case ReclaimableItem::Reason::Overwritten:
        return u"overwritten"_s;
    case ReclaimableItem::Reason::Deleted:
        return u"deleted"_s;
    case ReclaimableItem::Reason::HiddenByOpaqueDirectory:
        return u"hiddenByOpaqueDirectory"_s;
    }
    return {};
}

QString oneLine(QString s, int max = 70)
{
    s = s.simplified();
    if (s.startsWith(u"/bin/sh -c #(nop) "_s))
        s = s.mid(18).trimmed();
    else if (s.startsWith(u"/bin/sh -c "_s))
        s = u"RUN "_s + s.mid(11);
    if (s.size() > max)
        s = s.left(max - 1) + u'…';
    return s;
}

} // namespace


QJsonObject reportToJson(const ImageReport &r)
{
    QJsonObject o;
    o[u"source"] = r.image.source;
    o[u"format"] = r.image.format;
    o[u"imageId"] = r.image.config.id;
    o[u"repoTags"] = QJsonArray::fromStringList(r.image.config.repoTags);
    o[u"architecture"] = r.image.config.architecture;
    o[u"os"] = r.image.config.os;
    o[u"sizeBytes"] = double(r.sizeBytes);
    o[u"userSizeBytes"] = double(r.userSizeBytes);
    o[u"efficiency"] = r.efficiency;
    o[u"wastedBytes"] = double(r.wastedBytes);
    o[u"userWastedPercent"] = r.userWastedPercent;
    o[u"fileEntries"] = r.fileEntries;
    o[u"reclaimableBytes"] = double(r.reclaimableBytes);
    o[u"finalSizeBytes"] = double(r.finalSizeBytes);
    o[u"finalFiles"] = r.finalFiles;
    o[u"payloadBytes"] = double(r.payloadBytes);
    o[u"payloadFiles"] = r.payloadFiles;
    o[u"overheadBytes"] = double(r.overheadBytes);
    o[u"payloadPaths"] = QJsonArray::fromStringList(r.payloadRoots);
    QJsonArray layers;
    for (const LayerReport &l : r.layers) {
        QJsonObject lo;
        lo[u"index"] = l.index;
        lo[u"digest"] = l.digest;
        lo[u"diffId"] = l.diffId;
        lo[u"createdBy"] = l.createdBy;
        lo[u"compression"] = l.compression;
        lo[u"size"] = double(l.size);
        lo[u"compressedSize"] = l.compressedSize >= 0 ? QJsonValue(double(l.compressedSize)) : QJsonValue();
        lo[u"tarSize"] = double(l.tarSize);
        lo[u"entries"] = l.entries;
        lo[u"filesAdded"] = l.added;
        lo[u"filesModified"] = l.modified;
        lo[u"filesRemoved"] = l.removed;
        lo[u"addedBytes"] = double(l.addedBytes);
        lo[u"modifiedBytes"] = double(l.modifiedBytes);
        lo[u"removedBytes"] = double(l.removedBytes);
        lo[u"reclaimableBytes"] = double(l.reclaimableBytes);
        layers.append(lo);
    }
    o[u"layers"] = layers;
    QJsonArray ineff;
    for (const Inefficiency &i : r.inefficiencies) {
        QJsonArray ls;
        for (int l : i.layers)
            ls.append(l);
        ineff.append(QJsonObject{{u"path"_s, i.path}, {u"count"_s, i.count},
                                 {u"cumulativeSize"_s, double(i.cumulativeSize)}, {u"layers"_s, ls}});
    }
    o[u"inefficiencies"] = ineff;
    QJsonArray recl;
    for (const ReclaimableItem &i : r.reclaimable)
        recl.append(QJsonObject{{u"path"_s, i.path}, {u"size"_s, double(i.size)}, {u"layer"_s, i.layer},
                                {u"byLayer"_s, i.byLayer}, {u"reason"_s, reasonKey(i.reason)}});
    o[u"reclaimable"] = recl;
    QJsonArray largest;
    for (const FileSize &f : r.largestFiles)
        largest.append(QJsonObject{{u"path"_s, f.path}, {u"size"_s, double(f.size)}, {u"layer"_s, f.layer}});
    o[u"largestFiles"] = largest;
    return o;
}

QString reportToText(const ImageReport &r)
{
    QString s;
    QTextStream t(&s);
    t << tr("Image") << ": " << r.title() << " (" << r.image.format << ", " << r.image.config.id.left(19) << ")\n";
    t << tr("Layers") << ": " << r.layers.size() << "    " << tr("Size") << ": " << formatBytes(r.sizeBytes) << " ("
      << r.sizeBytes << " bytes)    " << tr("User size") << ": " << formatBytes(r.userSizeBytes) << '\n';
    t << tr("Efficiency") << ": " << QString::number(r.efficiency * 100, 'f', 2) << " %    " << tr("Wasted") << ": "
      << formatBytes(r.wastedBytes) << " (" << r.wastedBytes << " bytes)    " << tr("User wasted") << ": "
      << QString::number(r.userWastedPercent * 100, 'f', 2) << " %\n";
    t << tr("Reclaimable") << ": " << formatBytes(r.reclaimableBytes) << " (" << r.reclaimableBytes << " bytes)    "
      << tr("Final filesystem") << ": " << formatBytes(r.finalSizeBytes) << " in " << r.finalFiles << " files\n";
    t << tr("Payload") << ": " << formatBytes(r.payloadBytes) << " in " << r.payloadFiles << " files ("
      << (r.payloadRoots.isEmpty() ? tr("none found") : r.payloadRoots.join(u", "_s)) << ")    " << tr("Overhead") << ": "
      << formatBytes(r.overheadBytes) << "\n\n";
    t << qSetFieldWidth(4) << "#" << qSetFieldWidth(11) << tr("Size") << qSetFieldWidth(8) << tr("Entries")
      << qSetFieldWidth(0) << "  +/~/-       " << tr("Instruction") << '\n';
    for (const LayerReport &l : r.layers) {
        const QString changes = u"%1/%2/%3"_s.arg(l.added).arg(l.modified).arg(l.removed);
        t << qSetFieldWidth(4) << l.index << qSetFieldWidth(11) << formatBytes(l.size) << qSetFieldWidth(8) << l.entries
          << qSetFieldWidth(0) << "  " << changes.leftJustified(12) << ' ' << oneLine(l.createdBy) << '\n';
    }
    if (!r.inefficiencies.isEmpty()) {
        t << '\n' << tr("Paths touched by several layers (dive's inefficiencies)") << ":\n";
        int shown = 0;
        for (const Inefficiency &i : r.inefficiencies) {
            if (++shown > 15) {
                t << "  … " << r.inefficiencies.size() - 15 << " more\n";
                break;
            }
            t << "  " << qSetFieldWidth(10) << formatBytes(i.cumulativeSize) << qSetFieldWidth(0) << "  x" << i.count << "  "
              << i.path << '\n';
        }
    }
    if (!r.reclaimable.isEmpty()) {
        t << '\n' << tr("Reclaimable copies (a better Dockerfile would not ship them)") << ":\n";
        int shown = 0;
        for (const ReclaimableItem &i : r.reclaimable) {
            if (++shown > 15) {
                t << "  … " << r.reclaimable.size() - 15 << " more\n";
                break;
            }
            const QString why = i.reason == ReclaimableItem::Reason::Overwritten ? tr("overwritten in layer %1")
                                : i.reason == ReclaimableItem::Reason::Deleted ? tr("deleted in layer %1")
                                                                               : tr("hidden by an opaque directory in layer %1");
            t << "  " << qSetFieldWidth(10) << formatBytes(i.size) << qSetFieldWidth(0) << "  " << i.path << "  (layer "
              << i.layer << ", " << why.arg(i.byLayer) << ")\n";
        }
    }
    if (!r.largestFiles.isEmpty()) {
        t << '\n' << tr("Largest files") << ":\n";
        int shown = 0;
        for (const FileSize &f : r.largestFiles) {
            if (++shown > 10)
                break;
            t << "  " << qSetFieldWidth(10) << formatBytes(f.size) << qSetFieldWidth(0) << "  " << f.path << "  (layer "
              << f.layer << ")\n";
        }
    }
    return s;
}

QJsonObject diffToJson(const ImageDiff &d, const QString &nameA, const QString &nameB)
{
    QJsonObject o;
    o[u"a"] = nameA;
    o[u"b"] = nameB;
    o[u"sizeBytesA"] = double(d.sizeA);
    o[u"sizeBytesB"] = double(d.sizeB);
    o[u"sizeChange"] = double(d.sizeB - d.sizeA);
    QJsonArray layers;
    for (const auto &l : d.layers)
        layers.append(QJsonObject{{u"index"_s, l.index},
                                  {u"sizeA"_s, l.sizeA < 0 ? QJsonValue() : QJsonValue(double(l.sizeA))},
                                  {u"sizeB"_s, l.sizeB < 0 ? QJsonValue() : QJsonValue(double(l.sizeB))},
                                  {u"same"_s, l.same},
                                  {u"createdByA"_s, l.createdByA},
                                  {u"createdByB"_s, l.createdByB}});
    o[u"layers"] = layers;
    QJsonArray paths;
    for (const auto &p : d.paths)
        paths.append(QJsonObject{{u"path"_s, p.path},
                                 {u"sizeA"_s, p.sizeA < 0 ? QJsonValue() : QJsonValue(double(p.sizeA))},
                                 {u"sizeB"_s, p.sizeB < 0 ? QJsonValue() : QJsonValue(double(p.sizeB))},
                                 {u"change"_s, double(p.delta())}});
    o[u"paths"] = paths;
    return o;
}

QString diffToText(const ImageDiff &d, const QString &nameA, const QString &nameB, int maxPaths)
{
    QString s;
    QTextStream t(&s);
    const qint64 change = d.sizeB - d.sizeA;
    t << "A: " << nameA << "  " << formatBytes(d.sizeA) << '\n' << "B: " << nameB << "  " << formatBytes(d.sizeB) << '\n';
    t << tr("Change") << ": " << (change >= 0 ? "+" : "") << formatBytes(change) << " (" << change << " bytes)\n\n";
    t << tr("Layers") << ":\n";
    for (const auto &l : d.layers) {
        const QString a = l.sizeA < 0 ? u"—"_s : formatBytes(l.sizeA);
        const QString b = l.sizeB < 0 ? u"—"_s : formatBytes(l.sizeB);
        const qint64 delta = std::max<qint64>(l.sizeB, 0) - std::max<qint64>(l.sizeA, 0);
        t << "  " << qSetFieldWidth(3) << l.index << qSetFieldWidth(11) << a << qSetFieldWidth(11) << b << qSetFieldWidth(12)
          << (delta > 0 ? u"+"_s : QString()) + formatBytes(delta) << qSetFieldWidth(0) << "  "
          << (l.same ? tr("same layer") : oneLine(l.createdByB.isEmpty() ? l.createdByA : l.createdByB, 50)) << '\n';
    }
    t << '\n' << tr("Paths") << " (" << d.paths.size() << " " << tr("changed") << "):\n";
    int shown = 0;
    for (const auto &p : d.paths) {
        if (++shown > maxPaths) {
            t << "  … " << d.paths.size() - maxPaths << " more\n";
            break;
        }
        const char *mark = p.sizeA < 0 ? "+" : p.sizeB < 0 ? "-" : "~";
        t << "  " << mark << ' ' << qSetFieldWidth(11) << (p.delta() > 0 ? u"+"_s : QString()) + formatBytes(p.delta())
          << qSetFieldWidth(0) << "  " << p.path << '\n';
    }
    return s;
}

QStringList ciFailures(const ImageReport &r, const CiRules &rules)
{
    QStringList out;
    if (rules.lowestEfficiency && r.efficiency < *rules.lowestEfficiency)
        out << tr("lowest-efficiency: the efficiency is %1, below the allowed %2.")
                   .arg(QString::number(r.efficiency, 'f', 4), QString::number(*rules.lowestEfficiency, 'f', 4));
    if (rules.highestWastedBytes && r.wastedBytes > *rules.highestWastedBytes)
        out << tr("highest-wasted-bytes: %1 bytes are wasted, more than the allowed %2.")
                   .arg(r.wastedBytes)
                   .arg(*rules.highestWastedBytes);
    if (rules.highestUserWastedPercent && r.userWastedPercent > *rules.highestUserWastedPercent)
        out << tr("highest-user-wasted-percent: %1 of the user size is wasted, more than the allowed %2.")
                   .arg(QString::number(r.userWastedPercent, 'f', 4), QString::number(*rules.highestUserWastedPercent, 'f', 4));
    if (rules.maxSize && r.sizeBytes > *rules.maxSize)
        out << tr("max-size: the image is %1 (%2 bytes), more than the allowed %3 bytes.")
                   .arg(formatBytes(r.sizeBytes))
                   .arg(r.sizeBytes)
                   .arg(*rules.maxSize);
    return out;
}

std::optional<qint64> parseByteSize(const QString &text)
{
    static const QRegularExpression re(u"^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kKmMgGtT]?)(i?)[bB]?\\s*$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    const double base = m.captured(3).isEmpty() ? 1000.0 : 1024.0;
    const int power = unit.isEmpty() ? 0 : QStringLiteral("kmgt").indexOf(unit) + 1;
    for (int i = 0; i < power; ++i)
        value *= base;
    return qint64(value);
}

std::optional<double> parseRatio(const QString &text)
{
    QString t = text.trimmed();
    bool percent = false;
    if (t.endsWith(u'%')) {
        percent = true;
        t.chop(1);
    }
    bool ok = false;
    double v = t.toDouble(&ok);
    if (!ok || v < 0)
        return std::nullopt;
    if (percent)
        v /= 100.0;
    return v;
}

} // namespace Gantry
