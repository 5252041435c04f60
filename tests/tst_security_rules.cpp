// SPDX-License-Identifier: MIT
// Issue 14: the pure rules behind the fixes, against tables: which prompt may receive a
// stored secret, which remote folders and user names are refused, the grammar of every
// recipe value that reaches the Dockerfile, and terminal-safe text. (tst_security.cpp
// stages the attacks themselves.)
#include "recipe/buildrecipe.h"
#include "recipe/dockerfilewriter.h"
#include "recipe/recipegrammar.h"
#include "ship/askpasspolicy.h"
#include "util/digest.h"
#include "ship/remotepolicy.h"
#include "util/terminaltext.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

Q_DECLARE_METATYPE(Gantry::AskpassPolicy::Secret)

class TestSecurityRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storedSecretOnlyForItsOwnPrompt_data()
    {
        using S = AskpassPolicy::Secret;
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<S>("expected");
        // The login: deploy@prod.example.com with the key /home/me/.ssh/id_deploy.
        QTest::newRow("the target's password prompt") << u"deploy@prod.example.com's password: "_s << S::Password;
        QTest::newRow("the key's passphrase prompt") << u"Enter passphrase for key '/home/me/.ssh/id_deploy': "_s << S::Passphrase;
        QTest::newRow("the jump host's password prompt") << u"deploy@bastion.example.com's password: "_s << S::None;
        QTest::newRow("another user on the target") << u"root@prod.example.com's password: "_s << S::None;
        QTest::newRow("another key's passphrase") << u"Enter passphrase for key '/home/me/.ssh/id_other': "_s << S::None;
        QTest::newRow("keyboard-interactive password") << u"(deploy@prod.example.com) Password: "_s << S::None;
        QTest::newRow("server text with 'passphrase'") << u"Please enter your passphrase for key '/home/me/.ssh/id_deploy': "_s << S::None;
        QTest::newRow("server text with 'password'") << u"Your password has expired. New password: "_s << S::None;
        QTest::newRow("prompt with text before it") << u"x deploy@prod.example.com's password: "_s << S::None;
        QTest::newRow("prompt with text after it") << u"deploy@prod.example.com's password: again"_s << S::None;
        QTest::newRow("host key question") << u"The authenticity of host 'prod.example.com' can't be established."_s << S::None;
    }
    void storedSecretOnlyForItsOwnPrompt()
    {
        QFETCH(QString, prompt);
        QFETCH(AskpassPolicy::Secret, expected);
        const AskpassPolicy::Login login{u"deploy"_s, u"prod.example.com"_s, u"/home/me/.ssh/id_deploy"_s};
        QCOMPARE(int(AskpassPolicy::storedSecretFor(prompt, login)), int(expected));
    }

    void remoteFolders_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<bool>("accepted");
        for (const QString &ok : {u".gantry"_s, u"~/.gantry"_s, u"deploy/gantry"_s, u"/srv/gantry"_s, u"/var/lib/gantry"_s,
                                  u"/home/deploy/.gantry"_s, u"/opt/gantry"_s, u"/tmp/gantry-ship"_s})
            QTest::newRow(qPrintable(u"accepts " + ok)) << ok << true;
        for (const QString &bad : {u""_s, u"~"_s, u"~/"_s, u"."_s, u"./"_s, u"~/."_s, u"$HOME"_s, u"${HOME}/x"_s, u"`id`"_s, u"/"_s,
                                   u"//"_s, u"/etc"_s, u"/etc/gantry"_s, u"/usr/local/gantry"_s, u"/home"_s, u"/home/deploy"_s,
                                   u"/home/deploy/"_s, u"/Users/me"_s, u"/root"_s, u"/tmp"_s, u"/var"_s, u"/srv"_s, u".."_s,
                                   u"../other"_s, u"a/../../b"_s, u"~other/x"_s, u"gantry\nrm"_s, u"/System/x"_s})
            QTest::newRow(qPrintable(u"refuses " + QString(bad).replace(u'\n', u"\\n"_s))) << bad << false;
    }
    void remoteFolders()
    {
        QFETCH(QString, folder);
        QFETCH(bool, accepted);
        const QString problem = RemotePolicy::folderProblem(folder);
        QVERIFY2(problem.isEmpty() == accepted, qPrintable(problem.isEmpty() ? u"accepted"_s : problem));
        QVERIFY(!problem.contains(u'\n'));
    }

    void userNames_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<bool>("accepted");
        for (const QString &ok : {u""_s, u"deploy"_s, u"root"_s, u"ci-bot"_s, u"first.last"_s, u"_svc"_s, u"machine$"_s, u"user1"_s})
            QTest::newRow(qPrintable(u"accepts " + ok)) << ok << true;
        for (const QString &bad : {u"-oProxyCommand=x"_s, u"a b"_s, u"a;b"_s, u"$(id)"_s, u"a'b"_s, u"a\nb"_s, u"a@b"_s, u"a/b"_s})
            QTest::newRow(qPrintable(u"refuses " + QString(bad).replace(u'\n', u"\\n"_s))) << bad << false;
    }
    void userNames()
    {
        QFETCH(QString, user);
        QFETCH(bool, accepted);
        QCOMPARE(RemotePolicy::userProblem(user).isEmpty(), accepted);
    }

    void archiveCleanupPatternIsGantrysNamesOnly()
    {
        const QString pattern = RemotePolicy::archiveNamePattern();
        QVERIFY(pattern.contains(u"[0-9a-f]"_s.repeated(64) + u".tar.gz"_s));
        QVERIFY(!pattern.contains(u'*'));
        QCOMPARE(RemotePolicy::tokenNamePattern(), u"'"_s + u"[0-9a-f]"_s.repeated(32) + u"'"_s);
    }

    void recipeValues_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("accepted");
        const auto row = [](const char *field, const QString &value, bool ok) {
            QTest::addRow("%s %s %s", field, ok ? "accepts" : "refuses", qPrintable(QString(value).replace(u'\n', u"\\n"_s)))
                << QString::fromLatin1(field) << value << ok;
        };
        for (const QString &v : {u"hello-backend"_s, u"api_server"_s, u"app2"_s})
            row("binary", v, true);
        for (const QString &v : {u"a b"_s, u"app\nRUN id"_s, u"app\n"_s, u"app\"]"_s, u"../app"_s, u"$(id)"_s, u"-flag"_s})
            row("binary", v, false);
        for (const QString &v : QStringList{u"rust:1-slim"_s, u"debian:trixie"_s, u"gcr.io/distroless/static-debian12:nonroot"_s,
                                            u"localhost:5000/team/rust:1.83"_s, u"scratch"_s, u"node:20-slim"_s,
                                            QString(u"alpine@sha256:"_s + QString(64, u'a')), u"registry.example.com/a/b/c:v1.2.3"_s})
            row("image", v, true);
        for (const QString &v : {u"rust:1 AS x"_s, u"Rust:1"_s, u"rust:1\nRUN id"_s, u"rust:$TAG"_s, u"rust::1"_s, u"-rust"_s,
                                 u"alpine@sha256:abc"_s})
            row("image", v, false);
        for (const QString &v : {u"65532:65532"_s, u"app"_s, u"nobody:nogroup"_s, u"1000"_s})
            row("user", v, true);
        for (const QString &v : {u"65532\nRUN id"_s, u"root root"_s, u"$USER"_s, u"a:b:c"_s})
            row("user", v, false);
        for (const QString &v : {u"/app/public"_s, u"/srv/www/static"_s, u"/app/public/"_s})
            row("static", v, true);
        for (const QString &v : {u"app/public"_s, u"/app/../etc"_s, u"/app public"_s, u"/app\nRUN id"_s, u"/app/$X"_s})
            row("static", v, false);
        for (const QString &v : {u"dist"_s, u"build/web"_s, u"."_s, u"out-1"_s})
            row("folder", v, true);
        for (const QString &v : {u"/abs"_s, u"../up"_s, u"dist\nRUN id"_s, u"a b"_s, u"dist\""_s})
            row("folder", v, false);
        for (const QString &v : {u"20"_s, u"20.11.1"_s, u"lts"_s})
            row("node", v, true);
        for (const QString &v : {u"20\nRUN id"_s, u">=18"_s, u"20 AS x"_s})
            row("node", v, false);
        for (const QString &v : {u"axum"_s, u"tokio+macros"_s, u"serde+derive+std"_s})
            row("crate", v, true);
        for (const QString &v : {u"axum\nRUN id"_s, u"a b"_s, u"tokio+"_s, u"$(id)"_s})
            row("crate", v, false);
        for (const QString &v : {u"info"_s, u"a \"quoted\" $value\\"_s, u"ünïcödé"_s})
            row("env", v, true);
        for (const QString &v : {u"info\nRUN id"_s, u"a\rb"_s, u"bell\a"_s, u"esc\x1b[2J"_s})
            row("env", v, false);
    }
    void recipeValues()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(bool, accepted);
        QString problem;
        if (field == u"binary")
            problem = RecipeGrammar::binaryProblem(value);
        else if (field == u"image")
            problem = RecipeGrammar::imageReferenceProblem(u"rust image"_s, value);
        else if (field == u"user")
            problem = RecipeGrammar::userProblem(value);
        else if (field == u"static")
            problem = RecipeGrammar::containerPathProblem(u"static folder"_s, value);
        else if (field == u"folder")
            problem = RecipeGrammar::relativePathProblem(u"frontend output folder"_s, value);
        else if (field == u"node")
            problem = RecipeGrammar::nodeVersionProblem(value);
        else if (field == u"crate")
            problem = RecipeGrammar::crateProblem(value);
        else if (field == u"env")
            problem = RecipeGrammar::envValueProblem(u"RUST_LOG"_s, value);
        QVERIFY2(problem.isEmpty() == accepted, qPrintable(problem.isEmpty() ? u"accepted"_s : problem));
        QVERIFY2(!problem.contains(u'\n') && !problem.contains(u'\x1b'), qPrintable(problem));
    }

    void entrypointIsJson()
    {
        BuildRecipe r;
        r.backendDir = u"."_s;
        r.binary = u"hello-backend"_s;
        QVERIFY(DockerfileWriter::dockerfile(r).contains(u"\nENTRYPOINT [\"/app/hello-backend\"]\n"_s));
    }

    void digests_data()
    {
        QTest::addColumn<QString>("digest");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("sha256") << u"sha256:"_s + QString(64, u'0') << true;
        QTest::newRow("upper case") << u"sha256:"_s + QString(64, u'A') << false;
        QTest::newRow("short") << u"sha256:"_s + QString(63, u'0') << false;
        QTest::newRow("long") << u"sha256:"_s + QString(65, u'0') << false;
        QTest::newRow("shell") << u"sha256:$(id)"_s + QString(59, u'0') << false;
        QTest::newRow("path") << u"sha256:../../"_s + QString(58, u'0') << false;
        QTest::newRow("sha512") << u"sha512:"_s + QString(128, u'0') << false;
        QTest::newRow("newline") << u"sha256:"_s + QString(64, u'0') + u"\n"_s << false;
    }
    void digests()
    {
        QFETCH(QString, digest);
        QFETCH(bool, accepted);
        QCOMPARE(isSha256Digest(digest), accepted);
    }

    void terminalText_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << u"docker: not found"_s << u"docker: not found"_s;
        QTest::newRow("title") << u"\x1b]0;owned\x07"_s << u"\\x1b]0;owned\\x07"_s;
        QTest::newRow("clear") << u"a\x1b[2Jb"_s << u"a\\x1b[2Jb"_s;
        QTest::newRow("carriage return") << u"ok\rFAIL"_s << u"ok\\x0dFAIL"_s;
        QTest::newRow("C1 CSI") << u"a\u009b2Jb"_s << u"a\\x9b2Jb"_s;
        QTest::newRow("bidi override") << u"abc\u202Efed"_s << u"abc\\u202efed"_s;
        QTest::newRow("newline kept") << u"one\ntwo"_s << u"one\ntwo"_s;
    }
    void terminalText()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(terminalSafe(in), out);
        QVERIFY(!terminalSafe(in, false).contains(u'\n'));
    }
};

QTEST_GUILESS_MAIN(TestSecurityRules)
#include "tst_security_rules.moc"
