// SPDX-License-Identifier: MIT
// gantry init REPO: scan, print what was found (TLS findings with their fix), and write
// gantry.toml, the Dockerfile and .dockerignore. An existing file that would change is never
// replaced silently: its diff is printed and the user is asked (or --force given).
#include "cli.h"

#include "project/projectscanner.h"
#include "recipe/dockerfilewriter.h"
#include "recipe/recipedefaults.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

void printFacts(const ProjectFacts &facts, QTextStream &out)
{
    const BackendFacts &b = facts.backend;
    out << "Project   " << QDir::toNativeSeparators(facts.repoRoot) << '\n';
    out << "Backend   " << facts.backendRelative();
    QStringList about;
    if (!b.packageName.isEmpty())
        about << b.packageName + (b.version.isEmpty() ? QString() : u' ' + b.version);
    else if (!b.workspaceMembers.isEmpty())
        about << u"workspace of %1 members"_s.arg(b.workspaceMembers.size());
    if (!b.edition.isEmpty())
        about << u"edition "_s + b.edition;
    if (!b.rustVersion.isEmpty())
        about << u"rust-version "_s + b.rustVersion;
    if (!about.isEmpty())
        out << "  (" << about.join(u", "_s) << ')';
    out << '\n';
    out << "  binaries: " << b.binaries.join(u", "_s) << "  (shipping " << b.defaultBinary << ")\n";
    if (!b.hasLockfile)
        out << "  TLS: no Cargo.lock to check\n";
    else if (b.tlsFindings.isEmpty())
        out << "  TLS: nothing in Cargo.lock brings in OpenSSL (static builds stay simple)\n";
    for (const TlsFinding &f : b.tlsFindings) {
        out << "  TLS: " << f.crate << (f.crateVersion.isEmpty() ? QString() : u' ' + f.crateVersion)
            << " brings in " << f.opensslCrate << ": " << f.chainText() << '\n';
        out << "       fix: " << f.fix << '\n';
    }
    if (facts.frontend) {
        const FrontendFacts &f = *facts.frontend;
        out << "Frontend  " << facts.frontendRelative() << "  (" << PackageManagers::name(f.packageManager) << ", build: `" << f.buildScript
            << "` → " << f.outputDir << "/ — " << f.outputReason;
        if (!f.nodeVersion.isEmpty())
            out << ", Node " << f.nodeVersion;
        out << ")\n";
    } else {
        out << "Frontend  none\n";
    }
    for (const QString &n : b.notes + facts.notes)
        out << "note: " << n << '\n';
}

bool askYes(QTextStream &out, const QString &question)
{
    if (!::isatty(STDIN_FILENO))
        return false;
    out << question << " [y/N] " << Qt::flush;
    QTextStream in(stdin);
    const QString answer = in.readLine().trimmed().toLower();
    return answer == u"y" || answer == u"yes";
}

} // namespace

int init(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Scans REPO (a monorepo root with a Rust backend and a JS frontend), prints what it found and writes "
        "gantry.toml, Dockerfile and .dockerignore there. Existing files that would change are shown as a diff "
        "and replaced only when you confirm (or pass --force)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"REPO"_s, u"The repository's folder."_s);
    const QCommandLineOption backendOpt(u"backend"_s, u"The backend's folder, relative to REPO."_s, u"DIR"_s);
    const QCommandLineOption frontendOpt(u"frontend"_s, u"The frontend's folder, relative to REPO."_s, u"DIR"_s);
    const QCommandLineOption noFrontendOpt(u"no-frontend"_s, u"Build the backend only."_s);
    const QCommandLineOption binaryOpt(u"binary"_s, u"The Cargo binary to ship when there are several."_s, u"NAME"_s);
    const QCommandLineOption platformOpt(u"platform"_s, u"Target platforms: linux/amd64, linux/arm64 or both (comma-separated)."_s,
                                         u"P[,P]"_s);
    const QCommandLineOption strategyOpt(u"strategy"_s, u"cross (compile on the build machine, default) or emulate (build under QEMU)."_s,
                                         u"cross|emulate"_s);
    const QCommandLineOption runtimeOpt(u"runtime"_s, u"The final image's base."_s, u"scratch|distroless|alpine|debian-slim"_s);
    const QCommandLineOption toolchainOpt(u"toolchain"_s, u"The Rust toolchain flavour."_s, u"rustup|debian"_s);
    const QCommandLineOption baseImageOpt(u"base-image"_s, u"Use IMAGE for a stage: rust=IMAGE, node=IMAGE or runtime=IMAGE (repeatable)."_s,
                                          u"KEY=IMAGE"_s);
    const QCommandLineOption tagOpt(u"tag"_s, u"The image tag to build (default: BINARY:latest)."_s, u"TAG"_s);
    const QCommandLineOption portOpt(u"port"_s, u"The port the backend listens on (default 3000)."_s, u"PORT"_s);
    const QCommandLineOption forceOpt(u"force"_s, u"Replace existing files that differ without asking (their diff is still printed)."_s);
    const QCommandLineOption dryRunOpt(u"dry-run"_s, u"Print what would be written; write nothing."_s);
    for (const auto *o : {&backendOpt, &frontendOpt, &noFrontendOpt, &binaryOpt, &platformOpt, &strategyOpt, &runtimeOpt,
                          &toolchainOpt, &baseImageOpt, &tagOpt, &portOpt, &forceOpt, &dryRunOpt})
        parser.addOption(*o);
    if (!parser.parse(arguments)) {
        io.err << "gantry init: " << parser.errorText() << " Run 'gantry init --help' for the options.\n";
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return Ok;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        io.err << "gantry init: give exactly one REPO folder (e.g. 'gantry init examples/hello-stack').\n";
        return UsageError;
    }
    // Check the option values before scanning: a typo is a usage error.
    QStringList platforms;
    if (parser.isSet(platformOpt)) {
        for (const QString &p : parser.value(platformOpt).split(u',', Qt::SkipEmptyParts)) {
            const QString t = p.trimmed();
            if (!BuildRecipe::supportedPlatforms().contains(t)) {
                io.err << "gantry init: unknown platform '" << t << "'. Use linux/amd64, linux/arm64 or both.\n";
                return UsageError;
            }
            if (!platforms.contains(t))
                platforms << t;
        }
    }
    std::optional<BuildRecipe::Strategy> strategy;
    if (parser.isSet(strategyOpt) && !(strategy = BuildRecipe::strategyFromName(parser.value(strategyOpt)))) {
        io.err << "gantry init: unknown strategy '" << parser.value(strategyOpt) << "'. Use cross or emulate.\n";
        return UsageError;
    }
    std::optional<BuildRecipe::Runtime> runtime;
    if (parser.isSet(runtimeOpt) && !(runtime = BuildRecipe::runtimeFromName(parser.value(runtimeOpt)))) {
        io.err << "gantry init: unknown runtime '" << parser.value(runtimeOpt)
               << "'. Use scratch, distroless, alpine or debian-slim.\n";
        return UsageError;
    }
    std::optional<BuildRecipe::Toolchain> toolchain;
    if (parser.isSet(toolchainOpt) && !(toolchain = BuildRecipe::toolchainFromName(parser.value(toolchainOpt)))) {
        io.err << "gantry init: unknown toolchain '" << parser.value(toolchainOpt) << "'. Use rustup or debian.\n";
        return UsageError;
    }
    QMap<QString, QString> baseImages;
    for (const QString &v : parser.values(baseImageOpt)) {
        const QString key = v.section(u'=', 0, 0), image = v.section(u'=', 1);
        if (!QStringList{u"rust"_s, u"node"_s, u"runtime"_s}.contains(key) || image.isEmpty()) {
            io.err << "gantry init: '--base-image " << v << "' is not KEY=IMAGE with KEY rust, node or runtime.\n";
            return UsageError;
        }
        baseImages.insert(key, image);
    }
    int port = -1;
    if (parser.isSet(portOpt)) {
        bool ok = false;
        port = parser.value(portOpt).toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            io.err << "gantry init: '--port " << parser.value(portOpt) << "' is not a port number (0-65535).\n";
            return UsageError;
        }
    }

    const QString repo = positional.first();
    const auto facts = ProjectScanner::scanRepository(
        repo, parser.value(backendOpt), parser.isSet(noFrontendOpt) ? QString() : parser.value(frontendOpt));
    if (!facts) {
        io.err << "gantry init: " << facts.failure().sentence() << '\n';
        return Failure;
    }
    ProjectFacts scanned = *facts;
    if (parser.isSet(noFrontendOpt))
        scanned.frontend.reset();
    printFacts(scanned, io.out);

    // Start from the existing recipe when there is one (so init keeps earlier choices), else from the scan.
    BuildRecipe recipe = recipeFromFacts(scanned);
    if (QFileInfo::exists(QDir(scanned.repoRoot).filePath(u"gantry.toml"_s))) {
        if (const auto existing = BuildRecipe::load(scanned.repoRoot)) {
            recipe = *existing;
            io.out << "Starting from the existing gantry.toml.\n";
        } else {
            io.err << "warning: " << existing.failure().sentence() << " Gantry proposes a new one from the scan.\n";
        }
    }
    if (parser.isSet(backendOpt))
        recipe.backendDir = scanned.backendRelative();
    if (parser.isSet(frontendOpt) || parser.isSet(noFrontendOpt)) {
        const BuildRecipe fresh = recipeFromFacts(scanned);
        recipe.frontendDir = fresh.frontendDir;
        recipe.frontendOutputDir = fresh.frontendOutputDir;
        recipe.packageManager = fresh.packageManager;
        recipe.nodeVersion = fresh.nodeVersion;
    }
    if (parser.isSet(binaryOpt)) {
        if (!scanned.backend.binaries.contains(parser.value(binaryOpt))) {
            io.err << "gantry init: the backend has no binary '" << parser.value(binaryOpt) << "'. Choose one of: "
                   << scanned.backend.binaries.join(u", "_s) << ".\n";
            return UsageError;
        }
        recipe.binary = parser.value(binaryOpt);
    }
    // The workspace layout always follows the tree as it is now, for the binary chosen.
    applyWorkspaceLayout(recipe, scanned);
    if (!platforms.isEmpty())
        recipe.platforms = platforms;
    if (strategy)
        recipe.strategy = *strategy;
    if (runtime)
        recipe.runtime = *runtime;
    if (toolchain)
        recipe.toolchain = *toolchain;
    for (auto it = baseImages.cbegin(); it != baseImages.cend(); ++it)
        recipe.baseImages.insert(it.key(), it.value());
    if (parser.isSet(tagOpt))
        recipe.imageTag = parser.value(tagOpt);
    if (port >= 0)
        recipe.port = port;
    if (const QString problem = recipe.validate(); !problem.isEmpty()) {
        io.err << "gantry init: " << problem << '\n';
        return Failure;
    }
    io.out << "Recipe    " << recipe.platforms.join(u", "_s) << " · "
           << (recipe.strategy == BuildRecipe::Strategy::CrossCompile ? u"cross-compile"_s : u"emulate"_s) << " · "
           << BuildRecipe::toolchainName(recipe.toolchain) << " toolchain · " << BuildRecipe::runtimeName(recipe.runtime)
           << " · port " << recipe.port << " → " << recipe.effectiveImageTag() << '\n';

    const QList<PlannedFile> plan = planRecipeFiles(recipe, scanned.repoRoot);
    bool overwrite = parser.isSet(forceOpt);
    if (wouldOverwrite(plan)) {
        for (const PlannedFile &f : plan)
            if (const QString d = f.diff(); !d.isEmpty())
                io.out << d;
        if (parser.isSet(dryRunOpt))
            return Ok;
        if (!overwrite) {
            io.out.flush();
            overwrite = askYes(io.out, u"Replace the existing files with these changes?"_s);
            if (!overwrite) {
                io.err << "gantry init: existing files differ from what Gantry would write (diff above); nothing was written. "
                          "Run again with --force to replace them.\n";
                return Failure;
            }
        }
    }
    if (parser.isSet(dryRunOpt)) {
        for (const PlannedFile &f : plan)
            if (!f.exists)
                io.out << "--- would write " << f.relativePath << " ---\n" << QString::fromUtf8(f.proposed);
        return Ok;
    }
    if (const Status written = writeRecipeFiles(plan, overwrite); !written) {
        io.err << "gantry init: " << written.failure().sentence() << '\n';
        return Failure;
    }
    for (const PlannedFile &f : plan)
        io.out << (!f.exists ? "wrote     " : f.changes() ? "replaced  " : "unchanged ") << f.relativePath << '\n';
    io.out << "Next: gantry build " << QDir::toNativeSeparators(repo) << '\n';
    return Ok;
}

} // namespace Gantry::Cli
