// SPDX-License-Identifier: MIT
#include "interrupt.h"

#include <QObject>

#include <csignal>
#include <cstdlib>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>
#include <unistd.h>
#endif

namespace Gantry::Cli {

namespace {

// The signal handler may only touch these: lock-free atomics and a pipe's write end.
std::atomic_bool interrupted{false};
std::atomic_bool exitOnRepeat{true};
std::atomic_int wakeFd{-1};

extern "C" void onSignal(int)
{
    if (interrupted.exchange(true) && exitOnRepeat.load())
        std::_Exit(130);
#ifdef Q_OS_UNIX
    const int fd = wakeFd.load();
    if (fd >= 0) {
        const char c = 1;
        [[maybe_unused]] const auto n = ::write(fd, &c, 1);
    }
#endif
}

} // namespace

struct Interrupt::Private
{
#ifdef Q_OS_UNIX
    int pipe[2] = {-1, -1};
    std::unique_ptr<QSocketNotifier> notifier;
    struct sigaction oldInt = {};
    struct sigaction oldTerm = {};
#endif
};

Interrupt::Interrupt(std::function<void()> onInterrupt, Again again)
    : d(std::make_unique<Private>())
{
    interrupted = false;
    exitOnRepeat = again == Again::Exits;
#ifdef Q_OS_UNIX
    // The handler wakes the event loop through a pipe: a socket notifier on its read end
    // calls onInterrupt outside the signal handler, where anything may be done.
    if (onInterrupt && ::pipe(d->pipe) == 0) {
        d->notifier = std::make_unique<QSocketNotifier>(d->pipe[0], QSocketNotifier::Read);
        QObject::connect(d->notifier.get(), &QSocketNotifier::activated, d->notifier.get(),
                         [fd = d->pipe[0], fn = std::move(onInterrupt)] {
                             char buf[16];
                             [[maybe_unused]] const auto n = ::read(fd, buf, sizeof buf);
                             fn();
                         });
        wakeFd = d->pipe[1];
    }
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &d->oldInt);
    sigaction(SIGTERM, &sa, &d->oldTerm);
#else
    Q_UNUSED(onInterrupt);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
#endif
}

Interrupt::~Interrupt()
{
#ifdef Q_OS_UNIX
    sigaction(SIGINT, &d->oldInt, nullptr);
    sigaction(SIGTERM, &d->oldTerm, nullptr);
    wakeFd = -1;
    d->notifier.reset();
    for (int fd : d->pipe) {
        if (fd >= 0)
            ::close(fd);
    }
#else
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
#endif
}

const std::atomic_bool *Interrupt::flag() const
{
    return &interrupted;
}

} // namespace Gantry::Cli
