// SPDX-License-Identifier: MIT
#include "cli.h"

namespace Gantry::Cli {

int analyze(const QStringList &arguments, Io io)
{
    Q_UNUSED(arguments)
    io.err << "gantry analyze: not available in this build yet.\n";
    return Failure;
}

int diff(const QStringList &arguments, Io io)
{
    Q_UNUSED(arguments)
    io.err << "gantry diff: not available in this build yet.\n";
    return Failure;
}

} // namespace Gantry::Cli
