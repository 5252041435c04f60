// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <optional>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Gantry {

/// Something a build can run on: a buildx builder (`--builder NAME`) or a docker context
/// (`docker --context NAME buildx build`; a context over ssh:// builds natively on that server).
struct BuilderChoice
{
    enum class Kind { Builder, Context };
    Kind kind = Kind::Builder;
    QString name;
    QString driver;        ///< builder: docker, docker-container, remote, ...; context: empty
    QString endpoint;      ///< context: its docker endpoint (unix://..., ssh://...)
    QString status;        ///< builder: "running", "inactive", ...
    QStringList platforms; ///< builder: what it can build
    bool current = false;
    QString error;

    QString label() const; ///< "default (buildx builder, docker)" / "prod (context, ssh://me@host)"
    bool isRemote() const { return endpoint.startsWith(QStringLiteral("ssh://")) || endpoint.startsWith(QStringLiteral("tcp://")); }
    bool operator==(const BuilderChoice &o) const { return kind == o.kind && name == o.name; }
};

/// Parses `docker buildx ls --format json` (one object per line; 0.13+).
QList<BuilderChoice> parseBuildxLs(const QByteArray &json);
/// Parses `docker context ls --format json` (one object per line).
QList<BuilderChoice> parseContextLs(const QByteArray &json);

struct BuilderList
{
    QList<BuilderChoice> choices; ///< builders first, then contexts
    std::optional<Failure> failure; ///< why listing failed (the choices found so far stay)
};

/// Lists buildx builders and docker contexts. Blocking: worker threads and the CLI only.
BuilderList listBuilders(const QString &docker = QStringLiteral("docker"),
                         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

class JobTracker;

/// Lists builders off the calling thread; reports by signal.
class BuilderLister : public QObject
{
    Q_OBJECT
public:
    explicit BuilderLister(QObject *parent = nullptr);
    bool isRunning() const;
public Q_SLOTS:
    void start();
Q_SIGNALS:
    void finished(const Gantry::BuilderList &list);

private:
    JobTracker *m_jobs;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuilderChoice)
Q_DECLARE_METATYPE(Gantry::BuilderList)
