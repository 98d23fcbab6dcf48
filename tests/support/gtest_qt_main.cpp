// The gtest main shared by every test binary: one Qt application object for the whole run, so tests can
// spin local event loops with QSignalSpy::wait and QTest::qWaitFor.
#include <gtest/gtest.h>

#ifdef WPS_GUI_TESTS
#include <QApplication>
using TestApp = QApplication;
#else
#include <QCoreApplication>
using TestApp = QCoreApplication;
#endif

#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>

int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
#ifdef WPS_GUI_TESTS
    // gtest_discover_tests lists tests without the test ENVIRONMENT: default to offscreen without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
#endif
    // Tests never touch the user's real settings or data.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", QDir(home.path()).filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", QDir(home.path()).filePath(QStringLiteral("data")).toUtf8());
    QStandardPaths::setTestModeEnabled(true);
    TestApp app(argc, argv);
    TestApp::setOrganizationName(QStringLiteral("WebPubSubConsoleTests"));
    return RUN_ALL_TESTS();
}
