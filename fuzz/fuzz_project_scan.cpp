// SPDX-License-Identifier: MIT
// The project scanner on arbitrary manifests: the input is split at "\n====\n" into
// Cargo.toml, Cargo.lock and package.json, written to a folder and scanned. Every
// refusal must come with its sentence.
#include "fuzzsupport.h"
#include "project/projectscanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GantryFuzz::initQt();
    const QList<QByteArray> parts = GantryFuzz::splitParts(data, size, 3);
    const QString dir = GantryFuzz::scratchDir() + QStringLiteral("/project");
    QDir().mkpath(dir);
    GantryFuzz::writeFile(dir + QStringLiteral("/Cargo.toml"), parts[0]);
    GantryFuzz::writeFile(dir + QStringLiteral("/Cargo.lock"), parts[1]);
    GantryFuzz::writeFile(dir + QStringLiteral("/package.json"), parts[2]);
    // A failure must always say why.
    const auto backend = Gantry::ProjectScanner::scanBackend(dir);
    if (!backend && backend.failure().sentence().isEmpty())
        __builtin_trap();
    const auto frontend = Gantry::ProjectScanner::scanFrontend(dir);
    if (!frontend && frontend.failure().sentence().isEmpty())
        __builtin_trap();
    return 0;
}
