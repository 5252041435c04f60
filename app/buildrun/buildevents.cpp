// SPDX-License-Identifier: MIT
#include "buildevents.h"

#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

qint64 BuildStep::durationMs(const QDateTime &now) const
{
    if (!started.isValid())
        return -1;
    const QDateTime end = completed.isValid() ? completed : now;
    return std::max<qint64>(0, started.msecsTo(end));
}

QString BuildStep::displayName() const
{
    if (index > 0)
        return u"%1 %2/%3  %4"_s.arg(stage).arg(index).arg(count).arg(command);
    return command.isEmpty() ? name : command;
}

QString BuildStep::stateName(State state)
{
    switch (state) {
    case State::Waiting: return u"waiting"_s;
    case State::Running: return u"running"_s;
    case State::Done: return u"done"_s;
    case State::Cached: return u"cached"_s;
    case State::Failed: return u"failed"_s;
    case State::Cancelled: return u"cancelled"_s;
    }
    return {};
}

void splitStepName(BuildStep &step)
{
    static const QRegularExpression bracket(uR"(^\[([^\]]*)\]\s*(.*)$)"_s, QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression counter(uR"(^(\d+)/(\d+)$)"_s);
    const auto m = bracket.match(step.name);
    if (!m.hasMatch()) {
        step.command = step.name;
        return;
    }
    step.command = m.captured(2);
    QStringList parts = m.captured(1).split(u' ', Qt::SkipEmptyParts);
    if (!parts.isEmpty()) {
        const auto c = counter.match(parts.constLast());
        if (c.hasMatch()) {
            step.index = c.captured(1).toInt();
            step.count = c.captured(2).toInt();
            parts.removeLast();
        }
    }
    // A platform prefix: "linux/arm64" or "linux/arm64->amd64" (cross builds in some versions).
    if (!parts.isEmpty() && parts.constFirst().contains(u'/') && !parts.constFirst().contains(u' ')
        && (parts.constFirst().startsWith(u"linux/"_s) || parts.constFirst().startsWith(u"windows/"_s)
            || parts.constFirst().startsWith(u"darwin/"_s))) {
        step.platform = parts.takeFirst().section(u"->"_s, 0, 0);
    }
    step.stage = parts.join(u' ');
}

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 60000)
        return u"%1 s"_s.arg(QString::number(double(ms) / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return u"%1 min %2 s"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
    return u"%1 h %2 min"_s.arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar(u'0'));
}


} // namespace Gantry
