// SPDX-License-Identifier: MIT
#include "dockerfilehighlighter.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

DockerfileHighlighter::DockerfileHighlighter(QTextDocument *document, Mode mode)
    : QSyntaxHighlighter(document)
    , m_mode(mode)
{
    m_instruction.setForeground(QColor(0x1d, 0x4e, 0xd8));
    m_instruction.setFontWeight(QFont::Bold);
    m_comment.setForeground(QColor(0x6b, 0x72, 0x80));
    m_comment.setFontItalic(true);
    m_variable.setForeground(QColor(0x7e, 0x22, 0xce));
    m_flag.setForeground(QColor(0x0e, 0x74, 0x90));
    m_string.setForeground(QColor(0x15, 0x80, 0x3d));
    m_added.setForeground(QColor(0x15, 0x80, 0x3d));
    m_added.setBackground(QColor(0xdc, 0xfc, 0xe7));
    m_removed.setForeground(QColor(0xb9, 0x1c, 0x1c));
    m_removed.setBackground(QColor(0xfe, 0xe2, 0xe2));
    m_hunk.setForeground(QColor(0x1d, 0x4e, 0xd8));
    m_hunk.setFontWeight(QFont::Bold);
}

void DockerfileHighlighter::highlightBlock(const QString &text)
{
    if (m_mode == Mode::Diff) {
        if (text.startsWith(u"+++"_s) || text.startsWith(u"---"_s) || text.startsWith(u"@@"_s))
            setFormat(0, int(text.size()), m_hunk);
        else if (text.startsWith(u'+'))
            setFormat(0, int(text.size()), m_added);
        else if (text.startsWith(u'-'))
            setFormat(0, int(text.size()), m_removed);
        return;
    }
    if (text.trimmed().startsWith(u'#')) {
        setFormat(0, int(text.size()), m_comment);
        return;
    }
    static const QRegularExpression instruction(
        u"^\\s*(FROM|RUN|COPY|ADD|ARG|ENV|WORKDIR|EXPOSE|USER|ENTRYPOINT|CMD|LABEL|VOLUME|HEALTHCHECK|SHELL|STOPSIGNAL|ONBUILD)\\b|\\bAS\\b"_s);
    static const QRegularExpression flag(u"(?<=\\s)--[a-zA-Z-]+(=\\S*)?"_s);
    static const QRegularExpression variable(u"\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?"_s);
    static const QRegularExpression string(u"\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'"_s);
    auto apply = [&](const QRegularExpression &re, const QTextCharFormat &format) {
        for (auto it = re.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            setFormat(int(m.capturedStart()), int(m.capturedLength()), format);
        }
    };
    apply(string, m_string);
    apply(flag, m_flag);
    apply(variable, m_variable);
    apply(instruction, m_instruction);
}

} // namespace Gantry
