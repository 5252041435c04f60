// SPDX-License-Identifier: MIT
#pragma once

#include "buildevents.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringDecoder>

#include <map>
#include <memory>

namespace Gantry {

/// Turns what `docker buildx build` writes on stderr into build steps. Understands both
/// `--progress=rawjson` (a stream of BuildKit SolveStatus JSON objects, pretty-printed
/// over several lines) and `--progress=plain` ("#N ..." lines), even mixed; everything
/// else (e.g. the final "ERROR: failed to solve: ...") is kept as text lines. Feed it
/// chunks of any size: objects, lines and UTF-8 characters may be split anywhere.
/// Not a QObject: BuildRunner wraps it, tests feed it recorded streams.
class BuildEventParser
{
public:
    /// What changed since the last takeChanges().
    struct Changes
    {
        QList<int> steps;                  ///< indexes into steps() that were added or changed, in order
        QList<QPair<int, QString>> logs;   ///< (step index, text appended to its log)
        QList<BuildWarning> warnings;
        QStringList textLines;             ///< lines that were neither JSON nor "#N"
        bool isEmpty() const { return steps.isEmpty() && logs.isEmpty() && warnings.isEmpty() && textLines.isEmpty(); }
    };

    BuildEventParser();
    ~BuildEventParser();
    BuildEventParser(BuildEventParser &&) noexcept;
    BuildEventParser &operator=(BuildEventParser &&) noexcept;

    void feed(QByteArrayView data);
    /// The stream ended: flushes a last unterminated line; steps still running are marked
    /// Cancelled (cancelled: the user stopped the build; kept for callers' clarity).
    void finish(bool cancelled = false);

    const QList<BuildStep> &steps() const { return m_steps; }
    const QList<BuildWarning> &warnings() const { return m_warnings; }
    const QStringList &textLines() const { return m_textLines; }
    bool sawRawJson() const { return m_sawJson; }
    bool sawPlain() const { return m_sawPlain; }
    Changes takeChanges();

    /// Steps that count for progress and summaries: everything except "[internal] ...".
    int visibleStepCount() const;
    int finishedStepCount() const;
    int cachedStepCount() const;
    /// The step that failed (the first one with an error that is not a cancellation), or -1.
    int failedStepIndex() const;

private:
    void handleObject(const QByteArray &json);
    void handleTextLine(const QByteArray &line);
    void handlePlainLine(int number, const QString &rest);
    int stepIndex(const QString &id, bool create);
    void markChanged(int index);
    void appendLog(int index, const QString &text);
    static void updateState(BuildStep &step);

    QList<BuildStep> m_steps;
    QHash<QString, int> m_indexById;
    QList<BuildWarning> m_warnings;
    QStringList m_textLines;
    std::map<QString, std::unique_ptr<QStringDecoder>> m_decoders; ///< per "stepId/stream"
    QStringDecoder m_textDecoder{QStringDecoder::Utf8};

    // framing
    QByteArray m_object;   ///< the JSON object being collected
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    QByteArray m_line;     ///< the text line being collected (depth 0)
    bool m_sawJson = false;
    bool m_sawPlain = false;

    Changes m_changes;
    QSet<int> m_changedSet;
};

} // namespace Gantry
