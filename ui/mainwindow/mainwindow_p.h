#pragma once

// Internal to MainWindow's implementation files (mainwindow*.cpp); not part of its interface.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcWindow)
