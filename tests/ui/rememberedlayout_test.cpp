// What a window remembers for the next one (QSettings, the test's own ini file): the trace's column
// widths and hidden columns, the other tables' column widths, the chart's on/off state and the dock
// layout; and nothing secret is written while doing so.
#include "mainwindow/mainwindow.h"
#include "protocol/connectionstring.h"
#include "service/serviceclient.h"

#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

QHeaderView *header(const wps::ui::MainWindow &window, const QString &viewName)
{
    auto *view = window.findChild<QAbstractItemView *>(viewName);
    EXPECT_NE(view, nullptr) << viewName.toStdString();
    if (auto *tree = qobject_cast<QTreeView *>(view))
        return tree->header();
    if (auto *table = qobject_cast<QTableView *>(view))
        return table->horizontalHeader();
    return nullptr;
}

TEST(RememberedLayout, ColumnWidthsChartAndDocksOutliveTheWindow)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString file = dir.filePath(u"settings.ini"_s);
    int traceTypeWidth = 0;
    int clientsUserWidth = 0;
    int connectionsUserWidth = 0;
    {
        wps::ui::MainWindow window;
        window.setSettingsFile(file);
        window.restoreLayout();
        window.show();
        QHeaderView *trace = header(window, u"traceView"_s);
        QHeaderView *clients = header(window, u"clients"_s);
        QHeaderView *connections = header(window, u"inventory"_s);
        ASSERT_TRUE(trace && clients && connections);
        // The chart starts off; the user turns it on.
        auto *chart = window.findChild<QToolButton *>(u"traceChartToggle"_s);
        ASSERT_NE(chart, nullptr);
        EXPECT_FALSE(chart->isChecked());
        chart->setChecked(true);
        // Widths the defaults never have, a hidden and a shown column.
        traceTypeWidth = trace->sectionSize(7) + 37;
        trace->resizeSection(7, traceTypeWidth);
        EXPECT_FALSE(trace->isSectionHidden(1));
        trace->hideSection(1);
        clientsUserWidth = clients->sectionSize(2) + 23;
        clients->resizeSection(2, clientsUserWidth);
        connectionsUserWidth = connections->sectionSize(2) + 29;
        connections->resizeSection(2, connectionsUserWidth);
        // The Live clients dock moves to the right.
        QDockWidget *liveClients = window.dock(u"liveclients"_s);
        ASSERT_NE(liveClients, nullptr);
        window.addDockWidget(Qt::RightDockWidgetArea, liveClients);
        EXPECT_EQ(window.dockWidgetArea(liveClients), Qt::RightDockWidgetArea);
        window.close(); // saves, as a user's close does
    }
    {
        wps::ui::MainWindow again;
        again.setSettingsFile(file);
        again.restoreLayout();
        QHeaderView *trace = header(again, u"traceView"_s);
        QHeaderView *clients = header(again, u"clients"_s);
        QHeaderView *connections = header(again, u"inventory"_s);
        ASSERT_TRUE(trace && clients && connections);
        EXPECT_EQ(trace->sectionSize(7), traceTypeWidth);
        EXPECT_TRUE(trace->isSectionHidden(1));
        EXPECT_EQ(clients->sectionSize(2), clientsUserWidth);
        EXPECT_EQ(connections->sectionSize(2), connectionsUserWidth);
        auto *chart = again.findChild<QToolButton *>(u"traceChartToggle"_s);
        ASSERT_NE(chart, nullptr);
        EXPECT_TRUE(chart->isChecked());
        EXPECT_EQ(again.dockWidgetArea(again.dock(u"liveclients"_s)), Qt::RightDockWidgetArea);
    }
    {
        // View > Reset layout still brings the docks back to the bottom.
        wps::ui::MainWindow third;
        third.setSettingsFile(file);
        third.restoreLayout();
        third.resetLayout();
        EXPECT_EQ(third.dockWidgetArea(third.dock(u"liveclients"_s)), Qt::BottomDockWidgetArea);
    }
}

TEST(RememberedLayout, ASettingsFileFromAnotherColumnCountIsIgnored)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString file = dir.filePath(u"settings.ini"_s);
    {
        QSettings store(file, QSettings::IniFormat);
        store.setValue(u"columns/trace/state"_s, QByteArray("not a header state"));
        store.setValue(u"columns/trace/count"_s, 3);
    }
    wps::ui::MainWindow window;
    window.setSettingsFile(file);
    window.restoreLayout();
    QHeaderView *trace = header(window, u"traceView"_s);
    ASSERT_NE(trace, nullptr);
    EXPECT_GT(trace->count(), 3);
    EXPECT_FALSE(trace->isSectionHidden(0)); // the defaults: Time shown
}

TEST(RememberedLayout, NoSecretReachesTheSettingsFile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString file = dir.filePath(u"settings.ini"_s);
    const QString key = u"c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWstMTIzNDU2Nzg5MA=="_s;
    {
        wps::ui::MainWindow window;
        window.setSettingsFile(file);
        window.restoreLayout();
        const QString text = u"Endpoint=http://127.0.0.1:9;AccessKey="_s + key + u";Version=1.0;"_s;
        auto connection = wps::ConnectionString::parse(text);
        ASSERT_TRUE(bool(connection));
        window.setConnection(*connection, u"test"_s);
        window.findChild<QToolButton *>(u"traceChartToggle"_s)->setChecked(true);
        window.saveLayout();
    }
    QFile saved(file);
    ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
    const QByteArray text = saved.readAll();
    EXPECT_TRUE(text.contains("columns"));
    EXPECT_FALSE(text.contains(key.toLatin1()));
    EXPECT_FALSE(text.contains(key.left(16).toLatin1()));
    EXPECT_FALSE(text.contains("AccessKey"));
}

} // namespace
