// SPDX-License-Identifier: MIT
#include <QTest>
class TestInspectPage : public QObject { Q_OBJECT };
QTEST_MAIN(TestInspectPage)
#include "tst_inspectpage.moc"
