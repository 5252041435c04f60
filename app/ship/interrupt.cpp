// SPDX-License-Identifier: MIT
#include "interrupt.h"

#include <csignal>
#include <cstdlib>

namespace Gantry {

namespace {
std::atomic_bool interrupted{false};

extern "C" void onInterrupt(int)
{
    if (interrupted.exchange(true))
        std::_Exit(130);
}
} // namespace

const std::atomic_bool *installInterruptFlag()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return &interrupted;
}

} // namespace Gantry
