// SPDX-License-Identifier: MIT
// Small helpers shared by the libFuzzer targets: a Qt core application once, a private
// scratch folder, and splitting one input into several files.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QList>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace GantryFuzz {

inline void initQt()
{
    static int argc = 1;
    static char name[] = "gantry-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication *app = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.warning=false"));
        return new QCoreApplication(argc, argv);
    }();
    Q_UNUSED(app)
}

inline QString scratchDir()
{
    static QTemporaryDir dir;
    return dir.path();
}

/// Splits data at the separator line "\n====\n" into at most n parts (missing parts are empty),
/// so one input can be a Cargo.toml and a Cargo.lock, or a manifest, a config and an index.
inline QList<QByteArray> splitParts(const uint8_t *data, size_t size, int n)
{
    const QByteArray all(reinterpret_cast<const char *>(data), qsizetype(size));
    QList<QByteArray> parts;
    qsizetype from = 0;
    while (parts.size() < n - 1) {
        const qsizetype at = all.indexOf("\n====\n", from);
        if (at < 0)
            break;
        parts << all.mid(from, at - from);
        from = at + 6;
    }
    parts << all.mid(from);
    while (parts.size() < n)
        parts << QByteArray();
    return parts;
}

inline void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(bytes);
}

} // namespace GantryFuzz
