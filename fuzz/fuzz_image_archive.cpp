// SPDX-License-Identifier: MIT
// The image archive reader on arbitrary bytes: a docker-archive / OCI layout tar, plain,
// gzip or zstd. It must end in a result or one error sentence, within bounded memory.
#include "fuzzsupport.h"
#include "image/imagearchive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GantryFuzz::initQt();
    const QString path = GantryFuzz::scratchDir() + QStringLiteral("/input.tar");
    GantryFuzz::writeFile(path, QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    Gantry::ImageReadOptions options;
    options.entryCap = 100000;
    const Gantry::Result<Gantry::ImageData> image = Gantry::ImageArchive::read(path, options);
    if (!image && image.failure().sentence().isEmpty())
        __builtin_trap(); // a failure must always say why
    return 0;
}
