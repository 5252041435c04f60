// SPDX-License-Identifier: MIT
#include <QTest>
class TestCliAnalyze : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestCliAnalyze)
#include "tst_cli_analyze.moc"
