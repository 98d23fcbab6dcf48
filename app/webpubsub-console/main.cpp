#include "mainwindow/mainwindow.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Web PubSub Console"));
    QApplication::setOrganizationName(QStringLiteral("WebPubSubConsole"));
    wps::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
