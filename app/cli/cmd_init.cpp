// SPDX-License-Identifier: MIT
#include "cli.h"

namespace Gantry::Cli {

int init(const QStringList &arguments, Io io)
{
    Q_UNUSED(arguments)
    io.err << "gantry init: not available in this build yet.\n";
    return Failure;
}

} // namespace Gantry::Cli
