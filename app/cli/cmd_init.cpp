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

/// init's options, in the order --help lists them.
struct InitFlags
{
    QCommandLineOption backend{u"backend"_s, u"The backend's folder, relative to REPO."_s, u"DIR"_s};
    QCommandLineOption frontend{u"frontend"_s, u"The frontend's folder, relative to REPO."_s, u"DIR"_s};
    QCommandLineOption noFrontend{u"no-frontend"_s, u"Build the backend only."_s};
    QCommandLineOption binary{u"binary"_s, u"The Cargo binary to ship when there are several."_s, u"NAME"_s};
    QCommandLineOption platform{u"platform"_s, u"Target platforms: linux/amd64, linux/arm64 or both (comma-separated)."_s, u"P[,P]"_s};
    QCommandLineOption strategy{u"strategy"_s, u"cross (compile on the build machine, default) or emulate (build under QEMU)."_s,
                                u"cross|emulate"_s};
    QCommandLineOption runtime{u"runtime"_s, u"The final image's base."_s, u"scratch|distroless|alpine|debian-slim"_s};
    QCommandLineOption toolchain{u"toolchain"_s, u"The Rust toolchain flavour."_s, u"rustup|debian"_s};
    QCommandLineOption baseImage{u"base-image"_s, u"Use IMAGE for a stage: rust=IMAGE, node=IMAGE or runtime=IMAGE (repeatable)."_s,
                                 u"KEY=IMAGE"_s};
    QCommandLineOption tag{u"tag"_s, u"The image tag to build (default: BINARY:latest)."_s, u"TAG"_s};
    QCommandLineOption port{u"port"_s, u"The port the backend listens on (default 3000)."_s, u"PORT"_s};
    QCommandLineOption force{u"force"_s, u"Replace existing files that differ without asking (their diff is still printed)."_s};
    QCommandLineOption dryRun{u"dry-run"_s, u"Print what would be written; write nothing."_s};
    QList<QCommandLineOption> all() const
    {
        return {backend, frontend, noFrontend, binary, platform, strategy, runtime, toolchain, baseImage, tag, port, force, dryRun};
    }
};

void declareOptions(QCommandLineParser &parser, const InitFlags &flags)
{
    parser.setApplicationDescription(
        u"Scans REPO (a monorepo root with a Rust backend and a JS frontend), prints what it found and writes "
        "gantry.toml, Dockerfile and .dockerignore there. Existing files that would change are shown as a diff "
        "and replaced only when you confirm (or pass --force)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"REPO"_s, u"The repository's folder."_s);
    for (const QCommandLineOption &o : flags.all())
        parser.addOption(o);
}

/// What `gantry init` was asked to do; each value checked before scanning (a typo is a usage error).
struct InitRequest
{
    QString repo;
    std::optional<QString> backendDir;   ///< --backend
    std::optional<QString> frontendDir;  ///< --frontend
    bool noFrontend = false;
    std::optional<QString> binary;
    QStringList platforms;               ///< empty: the recipe's
    std::optional<BuildRecipe::Strategy> strategy;
    std::optional<BuildRecipe::Runtime> runtime;
    std::optional<BuildRecipe::Toolchain> toolchain;
    QMap<QString, QString> baseImages;
    std::optional<QString> tag;
    int port = -1;                       ///< -1: the recipe's
    bool force = false;
    bool dryRun = false;
};


std::optional<QString> optionalValue(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    return parser.isSet(option) ? std::optional<QString>(parser.value(option)) : std::nullopt;
}

/// --platform P[,P]: each one supported, without repeats.
Result<QStringList> platformsOption(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    QStringList platforms;
    if (!parser.isSet(option))
        return platforms;
    for (const QString &p : parser.value(option).split(u',', Qt::SkipEmptyParts)) {
        const QString t = p.trimmed();
        if (!BuildRecipe::supportedPlatforms().contains(t))
            return usageError(u"unknown platform '"_s + t + u"'. Use linux/amd64, linux/arm64 or both."_s);
        if (!platforms.contains(t))
            platforms << t;
    }
    return platforms;
}

/// Each --base-image KEY=IMAGE, KEY one of rust, node and runtime.
Result<QMap<QString, QString>> baseImagesOption(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    QMap<QString, QString> baseImages;
    for (const QString &v : parser.values(option)) {
        const QString key = v.section(u'=', 0, 0), image = v.section(u'=', 1);
        if (!QStringList{u"rust"_s, u"node"_s, u"runtime"_s}.contains(key) || image.isEmpty())
            return usageError(u"'--base-image "_s + v + u"' is not KEY=IMAGE with KEY rust, node or runtime."_s);
        baseImages.insert(key, image);
    }
    return baseImages;
}

/// --port: 0-65535; -1 when not given.
Result<int> portOption(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    if (!parser.isSet(option))
        return -1;
    bool ok = false;
    const int port = parser.value(option).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return usageError(u"'--port "_s + parser.value(option) + u"' is not a port number (0-65535)."_s);
    return port;
}

/// The recipe's names (--strategy, --runtime, --toolchain), each known.
Status readNames(const QCommandLineParser &parser, const InitFlags &flags, InitRequest &request)
{
    if (parser.isSet(flags.strategy) && !(request.strategy = BuildRecipe::strategyFromName(parser.value(flags.strategy))))
        return usageError(u"unknown strategy '"_s + parser.value(flags.strategy) + u"'. Use cross or emulate."_s);
    if (parser.isSet(flags.runtime) && !(request.runtime = BuildRecipe::runtimeFromName(parser.value(flags.runtime))))
        return usageError(u"unknown runtime '"_s + parser.value(flags.runtime) + u"'. Use scratch, distroless, alpine or debian-slim."_s);
    if (parser.isSet(flags.toolchain) && !(request.toolchain = BuildRecipe::toolchainFromName(parser.value(flags.toolchain))))
        return usageError(u"unknown toolchain '"_s + parser.value(flags.toolchain) + u"'. Use rustup or debian."_s);
    return {};
}

/// The parsed command line as a request; a failure is a usage error.
Result<InitRequest> initRequest(const QCommandLineParser &parser, const InitFlags &flags)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(u"give exactly one REPO folder (e.g. 'gantry init examples/hello-stack')."_s);
    InitRequest request;
    const Result<QStringList> platforms = platformsOption(parser, flags.platform);
    if (!platforms)
        return platforms.failure();
    request.platforms = *platforms;
    if (const Status names = readNames(parser, flags, request); !names)
        return names.failure();
    const Result<QMap<QString, QString>> baseImages = baseImagesOption(parser, flags.baseImage);
    if (!baseImages)
        return baseImages.failure();
    request.baseImages = *baseImages;
    const Result<int> port = portOption(parser, flags.port);
    if (!port)
        return port.failure();
    request.port = *port;
    request.repo = positional.first();
    request.backendDir = optionalValue(parser, flags.backend);
    request.frontendDir = optionalValue(parser, flags.frontend);
    request.noFrontend = parser.isSet(flags.noFrontend);
    request.binary = optionalValue(parser, flags.binary);
    request.tag = optionalValue(parser, flags.tag);
    request.force = parser.isSet(flags.force);
    request.dryRun = parser.isSet(flags.dryRun);
    return request;
}

/// Scans the repository in the folders asked for (no frontend with --no-frontend).
Result<ProjectFacts> scan(const InitRequest &request)
{
    const auto facts = ProjectScanner::scanRepository(request.repo, request.backendDir.value_or(QString()),
                                                      request.noFrontend ? QString() : request.frontendDir.value_or(QString()));
    if (!facts)
        return facts.failure();
    ProjectFacts scanned = *facts;
    if (request.noFrontend)
        scanned.frontend.reset();
    return scanned;
}

/// The existing recipe when there is one (so init keeps earlier choices), else the scan's.
BuildRecipe startingRecipe(const ProjectFacts &scanned, Io io)
{
    BuildRecipe recipe = recipeFromFacts(scanned);
    if (QFileInfo::exists(QDir(scanned.repoRoot).filePath(u"gantry.toml"_s))) {
        if (const auto existing = BuildRecipe::load(scanned.repoRoot)) {
            recipe = *existing;
            io.out << "Starting from the existing gantry.toml.\n";
        } else {
            io.err << "warning: " << existing.failure().sentence() << " Gantry proposes a new one from the scan.\n";
        }
    }
    return recipe;
}

/// The choices that need no scan: platforms, strategy, runtime, toolchain, base images, tag, port.
void applyChoices(const InitRequest &request, BuildRecipe &recipe)
{
    if (!request.platforms.isEmpty())
        recipe.platforms = request.platforms;
    if (request.strategy)
        recipe.strategy = *request.strategy;
    if (request.runtime)
        recipe.runtime = *request.runtime;
    if (request.toolchain)
        recipe.toolchain = *request.toolchain;
    for (auto it = request.baseImages.cbegin(); it != request.baseImages.cend(); ++it)
        recipe.baseImages.insert(it.key(), it.value());
    if (request.tag)
        recipe.imageTag = *request.tag;
    if (request.port >= 0)
        recipe.port = request.port;
}

/// The recipe to write: the starting one with the folders, binary and choices asked for. A
/// failure is a usage error (a binary the backend does not have).
Result<BuildRecipe> recipeFor(const InitRequest &request, const ProjectFacts &scanned, Io io)
{
    BuildRecipe recipe = startingRecipe(scanned, io);
    if (request.backendDir)
        recipe.backendDir = scanned.backendRelative();
    if (request.frontendDir || request.noFrontend) {
        const BuildRecipe fresh = recipeFromFacts(scanned);
        recipe.frontendDir = fresh.frontendDir;
        recipe.frontendOutputDir = fresh.frontendOutputDir;
        recipe.packageManager = fresh.packageManager;
        recipe.nodeVersion = fresh.nodeVersion;
    }
    if (request.binary) {
        if (!scanned.backend.binaries.contains(*request.binary))
            return usageError(u"the backend has no binary '"_s + *request.binary + u"'. Choose one of: "_s
                         + scanned.backend.binaries.join(u", "_s) + u"."_s);
        recipe.binary = *request.binary;
    }
    // The workspace layout always follows the tree as it is now, for the binary chosen.
    applyWorkspaceLayout(recipe, scanned);
    applyChoices(request, recipe);
    return recipe;
}

void printRecipe(const BuildRecipe &recipe, QTextStream &out)
{
    out << "Recipe    " << recipe.platforms.join(u", "_s) << " · "
        << (recipe.strategy == BuildRecipe::Strategy::CrossCompile ? u"cross-compile"_s : u"emulate"_s) << " · "
        << BuildRecipe::toolchainName(recipe.toolchain) << " toolchain · " << BuildRecipe::runtimeName(recipe.runtime)
        << " · port " << recipe.port << " → " << recipe.effectiveImageTag() << '\n';
}

/// Asks before replacing files that differ; a no (or no terminal) is reported on err.
bool confirmReplace(Io io)
{
    io.out.flush();
    if (askYes(io.out, u"Replace the existing files with these changes?"_s))
        return true;
    io.err << "gantry init: existing files differ from what Gantry would write (diff above); nothing was written. "
              "Run again with --force to replace them.\n";
    return false;
}

/// Writes gantry.toml, the Dockerfile and .dockerignore (with --dry-run: prints them). Existing
/// files that would change are shown as a diff and replaced only with --force or a yes.
int writeFiles(const InitRequest &request, const BuildRecipe &recipe, const QString &repoRoot, Io io)
{
    const QList<PlannedFile> plan = planRecipeFiles(recipe, repoRoot);
    bool overwrite = request.force;
    if (wouldOverwrite(plan)) {
        for (const PlannedFile &f : plan)
            if (const QString d = f.diff(); !d.isEmpty())
                io.out << d;
        if (request.dryRun)
            return Ok;
        if (!overwrite && !confirmReplace(io))
            return Failure;
        overwrite = true;
    }
    if (request.dryRun) {
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
    io.out << "Next: gantry build " << QDir::toNativeSeparators(request.repo) << '\n';
    return Ok;
}

} // namespace

int init(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    const InitFlags flags;
    declareOptions(parser, flags);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"init"_s, io))
        return *over;
    const Result<InitRequest> request = initRequest(parser, flags);
    if (!request)
        return refuse(request.failure(), u"init"_s, io);
    const Result<ProjectFacts> scanned = scan(*request);
    if (!scanned) {
        io.err << "gantry init: " << scanned.failure().sentence() << '\n';
        return Failure;
    }
    printFacts(*scanned, io.out);
    const Result<BuildRecipe> recipe = recipeFor(*request, *scanned, io);
    if (!recipe) {
        io.err << "gantry init: " << recipe.failure().cause << '\n';
        return UsageError;
    }
    if (const QString problem = recipe->validate(); !problem.isEmpty()) {
        io.err << "gantry init: " << problem << '\n';
        return Failure;
    }
    printRecipe(*recipe, io.out);
    return writeFiles(*request, *recipe, scanned->repoRoot, io);
}

} // namespace Gantry::Cli
