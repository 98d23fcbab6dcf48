#include "mainwindow/mainwindow.h"

namespace wps::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Web PubSub Console"));
}

} // namespace wps::ui
