// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <atomic>
#include <functional>
#include <memory>

namespace Gantry::Cli {

/// The CLI's one Ctrl-C mechanism, for every command that runs a job. While an Interrupt
/// lives, SIGINT and SIGTERM are caught:
/// - the first one sets flag(), which a job polls as its cancel flag, and calls onInterrupt
///   (if given) on the event loop of the thread that made the Interrupt;
/// - a later one, with Again::Exits, ends the process at once (exit status 130: the user
///   pressed Ctrl-C twice); with Again::CallsAgain it calls onInterrupt again (for jobs that
///   must stop their own child processes before the CLI may exit, such as a build).
/// The previous handlers come back when it is destroyed. One at a time per process.
class Interrupt
{
public:
    enum class Again { Exits, CallsAgain };
    explicit Interrupt(std::function<void()> onInterrupt = {}, Again again = Again::Exits);
    ~Interrupt();
    Interrupt(const Interrupt &) = delete;
    Interrupt &operator=(const Interrupt &) = delete;

    /// Set by the first Ctrl-C; stays set.
    const std::atomic_bool *flag() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gantry::Cli
