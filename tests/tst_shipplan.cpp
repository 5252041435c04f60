// SPDX-License-Identifier: MIT
// The ship's plan without ssh or docker (issue 15): what a server's inventory says, parsed;
// which layers go, resume or are already there, decided from it; the platform check. The
// inventory texts are what ShipScripts::inventory() prints on a real server (the engine and
// blob lines of tst_cli_ship's second machine, the delta lines of deltaInventoryScript()).
#include "ship/remotepolicy.h"
#include "ship/shipper.h"
#include "ship/shipplan.h"
#include "ship/shipscripts.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QString hex(char c) { return QString(64, QChar::fromLatin1(c)); }
QString id(char c) { return u"sha256:"_s + hex(c); }

/// An image of layers a, b, c, ... with gzip blobs of 1000, 2000, 3000, ... bytes.
PreparedImage image(const QString &layers, const QString &arch = u"amd64"_s)
{
    PreparedImage img;
    img.os = u"linux"_s;
    img.architecture = arch;
    for (int i = 0; i < layers.size(); ++i) {
        PreparedImage::Layer l;
        l.diffId = id(layers.at(i).toLatin1());
        l.size = 10000 * (i + 1);
        l.blobSize = 1000 * (i + 1);
        img.layers << l;
    }
    return img;
}

QString layersLine(const QString &layers)
{
    QStringList ids;
    for (QChar c : layers)
        ids << u"\""_s + id(c.toLatin1()) + u"\""_s;
    return u"layers ["_s + ids.join(u',') + u"]"_s;
}

using Action = ShipPlan::Action;

} // namespace

Q_DECLARE_METATYPE(QList<Gantry::ShipPlan::Action>)
Q_DECLARE_METATYPE(Gantry::ServerInventory::ArchiveState)

class TestShipPlan : public QObject
{
    Q_OBJECT

private slots:
    void parsesWhatTheServerSaid()
    {
        const QString text = u"engine linux/amd64\n"_s
                             u"driver [[\"driver-type\",\"io.containerd.snapshotter.v1\"]]\n"_s
                             + layersLine(u"ab"_s) + u"\n"_s + layersLine(u"a"_s) + u"\n"_s
                             + u"blob "_s + hex('a') + u" ok\nblob "_s + hex('b') + u" partial 1234\nblob "_s + hex('c')
                             + u" corrupt\nblob "_s + hex('d') + u" missing\nsomething the shell printed\n"_s;
        const ServerInventory inv = parseInventory(text);
        QCOMPARE(inv.platform, u"linux/amd64"_s);
        QVERIFY(inv.containerdStore);
        QCOMPARE(inv.engineLayerLists.size(), 2);
        QCOMPARE(inv.engineLayerLists.at(0), (QStringList{id('a'), id('b')}));
        QCOMPARE(inv.blobState.value(hex('a')), u"ok"_s);
        QCOMPARE(inv.blobState.value(hex('b')), u"partial"_s);
        QCOMPARE(inv.blobPartial.value(hex('b')), 1234);
        QCOMPARE(inv.blobState.value(hex('c')), u"corrupt"_s);
        QCOMPARE(inv.blobState.value(hex('d')), u"missing"_s);
        QCOMPARE(inv.archiveState, ServerInventory::ArchiveState::NotAsked);

        QVERIFY(!parseInventory(u"engine linux/amd64\ndriver [[\"Backing Filesystem\",\"extfs\"]]\n"_s).containerdStore);
    }

    // Full mode: what the inventory says of the archive file (ShipScripts::inventory's last line).
    void readsTheArchiveState_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ServerInventory::ArchiveState>("state");
        QTest::addColumn<qint64>("partialBytes");
        QTest::newRow("a partial upload") << u"engine linux/amd64\npartial 4096\n"_s << ServerInventory::ArchiveState::Partial << qint64(4096);
        QTest::newRow("the archive is there") << u"have\n"_s << ServerInventory::ArchiveState::Have << qint64(0);
        QTest::newRow("the archive is missing") << u"missing\n"_s << ServerInventory::ArchiveState::Missing << qint64(0);
        QTest::newRow("delta mode does not ask") << u"engine linux/amd64\nblob "_s + hex('a') + u" missing\n"_s
                                                 << ServerInventory::ArchiveState::NotAsked << qint64(0);
        QTest::newRow("a line that only starts like one") << u"haveno\nmissing files\n"_s << ServerInventory::ArchiveState::NotAsked
                                                          << qint64(0);
    }

    void readsTheArchiveState()
    {
        QFETCH(QString, text);
        QFETCH(ServerInventory::ArchiveState, state);
        QFETCH(qint64, partialBytes);
        const ServerInventory inv = parseInventory(text);
        QCOMPARE(inv.archiveState, state);
        QCOMPARE(inv.archivePartial, partialBytes);
    }

    // "Test connection" (checkServer) reads ShipScripts::checkServer()'s lines with the same
    // parser: the engine's platform, its image store and its version.
    void parsesWhatTheConnectionCheckSaid()
    {
        const ServerInventory inv = parseInventory(u"engine linux/arm64\n"_s
                                                   u"driver [[\"Backing Filesystem\",\"extfs\"]]\n"_s
                                                   u"version 27.5.1\n"_s);
        QCOMPARE(inv.platform, u"linux/arm64"_s);
        QVERIFY(!inv.containerdStore);
        QCOMPARE(inv.engineVersion, u"27.5.1"_s);
        QVERIFY(parseInventory(u"engine linux/amd64\n"_s).engineVersion.isEmpty());
    }

    void decidesEachLayer_data()
    {
        QTest::addColumn<QString>("inventory");
        QTest::addColumn<QList<Action>>("actions");
        QTest::addColumn<qint64>("wholeBytes");
        QTest::addColumn<QStringList>("assembled");
        const QString classic = u"engine linux/amd64\ndriver [[\"Backing Filesystem\",\"extfs\"]]\n"_s;
        const QString containerd = u"engine linux/amd64\ndriver [[\"driver-type\",\"io.containerd.snapshotter.v1\"]]\n"_s;
        QTest::newRow("a fresh server: everything goes")
            << classic << QList<Action>{Action::Send, Action::Send, Action::Send} << qint64(6000) << QStringList{hex('a'), hex('b'), hex('c')};
        QTest::newRow("blobs verified in Gantry's folder stay")
            << classic + u"blob "_s + hex('a') + u" ok\nblob "_s + hex('c') + u" ok\n"_s
            << QList<Action>{Action::AlreadyThere, Action::Send, Action::AlreadyThere} << qint64(2000)
            << QStringList{hex('a'), hex('b'), hex('c')};
        QTest::newRow("a corrupt blob goes again")
            << classic + u"blob "_s + hex('a') + u" corrupt\n"_s << QList<Action>{Action::Send, Action::Send, Action::Send} << qint64(6000)
            << QStringList{hex('a'), hex('b'), hex('c')};
        QTest::newRow("classic store: the engine's chain from the bottom is not sent nor assembled")
            << classic + layersLine(u"abx"_s) + u"\n"_s << QList<Action>{Action::InEngine, Action::InEngine, Action::Send} << qint64(3000)
            << QStringList{hex('c')};
        QTest::newRow("classic store: the longest chain of any image counts")
            << classic + layersLine(u"a"_s) + u"\n"_s + layersLine(u"ab"_s) + u"\n"_s
            << QList<Action>{Action::InEngine, Action::InEngine, Action::Send} << qint64(3000) << QStringList{hex('c')};
        QTest::newRow("classic store: a layer in the engine but not at the bottom of a chain goes")
            << classic + layersLine(u"xb"_s) + u"\n"_s << QList<Action>{Action::Send, Action::Send, Action::Send} << qint64(6000)
            << QStringList{hex('a'), hex('b'), hex('c')};
        QTest::newRow("containerd store: every layer must be in the archive")
            << containerd + layersLine(u"abc"_s) + u"\n"_s << QList<Action>{Action::Send, Action::Send, Action::Send} << qint64(6000)
            << QStringList{hex('a'), hex('b'), hex('c')};
    }
    void decidesEachLayer()
    {
        QFETCH(QString, inventory);
        QFETCH(QList<Action>, actions);
        QFETCH(qint64, wholeBytes);
        QFETCH(QStringList, assembled);
        const PreparedImage img = image(u"abc"_s);
        const ShipPlan plan = planShip(img, parseInventory(inventory));
        QCOMPARE(plan.layers.size(), actions.size());
        int present = 0;
        QList<int> toSend;
        for (int i = 0; i < actions.size(); ++i) {
            QCOMPARE(plan.layers.at(i).action, actions.at(i));
            if (actions.at(i) == Action::Send)
                toSend << i;
            else
                ++present;
        }
        QCOMPARE(plan.toSend, toSend);
        QCOMPARE(plan.layersPresent, present);
        QCOMPARE(plan.bytesFull, qint64(6000));
        QCOMPARE(plan.bytesWholeLayers, wholeBytes);
        QCOMPARE(plan.assembleHexes(), assembled);
    }

    void aPartialUploadResumesOnlyWhenItFits()
    {
        const PreparedImage img = image(u"ab"_s); // blobs of 1000 and 2000 bytes
        const ShipPlan plan = planShip(img, parseInventory(u"blob "_s + hex('a') + u" partial 400\nblob "_s + hex('b') + u" partial 2500\n"_s));
        QCOMPARE(plan.layers.at(0).resumeFrom, 400);
        QCOMPARE(plan.layers.at(1).resumeFrom, 0); // longer than the blob: not this one's, start again
        QCOMPARE(plan.bytesWholeLayers, qint64(3000));

        QCOMPARE(archiveResumeOffset(parseInventory(u"partial 700\n"_s), 1000), 700);
        QCOMPARE(archiveResumeOffset(parseInventory(u"partial 1700\n"_s), 1000), 0);
        QCOMPARE(archiveResumeOffset(parseInventory(u"missing\n"_s), 1000), 0);
    }

    void refusesAnImageForAnotherPlatform_data()
    {
        QTest::addColumn<QString>("imageArch");
        QTest::addColumn<QString>("serverPlatform");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("amd64 on amd64") << u"amd64"_s << u"linux/amd64"_s << true;
        QTest::newRow("x86_64 is amd64") << u"x86_64"_s << u"linux/amd64"_s << true;
        QTest::newRow("aarch64 is arm64") << u"aarch64"_s << u"linux/arm64"_s << true;
        QTest::newRow("arm64 on amd64") << u"arm64"_s << u"linux/amd64"_s << false;
        QTest::newRow("amd64 on arm64") << u"amd64"_s << u"linux/arm64"_s << false;
        QTest::newRow("an engine that did not say") << u"arm64"_s << QString() << true;
        QTest::newRow("an image that does not say") << QString() << u"linux/amd64"_s << true;
    }
    void refusesAnImageForAnotherPlatform()
    {
        QFETCH(QString, imageArch);
        QFETCH(QString, serverPlatform);
        QFETCH(bool, accepted);
        const PreparedImage img = image(u"a"_s, imageArch);
        const Status s = checkPlatform(img, parseInventory(serverPlatform.isEmpty() ? QString() : u"engine "_s + serverPlatform), u"prod"_s);
        QCOMPARE(s.ok(), accepted);
        if (!accepted) {
            const QString sentence = s.failure().sentence();
            QVERIFY2(sentence.contains(u"linux/"_s + imageArch) && sentence.contains(serverPlatform) && sentence.contains(u"prod"_s),
                     qPrintable(sentence));
            QVERIFY2(sentence.contains(u"Build it for "_s + serverPlatform), qPrintable(sentence)); // what to do
        }
    }

    void scriptsNameGantrysFiles()
    {
        // The full-mode inventory asks about the archive the upload writes, nothing else.
        ServerProfile server;
        server.host = u"example.org"_s;
        server.user = u"deploy"_s;
        server.remoteDir = u"gantry"_s;
        const QString file = ShipScripts::archiveFile(hex('f'), u".tar.gz"_s);
        QCOMPARE(file, u"\"$dir/archives/"_s + hex('f') + u".tar.gz\""_s);
        const QString full = ShipScripts::inventory(server, false, false, {}, file);
        QVERIFY(full.contains(u"f="_s + file));
        QVERIFY(!full.contains(u"blob "_s));
        const QString delta = ShipScripts::inventory(server, true, false, {hex('a'), hex('b')}, {});
        QVERIFY(delta.contains(u"for b in "_s + hex('a') + u' ' + hex('b') + u';'));
        QVERIFY(!delta.contains(u"archives/\""_s));
        // Both start with the folder policy (umask, $dir checked).
        QVERIFY(full.startsWith(RemotePolicy::prelude(server)));
        QVERIFY(delta.startsWith(RemotePolicy::prelude(server)));
    }
};

QTEST_GUILESS_MAIN(TestShipPlan)
#include "tst_shipplan.moc"
