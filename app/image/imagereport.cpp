// SPDX-License-Identifier: MIT
#include "imagereport.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

using Kind = LayerEntry::Kind;

/// Applies layers one after the other, the way the container runtime stacks them:
/// opaque directories hide what earlier layers put below them, whiteouts delete a path
/// and everything under it, entries add or replace.
struct Stacker
{
    struct Live
    {
        bool present = false;
        Kind kind = Kind::File;
        qint64 size = 0;
        int layer = -1;
        quint32 mode = 0;
    };
    using Reason = ReclaimableItem::Reason;

    const PathTable &paths;
    QList<Live> live;
    /// A present path went away (a file's copy is dead, or a directory/link vanished).
    std::function<void(int path, const Live &old, int byLayer, Reason reason)> onRemoved;
    /// An entry was applied; old.present says whether it replaced something.
    std::function<void(int path, const Live &old, const LayerEntry &entry, int layer)> onSet;

    explicit Stacker(const PathTable &table)
        : paths(table)
        , live(table.size())
    {
    }

    void removeBelow(int root, bool includeRoot, int byLayer, Reason reason)
    {
        QList<int> stack;
        if (includeRoot)
            stack.append(root);
        else
            stack.append(paths.children(root));
        while (!stack.isEmpty()) {
            const int p = stack.takeLast();
            Live &l = live[p];
            // Only what earlier layers made: an opaque marker keeps its own layer's entries.
            if (l.present && l.layer < byLayer) {
                const Live old = l;
                l.present = false;
                if (onRemoved)
                    onRemoved(p, old, byLayer, reason);
            }
            stack.append(paths.children(p));
        }
    }

    void apply(const ImageLayer &layer, int idx)
    {
        for (const LayerEntry &e : layer.entries)
            if (e.kind == Kind::OpaqueMarker)
                removeBelow(e.path, false, idx, Reason::HiddenByOpaqueDirectory);
        for (const LayerEntry &e : layer.entries)
            if (e.kind == Kind::Whiteout)
                removeBelow(e.path, true, idx, Reason::Deleted);
        for (const LayerEntry &e : layer.entries) {
            if (e.kind == Kind::Whiteout || e.kind == Kind::OpaqueMarker)
                continue;
            Live &l = live[e.path];
            const Live old = l;
            if (old.present && old.layer == idx)
                continue; // the same path twice in one layer: the tar's first wins
            if (old.present && old.kind == Kind::Directory && e.kind != Kind::Directory)
                removeBelow(e.path, false, idx, Reason::Deleted);
            if (old.present && old.kind != Kind::Directory && onRemoved && old.kind == Kind::File)
                onRemoved(e.path, old, idx, Reason::Overwritten);
            l.present = true;
            l.kind = e.kind;
            l.size = e.kind == Kind::File ? e.size : 0;
            l.layer = idx;
            l.mode = e.mode;
            if (onSet)
                onSet(e.path, old, e, idx);
        }
    }
};

/// The "previous state" of dive's stacked tree (no opaque directories applied).
struct DiveState
{
    bool present = false;
    bool directory = false;
    qint64 size = 0;
};

/// dive's efficiency and waste, layer by layer: each layer's paths (entries and their
/// implicit parents) are stacked onto a tree of what the layers below left, the way dive
/// builds its tree, so the numbers match dive's on the same image (tests/data/dive).
class DiveStack
{
public:
    explicit DiveStack(ImageReport &r)
        : m_r(r), m_paths(*r.image.paths), m_state(m_paths.size()), m_nodeStamp(m_paths.size(), -1),
          m_innerStamp(m_paths.size(), -1), m_entryIndex(m_paths.size(), -1)
    {
    }

    void run()
    {
        for (int idx = 0; idx < m_r.image.layers.size(); ++idx) {
            const ImageLayer &layer = m_r.image.layers.at(idx);
            const QList<int> nodes = collectNodes(layer, idx);
            sizeLeaves(layer, nodes, idx);
            stack(layer, nodes);
        }
        summarize();
    }

private:
    struct Eff
    {
        qint64 cum = 0;
        qint64 min = -1;
        QList<int> layers;
    };

    /// The layer's paths and their parents, in first-seen order; fills the layer's size and count.
    QList<int> collectNodes(const ImageLayer &layer, int idx)
    {
        LayerReport &lr = m_r.layers[idx];
        QList<int> nodes;
        for (int i = 0; i < layer.entries.size(); ++i) {
            const LayerEntry &e = layer.entries.at(i);
            if (e.kind == Kind::OpaqueMarker)
                continue; // dive drops these markers
            if (e.kind == Kind::File)
                lr.size += e.size;
            if (m_nodeStamp[e.path] != idx) {
                m_nodeStamp[e.path] = idx;
                nodes.append(e.path);
            }
            m_entryIndex[e.path] = i;
            for (int a = m_paths.parent(e.path); a > PathTable::Root; a = m_paths.parent(a)) {
                if (m_innerStamp[a] == idx)
                    break;
                m_innerStamp[a] = idx;
                if (m_nodeStamp[a] != idx) {
                    m_nodeStamp[a] = idx;
                    nodes.append(a);
                    m_entryIndex[a] = -1;
                }
            }
        }
        lr.entries = int(nodes.size());
        return nodes;
    }

    qint64 subtreeSize(int root) const
    {
        qint64 sum = 0;
        QList<int> stack{root};
        while (!stack.isEmpty()) {
            const int p = stack.takeLast();
            if (!m_state[p].present)
                continue;
            sum += m_state[p].size;
            stack.append(m_paths.children(p));
        }
        return sum;
    }

    /// Leaves of the layer's tree, sized against the stack below this layer.
    void sizeLeaves(const ImageLayer &layer, const QList<int> &nodes, int idx)
    {
        for (const int p : nodes) {
            if (m_innerStamp[p] == idx)
                continue;
            const int ei = m_entryIndex[p];
            qint64 size = 0;
            if (ei >= 0) {
                const LayerEntry &e = layer.entries.at(ei);
                if (e.kind == Kind::Whiteout)
                    size = m_state[p].present && m_state[p].directory ? subtreeSize(p) : 0;
                else
                    size = e.kind == Kind::File ? e.size : 0;
            }
            Eff &d = m_eff[p];
            d.cum += size;
            if (d.min < 0 || size < d.min)
                d.min = size;
            d.layers.append(idx);
        }
    }

    /// Stacks this layer onto dive's tree: whiteouts first, then what the layer holds.
    void stack(const ImageLayer &layer, const QList<int> &nodes)
    {
        for (const int p : nodes) {
            const int ei = m_entryIndex[p];
            if (ei < 0 || layer.entries.at(ei).kind != Kind::Whiteout)
                continue;
            QList<int> stack{p};
            while (!stack.isEmpty()) {
                const int q = stack.takeLast();
                if (!m_state[q].present)
                    continue;
                m_state[q] = {};
                stack.append(m_paths.children(q));
            }
        }
        for (const int p : nodes) {
            const int ei = m_entryIndex[p];
            DiveState &s = m_state[p];
            if (ei < 0) {
                s.present = true; // an implicit parent: keeps what it was
                continue;
            }
            const LayerEntry &e = layer.entries.at(ei);
            if (e.kind == Kind::Whiteout)
                continue;
            s.present = true;
            s.directory = e.kind == Kind::Directory;
            s.size = e.kind == Kind::File ? e.size : 0;
        }
    }

    void summarize()
    {
        qint64 minSum = 0, cumSum = 0;
        for (auto it = m_eff.cbegin(); it != m_eff.cend(); ++it) {
            minSum += it->min;
            cumSum += it->cum;
            if (it->layers.size() >= 2) {
                m_r.wastedBytes += it->cum;
                m_r.inefficiencies.append({m_paths.path(it.key()), int(it->layers.size()), it->cum, it->layers});
            }
        }
        m_r.efficiency = cumSum == 0 ? 1.0 : double(minSum) / double(cumSum);
        std::sort(m_r.inefficiencies.begin(), m_r.inefficiencies.end(), [](const Inefficiency &a, const Inefficiency &b) {
            return a.cumulativeSize != b.cumulativeSize ? a.cumulativeSize > b.cumulativeSize : a.path < b.path;
        });
        for (const LayerReport &l : std::as_const(m_r.layers)) {
            m_r.sizeBytes += l.size;
            m_r.fileEntries += l.entries;
            if (l.index > 0)
                m_r.userSizeBytes += l.size;
        }
        m_r.userWastedPercent = m_r.userSizeBytes == 0 ? 0.0 : double(m_r.wastedBytes) / double(m_r.userSizeBytes);
    }

    ImageReport &m_r;
    const PathTable &m_paths;
    QList<DiveState> m_state;
    QHash<int, Eff> m_eff;
    QList<int> m_nodeStamp, m_innerStamp, m_entryIndex;
};

void computeDive(ImageReport &r) { DiveStack(r).run(); }

QString resolve(const QString &path, const QString &workingDir)
{
    if (path.startsWith(u'/'))
        return path;
    const QString base = workingDir.isEmpty() ? u"/"_s : workingDir;
    QString joined = base.endsWith(u'/') ? QString(base + path) : QString(base + u'/' + path);
    while (joined.contains(u"/./"_s))
        joined.replace(u"/./"_s, u"/"_s);
    return joined;
}

QStringList defaultPayload(const ImageReport &r, const QList<Stacker::Live> &live)
{
    const PathTable &paths = *r.image.paths;
    const ImageConfig &c = r.image.config;
    QStringList roots;
    QString binary;
    const QStringList command = !c.entrypoint.isEmpty() ? c.entrypoint : c.cmd;
    if (!command.isEmpty())
        binary = resolve(command.first(), c.workingDir);
    QStringList dirs;
    const int bin = binary.isEmpty() ? -1 : paths.find(binary);
    if (bin >= 0 && live[bin].present) {
        roots << binary;
        dirs << binary.left(binary.lastIndexOf(u'/'));
    }
    if (!c.workingDir.isEmpty())
        dirs << c.workingDir;
    for (const QString &dir : std::as_const(dirs))
        for (const char16_t *name : {u"public", u"static", u"dist", u"www", u"html", u"frontend"}) {
            const QString p = (dir == u"/" ? QString() : dir) + u'/' + QString::fromUtf16(name);
            const int id = paths.find(p);
            if (id >= 0 && live[id].present && live[id].kind == Kind::Directory && !roots.contains(p))
                roots << p;
        }
    for (const QString &p : {u"/usr/share/nginx/html"_s, u"/var/www"_s}) {
        const int id = paths.find(p);
        if (id >= 0 && live[id].present && !roots.contains(p))
            roots << p;
    }
    return roots;
}

} // namespace

QString ImageReport::title() const
{
    if (!image.config.repoTags.isEmpty())
        return image.config.repoTags.first();
    return image.source;
}

namespace {

/// One LayerReport per layer, with what the archive says about it.
void addLayerReports(ImageReport &r)
{
    for (int i = 0; i < r.image.layers.size(); ++i) {
        const ImageLayer &l = r.image.layers.at(i);
        LayerReport lr;
        lr.index = i;
        lr.digest = l.digest;
        lr.diffId = l.diffId;
        lr.createdBy = l.createdBy;
        lr.compression = l.compression;
        lr.compressedSize = l.compressedSize;
        lr.tarSize = l.tarSize;
        r.layers.append(lr);
    }
}

/// Stacks the layers: what each adds, modifies and removes, and which files a later layer
/// hides (reclaimable, largest first). STACK holds the final file system afterwards.
void stackLayers(ImageReport &r, Stacker &stack)
{
    const PathTable &paths = *r.image.paths;
    stack.onRemoved = [&](int p, const Stacker::Live &old, int byLayer, ReclaimableItem::Reason reason) {
        if (old.kind != Kind::Directory && reason != ReclaimableItem::Reason::Overwritten) {
            r.layers[byLayer].removed++;
            r.layers[byLayer].removedBytes += old.size;
        }
        if (old.kind == Kind::File) {
            r.reclaimable.append({paths.path(p), old.size, old.layer, byLayer, reason});
            r.layers[old.layer].reclaimableBytes += old.size;
            r.reclaimableBytes += old.size;
        }
    };
    stack.onSet = [&](int, const Stacker::Live &old, const LayerEntry &e, int idx) {
        if (e.kind == Kind::Directory)
            return;
        LayerReport &lr = r.layers[idx];
        if (old.present) {
            lr.modified++;
            lr.modifiedBytes += e.size;
        } else {
            lr.added++;
            lr.addedBytes += e.size;
        }
    };
    for (int i = 0; i < r.image.layers.size(); ++i)
        stack.apply(r.image.layers.at(i), i);
    std::sort(r.reclaimable.begin(), r.reclaimable.end(), [](const ReclaimableItem &a, const ReclaimableItem &b) {
        return a.size != b.size ? a.size > b.size : a.path < b.path;
    });
}

bool largerFirst(const FileSize &a, const FileSize &b)
{
    return a.size != b.size ? a.size > b.size : a.path < b.path;
}

/// The final file system's totals, the payload's share and the largest files.
void countFinalFiles(ImageReport &r, const QList<Stacker::Live> &live, int largest)
{
    const PathTable &paths = *r.image.paths;
    QList<FileSize> files;
    for (int p = 0; p < paths.size(); ++p) {
        const auto &l = live.at(p);
        if (!l.present || l.kind != Kind::File)
            continue;
        r.finalSizeBytes += l.size;
        r.finalFiles++;
        const QString &path = paths.path(p);
        for (const QString &root : std::as_const(r.payloadRoots))
            if (path == root || (path.startsWith(root) && path.at(root.size()) == u'/')) {
                r.payloadBytes += l.size;
                r.payloadFiles++;
                break;
            }
        if (largest > 0) {
            files.append({path, l.size, l.layer});
            if (files.size() > largest * 8) {
                std::partial_sort(files.begin(), files.begin() + largest, files.end(),
                                  [](const FileSize &a, const FileSize &b) { return a.size > b.size; });
                files.resize(largest);
            }
        }
    }
    std::sort(files.begin(), files.end(), largerFirst);
    if (files.size() > largest)
        files.resize(largest);
    r.largestFiles = files;
    r.overheadBytes = r.finalSizeBytes - r.payloadBytes;
}

/// The default payload roots that hold at least one file.
QStringList rootsHoldingFiles(const ImageReport &r, const QList<Stacker::Live> &live)
{
    const PathTable &paths = *r.image.paths;
    QStringList used;
    for (const QString &root : std::as_const(r.payloadRoots)) {
        const int id = paths.find(root);
        bool any = false;
        QList<int> todo{id};
        while (id >= 0 && !todo.isEmpty() && !any) {
            const int p = todo.takeLast();
            any = live.at(p).present && live.at(p).kind == Kind::File;
            todo.append(paths.children(p));
        }
        if (any)
            used << root;
    }
    return used;
}

} // namespace

ImageReport analyzeImage(const ImageData &image, const AnalyzeOptions &options)
{
    ImageReport r;
    r.image = image;
    if (!r.image.paths)
        r.image.paths = std::make_shared<PathTable>();
    addLayerReports(r);
    computeDive(r);
    Stacker stack(*r.image.paths);
    stackLayers(r, stack);
    r.payloadRoots = options.payload.isEmpty() ? defaultPayload(r, stack.live) : options.payload;
    countFinalFiles(r, stack.live, options.largestFiles);
    if (options.payload.isEmpty())
        r.payloadRoots = rootsHoldingFiles(r, stack.live); // only the default roots that hold something
    return r;
}

LayerView layerView(const ImageReport &report, int layer)
{
    const PathTable &paths = *report.image.paths;
    LayerView view;
    view.nodes.resize(paths.size());
    Stacker stack(paths);
    QList<std::pair<int, Stacker::Live>> removedHere;
    stack.onRemoved = [&](int p, const Stacker::Live &old, int byLayer, ReclaimableItem::Reason reason) {
        if (byLayer == layer && reason != ReclaimableItem::Reason::Overwritten)
            removedHere.append({p, old});
    };
    QList<std::pair<int, bool>> setHere;
    stack.onSet = [&](int p, const Stacker::Live &old, const LayerEntry &, int idx) {
        if (idx == layer)
            setHere.append({p, old.present});
    };
    const int last = std::min<int>(layer, int(report.image.layers.size()) - 1);
    for (int i = 0; i <= last; ++i)
        stack.apply(report.image.layers.at(i), i);
    for (int p = 0; p < paths.size(); ++p) {
        const auto &l = stack.live.at(p);
        if (!l.present)
            continue;
        auto &node = view.nodes[p];
        node.change = LayerView::Change::Unchanged;
        node.directory = l.kind == Kind::Directory;
        node.link = l.kind == Kind::Link;
        node.size = l.size;
        node.layer = l.layer;
        node.mode = l.mode;
    }
    for (const auto &[p, wasPresent] : std::as_const(setHere))
        view.nodes[p].change = wasPresent ? LayerView::Change::Modified : LayerView::Change::Added;
    for (const auto &[p, old] : std::as_const(removedHere)) {
        auto &node = view.nodes[p];
        if (node.change != LayerView::Change::Absent)
            continue; // removed, then made again in the same layer
        node.change = LayerView::Change::Removed;
        node.directory = old.kind == Kind::Directory;
        node.link = old.kind == Kind::Link;
        node.size = old.size;
        node.layer = old.layer;
        node.mode = old.mode;
    }
    // Directory sizes and implicit parents: children always have larger ids.
    for (int p = paths.size() - 1; p > PathTable::Root; --p) {
        const auto &node = view.nodes.at(p);
        if (node.change == LayerView::Change::Absent)
            continue;
        auto &parent = view.nodes[paths.parent(p)];
        if (parent.change == LayerView::Change::Absent) {
            parent.change = node.change == LayerView::Change::Removed ? LayerView::Change::Removed : LayerView::Change::Unchanged;
            parent.directory = true;
        }
        if (node.change != LayerView::Change::Removed || parent.change == LayerView::Change::Removed)
            parent.size += node.size;
    }
    view.nodes[PathTable::Root].directory = true;
    if (view.nodes[PathTable::Root].change == LayerView::Change::Absent)
        view.nodes[PathTable::Root].change = LayerView::Change::Unchanged;
    return view;
}

ImageDiff diffImages(const ImageReport &a, const ImageReport &b)
{
    ImageDiff d;
    d.sizeA = a.sizeBytes;
    d.sizeB = b.sizeBytes;
    const int n = int(std::max(a.layers.size(), b.layers.size()));
    for (int i = 0; i < n; ++i) {
        ImageDiff::Layer l;
        l.index = i;
        if (i < a.layers.size()) {
            l.sizeA = a.layers.at(i).size;
            l.createdByA = a.layers.at(i).createdBy;
        }
        if (i < b.layers.size()) {
            l.sizeB = b.layers.at(i).size;
            l.createdByB = b.layers.at(i).createdBy;
        }
        l.same = i < a.layers.size() && i < b.layers.size() && !a.layers.at(i).diffId.isEmpty()
                 && a.layers.at(i).diffId == b.layers.at(i).diffId;
        d.layers.append(l);
    }
    auto finalFiles = [](const ImageReport &r) {
        QHash<QString, qint64> out;
        if (r.image.layers.isEmpty())
            return out;
        const LayerView v = layerView(r, int(r.image.layers.size()) - 1);
        for (int p = 0; p < v.nodes.size(); ++p) {
            const auto &node = v.nodes.at(p);
            if (node.change != LayerView::Change::Absent && node.change != LayerView::Change::Removed && !node.directory)
                out.insert(r.image.paths->path(p), node.size);
        }
        return out;
    };
    const QHash<QString, qint64> fa = finalFiles(a), fb = finalFiles(b);
    for (auto it = fa.cbegin(); it != fa.cend(); ++it) {
        const qint64 sb = fb.value(it.key(), -1);
        if (sb != it.value())
            d.paths.append({it.key(), it.value(), sb});
    }
    for (auto it = fb.cbegin(); it != fb.cend(); ++it)
        if (!fa.contains(it.key()))
            d.paths.append({it.key(), -1, it.value()});
    std::sort(d.paths.begin(), d.paths.end(), [](const ImageDiff::Path &x, const ImageDiff::Path &y) {
        const qint64 dx = std::abs(x.delta()), dy = std::abs(y.delta());
        return dx != dy ? dx > dy : x.path < y.path;
    });
    return d;
}

} // namespace Gantry
