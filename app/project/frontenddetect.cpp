// SPDX-License-Identifier: MIT
#include "frontenddetect.h"

#include "util/boundedfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString readText(const QString &path, qint64 cap = 1024 * 1024)
{
    // Only a small regular file (never a FIFO or a device a hostile repository links in).
    return QString::fromUtf8(readBoundedFile(path, cap).valueOr(QByteArray()));
}

/// The first file among NAMES.{EXTS} in DIR ("" when none).
QString findConfig(const QString &dir, const QString &name, const QStringList &exts)
{
    for (const QString &e : exts)
        if (QFileInfo(dir + u'/' + name + u'.' + e).isFile())
            return name + u'.' + e;
    return {};
}

const QStringList &jsExts()
{
    static const QStringList e{u"ts"_s, u"mts"_s, u"js"_s, u"mjs"_s, u"cjs"_s, u"cts"_s};
    return e;
}

/// JS comments out, so a commented-out option does not count.
QString withoutComments(const QString &text)
{
    static const QRegularExpression block(u"/\\*.*?\\*/"_s, QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression line(u"(^|[^:'\"])//[^\\n]*"_s);
    QString t = text;
    t.remove(block);
    t.replace(line, u"\\1"_s);
    return t;
}

/// The value of `key: <expr>` where expr ends with a string literal ('x', "x", `x`,
/// path.resolve(__dirname, 'x'), new URL('./x', import.meta.url)): that last literal.
QString optionValue(const QString &text, const QString &key)
{
    const QRegularExpression re(u"\\b"_s + QRegularExpression::escape(key)
                                + u"\\s*:\\s*((?:new\\s+)?[\\w.]+\\s*\\([^)]*\\)|['\"`][^'\"`]*['\"`])"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return {};
    static const QRegularExpression lit(u"['\"`]([^'\"`]*)['\"`]"_s);
    QString last;
    for (auto it = lit.globalMatch(m.captured(1)); it.hasNext();)
        last = it.next().captured(1);
    return last;
}

QString cleanRelative(const QString &p)
{
    QString c = QDir::cleanPath(p);
    if (c.startsWith(u"./"_s))
        c = c.mid(2);
    return c;
}

bool hasDep(const QJsonObject &pkg, const QString &name)
{
    return pkg.value(u"dependencies"_s).toObject().contains(name) || pkg.value(u"devDependencies"_s).toObject().contains(name);
}

QString toolOf(const QJsonObject &pkg, const QString &script)
{
    static const QList<std::pair<QString, QRegularExpression>> byScript{
        {u"sveltekit"_s, QRegularExpression(u"svelte-kit\\s+build"_s)},
        {u"react-router"_s, QRegularExpression(u"react-router\\s+build"_s)},
        {u"remix"_s, QRegularExpression(u"remix\\s+(vite:)?build"_s)},
        {u"next"_s, QRegularExpression(u"\\bnext\\s+(build|export)"_s)},
        {u"nuxt"_s, QRegularExpression(u"\\bnuxti?\\s+(generate|build)"_s)},
        {u"angular"_s, QRegularExpression(u"\\bng\\s+build"_s)},
        {u"react-scripts"_s, QRegularExpression(u"react-scripts\\s+build"_s)},
        {u"parcel"_s, QRegularExpression(u"\\bparcel\\s+build"_s)},
        {u"webpack"_s, QRegularExpression(u"\\bwebpack\\b"_s)},
        {u"rsbuild"_s, QRegularExpression(u"\\brsbuild\\s+build"_s)},
        {u"astro"_s, QRegularExpression(u"\\bastro\\s+build"_s)},
        {u"vue-cli"_s, QRegularExpression(u"vue-cli-service\\s+build"_s)},
        {u"ember"_s, QRegularExpression(u"\\bember\\s+build"_s)},
        {u"vite"_s, QRegularExpression(u"\\bvite(\\s+build|\\s*$|\\s*&&)"_s)},
        {u"esbuild"_s, QRegularExpression(u"\\besbuild\\b"_s)},
    };
    const bool kit = hasDep(pkg, u"@sveltejs/kit"_s), rr = hasDep(pkg, u"@react-router/dev"_s),
               remix = hasDep(pkg, u"@remix-run/dev"_s);
    for (const auto &[tool, re] : byScript) {
        if (!re.match(script).hasMatch())
            continue;
        if (tool == u"vite")
            return kit ? u"sveltekit"_s : rr ? u"react-router"_s : remix ? u"remix"_s : tool;
        return tool;
    }
    static const QList<std::pair<QString, QString>> byDep{
        {u"@sveltejs/kit"_s, u"sveltekit"_s}, {u"@react-router/dev"_s, u"react-router"_s}, {u"@remix-run/dev"_s, u"remix"_s},
        {u"next"_s, u"next"_s}, {u"nuxt"_s, u"nuxt"_s}, {u"@angular/cli"_s, u"angular"_s},
        {u"react-scripts"_s, u"react-scripts"_s}, {u"parcel"_s, u"parcel"_s}, {u"@rsbuild/core"_s, u"rsbuild"_s},
        {u"astro"_s, u"astro"_s}, {u"@vue/cli-service"_s, u"vue-cli"_s}, {u"vite"_s, u"vite"_s}, {u"webpack"_s, u"webpack"_s}};
    for (const auto &[dep, tool] : byDep)
        if (hasDep(pkg, dep))
            return tool;
    return {};
}

FrontendOutput fromFlag(const QString &script, const QString &tool)
{
    static const QRegularExpression flag(
        u"(?:--outDir|--out-dir|--output-path|--dist-dir|--outdir)[ =]+['\"]?([^ '\"&;|]+)"_s);
    if (const auto m = flag.match(script); m.hasMatch())
        return {tool, cleanRelative(m.captured(1)), u"the build script's "_s + m.captured(0).section(u' ', 0, 0).section(u'=', 0, 0), false, {}};
    static const QRegularExpression outfile(u"--outfile[ =]+['\"]?([^ '\"&;|]+)"_s);
    if (const auto m = outfile.match(script); m.hasMatch() && m.captured(1).contains(u'/'))
        return {tool, cleanRelative(QFileInfo(m.captured(1)).path()), u"the build script's --outfile"_s, false, {}};
    return {};
}

FrontendOutput viteLike(const QString &dir, const QString &tool, const QString &configName, const QString &key,
                        const QString &keyLabel, const QString &fallback)
{
    const QString cfg = findConfig(dir, configName, jsExts());
    if (!cfg.isEmpty())
        if (const QString v = optionValue(withoutComments(readText(dir + u'/' + cfg)), key); !v.isEmpty())
            return {tool, cleanRelative(v), cfg + u", "_s + keyLabel, false, {}};
    return {tool, fallback, tool + u"'s default"_s, false, {}};
}

FrontendOutput svelteKit(const QString &dir)
{
    const QString cfg = findConfig(dir, u"svelte.config"_s, jsExts());
    const QString text = cfg.isEmpty() ? QString() : withoutComments(readText(dir + u'/' + cfg));
    if (text.contains(u"adapter-static"_s)) {
        if (const QString pages = optionValue(text, u"pages"_s); !pages.isEmpty())
            return {u"sveltekit"_s, cleanRelative(pages), cfg + u", adapter-static pages"_s, false, {}};
        return {u"sveltekit"_s, u"build"_s, cfg + u": adapter-static's default pages folder"_s, false, {}};
    }
    if (text.contains(u"adapter-node"_s))
        return {u"sveltekit"_s, u"build"_s, cfg + u": adapter-node writes build/ (a Node server, not static files)"_s, true, {}};
    return {u"sveltekit"_s, u"build"_s, u"SvelteKit without adapter-static: no static folder is certain"_s, true,
            {u".svelte-kit/output/client"_s}};
}

FrontendOutput nextJs(const QString &dir)
{
    const QString cfg = findConfig(dir, u"next.config"_s, jsExts());
    const QString text = cfg.isEmpty() ? QString() : withoutComments(readText(dir + u'/' + cfg));
    static const QRegularExpression exportMode(u"output\\s*:\\s*['\"`]export['\"`]"_s);
    if (exportMode.match(text).hasMatch()) {
        if (const QString d = optionValue(text, u"distDir"_s); !d.isEmpty())
            return {u"next"_s, cleanRelative(d), cfg + u", output: 'export' with distDir"_s, false, {}};
        return {u"next"_s, u"out"_s, cfg + u", output: 'export'"_s, false, {}};
    }
    return {u"next"_s, u"out"_s, u"next build without output: 'export' makes a Node server, not static files"_s, true,
            {u".next"_s}};
}

FrontendOutput angular(const QString &dir)
{
    const QJsonObject a = QJsonDocument::fromJson(readText(dir + u"/angular.json"_s).toUtf8()).object();
    const QJsonObject projects = a.value(u"projects"_s).toObject();
    QString name = a.value(u"defaultProject"_s).toString();
    if (name.isEmpty() && !projects.isEmpty())
        name = projects.keys().first();
    const QJsonObject build = projects.value(name).toObject().value(u"architect"_s).toObject().value(u"build"_s).toObject();
    const bool application = build.value(u"builder"_s).toString().endsWith(u":application"_s);
    const QJsonValue out = build.value(u"options"_s).toObject().value(u"outputPath"_s);
    QString base = out.isString() ? out.toString() : out.toObject().value(u"base"_s).toString();
    if (base.isEmpty())
        base = u"dist/"_s + name;
    const QString browser = out.isObject() ? out.toObject().value(u"browser"_s).toString(u"browser"_s) : u"browser"_s;
    const QString dirOut = application ? base + u'/' + browser : base;
    return {u"angular"_s, cleanRelative(dirOut), u"angular.json, projects."_s + name + u".architect.build.options.outputPath"_s,
            name.isEmpty(), {}};
}

FrontendOutput parcel(const QJsonObject &pkg)
{
    QStringList dirs;
    const QJsonObject targets = pkg.value(u"targets"_s).toObject();
    for (const QJsonValue &t : targets)
        if (const QString d = t.toObject().value(u"distDir"_s).toString(); !d.isEmpty())
            dirs << cleanRelative(d).section(u'/', 0, 0);
    dirs.removeDuplicates();
    if (dirs.size() == 1)
        return {u"parcel"_s, dirs.first(), u"package.json, targets.*.distDir"_s, false, {}};
    return {u"parcel"_s, u"dist"_s, u"parcel's default"_s, false, dirs};
}

FrontendOutput webpack(const QString &dir)
{
    const QString cfg = findConfig(dir, u"webpack.config"_s, jsExts());
    const QString text = cfg.isEmpty() ? QString() : withoutComments(readText(dir + u'/' + cfg));
    static const QRegularExpression output(u"\\boutput\\s*:\\s*\\{"_s);
    if (const auto m = output.match(text); m.hasMatch())
        if (const QString p = optionValue(text.mid(m.capturedEnd()), u"path"_s); !p.isEmpty())
            return {u"webpack"_s, cleanRelative(p), cfg + u", output.path"_s, false, {}};
    return {u"webpack"_s, u"dist"_s, u"webpack's default"_s, cfg.isEmpty(), {}};
}

/// `node build.mjs` and the like: a folder name the script writes.
FrontendOutput nodeScript(const QString &dir, const QString &script)
{
    static const QRegularExpression scriptFile(u"\\bnode\\s+([\\w./-]+\\.[cm]?js)"_s);
    const auto m = scriptFile.match(script);
    if (!m.hasMatch())
        return {};
    const QString text = readText(dir + u'/' + m.captured(1));
    for (const QString &candidate : {u"dist"_s, u"build"_s, u"out"_s, u"public"_s})
        if (text.contains(u'"' + candidate + u'"') || text.contains(u'\'' + candidate + u'\''))
            return {u"node"_s, candidate, m.captured(1) + u" writes "_s + candidate + u'/', false, {}};
    return {};
}

FrontendOutput byTool(const QString &dir, const QJsonObject &pkg, const QString &tool)
{
    if (tool == u"vite")
        return viteLike(dir, tool, u"vite.config"_s, u"outDir"_s, u"build.outDir"_s, u"dist"_s);
    if (tool == u"sveltekit")
        return svelteKit(dir);
    if (tool == u"react-router") {
        FrontendOutput o = viteLike(dir, tool, u"react-router.config"_s, u"buildDirectory"_s, u"buildDirectory"_s, u"build"_s);
        o.dir += u"/client"_s;
        return o;
    }
    if (tool == u"remix")
        return {tool, u"build/client"_s, u"Remix (vite)'s default"_s, false, {u"public/build"_s}};
    if (tool == u"next")
        return nextJs(dir);
    if (tool == u"nuxt")
        return {tool, u".output/public"_s, u"nuxt's default"_s, false, {u"dist"_s}};
    if (tool == u"angular")
        return angular(dir);
    if (tool == u"react-scripts")
        return {tool, u"build"_s, u"react-scripts writes build/"_s, false, {}};
    if (tool == u"parcel")
        return parcel(pkg);
    if (tool == u"webpack")
        return webpack(dir);
    if (tool == u"rsbuild")
        return viteLike(dir, tool, u"rsbuild.config"_s, u"root"_s, u"output.distPath.root"_s, u"dist"_s);
    if (tool == u"astro")
        return viteLike(dir, tool, u"astro.config"_s, u"outDir"_s, u"outDir"_s, u"dist"_s);
    if (tool == u"vue-cli")
        return viteLike(dir, tool, u"vue.config"_s, u"outputDir"_s, u"outputDir"_s, u"dist"_s);
    if (tool == u"ember")
        return {tool, u"dist"_s, u"ember's default"_s, false, {}};
    return {};
}

} // namespace

QString FrontendDetect::expandedBuildScript(const QJsonObject &pkg)
{
    const QJsonObject scripts = pkg.value(u"scripts"_s).toObject();
    QString text = scripts.value(u"build"_s).toString();
    static const QRegularExpression runner(u"(?:run-p|run-s|npm-run-all(?:\\s+-[-\\w]+)*)\\s+([^&;|]+)"_s);
    static const QRegularExpression runOne(u"(?:npm run|pnpm(?: run)?|yarn(?: run)?|bun run)\\s+([\\w:.-]+)"_s);
    QStringList referenced;
    if (const auto m = runner.match(text); m.hasMatch())
        referenced << m.captured(1).split(u' ', Qt::SkipEmptyParts);
    for (auto it = runOne.globalMatch(text); it.hasNext();)
        referenced << it.next().captured(1);
    for (const QString &r : std::as_const(referenced))
        if (r != u"build" && scripts.contains(r))
            text += u" && "_s + scripts.value(r).toString();
    return text;
}

FrontendOutput FrontendDetect::output(const QString &dir, const QJsonObject &pkg)
{
    const QString script = expandedBuildScript(pkg);
    const QString tool = toolOf(pkg, script);
    if (FrontendOutput o = fromFlag(script, tool); !o.dir.isEmpty())
        return o;
    if (FrontendOutput o = byTool(dir, pkg, tool); !o.dir.isEmpty())
        return o;
    if (FrontendOutput o = nodeScript(dir, script); !o.dir.isEmpty())
        return o;
    return {tool, u"dist"_s, u"a guess: nothing in the build's configuration names the folder"_s, true,
            {u"build"_s, u"out"_s, u"public"_s}};
}

namespace {

void readNode(const QString &dir, FrontendToolchain &t)
{
    for (const QString &file : {u".nvmrc"_s, u".node-version"_s}) {
        const QString v = readText(dir + u'/' + file, 256).trimmed().section(u'\n', 0, 0).trimmed();
        if (!v.isEmpty()) {
            t.nodeVersion = v;
            t.nodeSource = QDir::cleanPath(dir) + u'/' + file;
            return;
        }
    }
    const QJsonObject pkg = QJsonDocument::fromJson(readText(dir + u"/package.json"_s).toUtf8()).object();
    if (const QString v = pkg.value(u"volta"_s).toObject().value(u"node"_s).toString(); !v.isEmpty()) {
        t.nodeVersion = v;
        t.nodeSource = QDir::cleanPath(dir) + u"/package.json volta.node"_s;
    } else if (const QString e = pkg.value(u"engines"_s).toObject().value(u"node"_s).toString(); !e.isEmpty()) {
        t.nodeVersion = e;
        t.nodeSource = QDir::cleanPath(dir) + u"/package.json engines.node"_s;
    }
}

} // namespace

FrontendToolchain FrontendDetect::toolchain(const QString &dirIn, const QJsonObject &pkg, const QString &boundary)
{
    static const QList<std::pair<QString, PackageManager>> lockfiles = PackageManagers::lockfiles();
    FrontendToolchain t;
    const QString dir = QDir::cleanPath(dirIn);
    const QString stop = QDir::cleanPath(boundary.isEmpty() ? dir : boundary);
    for (QString d = dir; t.lockfile.isEmpty(); d = QFileInfo(d).path()) {
        for (const auto &[file, pm] : lockfiles) {
            if (QFileInfo(d + u'/' + file).isFile()) {
                t.lockfile = file;
                t.lockfileDir = d;
                t.packageManager = pm;
                break;
            }
        }
        if (d == stop || !d.startsWith(stop) || QFileInfo(d).path() == d)
            break;
    }
    const QString root = t.lockfileDir.isEmpty() ? dir : t.lockfileDir;
    QString declared = pkg.value(u"packageManager"_s).toString();
    if (declared.isEmpty())
        declared = QJsonDocument::fromJson(readText(root + u"/package.json"_s).toUtf8()).object().value(u"packageManager"_s).toString();
    const std::optional<PackageManager> declaredManager = PackageManagers::fromName(declared.section(u'@', 0, 0));
    if (t.lockfile.isEmpty())
        t.packageManager = declaredManager.value_or(PackageManager::Npm);
    if (t.packageManager == PackageManager::Yarn)
        t.yarnBerry = readText(root + u"/yarn.lock"_s, 4096).contains(u"__metadata:"_s) || QFileInfo(root + u"/.yarnrc.yml"_s).isFile()
                      || (declaredManager == PackageManager::Yarn && declared.section(u'@', 1).section(u'.', 0, 0).toInt() >= 2);
    readNode(dir, t);
    if (t.nodeVersion.isEmpty() && root != dir)
        readNode(root, t);
    return t;
}

int FrontendDetect::appScore(const QString &rel, const QJsonObject &pkg)
{
    const QString script = expandedBuildScript(pkg);
    const QString tool = toolOf(pkg, script);
    int score = 0;
    static const QRegularExpression bundler(
        u"\\b(vite|next|nuxti?|ng|react-scripts|react-router|remix|parcel|webpack|rsbuild|astro|vue-cli-service|ember|svelte-kit)\\b"_s);
    static const QRegularExpression orchestrator(u"\\b(turbo|nx|lerna)\\b|pnpm\\s+(-r|--recursive|--filter)|yarn\\s+workspaces"_s);
    static const QRegularExpression notApp(u"\\b(docusaurus|vitepress|vuepress|storybook|tsup|rollup|tsc|napi|wasm-pack|cargo|maizzle|email|redocly|tailwindcss|echo)\\b"_s);
    if (bundler.match(script).hasMatch())
        score += 3;
    else if (!tool.isEmpty() && !notApp.match(script).hasMatch())
        score += 2;
    if (orchestrator.match(script).hasMatch())
        score -= 3;
    if (!bundler.match(script).hasMatch() && notApp.match(script).hasMatch())
        score -= 2;
    const QString name = rel == u"." ? QString() : rel.section(u'/', -1);
    static const QRegularExpression usual(u"^(frontend|web|webui|web-ui|client|ui|app|www|site|dashboard|front|spa)$"_s);
    static const QRegularExpression usualSuffix(u"[-_](ui|web|frontend|client|app|dashboard)$"_s);
    static const QRegularExpression aside(
        u"(^|/)(docs?|docsite|website|e2e|tests?|examples?|templates?|demo|fixtures?|extensions?|browser-extension|desktop|mobile|tauri|storybook|emails?|email[-_]\\w+|clients|scripts|benchmarks?)(/|$)"_s);
    if (usual.match(name).hasMatch())
        score += 2;
    else if (usualSuffix.match(name).hasMatch())
        score += 1;
    if (aside.match(rel).hasMatch())
        score -= 3;
    if (hasDep(pkg, u"@tauri-apps/api"_s) || hasDep(pkg, u"@tauri-apps/cli"_s) || hasDep(pkg, u"electron"_s))
        score -= 3;
    const bool library = !pkg.value(u"private"_s).toBool()
                         && (pkg.contains(u"exports"_s) || pkg.contains(u"main"_s) || pkg.contains(u"module"_s) || pkg.contains(u"types"_s));
    if (library)
        score -= 2;
    return score;
}

} // namespace Gantry
