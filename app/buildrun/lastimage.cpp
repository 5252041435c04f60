// SPDX-License-Identifier: MIT
#include "lastimage.h"

#include "util/processrunner.h"

#include <QObject>

using namespace Qt::StringLiterals;

namespace Gantry {

std::optional<BuildRecord> lastSucceededBuild(const QString &projectRoot, const QString &historyPath)
{
    if (projectRoot.isEmpty())
        return std::nullopt;
    const BuildHistory history(historyPath);
    for (const BuildRecord &r : history.recent(50, projectRoot))
        if (r.result == u"succeeded"_s && (!r.tag.isEmpty() || !r.imageId.isEmpty()))
            return r;
    return std::nullopt;
}

Result<LastImage> findLastImage(const QString &projectRoot, const QString &historyPath)
{
    LastImage last;
    const std::optional<BuildRecord> record = lastSucceededBuild(projectRoot, historyPath);
    if (!record)
        return last;
    last.record = *record;
    last.imageRef = record->tag.isEmpty() ? record->imageId : record->tag;
    const ProcessResult r = runProcess(u"docker"_s, {u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, last.imageRef});
    if (r.ok()) {
        last.state = LastImage::State::InEngine;
        last.imageId = r.stdoutText();
        return last;
    }
    const QString err = r.stderrText();
    if (r.started && (err.contains(u"No such image"_s, Qt::CaseInsensitive) || err.contains(u"No such object"_s, Qt::CaseInsensitive))) {
        last.state = LastImage::State::Gone;
        return last;
    }
    return Failure(ErrorClass::EngineDown,
                   QObject::tr("Gantry could not ask Docker whether %1 is still there: %2")
                       .arg(last.imageRef, err.isEmpty() ? r.errorString : err.section(u'\n', 0, 0)),
                   QObject::tr("Check the Docker setup (Image ▸ Check Docker Setup)."));
}

} // namespace Gantry
