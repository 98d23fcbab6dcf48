// End to end: the emulator's built-in chat page (docs/demo.md) in Debian's headless Chromium, against the
// real emulator, watched by a console-side LiveClient whose frames go into a TraceStore as the console's
// trace would record them. The browser's message must show up in the trace, and a message the console
// sends over REST must reach the browser (the page posts "seen:<text>" back to the group when it gets one).
#include "live/liveclient.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "trace/traceadapters.h"
#include "trace/tracestore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::test::EmulatorProcess;

namespace {

/// True when any record of \a store carries \a needle in its payload or detail.
bool traceContains(const wps::trace::TraceStore &store, const QByteArray &needle)
{
    for (quint64 id = store.firstId(); id < store.endId(); ++id) {
        wps::trace::TraceRecordView view;
        if (store.record(id, &view, true) &&
            (view.payload.contains(needle) || view.detail.toUtf8().contains(needle)))
            return true;
    }
    return false;
}

/// Headless Chromium on one URL, killed (and waited for) when this goes away.
class Browser
{
public:
    ~Browser()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    bool open(const QString &chromium, const QUrl &url)
    {
        if (!m_profile.isValid())
            return false;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_profile.path()); // keeps Chromium's caches and crash dumps out of $HOME
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(chromium,
                        {u"--headless=new"_s, u"--no-sandbox"_s, u"--disable-gpu"_s, u"--no-first-run"_s,
                         u"--disable-dev-shm-usage"_s, u"--disable-extensions"_s,
                         u"--user-data-dir="_s + m_profile.filePath(u"profile"_s),
                         url.toString(QUrl::FullyEncoded)});
        return m_process.waitForStarted(30000);
    }
    QByteArray output() { return m_process.readAll(); }
    QProcess::ProcessState state() const { return m_process.state(); }

private:
    QTemporaryDir m_profile;
    QProcess m_process;
};

} // namespace

TEST(ChatPageE2E, BrowserAndConsoleSeeEachOthersMessages)
{
    const QString chromium = QStandardPaths::findExecutable(u"chromium"_s);
    if (chromium.isEmpty())
        GTEST_SKIP() << "Debian's chromium is not installed (scripts/deps installs it)";

    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const QString hub = u"demo"_s;
    const QString group = u"room"_s;
    const QString marker = QString::number(QRandomGenerator::global()->generate64(), 36);

    // The console side: a live client in the same group, traced.
    wps::trace::TraceStore store;
    wps::ClientTokenOptions token;
    token.userId = u"console"_s;
    token.roles = {u"webpubsub.joinLeaveGroup."_s + group};
    const auto access = wps::makeClientAccess(emulator.connectionString(), hub, token);
    wps::live::LiveClient watcher(access.url, wps::live::Subprotocol::Json);
    wps::trace::attach(&watcher, &store, hub);
    QSignalSpy connected(&watcher, &wps::live::LiveClient::connected);
    watcher.start();
    ASSERT_TRUE(connected.count() > 0 || connected.wait(15000));
    auto *join = watcher.joinGroup(group);
    ASSERT_TRUE(QTest::qWaitFor([join] { return join->isFinished(); }, 15000));
    ASSERT_TRUE(join->succeeded());

    // The browser: the built-in page sends one message as soon as it has joined.
    const QByteArray fromBrowser = QString(u"hello-from-browser-"_s + marker).toUtf8();
    QUrl page = emulator.endpoint();
    page.setPath(u"/demo/chat"_s);
    page.setQuery(
        u"hub=%1&user=browser&group=%2&autosend=%3"_s.arg(hub, group, QString::fromUtf8(fromBrowser)));
    Browser browser;
    ASSERT_TRUE(browser.open(chromium, page)) << browser.output().toStdString();
    const bool browserSent = QTest::qWaitFor([&] { return traceContains(store, fromBrowser); }, 60000);
    ASSERT_TRUE(browserSent) << "the trace never saw the browser's message; chromium said:\n"
                             << browser.output().toStdString() << "\nemulator:\n"
                             << emulator.log().right(4000).toStdString();

    // Console -> browser over REST; the page answers "seen:<text>" to the group.
    const QByteArray fromConsole = QString(u"from-console-"_s + marker).toUtf8();
    wps::service::ServiceClient rest(emulator.connectionString(), hub);
    auto *send = rest.sendToGroup(group, wps::service::Message::text(QString::fromUtf8(fromConsole)));
    ASSERT_TRUE(QTest::qWaitFor([send] { return send->isFinished(); }, 15000));
    ASSERT_FALSE(send->hasError()) << send->error().toString().toStdString();
    const QByteArray seen = "seen:"_ba + fromConsole;
    EXPECT_TRUE(QTest::qWaitFor([&] { return traceContains(store, seen); }, 30000))
        << "the browser did not report the REST message; chromium said:\n"
        << browser.output().toStdString();
    EXPECT_EQ(browser.state(), QProcess::Running); // the page kept running; the destructor kills it
    watcher.stop();
}
