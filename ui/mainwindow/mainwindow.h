#pragma once

#include <QMainWindow>

namespace wps::ui {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace wps::ui
