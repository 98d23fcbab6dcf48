#include "panels/demo/demochatview.h"

#include "panels/demo/demochatdelegate.h"

#include <QEvent>
#include <QScrollBar>
#include <QTimer>

namespace wps::ui {

DemoChatView::DemoChatView(QWidget *parent)
    : QListView(parent)
{
    setItemDelegate(new DemoChatDelegate(this));
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(false);
    setWordWrap(true);
    setSpacing(0);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
            [this](int value) { m_follow = value >= verticalScrollBar()->maximum() - 2; });
}

void DemoChatView::setModel(QAbstractItemModel *model)
{
    if (QAbstractItemModel *old = this->model())
        disconnect(old, nullptr, this, nullptr);
    QListView::setModel(model);
    if (model)
        connect(model, &QAbstractItemModel::rowsInserted, this, &DemoChatView::rowsAdded);
}

void DemoChatView::rowsAdded()
{
    if (!m_follow)
        return;
    // After the view laid the new rows out.
    QTimer::singleShot(0, this, [this] {
        if (m_follow)
            scrollToBottom();
    });
}

void DemoChatView::changeEvent(QEvent *event)
{
    QListView::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        scheduleDelayedItemsLayout();
}

void DemoChatView::resizeEvent(QResizeEvent *event)
{
    QListView::resizeEvent(event);
    scheduleDelayedItemsLayout(); // row heights depend on the width (word wrap)
    if (m_follow)
        QTimer::singleShot(0, this, [this] { scrollToBottom(); });
}

} // namespace wps::ui
