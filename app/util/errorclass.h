// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// The kind of failure a user would tell apart, reported beside the one-sentence message
/// (which stays the thing to show). Stable kebab-case names via toString(): tests, logs
/// and scripts may rely on them. Grouped by entry point; Cancelled and Other are shared.
enum class ErrorClass {
    None,
    Other,
    Cancelled,

    // Folders
    NotFound,          ///< the path does not exist
    NotAFolder,        ///< a file, or a link that leads nowhere, where a folder must be
    Unreadable,        ///< a folder or file exists but cannot be read (permissions, a folder in a file's place)
    NoManifest,        ///< no Cargo.toml / package.json / gantry.toml where one is needed: not a project

    // Manifests (Cargo.toml, package.json, Cargo.lock)
    ManifestSyntax,    ///< does not parse (TOML / JSON), with line:column
    ManifestTooLarge,  ///< far larger than such a file can be
    ManifestInvalid,   ///< parses but is not what it must be (no [package]/[workspace], not an object, a missing member)
    NoBinary,          ///< the backend has no binary target
    NoBuildScript,     ///< the frontend has no "build" script

    // Recipes (gantry.toml)
    RecipeSyntax,
    RecipeUnknownKey,
    RecipeWrongType,
    RecipeUnknownValue,    ///< a known key with a value Gantry does not know (strategy, runtime, ...)
    RecipeUnknownPlatform,
    RecipeInvalid,         ///< a value out of range or a folder outside the repository

    // Image archives
    ArchiveNotTar,
    ArchiveNotImage,       ///< a tar, but neither docker save nor an OCI layout
    ArchiveUnsafePath,     ///< an absolute name or ".." component
    ArchiveUnsafeLink,     ///< a link leaving the image, or a link where a document must be
    ArchiveTruncated,
    ArchiveCorrupt,        ///< damaged compression, bad JSON, inconsistent documents
    ArchiveTooLarge,       ///< absurd sizes: a bomb-like expansion, too many entries, huge documents
    ArchiveMissingEntry,   ///< the manifest, config or a layer blob is not in the archive
    ArchiveDigestMismatch, ///< content does not match the digest or size that names it

    // Builds
    EngineDown,
    BuildxMissing,
    DockerMissing,         ///< the docker client cannot be run
    BaseImageMissing,
    CompileError,
    BuildStepFailed,
    DockerfileError,
    ExecFormat,
    RecipeMismatch,        ///< Gantry's recipe does not fit the project (binary, package, output folder, workspace)
    EnginePermission,      ///< the engine's socket may not be used by this user
    EngineError,           ///< the engine answered with an error (too new a client, a broken context, ...)
    EngineTimeout,         ///< the engine did not answer in time
    NoEmulation,           ///< a wanted platform is neither native nor emulated by the builder (a warning)

    // Transfers
    HostKeyUnknown,
    HostKeyChanged,
    AuthFailed,
    HostUnreachable,
    RemotePermission,
    RemoteDiskFull,
    LinkDropped,
    RemoteDockerMissing,
    RemoteFailed,          ///< a remote command failed for another reason
};

/// "manifest-syntax", "archive-unsafe-path", ... (stable).
inline QString toString(ErrorClass c)
{
    switch (c) {
    case ErrorClass::None: return QStringLiteral("none");
    case ErrorClass::Other: return QStringLiteral("other");
    case ErrorClass::Cancelled: return QStringLiteral("cancelled");
    case ErrorClass::NotFound: return QStringLiteral("not-found");
    case ErrorClass::NotAFolder: return QStringLiteral("not-a-folder");
    case ErrorClass::Unreadable: return QStringLiteral("unreadable");
    case ErrorClass::NoManifest: return QStringLiteral("no-manifest");
    case ErrorClass::ManifestSyntax: return QStringLiteral("manifest-syntax");
    case ErrorClass::ManifestTooLarge: return QStringLiteral("manifest-too-large");
    case ErrorClass::ManifestInvalid: return QStringLiteral("manifest-invalid");
    case ErrorClass::NoBinary: return QStringLiteral("no-binary");
    case ErrorClass::NoBuildScript: return QStringLiteral("no-build-script");
    case ErrorClass::RecipeSyntax: return QStringLiteral("recipe-syntax");
    case ErrorClass::RecipeUnknownKey: return QStringLiteral("recipe-unknown-key");
    case ErrorClass::RecipeWrongType: return QStringLiteral("recipe-wrong-type");
    case ErrorClass::RecipeUnknownValue: return QStringLiteral("recipe-unknown-value");
    case ErrorClass::RecipeUnknownPlatform: return QStringLiteral("recipe-unknown-platform");
    case ErrorClass::RecipeInvalid: return QStringLiteral("recipe-invalid");
    case ErrorClass::ArchiveNotTar: return QStringLiteral("archive-not-tar");
    case ErrorClass::ArchiveNotImage: return QStringLiteral("archive-not-image");
    case ErrorClass::ArchiveUnsafePath: return QStringLiteral("archive-unsafe-path");
    case ErrorClass::ArchiveUnsafeLink: return QStringLiteral("archive-unsafe-link");
    case ErrorClass::ArchiveTruncated: return QStringLiteral("archive-truncated");
    case ErrorClass::ArchiveCorrupt: return QStringLiteral("archive-corrupt");
    case ErrorClass::ArchiveTooLarge: return QStringLiteral("archive-too-large");
    case ErrorClass::ArchiveMissingEntry: return QStringLiteral("archive-missing-entry");
    case ErrorClass::ArchiveDigestMismatch: return QStringLiteral("archive-digest-mismatch");
    case ErrorClass::EngineDown: return QStringLiteral("engine-down");
    case ErrorClass::BuildxMissing: return QStringLiteral("buildx-missing");
    case ErrorClass::DockerMissing: return QStringLiteral("docker-missing");
    case ErrorClass::BaseImageMissing: return QStringLiteral("base-image-missing");
    case ErrorClass::CompileError: return QStringLiteral("compile-error");
    case ErrorClass::BuildStepFailed: return QStringLiteral("build-step-failed");
    case ErrorClass::DockerfileError: return QStringLiteral("dockerfile-error");
    case ErrorClass::ExecFormat: return QStringLiteral("exec-format");
    case ErrorClass::RecipeMismatch: return QStringLiteral("recipe-mismatch");
    case ErrorClass::EnginePermission: return QStringLiteral("engine-permission");
    case ErrorClass::EngineError: return QStringLiteral("engine-error");
    case ErrorClass::EngineTimeout: return QStringLiteral("engine-timeout");
    case ErrorClass::NoEmulation: return QStringLiteral("no-emulation");
    case ErrorClass::HostKeyUnknown: return QStringLiteral("host-key-unknown");
    case ErrorClass::HostKeyChanged: return QStringLiteral("host-key-changed");
    case ErrorClass::AuthFailed: return QStringLiteral("auth-failed");
    case ErrorClass::HostUnreachable: return QStringLiteral("host-unreachable");
    case ErrorClass::RemotePermission: return QStringLiteral("remote-permission");
    case ErrorClass::RemoteDiskFull: return QStringLiteral("remote-disk-full");
    case ErrorClass::LinkDropped: return QStringLiteral("link-dropped");
    case ErrorClass::RemoteDockerMissing: return QStringLiteral("remote-docker-missing");
    case ErrorClass::RemoteFailed: return QStringLiteral("remote-failed");
    }
    return QStringLiteral("other");
}

/// Stores c in *out when out is given (the optional out-parameter of the entry points).
inline void setErrorClass(ErrorClass *out, ErrorClass c)
{
    if (out)
        *out = c;
}

} // namespace Gantry
