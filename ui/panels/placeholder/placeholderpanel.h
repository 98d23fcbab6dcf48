#pragma once

#include <QWidget>

namespace wps::ui {

/// A panel that is not built yet: says what it will do, so the navigation shows the whole product.
class PlaceholderPanel : public QWidget
{
    Q_OBJECT
public:
    PlaceholderPanel(const QString &title, const QString &description, QWidget *parent = nullptr);
};

} // namespace wps::ui
