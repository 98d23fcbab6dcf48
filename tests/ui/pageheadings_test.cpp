// Every page and dock of the window opens with the same heading widget: a title and a one-line purpose.
// The navigation names a page exactly as its heading does, and a dock's title bar as its heading would
// (docks hide the title line: the title bar shows it).
#include "mainwindow/mainwindow.h"
#include "panels/common/pageheading.h"
#include "panels/profiles/profileconnector.h"
#include "profiles/profilestore.h"
#include "secrets/memorysecretstore.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

/// The window as app/webpubsub-console builds it, with the Profiles and Hubs pages.
class PageHeadingsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_store =
            std::make_unique<wps::profiles::ProfileStore>(m_dir.filePath(u"profiles.ini"_s), &m_secrets);
        m_connector = std::make_unique<wps::ui::ProfileConnector>(m_store.get(), nullptr);
        wps::ui::WindowServices services;
        services.profiles = m_store.get();
        services.connector = m_connector.get();
        m_window = std::make_unique<wps::ui::MainWindow>(&m_session, services);
        m_window->setSettingsFile(m_dir.filePath(u"settings.ini"_s));
        m_window->restoreLayout();
    }
    void TearDown() override
    {
        m_window.reset();
        m_connector.reset();
    }

    QTemporaryDir m_dir;
    wps::secrets::MemorySecretStore m_secrets;
    wps::ui::ConsoleSession m_session;
    std::unique_ptr<wps::profiles::ProfileStore> m_store;
    std::unique_ptr<wps::ui::ProfileConnector> m_connector;
    std::unique_ptr<wps::ui::MainWindow> m_window;
};

/// The headings inside \a container (a page or a dock): exactly one is expected.
QList<wps::ui::PageHeading *> headingsIn(QWidget *container)
{
    return container->findChildren<wps::ui::PageHeading *>();
}

void expectOnePurposeLine(const wps::ui::PageHeading *heading, const QString &where)
{
    const QString purpose = heading->purpose();
    EXPECT_FALSE(purpose.trimmed().isEmpty()) << where.toStdString() << ": no purpose";
    EXPECT_FALSE(purpose.contains(u'\n')) << where.toStdString() << ": " << purpose.toStdString();
    EXPECT_TRUE(purpose.endsWith(u'.')) << where.toStdString() << ": one sentence: " << purpose.toStdString();
    // One line of a page at the window's usual width: short enough to read at a glance.
    EXPECT_LE(purpose.size(), 160) << where.toStdString() << ": " << purpose.toStdString();
}

TEST_F(PageHeadingsTest, EveryPageHasOneHeadingTitledAsItsNavigationEntry)
{
    auto *navigation = m_window->findChild<QListWidget *>(u"navigation"_s);
    auto *pages = m_window->findChild<QStackedWidget *>(u"pages"_s);
    ASSERT_NE(navigation, nullptr);
    ASSERT_NE(pages, nullptr);
    ASSERT_EQ(navigation->count(), pages->count());
    QStringList seen;
    for (int row = 0; row < navigation->count(); ++row) {
        const QString name = navigation->item(row)->text();
        const QList<wps::ui::PageHeading *> headings = headingsIn(pages->widget(row));
        ASSERT_EQ(headings.size(), 1) << name.toStdString();
        const wps::ui::PageHeading *heading = headings.first();
        EXPECT_EQ(heading->title(), name);
        EXPECT_TRUE(heading->isTitleVisible()) << name.toStdString();
        expectOnePurposeLine(heading, name);
        // The title and purpose are the heading's labels, nothing drawn elsewhere.
        auto *title = heading->findChild<QLabel *>(u"pageTitle"_s);
        ASSERT_NE(title, nullptr);
        EXPECT_EQ(title->text(), name);
        EXPECT_TRUE(title->font().bold());
        seen << navigation->item(row)->data(Qt::UserRole).toString();
    }
    // The pages of the app's window, Profiles and Hubs included.
    for (const QString &id : {u"welcome"_s, u"profiles"_s, u"hubs"_s, u"overview"_s, u"messaging"_s,
                              u"groups"_s, u"permissions"_s, u"tokens"_s, u"demo"_s})
        EXPECT_TRUE(seen.contains(id)) << id.toStdString();
}

TEST_F(PageHeadingsTest, EveryDockHasTheHeadingWithItsTitleInTheTitleBar)
{
    int docks = 0;
    for (const QString &id : m_window->panelIds()) {
        QDockWidget *dock = m_window->dock(id);
        if (!dock)
            continue;
        ++docks;
        const QList<wps::ui::PageHeading *> headings = headingsIn(dock);
        ASSERT_EQ(headings.size(), 1) << id.toStdString();
        EXPECT_EQ(headings.first()->title(), dock->windowTitle()) << id.toStdString();
        EXPECT_FALSE(headings.first()->isTitleVisible()) << id.toStdString();
        expectOnePurposeLine(headings.first(), id);
        // The View menu names the dock as its title bar does.
        QAction *toggle = m_window->action(u"actionDock_"_s + id);
        ASSERT_NE(toggle, nullptr) << id.toStdString();
        EXPECT_EQ(toggle->text(), dock->windowTitle());
    }
    EXPECT_EQ(docks, 3); // Trace, Live clients, Connections
}

TEST_F(PageHeadingsTest, PanelsMenuNamesMatchThePages)
{
    auto *navigation = m_window->findChild<QListWidget *>(u"navigation"_s);
    ASSERT_NE(navigation, nullptr);
    for (int row = 0; row < navigation->count(); ++row) {
        const QString id = navigation->item(row)->data(Qt::UserRole).toString();
        QAction *action = m_window->action(u"actionPanel_"_s + id);
        ASSERT_NE(action, nullptr) << id.toStdString();
        EXPECT_EQ(action->text(), navigation->item(row)->text());
    }
}

TEST(PageHeading, NoPageDrawsASecondTitle)
{
    // The panels dropped their own bold headings: the only bold large label of a page is its heading's.
    wps::ui::MainWindow window;
    QTemporaryDir dir;
    window.setSettingsFile(dir.filePath(u"settings.ini"_s));
    auto *pages = window.findChild<QStackedWidget *>(u"pages"_s);
    ASSERT_NE(pages, nullptr);
    for (int i = 0; i < pages->count(); ++i) {
        const QList<QLabel *> labels = pages->widget(i)->findChildren<QLabel *>();
        for (const QLabel *label : labels) {
            if (label->objectName() == u"pageTitle"_s)
                continue;
            EXPECT_FALSE(label->font().bold() &&
                         label->font().pointSizeF() > window.font().pointSizeF() * 1.2)
                << "page " << i << ": " << label->text().toStdString();
        }
    }
}

} // namespace
