// SPDX-License-Identifier: MIT
// gantry.toml parsing: any text ends in a recipe or one sentence; a recipe that parses
// writes back to TOML that parses to the same text again.
#include "fuzzsupport.h"
#include "recipe/buildrecipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GantryFuzz::initQt();
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto recipe = Gantry::BuildRecipe::fromToml(text);
    if (!recipe) {
        if (recipe.failure().sentence().isEmpty())
            __builtin_trap(); // a failure must always say why
        return 0;
    }
    const QString again = recipe->toToml();
    const auto reparsed = Gantry::BuildRecipe::fromToml(again);
    if (!reparsed || reparsed->toToml() != again)
        __builtin_trap(); // what Gantry writes, Gantry must read back unchanged
    return 0;
}
