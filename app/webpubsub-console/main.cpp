// webpubsub-console: the window. Parses options and wires the embedded emulator (or a given service) to the
// main window; everything else lives in the libraries.
#include "emulator/emulator.h"
#include "mainwindow/mainwindow.h"
#include "protocol/connectionstring.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char **argv)
{
    // --version and --help only print: let them work without a display (over SSH, in scripts).
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if ((arg == "--version" || arg == "-v" || arg == "--help" || arg == "-h") &&
            qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Web PubSub Console"_s);
    QApplication::setOrganizationName(u"WebPubSubConsole"_s);
    QApplication::setApplicationVersion(QStringLiteral(WPS_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop console for Azure Web PubSub. Without options it starts the "
                                        "embedded local emulator and connects to it."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption connectionOption(
        u"connection-string"_s,
        QApplication::translate("main",
                                "Connect to this Web PubSub service instead of the embedded emulator."),
        u"text"_s);
    const QCommandLineOption screenshotOption(
        u"screenshot"_s,
        QApplication::translate("main", "Save a PNG of the window once connected, then quit."), u"file"_s);
    const QCommandLineOption panelOption(
        u"panel"_s, QApplication::translate("main", "Open this panel first (its number)."), u"index"_s);
    parser.addOptions({connectionOption, screenshotOption, panelOption});
    parser.process(app);

    wps::ui::MainWindow window;
    if (parser.isSet(panelOption))
        window.showPanel(parser.value(panelOption).toInt());
    window.show();

    auto whenConnected = [&] {
        if (!parser.isSet(screenshotOption))
            return;
        // Let the window lay out and paint once before grabbing it.
        QTimer::singleShot(300, &window, [&] {
            const bool saved = window.grab().save(parser.value(screenshotOption), "PNG");
            if (!saved)
                std::fprintf(stderr, "could not save the screenshot\n");
            QApplication::exit(saved ? 0 : 1);
        });
    };

    wps::emulator::EmbeddedEmulator embedded;
    if (parser.isSet(connectionOption)) {
        auto connection = wps::ConnectionString::parse(parser.value(connectionOption));
        if (connection) {
            window.setConnection(*connection, QApplication::translate("main", "Web PubSub service"));
        } else {
            window.setConnectionError(connection.error());
        }
        whenConnected();
    } else {
        window.setConnecting(QApplication::translate("main", "Starting the embedded emulator…"));
        QObject::connect(&embedded, &wps::emulator::EmbeddedEmulator::started, &window,
                         [&](const wps::ConnectionString &connection) {
                             window.setConnection(connection,
                                                  QApplication::translate("main", "embedded emulator"));
                             whenConnected();
                         });
        QObject::connect(
            &embedded, &wps::emulator::EmbeddedEmulator::failed, &window, [&](const QString &error) {
                window.setConnectionError(
                    QApplication::translate("main", "The embedded emulator did not start: %1").arg(error));
                whenConnected();
            });
        embedded.start(wps::emulator::EmulatorOptions{});
    }
    return QApplication::exec();
}
