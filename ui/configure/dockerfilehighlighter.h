// SPDX-License-Identifier: MIT
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace Gantry {

/// Colours a Dockerfile (instructions, comments, variables, flags, strings) or, in Diff
/// mode, a unified diff (added, removed, hunk headers).
class DockerfileHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Mode { Dockerfile, Diff };
    explicit DockerfileHighlighter(QTextDocument *document, Mode mode = Mode::Dockerfile);

protected:
    void highlightBlock(const QString &text) override;

private:
    Mode m_mode;
    QTextCharFormat m_instruction, m_comment, m_variable, m_flag, m_string, m_added, m_removed, m_hunk;
};

} // namespace Gantry
