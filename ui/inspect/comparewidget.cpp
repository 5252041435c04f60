// SPDX-License-Identifier: MIT
#include "comparewidget.h"

#include "image/reportformat.h"
#include "inspect/layertablemodel.h"
#include "util/format.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

constexpr int DeltaRole = Qt::UserRole + 1;   ///< the change in bytes
constexpr int ScaleRole = Qt::UserRole + 2;   ///< the largest |change| of the view

/// Paints a change as a bar from the middle: right and red for growth, left and green for shrinking.
class DeltaBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const qint64 delta = index.data(DeltaRole).toLongLong();
        const qint64 scale = std::max<qint64>(1, index.data(ScaleRole).toLongLong());
        const QRect r = option.rect.adjusted(4, 5, -4, -5);
        const int middle = r.center().x();
        painter->save();
        painter->setPen(QPen(option.palette.color(QPalette::Mid)));
        painter->drawLine(middle, r.top() - 2, middle, r.bottom() + 2);
        if (delta != 0) {
            const int width = std::max(2, int(double(r.width() / 2) * double(std::abs(delta)) / double(scale)));
            const QRect bar = delta > 0 ? QRect(middle, r.top(), width, r.height()) : QRect(middle - width, r.top(), width, r.height());
            painter->fillRect(bar, delta > 0 ? QColor(0xd9, 0x53, 0x4f) : QColor(0x3c, 0x9d, 0x5d));
        }
        painter->restore();
    }
};

QString signedBytes(qint64 delta)
{
    if (delta == 0)
        return CompareWidget::tr("no change");
    return (delta > 0 ? u"+"_s : u"−"_s) + formatBytes(std::abs(delta));
}

QString sizeOrAbsent(qint64 size)
{
    return size < 0 ? CompareWidget::tr("—") : formatBytes(size);
}

QTreeWidget *makeTree(const QStringList &headers, QWidget *parent)
{
    auto *tree = new QTreeWidget(parent);
    tree->setColumnCount(int(headers.size()));
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->setItemDelegateForColumn(int(headers.size()) - 1, new DeltaBarDelegate(tree));
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    tree->header()->resizeSection(int(headers.size()) - 1, 120);
    tree->header()->setSectionResizeMode(int(headers.size()) - 1, QHeaderView::Fixed);
    return tree;
}

} // namespace

CompareWidget::CompareWidget(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_headline(new QLabel(this))
    , m_placeholder(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_asText(new QToolButton(this))
{
    setObjectName(u"CompareView"_s);
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_text->setObjectName(u"CompareText"_s);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("Compare this image with the previous build, or with any archive."));
    m_layers = makeTree({tr("#"), tr("Layer"), tr("Before"), tr("After"), tr("Change"), QString()}, this);
    m_layers->setObjectName(u"CompareLayers"_s);
    m_paths = makeTree({tr("Change"), tr("Path"), tr("Before"), tr("After"), QString()}, this);
    m_paths->setObjectName(u"ComparePaths"_s);
    auto *tables = new QSplitter(Qt::Vertical, this);
    tables->addWidget(m_layers);
    tables->addWidget(m_paths);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(tables);
    m_stack->addWidget(m_text);
    m_asText->setText(tr("As Text"));
    m_asText->setCheckable(true);
    m_asText->setToolTip(tr("The comparison as text, to copy"));
    m_asText->setEnabled(false);
    connect(m_asText, &QToolButton::toggled, this, [this](bool on) { m_stack->setCurrentIndex(on ? 2 : 1); });
    auto *top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_asText, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    clear();
}

void CompareWidget::clear()
{
    m_placeholder->setText(tr("Compare this image with the previous build of the project (Compare with Previous Build), "
                              "or with any image archive: which layers and which files grew or shrank, and by how much."));
    m_headline->clear();
    m_layers->clear();
    m_paths->clear();
    m_text->clear();
    m_asText->setChecked(false);
    m_asText->setEnabled(false);
    m_stack->setCurrentIndex(0);
}

void CompareWidget::setMessage(const QString &text)
{
    m_text->setPlainText(text);
    m_placeholder->setText(text);
    m_asText->setEnabled(false);
    m_stack->setCurrentIndex(0);
}

void CompareWidget::setDiff(const ImageDiff &d, const QString &olderName, const QString &newerName)
{
    m_text->setPlainText(diffToText(d, olderName, newerName, 200));
    m_headline->setText(tr("<b>%1</b> → <b>%2</b>: %3 → %4 (%5)")
                            .arg(olderName.toHtmlEscaped(), newerName.toHtmlEscaped(), formatBytes(d.sizeA), formatBytes(d.sizeB),
                                 signedBytes(d.sizeB - d.sizeA)));
    m_layers->clear();
    qint64 scale = 1;
    for (const auto &l : d.layers)
        scale = std::max(scale, std::abs(std::max<qint64>(l.sizeB, 0) - std::max<qint64>(l.sizeA, 0)));
    for (const auto &l : d.layers) {
        const qint64 delta = std::max<qint64>(l.sizeB, 0) - std::max<qint64>(l.sizeA, 0);
        const QString instruction = LayerTableModel::shortInstruction(l.createdByB.isEmpty() ? l.createdByA : l.createdByB);
        auto *item = new QTreeWidgetItem(m_layers, {QString::number(l.index), instruction, sizeOrAbsent(l.sizeA), sizeOrAbsent(l.sizeB),
                                                    l.same ? tr("same layer") : signedBytes(delta), QString()});
        item->setToolTip(1, l.createdByB.isEmpty() ? l.createdByA : l.createdByB);
        item->setData(5, DeltaRole, delta);
        item->setData(5, ScaleRole, scale);
    }
    m_paths->clear();
    scale = 1;
    for (const auto &p : d.paths)
        scale = std::max(scale, std::abs(p.delta()));
    for (const auto &p : d.paths.first(std::min<qsizetype>(d.paths.size(), 500))) {
        auto *item = new QTreeWidgetItem(m_paths, {signedBytes(p.delta()), p.path, sizeOrAbsent(p.sizeA), sizeOrAbsent(p.sizeB), QString()});
        item->setToolTip(1, p.path);
        item->setData(4, DeltaRole, p.delta());
        item->setData(4, ScaleRole, scale);
    }
    m_asText->setEnabled(true);
    m_stack->setCurrentIndex(m_asText->isChecked() ? 2 : 1);
}

QString CompareWidget::headline() const { return m_headline->text(); }

} // namespace Gantry
