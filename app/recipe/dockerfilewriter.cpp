// SPDX-License-Identifier: MIT
#include "dockerfilewriter.h"

#include "textdiff.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// "backend" → "backend"; "." or "" → "" (the root); trailing slashes dropped.
QString cleanDir(const QString &dir)
{
    QString d = QDir::cleanPath(dir);
    if (d == u"." || d.isEmpty())
        return {};
    return d;
}

/// Where a repo folder lands inside a build stage (/src/<dir>).
QString inStage(const QString &dir)
{
    const QString d = cleanDir(dir);
    return d.isEmpty() ? u"/src"_s : u"/src/"_s + d;
}

/// The COPY source for a repo folder ("backend/" or "." for the root).
QString copySource(const QString &dir)
{
    const QString d = cleanDir(dir);
    return d.isEmpty() ? u"."_s : d + u'/';
}

/// A value for ENV, double-quoted with the escapes the Dockerfile parser understands.
QString envValue(const QString &v)
{
    QString out = u"\""_s;
    for (const QChar c : v) {
        if (c == u'"' || c == u'\\' || c == u'$')
            out += u'\\';
        out += c;
    }
    return out + u'"';
}

QString debianPackage(const QString &crate)
{
    // Debian names crate packages librust-<name>[+<feature>]-dev, lower case, '_' → '-'.
    QString p = crate.toLower();
    p.replace(u'_', u'-');
    return u"librust-"_s + p + u"-dev"_s;
}

QString shellQuoted(const QString &s)
{
    static const QString safe = u"abcdefghijklmnopqrstuvwxyz0123456789-_./:"_s;
    for (const QChar c : s)
        if (!safe.contains(c.toLower()))
            return u"'"_s + QString(s).replace(u"'"_s, u"'\\''"_s) + u"'"_s;
    return s;
}

/// A frontend that is a package of a JS workspace: install at the workspace root (where the
/// lockfile is and every package's manifest), then build the package in its folder.
void workspaceFrontendStage(QString &d, const BuildRecipe &r)
{
    const PackageManagerTraits &pm = PackageManagers::traits(r.packageManager);
    d += u"# Frontend: its built files are the same for every architecture, so this stage always\n"
         "# runs on the build machine's own platform and is built once, never under emulation.\n"_s;
    d += u"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend\n"_s;
    d += u"# The frontend is a package of the JS workspace in "_s + copySource(r.frontendRoot)
         + u": dependencies install at its root,\n# where the lockfile is.\n"_s;
    d += u"WORKDIR "_s + inStage(r.frontendRoot) + u'\n';
    d += u"COPY "_s + copySource(r.frontendRoot) + u" ./\n"_s;
    d += u"RUN "_s;
    if (r.cacheMounts)
        d += u"--mount=type=cache,target="_s + pm.cacheDir + u" \\\n    "_s;
    d += pm.installCommand + u'\n';
    d += u"WORKDIR "_s + inStage(r.frontendDir) + u'\n';
    d += u"RUN "_s + pm.buildCommand + u"\n\n"_s;
}

void frontendStage(QString &d, const BuildRecipe &r)
{
    if (!r.frontendRoot.isEmpty() && cleanDir(r.frontendRoot) != cleanDir(r.frontendDir)) {
        workspaceFrontendStage(d, r);
        return;
    }
    const PackageManagerTraits &pm = PackageManagers::traits(r.packageManager);
    const QString src = copySource(r.frontendDir);
    const QString prefix = cleanDir(r.frontendDir).isEmpty() ? QString() : cleanDir(r.frontendDir) + u'/';
    d += u"# Frontend: its built files are the same for every architecture, so this stage always\n"
         "# runs on the build machine's own platform and is built once, never under emulation.\n"_s;
    d += u"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend\n"_s;
    d += u"WORKDIR "_s + inStage(r.frontendDir) + u'\n';
    d += u"# Dependencies first: this layer stays cached until package.json or the lockfile change.\n"_s;
    d += u"COPY "_s + prefix + u"package.json "_s + prefix + pm.lockfileGlob + u" ./\n"_s;
    d += u"RUN "_s;
    if (r.cacheMounts)
        d += u"--mount=type=cache,target="_s + pm.cacheDir + u" \\\n    "_s;
    d += pm.installCommand + u'\n';
    d += u"COPY "_s + src + u" ./\n"_s;
    d += u"RUN "_s + pm.buildCommand + u"\n\n"_s;
}

/// "crates/api" → "crates/api/"; "." → "./" (a COPY destination or source folder).
QString folderArg(const QString &dir)
{
    const QString d = cleanDir(dir);
    return d.isEmpty() ? u"./"_s : d + u'/';
}

/// A workspace member's build: the workspace's manifests and lockfile first (with empty
/// stand-ins for the other members' targets, so cargo can read the workspace), the
/// dependencies fetched in a layer of their own, then only the sources the binary needs.
void workspaceSources(QString &d, const BuildRecipe &r)
{
    const bool debian = r.toolchain == BuildRecipe::Toolchain::Debian;
    const QString ws = folderArg(r.workspaceDir);
    d += u"WORKDIR /src\n"_s;
    d += u"# The Cargo workspace's manifests and lockfile first: the layers below stay cached until\n"
         "# one of them changes. Empty stand-ins for the targets of members the binary does not\n"
         "# need let cargo read the whole workspace without their sources.\n"_s;
    d += u"COPY "_s + (ws == u"./" ? QString() : ws) + u"Cargo.toml "_s + (ws == u"./" ? QString() : ws) + u"Cargo.lock* "_s + ws + u'\n';
    if (r.cargoConfig)
        d += u"COPY "_s + (ws == u"./" ? QString() : ws) + u".cargo/config.toml "_s + (ws == u"./" ? QString() : ws) + u".cargo/\n"_s;
    for (const QString &m : r.workspaceMembers)
        d += u"COPY "_s + folderArg(m) + u"Cargo.toml "_s + folderArg(m) + u'\n';
    if (!r.workspaceStandIns.isEmpty()) {
        QStringList dirs, files;
        for (const QString &f : r.workspaceStandIns) {
            files << shellQuoted(QDir::cleanPath(f));
            if (const QString dir = QFileInfo(QDir::cleanPath(f)).path(); dir != u"." && !dirs.contains(shellQuoted(dir)))
                dirs << shellQuoted(dir);
        }
        d += u"RUN mkdir -p "_s + dirs.join(u' ') + u" \\\n && touch "_s + files.join(u' ') + u'\n';
    }
    if (!debian) {
        d += u"RUN "_s + (r.cacheMounts ? u"--mount=type=cache,target=/usr/local/cargo/registry "_s : QString())
             + u"cargo fetch --manifest-path "_s + (ws == u"./" ? QString() : ws) + u"Cargo.toml\n"_s;
    }
    d += u"# Then the sources of the crates the binary is built from.\n"_s;
    for (const QString &src : r.workspaceSources)
        d += u"COPY "_s + copySource(src) + u' ' + folderArg(src) + u'\n';
    d += u"WORKDIR "_s + inStage(r.workspaceDir) + u'\n';
}

/// The backend stage's FROM: on the build machine's platform when cross-compiling.
void backendFrom(QString &d, const BuildRecipe &r)
{
    const bool cross = r.strategy == BuildRecipe::Strategy::CrossCompile;
    const bool debian = r.toolchain == BuildRecipe::Toolchain::Debian;
    if (cross)
        d += u"# Backend: compiled on the build machine's own platform ($BUILDPLATFORM) for the target's\n"
             "# triple, so no compiler runs under QEMU; only the finished binary is per-architecture.\n"
             "FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend\n"_s;
    else
        d += u"# Backend: built on the target platform itself (under QEMU when it is not the build\n"
             "# machine's): simple, but a cargo build under emulation is many times slower.\n"
             "FROM ${RUST_IMAGE} AS backend\n"_s;
    if (cross && debian)
        d += u"ARG BUILDARCH\n"_s;
    d += u"ARG TARGETARCH\n"_s;
}

/// The compiler for the target: Debian's rustc with the cross linker and packaged crates, or rustup's musl target.
void backendToolchain(QString &d, const BuildRecipe &r)
{
    const bool cross = r.strategy == BuildRecipe::Strategy::CrossCompile;
    const bool debian = r.toolchain == BuildRecipe::Toolchain::Debian;
    if (debian) {
        if (!r.hasRustImageOverride()) {
            d += u"# Debian's rustc and cargo, the C toolchain that links the static binary"_s
                 + (cross ? u", the cross linker and\n# the target's Rust standard library (multiarch)"_s : QString())
                 + u", and the crates as Debian packages (librust-*-dev).\n"_s;
            d += u"RUN "_s;
            if (cross)
                d += u"if [ \"$TARGETARCH\" != \"$BUILDARCH\" ]; then \\\n"
                     "      dpkg --add-architecture \"$TARGETARCH\"; \\\n"
                     "      case \"$TARGETARCH\" in \\\n"
                     "        amd64) cross=\"gcc-x86-64-linux-gnu libc6-dev-amd64-cross\" ;; \\\n"
                     "        arm64) cross=\"gcc-aarch64-linux-gnu libc6-dev-arm64-cross\" ;; \\\n"
                     "      esac; \\\n"
                     "      cross=\"$cross libstd-rust-dev:$TARGETARCH\"; \\\n"
                     "    fi; \\\n    "_s;
            d += u"apt-get update && apt-get install -y --no-install-recommends \\\n"
                 "      rustc cargo gcc libc6-dev ca-certificates"_s;
            if (cross)
                d += u" $cross"_s;
            QStringList pkgs;
            for (const QString &c : r.debianCrates)
                pkgs << shellQuoted(debianPackage(c));
            for (qsizetype i = 0; i < pkgs.size(); i += 4)
                d += u" \\\n      "_s + pkgs.mid(i, 4).join(u' ');
            d += u" \\\n && rm -rf /var/lib/apt/lists/*\n"_s;
        }
        d += u"# Crates come from Debian's packaged sources, so the build needs no network.\n"
             "RUN mkdir -p /root/.cargo && printf '[source.crates-io]\\nreplace-with = \"debian\"\\n"
             "[source.debian]\\ndirectory = \"/usr/share/cargo/registry\"\\n[net]\\noffline = true\\n' "
             "> /root/.cargo/config.toml\n"_s;
    } else {
        d += u"# The musl target makes a fully static binary; rust-lld links it without a C cross compiler.\n"
             "RUN case \"$TARGETARCH\" in \\\n"
             "      amd64) rustup target add x86_64-unknown-linux-musl ;; \\\n"
             "      arm64) rustup target add aarch64-unknown-linux-musl ;; \\\n"
             "    esac\n"_s;
    }
}

/// cargo build for the target's triple, statically linked; the binary ends in /out.
void backendCompile(QString &d, const BuildRecipe &r)
{
    const bool debian = r.toolchain == BuildRecipe::Toolchain::Debian;
    d += u"RUN "_s;
    if (r.cacheMounts) {
        if (!debian)
            d += u"--mount=type=cache,target=/usr/local/cargo/registry \\\n    "_s;
        d += u"--mount=type=cache,target=/cargo-target \\\n    "_s;
    }
    d += u"case \"$TARGETARCH\" in \\\n"_s;
    if (debian) {
        d += u"      amd64) triple=x86_64-unknown-linux-gnu; linker=x86_64-linux-gnu-gcc ;; \\\n"
             "      arm64) triple=aarch64-unknown-linux-gnu; linker=aarch64-linux-gnu-gcc ;; \\\n"_s;
    } else {
        d += u"      amd64) triple=x86_64-unknown-linux-musl; linker=rust-lld ;; \\\n"
             "      arm64) triple=aarch64-unknown-linux-musl; linker=rust-lld ;; \\\n"_s;
    }
    d += u"      *) echo \"Gantry's Dockerfile builds for amd64 and arm64, not $TARGETARCH.\" >&2; exit 1 ;; \\\n"
         "    esac; \\\n"_s;
    if (debian)
        d += u"    command -v \"$linker\" >/dev/null || linker=gcc; \\\n"_s;
    d += u"    export CARGO_TARGET_DIR=/cargo-target \\\n"
         "      CARGO_TARGET_$(echo \"$triple\" | tr a-z- A-Z_)_LINKER=\"$linker\" \\\n"
         "      RUSTFLAGS=\"-C target-feature=+crt-static\"; \\\n"_s;
    d += u"    cargo build --release --target \"$triple\" "_s
         + (r.workspaceDir.isEmpty() ? QString() : u"-p "_s + shellQuoted(r.package) + u' ')
         + u"--bin "_s + shellQuoted(r.binary) + u" \\\n"_s;
    d += u" && mkdir -p /out && cp \"/cargo-target/$triple/release/"_s + r.binary + u"\" /out/\n\n"_s;
}

void backendStage(QString &d, const BuildRecipe &r)
{
    backendFrom(d, r);
    backendToolchain(d, r);
    if (r.workspaceDir.isEmpty()) {
        d += u"WORKDIR "_s + inStage(r.backendDir) + u'\n';
        d += u"COPY "_s + copySource(r.backendDir) + u" ./\n"_s;
    } else {
        workspaceSources(d, r);
    }
    backendCompile(d, r);
}

void runtimeStage(QString &d, const BuildRecipe &r)
{
    d += u"# The image itself: the static binary, the frontend's files"_s
         + (r.caCertificates ? u" and a CA bundle"_s : QString())
         + u". It has no RUN,\n# so it needs no shell and no emulation for any platform.\n"_s;
    d += u"# Layers from what changes least to what changes most; each COPY --link is made apart from\n"
         "# the layers below it, and the binary comes as the contents of /out/ so that /app/ carries\n"
         "# /out's time: a backend-only change alters only the binary's layer, a frontend-only change\n"
         "# only the frontend's, and a redeploy sends just that.\n"_s;
    d += u"FROM ${RUNTIME_IMAGE}\n"_s;
    if (r.caCertificates)
        d += u"COPY --link --from=backend /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n"_s;
    const QString staticDir = r.staticDir.isEmpty() ? u"/app/public"_s : r.staticDir;
    if (!r.frontendDir.isEmpty()) {
        const QString out = QDir::cleanPath(inStage(r.frontendDir) + u'/' + r.frontendOutputDir);
        d += u"COPY --link --from=frontend "_s + out + u"/ "_s + staticDir + u"/\n"_s;
    }
    d += u"COPY --link --from=backend /out/ /app/\n"_s;
    QStringList env;
    if (r.port > 0)
        env << u"PORT="_s + QString::number(r.port);
    if (!r.frontendDir.isEmpty())
        env << u"STATIC_DIR="_s + envValue(staticDir);
    for (const auto &[k, v] : r.env)
        env << k + u'=' + envValue(v);
    if (!env.isEmpty())
        d += u"ENV "_s + env.join(u" \\\n    "_s) + u'\n';
    if (r.port > 0)
        d += u"EXPOSE %1\n"_s.arg(r.port);
    if (!r.user.isEmpty())
        d += u"USER "_s + r.user + u'\n';
    d += u"ENTRYPOINT "_s + QString::fromUtf8(QJsonDocument(QJsonArray{QJsonValue(u"/app/"_s + r.binary)}).toJson(QJsonDocument::Compact)) + u'\n';
}

} // namespace

QString DockerfileWriter::dockerfile(const BuildRecipe &r)
{
    QString d;
    d += u"# Written by Gantry from gantry.toml (edit that, then rewrite this file with\n"
         "# `gantry init` or the Configure page). Build context: the repository root.\n"_s;
    d += u"# Platforms: "_s + r.platforms.join(u", "_s) + u"; strategy: "_s
         + (r.strategy == BuildRecipe::Strategy::CrossCompile ? u"cross-compile"_s : u"emulate"_s)
         + u"; toolchain: "_s + BuildRecipe::toolchainName(r.toolchain) + u"; runtime: "_s
         + BuildRecipe::runtimeName(r.runtime) + u".\n"_s;
    d += u"ARG RUST_IMAGE="_s + r.rustImage() + u'\n';
    if (!r.frontendDir.isEmpty())
        d += u"ARG NODE_IMAGE="_s + r.nodeImage() + u'\n';
    d += u"ARG RUNTIME_IMAGE="_s + r.runtimeImage() + u"\n\n"_s;
    if (!r.frontendDir.isEmpty())
        frontendStage(d, r);
    backendStage(d, r);
    runtimeStage(d, r);
    return d;
}

QString DockerfileWriter::dockerignore(const BuildRecipe &r)
{
    QString t;
    t += u"# Written by Gantry: only sources go to the engine; build outputs and installed\n"
         "# dependencies stay out of the build context (they are rebuilt inside the image).\n"_s;
    t += u".git\n**/target\n**/node_modules\n"_s;
    if (!r.frontendDir.isEmpty()) {
        const QString d = cleanDir(r.frontendDir);
        const QString out = QDir::cleanPath((d.isEmpty() ? QString() : d + u'/') + r.frontendOutputDir);
        if (!out.isEmpty() && out != u"." && !out.startsWith(u".."_s))
            t += out + u'\n';
    }
    t += u"**/.DS_Store\n*.log\n"_s;
    return t;
}

QString PlannedFile::diff() const
{
    if (!exists || current == proposed)
        return {};
    return unifiedDiff(QString::fromUtf8(current), QString::fromUtf8(proposed), u"a/"_s + relativePath,
                       u"b/"_s + relativePath);
}

namespace {

/// The first symbolic link among the parts of rel below root (the file itself included),
/// or empty: a repository may carry a link named Dockerfile to a file anywhere, even a
/// dangling one (QSaveFile would write through it).
QString linkOnTheWay(const QString &root, const QString &rel)
{
    QString path = root;
    for (const QString &part : QDir::cleanPath(rel).split(u'/', Qt::SkipEmptyParts)) {
        path += u'/' + part;
        if (QFileInfo(path).isSymLink())
            return path;
    }
    return {};
}

/// Why f must not be written: outside the repository, or through a link.
Status unsafeTarget(const PlannedFile &f)
{
    const QString rel = QDir::cleanPath(f.relativePath);
    if (QDir::isAbsolutePath(rel) || rel == u".." || rel.startsWith(u"../"_s))
        return Failure(ErrorClass::RecipeInvalid,
                       u"%1 is outside the repository: Gantry writes only inside it"_s.arg(QDir::toNativeSeparators(f.relativePath)),
                       u"Choose a Dockerfile path inside the repository."_s);
    QString root = f.absolutePath;
    root.chop(rel.size() + 1); // "/REL"
    if (const QString link = linkOnTheWay(root, rel); !link.isEmpty())
        return Failure(ErrorClass::Unreadable,
                       u"%1 is a symbolic link (to %2): Gantry never writes through a link"_s.arg(
                           QDir::toNativeSeparators(link), QDir::toNativeSeparators(QFileInfo(link).symLinkTarget())),
                       u"Replace it with a plain file or remove it, then write again."_s);
    return {};
}

} // namespace

QList<PlannedFile> planRecipeFiles(const BuildRecipe &recipe, const QString &repoRoot)
{
    const QDir root(repoRoot);
    const QString dockerfile = recipe.dockerfile.isEmpty() ? u"Dockerfile"_s : QDir::cleanPath(recipe.dockerfile);
    const QList<std::pair<QString, QString>> files{
        {u"gantry.toml"_s, recipe.toToml()},
        {dockerfile, DockerfileWriter::dockerfile(recipe)},
        {u".dockerignore"_s, DockerfileWriter::dockerignore(recipe)},
    };
    QList<PlannedFile> plan;
    for (const auto &[rel, text] : files) {
        PlannedFile f;
        f.relativePath = rel;
        f.absolutePath = root.absoluteFilePath(rel);
        f.proposed = text.toUtf8();
        QFile existing(f.absolutePath);
        if (!linkOnTheWay(repoRoot, rel).isEmpty()) {
            f.exists = true; // something is there; writeRecipeFiles() refuses it (and it is never read)
        } else if (existing.exists() && existing.open(QIODevice::ReadOnly)) {
            f.exists = true;
            f.current = existing.readAll();
        }
        plan << f;
    }
    return plan;
}

bool wouldOverwrite(const QList<PlannedFile> &plan)
{
    for (const PlannedFile &f : plan)
        if (f.exists && f.current != f.proposed)
            return true;
    return false;
}

namespace {

/// F may be written: a safe target, unchanged on disk since planning, and not replacing a
/// differing file unless OVERWRITE.
Status checkWritable(const PlannedFile &f, bool overwrite)
{
    if (Status safe = unsafeTarget(f); !safe)
        return safe;
    const QString path = QDir::toNativeSeparators(f.absolutePath);
    QFile now(f.absolutePath);
    const bool existsNow = now.exists();
    QByteArray bytesNow;
    if (existsNow) {
        if (QFileInfo(f.absolutePath).isDir())
            return Failure(ErrorClass::Unreadable, u"%1 is a folder, not a file"_s.arg(path),
                           u"Move it away and write again."_s);
        if (!now.open(QIODevice::ReadOnly))
            return Failure(ErrorClass::Unreadable, u"Cannot read %1 (%2)"_s.arg(path, now.errorString()),
                           u"Check its permissions."_s);
        bytesNow = now.readAll();
    }
    if (existsNow != f.exists || bytesNow != f.current)
        return Failure(ErrorClass::Other, u"%1 changed on disk since Gantry read it"_s.arg(path),
                       u"Review the difference again before writing."_s);
    if (f.exists && f.current != f.proposed && !overwrite)
        return Failure(ErrorClass::Other, u"%1 already exists and differs from what Gantry would write"_s.arg(path),
                       u"Review the difference and confirm to replace it."_s);
    return {};
}

} // namespace

Status writeRecipeFiles(const QList<PlannedFile> &plan, bool overwrite)
{
    // Check everything first so that no file is written when one would be refused.
    for (const PlannedFile &f : plan)
        if (Status st = checkWritable(f, overwrite); !st)
            return st;
    for (const PlannedFile &f : plan) {
        if (!f.changes())
            continue;
        QDir().mkpath(QFileInfo(f.absolutePath).absolutePath());
        QSaveFile out(f.absolutePath);
        if (!out.open(QIODevice::WriteOnly) || out.write(f.proposed) != f.proposed.size() || !out.commit())
            return Failure(ErrorClass::Other,
                           u"Cannot write %1 (%2)"_s.arg(QDir::toNativeSeparators(f.absolutePath), out.errorString()),
                           u"Check the folder's permissions and free space."_s);
    }
    return {};
}

} // namespace Gantry
