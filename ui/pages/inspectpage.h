// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QStackedWidget;

namespace Gantry {

class EmptyStateWidget;

/// The Inspect step of the pipeline. Shows values and starts jobs; computes nothing.
class InspectPage : public QWidget
{
    Q_OBJECT
public:
    explicit InspectPage(QWidget *parent = nullptr);
    EmptyStateWidget *emptyState() const { return m_empty; }

    /// Analyse an image in the engine (streamed with docker save).
    void analyzeImage(const QString &imageRef, const QString &repoRoot = {});
    /// Analyse an image archive file (docker-archive or OCI layout, plain/gzip/zstd).
    void openArchive(const QString &path);

Q_SIGNALS:
    void openArchiveRequested();

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
};

} // namespace Gantry
