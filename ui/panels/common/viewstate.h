#pragma once

#include <QString>

class QHeaderView;

namespace wps::ui {

/// Marks \a header (a table's or tree's columns) to be remembered under \a key: the window saves its
/// column widths, order and hidden columns with the layout (MainWindow::saveLayout) and puts them back
/// (MainWindow::restoreLayout). Only the header's geometry is stored, never cell contents, so nothing
/// secret reaches the settings file.
void rememberColumns(QHeaderView *header, const QString &key);
/// The key \a header is remembered under, or empty.
QString rememberedColumnsKey(const QHeaderView *header);

} // namespace wps::ui
