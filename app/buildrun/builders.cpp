// SPDX-License-Identifier: MIT
#include "builders.h"

#include "util/jobtracker.h"
#include "util/processrunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Gantry {

QString BuilderChoice::label() const
{
    if (kind == Kind::Builder)
        return u"%1 (buildx builder, %2)"_s.arg(name, driver.isEmpty() ? u"?"_s : driver);
    return u"%1 (docker context, %2)"_s.arg(name, endpoint);
}

namespace {

QList<QJsonObject> jsonLines(const QByteArray &json)
{
    QList<QJsonObject> out;
    const QByteArray trimmed = json.trimmed();
    // Some versions print an array, 0.13 prints one object per line.
    if (trimmed.startsWith('[')) {
        for (const QJsonValue &v : QJsonDocument::fromJson(trimmed).array())
            out << v.toObject();
        return out;
    }
    for (const QByteArray &line : json.split('\n')) {
        const QJsonDocument doc = QJsonDocument::fromJson(line.trimmed());
        if (doc.isObject())
            out << doc.object();
    }
    return out;
}

} // namespace

QList<BuilderChoice> parseBuildxLs(const QByteArray &json)
{
    QList<BuilderChoice> out;
    for (const QJsonObject &o : jsonLines(json)) {
        BuilderChoice c;
        c.kind = BuilderChoice::Kind::Builder;
        c.name = o.value(u"Name").toString();
        if (c.name.isEmpty() || out.contains(c))
            continue;
        c.driver = o.value(u"Driver").toString();
        c.current = o.value(u"Current").toBool();
        c.error = o.value(u"Error").toString();
        const QJsonArray nodes = o.value(u"Nodes").toArray();
        for (const QJsonValue &n : nodes) {
            const QJsonObject node = n.toObject();
            if (c.status.isEmpty())
                c.status = node.value(u"Status").toString();
            if (c.endpoint.isEmpty())
                c.endpoint = node.value(u"Endpoint").toString();
            for (const QJsonValue &p : node.value(u"Platforms").toArray())
                if (!c.platforms.contains(p.toString()))
                    c.platforms << p.toString();
        }
        out << c;
    }
    return out;
}

QList<BuilderChoice> parseContextLs(const QByteArray &json)
{
    QList<BuilderChoice> out;
    for (const QJsonObject &o : jsonLines(json)) {
        BuilderChoice c;
        c.kind = BuilderChoice::Kind::Context;
        c.name = o.value(u"Name").toString();
        if (c.name.isEmpty() || out.contains(c))
            continue;
        c.endpoint = o.value(u"DockerEndpoint").toString();
        c.current = o.value(u"Current").toBool();
        c.error = o.value(u"Error").toString();
        out << c;
    }
    return out;
}

BuilderList listBuilders(const QString &docker, const QProcessEnvironment &environment)
{
    BuilderList list;
    const ProcessResult builders = runProcess(docker, {u"buildx"_s, u"ls"_s, u"--format"_s, u"json"_s}, environment, 20000);
    if (!builders.started) {
        list.failure = Failure(ErrorClass::DockerMissing, u"docker could not be started (%1)."_s.arg(builders.errorString),
                               u"Install Docker or choose its program in Preferences."_s);
        return list;
    }
    if (builders.ok()) {
        list.choices << parseBuildxLs(builders.standardOutput);
    } else {
        list.failure = Failure(ErrorClass::BuildxMissing,
                               u"Could not list buildx builders: %1."_s.arg(builders.stderrText().section(u'\n', 0, 0)),
                               u"Check that docker-buildx 0.13 or newer is installed."_s);
    }
    // Which builder is current: `docker buildx inspect` names it on its first line.
    const ProcessResult inspect = runProcess(docker, {u"buildx"_s, u"inspect"_s}, environment, 20000);
    if (inspect.ok()) {
        const QString first = inspect.stdoutText().section(u'\n', 0, 0);
        if (first.startsWith(u"Name:"_s)) {
            const QString name = first.mid(5).trimmed();
            for (BuilderChoice &c : list.choices)
                c.current = c.name == name;
        }
    }
    const ProcessResult contexts = runProcess(docker, {u"context"_s, u"ls"_s, u"--format"_s, u"json"_s}, environment, 20000);
    if (contexts.ok()) {
        const QList<BuilderChoice> contextChoices = parseContextLs(contexts.standardOutput);
        // buildx shows every context as a builder of the docker driver under the context's
        // name. For a remote context that is the same choice twice: keep the context, which
        // says where the build runs (ssh://...).
        for (const BuilderChoice &context : contextChoices) {
            if (!context.isRemote())
                continue;
            list.choices.removeIf([&context](const BuilderChoice &c) {
                return c.kind == BuilderChoice::Kind::Builder && c.driver == u"docker" && c.name == context.name;
            });
        }
        list.choices << contextChoices;
    }
    else if (!list.failure)
        list.failure = Failure(ErrorClass::EngineError,
                               u"Could not list docker contexts: %1."_s.arg(contexts.stderrText().section(u'\n', 0, 0)));
    return list;
}

BuilderLister::BuilderLister(QObject *parent)
    : QObject(parent)
    , m_jobs(new JobTracker(this))
{
}

bool BuilderLister::isRunning() const
{
    return m_jobs->isRunning();
}

void BuilderLister::start()
{
    // A newer listing makes a running one stale: the tracker drops its result.
    m_jobs->start([] { return listBuilders(); }, [this](const BuilderList &list) { Q_EMIT finished(list); });
}

} // namespace Gantry
