// SPDX-License-Identifier: MIT
// The buildx progress parser (rawjson, plain, or both mixed) fed in chunks whose size
// comes from the input's first byte: objects, lines and UTF-8 split anywhere.
#include "buildrun/buildeventparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const size_t chunk = size_t(data[0] % 64) + 1;
    Gantry::BuildEventParser parser;
    for (size_t at = 1; at < size; at += chunk) {
        const size_t n = at + chunk <= size ? chunk : size - at;
        parser.feed(QByteArrayView(reinterpret_cast<const char *>(data + at), qsizetype(n)));
        (void)parser.takeChanges();
    }
    parser.finish(data[0] & 0x80);
    (void)parser.takeChanges();
    (void)parser.visibleStepCount();
    (void)parser.finishedStepCount();
    (void)parser.cachedStepCount();
    const int failed = parser.failedStepIndex();
    if (failed >= parser.steps().size())
        __builtin_trap();
    return 0;
}
