// SPDX-License-Identifier: MIT
#include "binarychoice.h"

#include <QDir>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

const QStringList &webFrameworks()
{
    static const QStringList list{u"axum"_s, u"actix-web"_s, u"rocket"_s, u"poem"_s, u"warp"_s, u"salvo"_s,
                                  u"loco-rs"_s, u"leptos_axum"_s, u"leptos_actix"_s, u"tide"_s, u"ntex"_s,
                                  u"dioxus"_s, u"gotham"_s, u"trillium"_s, u"viz"_s, u"hyper"_s};
    return list;
}

bool servesFiles(const CargoPackage &p)
{
    static const QStringList list{u"tower-http"_s, u"actix-files"_s, u"rust-embed"_s, u"include_dir"_s,
                                  u"axum-embed"_s, u"memory-serve"_s, u"static-files"_s};
    for (const CargoDependency &d : p.dependencies)
        if (!d.dev && list.contains(d.name))
            return true;
    return false;
}

/// The web framework P depends on itself ("" when none).
QString directFramework(const CargoPackage &p)
{
    for (const QString &f : webFrameworks())
        for (const CargoDependency &d : p.dependencies)
            if (!d.dev && d.name == f)
                return f;
    return {};
}

/// The framework one of P's own path crates depends on ("" when none).
QString indirectFramework(const CargoWorkspace &ws, const CargoPackage &p)
{
    for (const QString &dir : ws.pathClosure(p.name)) {
        const CargoPackage *m = ws.packageAt(dir);
        if (m && m != &p)
            if (const QString f = directFramework(*m); !f.isEmpty())
                return f;
    }
    return {};
}

bool looksLikeTooling(const QString &name)
{
    static const QRegularExpression re(
        u"(^|[-_])(xtask|cli|migrat\\w*|codegen|gen|generate\\w*|bench\\w*|test\\w*|fuzz\\w*|tool\\w*|seed\\w*|script\\w*|example\\w*|mock\\w*|bootstrap\\w*|debug\\w*|analy[sz]e\\w*|docgen|schema\\w*|export\\w*|import\\w*)([-_]|$)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re.match(name).hasMatch();
}

bool looksLikeServer(const QString &name)
{
    static const QRegularExpression re(u"(^|[-_])(server|backend|api|web|serve|app|gateway|core)([-_]|$)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(name).hasMatch();
}

bool inAsideFolder(const CargoWorkspace &ws, const CargoPackage &p)
{
    static const QRegularExpression re(u"(^|/)(tests?|examples?|benches|fuzz|e2e|demo|scripts|desktop|mobile|src-tauri)(/|$)"_s);
    return re.match(QDir(ws.root).relativeFilePath(p.dir)).hasMatch();
}

BinaryCandidate score(const CargoWorkspace &ws, const CargoPackage &p, const CargoTarget &bin)
{
    BinaryCandidate c{p.name, bin.name, p.dir, p.missingFeatures(bin), ws.pathClosure(p.name), 0, {}};
    auto add = [&c](int points, const QString &why) {
        c.score += points;
        if (points > 0)
            c.reasons << why;
    };
    const QString direct = directFramework(p);
    const QString indirect = direct.isEmpty() ? indirectFramework(ws, p) : QString();
    if (!direct.isEmpty())
        add(direct == u"hyper" ? 2 : 4, u"depends on "_s + direct);
    else if (!indirect.isEmpty())
        add(indirect == u"hyper" ? 1 : 3, u"uses "_s + indirect + u" through its own crates"_s);
    if (servesFiles(p))
        add(1, u"serves files"_s);
    if (p.defaultRun == bin.name)
        add(2, u"default-run"_s);
    if (ws.defaultMembers.contains(p.dir))
        add(2, u"a default member"_s);
    if (p.dir == ws.root && !ws.virtualManifest)
        add(2, u"the workspace's root package"_s);
    if (bin.name == p.name || p.binaries().size() == 1)
        add(1, u"the package's main binary"_s);
    if (looksLikeServer(bin.name) || looksLikeServer(p.name))
        add(1, u"named like a server"_s);
    if (looksLikeTooling(bin.name) || (looksLikeTooling(p.name) && direct.isEmpty() && indirect.isEmpty()))
        add(-3, {});
    if (inAsideFolder(ws, p))
        add(-3, {});
    for (const CargoDependency &d : p.dependencies)
        if (d.name == u"tauri" && !d.dev)
            add(-5, {});
    if (!c.missingFeatures.isEmpty())
        add(-4, {});
    return c;
}

} // namespace

QList<BinaryCandidate> rankBinaries(const CargoWorkspace &ws)
{
    QList<BinaryCandidate> out;
    for (const CargoPackage &p : ws.members)
        for (const CargoTarget &t : p.targets)
            if (t.kind == u"bin")
                out << score(ws, p, t);
    std::stable_sort(out.begin(), out.end(),
                     [](const BinaryCandidate &a, const BinaryCandidate &b) { return a.score > b.score; });
    return out;
}

} // namespace Gantry
