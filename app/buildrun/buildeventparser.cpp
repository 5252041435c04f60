// SPDX-License-Identifier: MIT
#include "buildeventparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// RFC 3339 with nanoseconds ("2026-11-29T04:36:40.491184696Z"): Qt reads milliseconds.
QDateTime parseTimestamp(const QJsonValue &value)
{
    QString s = value.toString();
    if (s.isEmpty())
        return {};
    const qsizetype dot = s.indexOf(u'.');
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < s.size() && s.at(end).isDigit())
            ++end;
        const QString fraction = s.mid(dot + 1, end - dot - 1).left(3).leftJustified(3, u'0');
        s = s.left(dot + 1) + fraction + s.mid(end);
    }
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : t;
}

QString fromBase64(const QJsonValue &value)
{
    return QString::fromUtf8(QByteArray::fromBase64(value.toString().toLatin1()));
}

bool isCancellation(const QString &error)
{
    return error.contains(u"context canceled"_s) || error.contains(u"CANCELED"_s) || error == u"canceled"_s;
}

} // namespace

BuildEventParser::BuildEventParser() = default;
BuildEventParser::~BuildEventParser() = default;
BuildEventParser::BuildEventParser(BuildEventParser &&) noexcept = default;
BuildEventParser &BuildEventParser::operator=(BuildEventParser &&) noexcept = default;

void BuildEventParser::feed(QByteArrayView data)
{
    for (const char c : data) {
        if (m_depth > 0) {
            m_object.append(c);
            if (m_inString) {
                if (m_escape)
                    m_escape = false;
                else if (c == '\\')
                    m_escape = true;
                else if (c == '"')
                    m_inString = false;
                continue;
            }
            if (c == '"')
                m_inString = true;
            else if (c == '{')
                ++m_depth;
            else if (c == '}' && --m_depth == 0) {
                handleObject(m_object);
                m_object.clear();
            }
            continue;
        }
        if (c == '{' && m_line.trimmed().isEmpty()) {
            m_line.clear();
            m_object = QByteArray(1, c);
            m_depth = 1;
            m_inString = false;
            m_escape = false;
            continue;
        }
        if (c == '\n') {
            handleTextLine(m_line);
            m_line.clear();
        } else {
            m_line.append(c);
        }
    }
}

void BuildEventParser::finish(bool cancelled)
{
    Q_UNUSED(cancelled)
    if (!m_line.isEmpty()) {
        handleTextLine(m_line);
        m_line.clear();
    }
    // Flush decoders (an incomplete character at the very end becomes U+FFFD).
    for (auto &[key, decoder] : m_decoders) {
        const QString rest = (*decoder)(QByteArrayView());
        Q_UNUSED(rest)
    }
    for (int i = 0; i < m_steps.size(); ++i) {
        BuildStep &s = m_steps[i];
        // A step still running when the stream ends was stopped (a cancel, or buildx died);
        // steps that never started stay waiting ("not run").
        if (s.state == BuildStep::State::Running) {
            s.state = BuildStep::State::Cancelled;
            if (!s.completed.isValid())
                s.completed = QDateTime::currentDateTimeUtc();
            markChanged(i);
        }
    }
}

BuildEventParser::Changes BuildEventParser::takeChanges()
{
    Changes c = std::move(m_changes);
    m_changes = {};
    m_changedSet.clear();
    return c;
}

int BuildEventParser::visibleStepCount() const
{
    return int(std::count_if(m_steps.cbegin(), m_steps.cend(), [](const BuildStep &s) { return !s.isInternal(); }));
}

int BuildEventParser::finishedStepCount() const
{
    return int(std::count_if(m_steps.cbegin(), m_steps.cend(),
                             [](const BuildStep &s) { return !s.isInternal() && s.isFinished(); }));
}

int BuildEventParser::cachedStepCount() const
{
    return int(std::count_if(m_steps.cbegin(), m_steps.cend(),
                             [](const BuildStep &s) { return !s.isInternal() && s.cached; }));
}

int BuildEventParser::failedStepIndex() const
{
    for (int i = 0; i < m_steps.size(); ++i)
        if (m_steps.at(i).state == BuildStep::State::Failed)
            return i;
    return -1;
}

int BuildEventParser::stepIndex(const QString &id, bool create)
{
    const auto it = m_indexById.constFind(id);
    if (it != m_indexById.cend())
        return *it;
    if (!create)
        return -1;
    BuildStep step;
    step.id = id;
    m_steps.append(step);
    m_indexById.insert(id, int(m_steps.size() - 1));
    return int(m_steps.size() - 1);
}

void BuildEventParser::markChanged(int index)
{
    if (!m_changedSet.contains(index)) {
        m_changedSet.insert(index);
        m_changes.steps.append(index);
    }
}

void BuildEventParser::appendLog(int index, const QString &text)
{
    if (text.isEmpty())
        return;
    BuildStep &s = m_steps[index];
    if (s.log.size() + text.size() > BuildStep::maxLogChars) {
        // Keep the end: errors are at the end. Drop the oldest half.
        s.log = s.log.mid(s.log.size() / 2);
        s.logTruncated = true;
    }
    s.log += text;
    if (!m_changes.logs.isEmpty() && m_changes.logs.constLast().first == index)
        m_changes.logs.last().second += text;
    else
        m_changes.logs.append({index, text});
}

void BuildEventParser::updateState(BuildStep &s)
{
    if (!s.error.isEmpty())
        s.state = isCancellation(s.error) ? BuildStep::State::Cancelled : BuildStep::State::Failed;
    else if (s.cached)
        s.state = BuildStep::State::Cached;
    else if (s.completed.isValid())
        s.state = BuildStep::State::Done;
    else if (s.started.isValid())
        s.state = BuildStep::State::Running;
    else
        s.state = BuildStep::State::Waiting;
}

void BuildEventParser::handleObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        // Not a status object after all: keep it as text so nothing is lost.
        for (const QByteArray &line : json.split('\n'))
            handleTextLine(line);
        return;
    }
    m_sawJson = true;
    const QJsonObject root = doc.object();
    for (const QJsonValue &v : root.value(u"vertexes").toArray()) {
        const QJsonObject o = v.toObject();
        const QString digest = o.value(u"digest").toString();
        if (digest.isEmpty())
            continue;
        const int i = stepIndex(digest, true);
        BuildStep &s = m_steps[i];
        if (s.name.isEmpty() || s.name != o.value(u"name").toString()) {
            s.name = o.value(u"name").toString();
            s.stage.clear();
            s.platform.clear();
            s.index = s.count = 0;
            splitStepName(s);
        }
        const QDateTime started = parseTimestamp(o.value(u"started"));
        const QDateTime completed = parseTimestamp(o.value(u"completed"));
        if (started.isValid() && (!s.started.isValid() || started < s.started))
            s.started = started;
        if (completed.isValid())
            s.completed = completed;
        else if (started.isValid())
            s.completed = {}; // started (again) and not done yet
        s.cached = o.value(u"cached").toBool();
        const QString err = o.value(u"error").toString();
        if (!err.isEmpty())
            s.error = err;
        updateState(s);
        markChanged(i);
    }
    for (const QJsonValue &v : root.value(u"logs").toArray()) {
        const QJsonObject o = v.toObject();
        const QString vertex = o.value(u"vertex").toString();
        const int i = stepIndex(vertex, true);
        const QString key = vertex + u'/' + QString::number(o.value(u"stream").toInt(1));
        auto &decoder = m_decoders[key];
        if (!decoder)
            decoder = std::make_unique<QStringDecoder>(QStringDecoder::Utf8);
        appendLog(i, (*decoder)(QByteArray::fromBase64(o.value(u"data").toString().toLatin1())));
    }
    for (const QJsonValue &v : root.value(u"warnings").toArray()) {
        const QJsonObject o = v.toObject();
        BuildWarning w;
        w.stepId = o.value(u"vertex").toString();
        w.level = o.value(u"level").toInt();
        w.text = fromBase64(o.value(u"short"));
        QStringList detail;
        for (const QJsonValue &d : o.value(u"detail").toArray())
            detail << fromBase64(d);
        if (!detail.isEmpty())
            w.text += u": "_s + detail.join(u' ');
        w.url = o.value(u"url").toString();
        m_warnings.append(w);
        m_changes.warnings.append(w);
    }
}

void BuildEventParser::handleTextLine(const QByteArray &raw)
{
    QByteArray bytes = raw;
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    const QString line = m_textDecoder(bytes);
    static const QRegularExpression plain(uR"(^#(\d+) (.*)$)"_s);
    const auto m = plain.match(line);
    if (m.hasMatch()) {
        m_sawPlain = true;
        handlePlainLine(m.captured(1).toInt(), m.captured(2));
        return;
    }
    if (line.trimmed().isEmpty() && m_textLines.isEmpty())
        return;
    m_textLines.append(line);
    m_changes.textLines.append(line);
}

void BuildEventParser::handlePlainLine(int number, const QString &rest)
{
    if (number == 0) // "#0 building with "default" instance using docker driver"
        return;
    const QString id = u"#"_s + QString::number(number);
    const bool known = m_indexById.contains(id);
    const int i = stepIndex(id, true);
    BuildStep &s = m_steps[i];
    static const QRegularExpression logLine(uR"(^(\d+\.\d+) ?(.*)$)"_s);
    static const QRegularExpression doneLine(uR"(^DONE (\d+(?:\.\d+)?)s$)"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!known) {
        s.name = rest;
        splitStepName(s);
        s.started = now;
        updateState(s);
        markChanged(i);
        return;
    }
    if (rest == s.name || rest == u"..."_s)
        return; // the header again, or "output switches to another step"
    if (const auto d = doneLine.match(rest); d.hasMatch()) {
        // A step's own time, bounded: a number too large for milliseconds (a damaged stream)
        // must not overflow the conversion.
        constexpr double maxSeconds = 366.0 * 24 * 3600;
        const double seconds = std::clamp(d.captured(1).toDouble(), 0.0, maxSeconds);
        s.completed = s.started.addMSecs(qint64(seconds * 1000.0));
    } else if (rest == u"CACHED"_s) {
        s.cached = true;
        s.completed = s.started;
    } else if (rest.startsWith(u"ERROR: "_s)) {
        s.error = rest.mid(7);
        s.completed = now;
    } else if (rest == u"CANCELED"_s) {
        s.error = u"canceled"_s;
        s.completed = now;
    } else if (rest.startsWith(u"WARN"_s)) {
        BuildWarning w;
        w.stepId = id;
        w.text = rest.section(u": "_s, 1);
        m_warnings.append(w);
        m_changes.warnings.append(w);
        return;
    } else if (const auto l = logLine.match(rest); l.hasMatch()) {
        appendLog(i, l.captured(2) + u'\n');
        return;
    } else {
        return; // a status line ("transferring context: 2B done", "exporting layers")
    }
    updateState(s);
    markChanged(i);
}

} // namespace Gantry
