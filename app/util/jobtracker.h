// SPDX-License-Identifier: MIT
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace Gantry {

/// The one way Gantry runs a piece of work in the background and posts its result back
/// (modelled on hotspot's JobTracker). A tracker belongs to a QObject (its parent) and runs
/// one kind of job for it — a scan, a history read, a probe:
///
///     m_historyJobs = new JobTracker(this);
///     m_historyJobs->start([root] { return BuildHistory::succeededBuilds(root); },
///                          [this](const Result<QList<BuildRecord>> &read) { show(read); });
///
/// `work` runs on Qt's global thread pool and must not touch widgets; `done(result)` runs on
/// the owner's thread, and only for the newest job: starting a job, or `drop()`, makes every
/// earlier one stale, and a stale job's result is thrown away when it arrives. When the owner
/// (and so the tracker) is destroyed first, `done` is never called. `work` itself is not
/// interrupted: give it a cancel flag (util/cancelflag.h) if it can take long.
class JobTracker : public QObject
{
    Q_OBJECT
public:
    explicit JobTracker(QObject *owner)
        : QObject(owner)
    {
    }

    /// Runs work() in the background; done(result) — or done() when work returns nothing —
    /// follows on this object's thread unless a newer job was started or drop() was called.
    template<typename Work, typename Done>
    void start(Work &&work, Done &&done)
    {
        using R = std::invoke_result_t<std::decay_t<Work>>;
        const quint64 generation = ++m_generation;
        m_running = true;
        auto *watcher = new QFutureWatcher<R>(this);
        connect(watcher, &QFutureWatcherBase::finished, this,
                [this, watcher, generation, done = std::forward<Done>(done)]() mutable {
                    watcher->deleteLater();
                    if (generation != m_generation)
                        return;
                    m_running = false;
                    if constexpr (std::is_void_v<R>)
                        done();
                    else
                        done(watcher->result());
                });
        watcher->setFuture(QtConcurrent::run(std::forward<Work>(work)));
    }

    /// Makes the running job stale: its result will be thrown away.
    void drop()
    {
        ++m_generation;
        m_running = false;
    }

    /// The newest job has not delivered its result yet.
    bool isRunning() const { return m_running; }

    /// Blocks until every job this tracker started has returned (stale ones too): for a
    /// clean exit, never on a path the user waits on.
    void waitForAll()
    {
        for (QFutureWatcherBase *watcher : findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly))
            watcher->waitForFinished();
    }

private:
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace Gantry
