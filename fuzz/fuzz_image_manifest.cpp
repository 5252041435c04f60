// SPDX-License-Identifier: MIT
// manifest.json / config / index.json / OCI manifest parsing: the input is split at
// "\n====\n" into those four documents, which are packed (with a one-file layer) into a
// valid outer tar by KArchive, so the fuzzer spends its time in the JSON handling.
#include "fuzzsupport.h"
#include "image/imagearchive.h"

#include <KTar>
#include <QBuffer>
#include <QCryptographicHash>

namespace {

QByteArray layerTar()
{
    QBuffer buffer;
    KTar tar(&buffer);
    tar.open(QIODevice::WriteOnly);
    tar.writeFile(QStringLiteral("app/hello.txt"), QByteArray("hello\n"));
    tar.close();
    return buffer.data();
}

QString sha(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GantryFuzz::initQt();
    static const QByteArray layer = layerTar();
    const QList<QByteArray> parts = GantryFuzz::splitParts(data, size, 4);
    const QString path = GantryFuzz::scratchDir() + QStringLiteral("/manifest.tar");
    {
        KTar tar(path);
        if (!tar.open(QIODevice::WriteOnly))
            return 0;
        if (!parts[0].isEmpty())
            tar.writeFile(QStringLiteral("manifest.json"), parts[0]);
        tar.writeFile(QStringLiteral("config.json"), parts[1]);
        tar.writeFile(QStringLiteral("blobs/sha256/") + sha(parts[1]), parts[1]);
        if (!parts[2].isEmpty()) {
            tar.writeFile(QStringLiteral("index.json"), parts[2]);
            tar.writeFile(QStringLiteral("oci-layout"), QByteArray(R"({"imageLayoutVersion":"1.0.0"})"));
        }
        tar.writeFile(QStringLiteral("blobs/sha256/") + sha(parts[3]), parts[3]);
        tar.writeFile(QStringLiteral("layer.tar"), layer);
        tar.writeFile(QStringLiteral("blobs/sha256/") + sha(layer), layer);
        tar.close();
    }
    const Gantry::Result<Gantry::ImageData> image = Gantry::ImageArchive::read(path);
    if (!image && image.failure().sentence().isEmpty())
        __builtin_trap(); // a failure must always say why
    return 0;
}
