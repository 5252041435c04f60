// SPDX-License-Identifier: MIT
// In-layer deltas without ssh or docker: the "which reference" plan (data-driven), the
// libzstd encoder against the real `zstd` command (what the server runs), and the remote
// apply script run by a real /bin/sh on a folder laid out as the server's: a good patch is
// applied and checked, a damaged reference or a shell without zstd ends in "whole".
#include "failuretext.h"
#include "ship/deltaplan.h"
#include "ship/deltaremote.h"
#include "ship/layerdelta.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace Qt::StringLiterals;
using namespace Gantry;

Q_DECLARE_METATYPE(Gantry::DeltaPlanInput)

namespace {

QString id(char c) { return u"sha256:"_s + QString(64, QChar::fromLatin1(c)); }

DeltaLayer layer(char c, qint64 size, qint64 whole, const QStringList &paths) { return {id(c), size, whole, paths}; }

QByteArray randomBytes(qsizetype n, quint32 seed)
{
    QByteArray b(n, Qt::Uninitialized);
    QRandomGenerator g(seed);
    for (qsizetype i = 0; i + 4 <= n; i += 4) {
        const quint32 v = g.generate();
        memcpy(b.data() + i, &v, 4);
    }
    return b;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QString sha(const QByteArray &data) { return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()); }

Gantry::ProcessResult gzipInto(const QString &from, const QString &to)
{
    return runProcess(u"sh"_s, {u"-c"_s, u"gzip -c < \"$1\" > \"$2\""_s, u"sh"_s, from, to});
}

} // namespace

class TestDeltaPlan : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void plan_data()
    {
        QTest::addColumn<DeltaPlanInput>("input");
        QTest::addColumn<QString>("reference"); // empty: whole
        QTest::addColumn<QString>("why");       // a word of the reason when whole

        const DeltaLayer binaryV2 = layer('b', 12 << 20, 5 << 20, {u"app/hello"_s});
        const DeltaLayer binaryV1 = layer('a', 12 << 20, 5 << 20, {u"app/hello"_s});
        const DeltaLayer frontend = layer('f', 3 << 20, 1 << 20, {u"app/public/index.html"_s, u"app/public/app.js"_s});
        const DeltaLayer certs = layer('c', 200000, 100000, {u"etc/ssl/certs/ca-certificates.crt"_s});
        const QString zstd = u"*** Zstandard CLI (64-bit) v1.5.7, by Yann Collet ***"_s;

        DeltaPlanInput base;
        base.toSend = {binaryV2};
        base.clientLayers = {frontend, binaryV1, certs};
        base.serverBlobs = {frontend.diffId, binaryV1.diffId, certs.diffId};
        base.serverZstd = zstd;
        QTest::newRow("the earlier binary layer") << base << binaryV1.diffId << QString();

        DeltaPlanInput noZstd = base;
        noZstd.serverZstd.clear();
        QTest::newRow("no zstd on the server") << noZstd << QString() << u"no zstd"_s;

        DeltaPlanInput oldZstd = base;
        oldZstd.serverZstd = u"*** zstd command line interface 64-bits v1.3.8, by Yann Collet ***"_s;
        QTest::newRow("zstd without --patch-from") << oldZstd << QString() << u"older than 1.4.5"_s;

        DeltaPlanInput clientLacks = base;
        clientLacks.clientLayers = {frontend, certs};
        QTest::newRow("the client lost the earlier layer") << clientLacks << QString() << u"no earlier version"_s;

        DeltaPlanInput serverLacks = base;
        serverLacks.serverBlobs = {frontend.diffId, certs.diffId};
        QTest::newRow("the server lacks the earlier layer") << serverLacks << QString() << u"no earlier version"_s;

        DeltaPlanInput tiny = base;
        tiny.toSend = {layer('t', 2000, 900, {u"app/hello"_s})};
        QTest::newRow("too small to pay") << tiny << QString() << u"too small"_s;

        DeltaPlanInput huge = base;
        huge.toSend = {layer('h', qint64(700) << 20, qint64(300) << 20, {u"app/hello"_s})};
        huge.clientLayers = {layer('g', qint64(600) << 20, qint64(250) << 20, {u"app/hello"_s})};
        huge.serverBlobs = {huge.clientLayers.constFirst().diffId};
        QTest::newRow("beyond the 1 GiB window") << huge << QString() << u"window"_s;

        DeltaPlanInput most = base;
        const DeltaLayer mixed = layer('m', 1 << 20, 1 << 19, {u"app/public/index.html"_s, u"app/public/app.js"_s, u"app/public/x.css"_s});
        const DeltaLayer partial = layer('p', 1 << 20, 1 << 19, {u"app/public/index.html"_s});
        most.toSend = {mixed};
        most.clientLayers = {partial, frontend};
        most.serverBlobs = {partial.diffId, frontend.diffId};
        QTest::newRow("the most shared files wins") << most << frontend.diffId << QString();

        DeltaPlanInput self = base;
        self.clientLayers << binaryV2;
        self.serverBlobs << binaryV2.diffId;
        QTest::newRow("never itself") << self << binaryV1.diffId << QString();
    }

    void plan()
    {
        QFETCH(DeltaPlanInput, input);
        QFETCH(QString, reference);
        QFETCH(QString, why);
        const QList<DeltaChoice> choices = planDeltas(input);
        QCOMPARE(choices.size(), input.toSend.size());
        const DeltaChoice &c = choices.constFirst();
        QCOMPARE(c.diffId, input.toSend.constFirst().diffId);
        QCOMPARE(c.delta, !reference.isEmpty());
        QCOMPARE(c.referenceDiffId, reference);
        if (c.delta) {
            QVERIFY(c.windowLog >= 20 && c.windowLog <= 30);
            QVERIFY((qint64(1) << c.windowLog) >= input.toSend.constFirst().size);
            QCOMPARE(c.level, 19);
        } else {
            QVERIFY2(c.whyWhole.contains(why), qPrintable(c.whyWhole));
        }
    }

    void windowAndWorth()
    {
        QCOMPARE(deltaWindowLog(1000, 1000), 20);
        QCOMPARE(deltaWindowLog(12 << 20, 12 << 20), 25);         // 24 MiB → 32 MiB
        QCOMPARE(deltaWindowLog(qint64(300) << 20, qint64(300) << 20), 30);
        QCOMPARE(deltaWindowLog(qint64(600) << 20, qint64(600) << 20), 0); // past 1 GiB: no delta
        QVERIFY(deltaNotWorthIt(100, 1000).isEmpty());
        QVERIFY(deltaNotWorthIt(900, 1000).contains(u"too little"_s));
        QVERIFY(!zstdHasPatchFrom(u"zstd none"_s));
        QVERIFY(zstdHasPatchFrom(u"*** Zstandard CLI (64-bit) v1.4.5, by Yann Collet ***"_s));
    }

    /// A binary-like layer with a few changed regions: libzstd's patch is small, and the real
    /// zstd command (the server's tool) rebuilds the exact bytes from it.
    void patchDecodesWithTheZstdCommand()
    {
        QVERIFY(m_tmp.isValid());
        QByteArray v1 = randomBytes(6 << 20, 1);
        QByteArray v2 = v1;
        v2.replace(1000, 5000, randomBytes(5000, 2));           // a changed function
        v2.insert(3 << 20, randomBytes(20000, 3));              // grown code
        v2.replace(5 << 20, 100, QByteArray(100, 'x'));
        const QString ref = m_tmp.filePath(u"v1.tar"_s), target = m_tmp.filePath(u"v2.tar"_s), patch = m_tmp.filePath(u"v2.zst"_s);
        QVERIFY(writeFile(ref, v1));
        QVERIFY(writeFile(target, v2));
        const int wlog = deltaWindowLog(v1.size(), v2.size());
        qint64 lastDone = 0;
        const Status s = encodeDelta(ref, target, patch, wlog, 19, [&](qint64 done, qint64) { lastDone = done; }, nullptr);
        QVERIFY2(s, qPrintable(GantryTest::failureText(s)));
        QCOMPARE(lastDone, qint64(v2.size()));
        const qint64 patchSize = QFileInfo(patch).size();
        qInfo("patch of a 6 MiB layer with three edits: %lld bytes", patchSize);
        QVERIFY2(patchSize < 64 * 1024, qPrintable(QString::number(patchSize))); // random data: a whole layer would be 6 MiB

        const QString out = m_tmp.filePath(u"rebuilt.tar"_s);
        const auto r = runProcess(u"zstd"_s, {u"-q"_s, u"-d"_s, u"-f"_s, u"--long=%1"_s.arg(wlog), u"--patch-from=%1"_s.arg(ref), patch, u"-o"_s, out});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QCOMPARE(GantryTest::sha256Of(out), sha(v2));
        // Gantry's own decoder agrees.
        const QString out2 = m_tmp.filePath(u"rebuilt2.tar"_s);
        QVERIFY(decodeDelta(ref, patch, out2, wlog));
        QCOMPARE(GantryTest::sha256Of(out2), sha(v2));
    }

    /// The server's side, run by a real shell in a folder laid out like the server's.
    void applyScript_data()
    {
        QTest::addColumn<QString>("damage"); // "", "reference", "no-zstd", "wrong-patch"
        QTest::addColumn<QString>("outcome"); // empty: applied
        QTest::newRow("applied") << QString() << QString();
        QTest::newRow("damaged reference") << u"reference"_s << u"does not match its digest"_s;
        QTest::newRow("no zstd on PATH") << u"no-zstd"_s << u"no zstd"_s;
        QTest::newRow("patch made against other bytes") << u"wrong-patch"_s << u"could not apply|did not match"_s;
    }

    void applyScript()
    {
        QFETCH(QString, damage);
        QFETCH(QString, outcome);
        QTemporaryDir work;
        const QString dir = work.filePath(u"remote"_s);
        QVERIFY(QDir().mkpath(dir + u"/blobs"_s) && QDir().mkpath(dir + u"/patches"_s) && QDir().mkpath(dir + u"/tmp"_s));
        const QByteArray v1 = randomBytes(1 << 20, 7);
        QByteArray v2 = v1;
        v2.replace(4096, 4096, randomBytes(4096, 8));
        const QString refId = u"sha256:"_s + sha(v1), newId = u"sha256:"_s + sha(v2);
        QVERIFY(writeFile(work.filePath(u"v1"_s), damage == u"reference" ? QByteArray(v1).replace(0, 10, "XXXXXXXXXX") : v1));
        QVERIFY(writeFile(work.filePath(u"v2"_s), v2));
        QVERIFY(gzipInto(work.filePath(u"v1"_s), dir + u"/blobs/"_s + sha(v1) + u".tar.gz"_s).ok());
        const QString patch = dir + u"/patches/%1.from-%2.zst"_s.arg(sha(v2), sha(v1));
        // The patch is made against what the client holds; "wrong-patch": against other bytes
        // than the server's reference (zstd's checksum or the diff id check must refuse it).
        const QString base = work.filePath(u"base"_s);
        QVERIFY(writeFile(base, damage == u"wrong-patch" ? v2 : v1)); // a patch that copies from bytes the server does not have
        QVERIFY(encodeDelta(base, work.filePath(u"v2"_s), patch, 21, 19, {}, nullptr));

        auto env = QProcessEnvironment::systemEnvironment();
        if (damage == u"no-zstd") {
            // A PATH holding the tools the script needs but no zstd: a server without it, for real.
            const QString bin = work.filePath(u"bin"_s);
            QDir().mkpath(bin);
            for (const QString &tool : {u"sh"_s, u"gzip"_s, u"sha256sum"_s, u"cut"_s, u"mkdir"_s, u"rm"_s, u"mv"_s, u"head"_s, u"tr"_s, u"cat"_s})
                QVERIFY(QFile::link(QStandardPaths::findExecutable(tool), bin + u'/' + tool));
            env.insert(u"PATH"_s, bin);
        }
        const QString script = u"dir="_s + dir + u"; "_s + applyPatchCommand(newId, refId, 21, u"t1"_s);
        const auto r = runProcess(QStandardPaths::findExecutable(u"sh"_s), {u"-c"_s, script}, env);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString why = applyOutcome(r.stdoutText());
        const QString blob = dir + u"/blobs/"_s + sha(v2) + u".tar.gz"_s;
        if (outcome.isEmpty()) {
            QVERIFY2(why.isEmpty(), qPrintable(why));
            const auto unzipped = runProcess(u"sh"_s, {u"-c"_s, u"gzip -dc < \"$1\" | sha256sum | cut -d' ' -f1"_s, u"sh"_s, blob});
            QCOMPARE(unzipped.stdoutText().trimmed(), sha(v2));
            QCOMPARE(GantryTest::readAll(blob + u".sha256"_s).trimmed(), GantryTest::sha256Of(blob).toLatin1());
        } else {
            QVERIFY2(why.contains(QRegularExpression(outcome)), qPrintable(why + u" / "_s + r.stdoutText()));
            QVERIFY(!QFile::exists(blob)); // a wrong layer never lands under its name
        }
        QVERIFY(!QFile::exists(patch));                          // the patch is used once
        QCOMPARE(QDir(dir + u"/tmp"_s).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList()); // nothing left
    }

    void inventoryLines()
    {
        ServerDeltaFacts facts;
        QVERIFY(parseDeltaInventoryLine(u"zstd *** Zstandard CLI (64-bit) v1.5.7, by Yann Collet ***"_s, facts));
        QVERIFY(parseDeltaInventoryLine(u"cached "_s + QString(64, u'a'), facts));
        QVERIFY(parseDeltaInventoryLine(u"cached ../../etc/passwd"_s, facts)); // taken, ignored
        QVERIFY(!parseDeltaInventoryLine(u"blob abc ok"_s, facts));
        QVERIFY(zstdHasPatchFrom(facts.zstd));
        QCOMPARE(facts.blobs, QSet<QString>{id('a')});
        QVERIFY(parseDeltaInventoryLine(u"zstd none"_s, facts));
        QVERIFY(facts.zstd.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDeltaPlan)
#include "tst_deltaplan.moc"
