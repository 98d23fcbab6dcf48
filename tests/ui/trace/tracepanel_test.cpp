// The Trace panel over a real session: REST calls and live-client frames against the real emulator appear,
// filter, decode (JSON and protobuf), relate by correlation id, and export to HAR 1.2, CSV and JSONL
// without a secret.
#include "live/liveclient.h"
#include "panels/trace/httpmessageview.h"
#include "panels/trace/ratechart.h"
#include "panels/trace/tracepanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/jsonschema.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "trace/tracehistory.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCompleter>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::ui::ConsoleSession;
using wps::ui::TracePanel;

namespace {

using wps::test::kWaitMs;

class TracePanelTest : public wps::test::PanelTest<wps::ui::TracePanel>
{
protected:
    void panelReady() override { m_panel->resize(1200, 800); }

    wps::live::LiveClient *open(const QString &user, wps::live::Subprotocol protocol)
    {
        std::optional<ConsoleSession::AccessResult> access;
        wps::ClientTokenOptions options;
        options.userId = user;
        options.roles = {u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s};
        m_session.clientAccess(u"chat"_s, options, &m_context,
                               [&](const ConsoleSession::AccessResult &result) { access = result; });
        EXPECT_TRUE(QTest::qWaitFor([&] { return access.has_value(); }, kWaitMs));
        auto client = std::make_unique<wps::live::LiveClient>(access->value().url, protocol);
        wps::live::LiveClientSettings settings;
        settings.pingInterval = 0ms;
        settings.autoReconnect = false;
        client->setSettings(settings);
        m_session.traceLiveClient(client.get(), u"chat"_s);
        QSignalSpy connected(client.get(), &wps::live::LiveClient::connected);
        client->start();
        EXPECT_TRUE(connected.wait(kWaitMs));
        m_clients.push_back(std::move(client));
        return m_clients.back().get();
    }

    /// Waits for the model to show a row whose \a column text contains \a text; returns its row or -1.
    int findRow(int column, const QString &text)
    {
        int found = -1;
        (void)QTest::qWaitFor(
            [&] {
                m_panel->model()->flushNow();
                for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
                    if (m_panel->model()->index(row, column).data().toString().contains(text)) {
                        found = row;
                        return true;
                    }
                }
                return false;
            },
            kWaitMs);
        return found;
    }

    void sendRest()
    {
        auto *job = m_session.client()->sendToAll(wps::service::Message::json(R"({"hello":"rest"})"));
        QSignalSpy finished(job, &wps::service::ServiceJob::finished);
        ASSERT_TRUE(finished.wait(kWaitMs));
        ASSERT_FALSE(job->hasError());
    }

    QObject m_context;
    std::vector<std::unique_ptr<wps::live::LiveClient>> m_clients;
};

} // namespace

TEST_F(TracePanelTest, ShowsRestAndFramesFiltersAndDecodes)
{
    QAbstractItemModelTester tester(m_panel->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    open(u"alice"_s, wps::live::Subprotocol::Json);
    open(u"bob"_s, wps::live::Subprotocol::Protobuf);
    sendRest();

    using Model = wps::trace::TraceModel;
    EXPECT_GE(findRow(Model::TypeColumn, u"sendToAll"_s), 0);
    const int aliceRow = findRow(Model::UserColumn, u"alice"_s);
    EXPECT_GE(aliceRow, 0);
    EXPECT_GE(findRow(Model::UserColumn, u"bob"_s), 0);

    // A JSON frame decodes as pretty JSON; a protobuf frame of bob's decodes to its JSON form.
    int aliceMessage = -1;
    int bobMessage = -1;
    for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
        const QString user = m_panel->model()->index(row, Model::UserColumn).data().toString();
        const QString type = m_panel->model()->index(row, Model::TypeColumn).data().toString();
        if (type == u"message"_s && user == u"alice"_s)
            aliceMessage = row;
        if (type == u"message"_s && user == u"bob"_s)
            bobMessage = row;
    }
    ASSERT_GE(aliceMessage, 0);
    m_panel->view()->setCurrentIndex(m_panel->model()->index(aliceMessage, 0));
    EXPECT_TRUE(m_panel->detailText().contains(u"\"hello\": \"rest\""_s))
        << m_panel->detailText().toStdString();
    ASSERT_GE(bobMessage, 0);
    m_panel->view()->setCurrentIndex(m_panel->model()->index(bobMessage, 0));
    EXPECT_TRUE(m_panel->detailText().contains(u"rest"_s)) << m_panel->detailText().toStdString();
    auto *base64 = m_panel->findChild<QPlainTextEdit *>(u"traceBase64"_s);
    ASSERT_NE(base64, nullptr);
    EXPECT_FALSE(QByteArray::fromBase64(base64->toPlainText().toLatin1()).isEmpty());

    // The text filter narrows to bob's rows.
    const int before = m_panel->model()->rowCount();
    m_panel->findChild<QLineEdit *>(u"traceText"_s)->setText(u"bob"_s);
    m_panel->applyFilter();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !m_panel->model()->isRebuilding(); }, kWaitMs));
    EXPECT_GT(m_panel->model()->rowCount(), 0);
    EXPECT_LT(m_panel->model()->rowCount(), before);
    for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
        const QString line = m_panel->model()->index(row, Model::UserColumn).data().toString() +
                             m_panel->model()->index(row, Model::SummaryColumn).data().toString();
        EXPECT_FALSE(line.contains(u"alice"_s)) << line.toStdString();
    }
}

TEST_F(TracePanelTest, ShowRelatedKeepsARequestWithItsResponse)
{
    sendRest();
    sendRest(); // two calls: four rows, two per correlation id
    using Model = wps::trace::TraceModel;
    const int request = findRow(Model::TypeColumn, u"sendToAll"_s);
    ASSERT_GE(request, 0);
    EXPECT_FALSE(m_panel->showRelated(true)); // nothing selected yet: said so, nothing changes
    m_panel->view()->setCurrentIndex(m_panel->model()->index(request, 0));
    ASSERT_TRUE(m_panel->showRelated(true));
    EXPECT_TRUE(QTest::qWaitFor([&] { return !m_panel->model()->isRebuilding(); }, kWaitMs));
    m_panel->model()->flushNow();
    EXPECT_EQ(m_panel->model()->rowCount(), 2); // the request and its 202
    m_panel->showRelated(false);
    EXPECT_TRUE(QTest::qWaitFor([&] { return !m_panel->model()->isRebuilding(); }, kWaitMs));
    m_panel->model()->flushNow();
    EXPECT_EQ(m_panel->model()->rowCount(), 4);
}

TEST_F(TracePanelTest, ExportsHarCsvAndJsonlWithoutSecrets)
{
    open(u"carol"_s, wps::live::Subprotocol::Json);
    sendRest();
    auto *exists = m_session.client()->userExists(u"nobody"_s); // a 404 in the HAR too
    QSignalSpy finished(exists, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    ASSERT_GE(findRow(wps::trace::TraceModel::StatusColumn, u"404"_s), 0);

    QTemporaryDir dir;
    const QString key = m_emulator.connectionString().accessKey();
    auto readAll = [](const QString &path) {
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::ReadOnly));
        return file.readAll();
    };

    const QString har = dir.filePath(u"t.har"_s);
    ASSERT_EQ(m_panel->exportTo(har, u"har"_s, false), QString());
    const QByteArray harBytes = readAll(har);
    EXPECT_EQ(wps::test::validateHar(harBytes).join(u'\n'), QString());
    const QJsonObject log = QJsonDocument::fromJson(harBytes).object().value(u"log"_s).toObject();
    EXPECT_EQ(log.value(u"version"_s).toString(), u"1.2"_s);
    EXPECT_FALSE(log.value(u"creator"_s).toObject().value(u"name"_s).toString().isEmpty());
    const QJsonArray entries = log.value(u"entries"_s).toArray();
    ASSERT_GE(entries.size(), 2);
    bool saw202 = false;
    bool saw404 = false;
    bool sawSocket = false;
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        const QJsonObject request = entry.value(u"request"_s).toObject();
        const QJsonObject response = entry.value(u"response"_s).toObject();
        EXPECT_FALSE(request.value(u"method"_s).toString().isEmpty());
        if (entry.contains(u"_webSocketMessages"_s)) {
            // carol's live client: its upgrade, accepted, with her frames.
            sawSocket = true;
            EXPECT_TRUE(request.value(u"url"_s).toString().startsWith(u"ws://127.0.0.1"_s));
            EXPECT_EQ(response.value(u"status"_s).toInt(), 101);
            EXPECT_FALSE(entry.value(u"_webSocketMessages"_s).toArray().isEmpty());
            continue;
        }
        EXPECT_TRUE(request.value(u"url"_s).toString().startsWith(u"http://127.0.0.1"_s));
        EXPECT_EQ(request.value(u"httpVersion"_s).toString(), u"HTTP/1.1"_s);
        EXPECT_TRUE(request.value(u"headers"_s).isArray());
        EXPECT_TRUE(request.value(u"queryString"_s).isArray());
        EXPECT_TRUE(response.value(u"content"_s).isObject());
        EXPECT_TRUE(entry.value(u"timings"_s).toObject().contains(u"wait"_s));
        EXPECT_FALSE(entry.value(u"startedDateTime"_s).toString().isEmpty());
        saw202 = saw202 || response.value(u"status"_s).toInt() == 202;
        saw404 = saw404 || response.value(u"status"_s).toInt() == 404;
    }
    EXPECT_TRUE(saw202);
    EXPECT_TRUE(saw404);
    EXPECT_TRUE(sawSocket);

    const QString csv = dir.filePath(u"t.csv"_s);
    ASSERT_EQ(m_panel->exportTo(csv, u"csv"_s, false), QString());
    const QByteArray csvBytes = readAll(csv);
    EXPECT_TRUE(csvBytes.startsWith("time,kind,direction,hub,connection,user,group,type,status"));
    EXPECT_GT(csvBytes.count('\n'), 4);
    EXPECT_TRUE(csvBytes.contains("carol"));

    const QString jsonl = dir.filePath(u"t.jsonl"_s);
    ASSERT_EQ(m_panel->exportTo(jsonl, u"jsonl"_s, false), QString());
    const QByteArray jsonlBytes = readAll(jsonl);

    for (const QByteArray &bytes : {harBytes, csvBytes, jsonlBytes}) {
        EXPECT_FALSE(bytes.contains(key.toUtf8()));
        EXPECT_FALSE(bytes.contains("access_token=eyJ"));
        EXPECT_FALSE(bytes.contains("Bearer eyJ"));
    }

    // JSONL is lossless: imported into another session, the same number of rows.
    ConsoleSession other;
    TracePanel otherPanel(&other);
    ASSERT_EQ(otherPanel.importFrom(jsonl), QString());
    EXPECT_EQ(other.traceStore()->count(), m_session.traceStore()->count());
    EXPECT_NE(otherPanel.importFrom(dir.filePath(u"missing.jsonl"_s)), QString());
}

TEST_F(TracePanelTest, PauseFreezesTheListAndTheChartCountsByDirection)
{
    sendRest();
    ASSERT_GE(findRow(wps::trace::TraceModel::TypeColumn, u"sendToAll"_s), 0);
    m_panel->setPaused(true);
    EXPECT_TRUE(QTest::qWaitFor([&] { return !m_panel->model()->isRebuilding(); }, kWaitMs));
    m_panel->model()->flushNow();
    const int frozen = m_panel->model()->rowCount();
    ASSERT_TRUE(wps::test::waitForLaterMillisecond()); // a later timestamp than the pause
    sendRest();
    m_panel->model()->flushNow();
    EXPECT_EQ(m_panel->model()->rowCount(), frozen);
    m_panel->setPaused(false);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            m_panel->model()->flushNow();
            return m_panel->model()->rowCount() > frozen;
        },
        kWaitMs));

    auto *chart = m_panel->findChild<wps::ui::RateChart *>();
    ASSERT_NE(chart, nullptr);
    chart->tick(); // counts what came since the panel was made
    EXPECT_GT(chart->lastOut() + chart->lastIn(), 0);
}

TEST_F(TracePanelTest, KeepsTheLastSessionsAndReopensThem)
{
    QTemporaryDir dir;
    const QString history = dir.filePath(u"traces"_s);
    sendRest();
    const qint64 count = m_session.traceStore()->count();
    m_panel->setHistoryDirectory(history);
    m_panel.reset(); // the window closes: its trace is kept
    const auto entries = wps::trace::TraceHistory(history).entries();
    ASSERT_EQ(entries.size(), 1);

    ConsoleSession other;
    TracePanel reopened(&other);
    ASSERT_EQ(reopened.importFrom(entries.first().path), QString());
    EXPECT_EQ(other.traceStore()->count(), count);

    // Only the newest `keep` sessions survive.
    wps::trace::TraceHistory keepTwo(history, 2);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(wps::test::waitForLaterMillisecond()); // distinct millisecond stamps
        ASSERT_TRUE(keepTwo.save(*other.traceStore()));
    }
    EXPECT_EQ(keepTwo.entries().size(), 2);
    EXPECT_EQ(keepTwo.save(wps::trace::TraceStore()).value(), QString()); // nothing to keep
}

TEST_F(TracePanelTest, JsonIsShownCopiedAndExportedExactlyAsSent)
{
    const QByteArray exact = R"({"b":1,"a":12345678901234567890,"c":1.10})";
    auto *job = m_session.client()->sendToAll(wps::service::Message::json(exact));
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    ASSERT_FALSE(job->hasError());

    // The request row of the send.
    using Model = wps::trace::TraceModel;
    int requestRow = -1;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            m_panel->model()->flushNow();
            for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
                if (m_panel->model()->index(row, Model::TypeColumn).data().toString() == u"sendToAll"_s &&
                    m_panel->model()->index(row, Model::StatusColumn).data().toString().isEmpty())
                    requestRow = row;
            }
            return requestRow >= 0;
        },
        kWaitMs));
    m_panel->view()->setCurrentIndex(m_panel->model()->index(requestRow, 0));

    // Pretty: indented, yet every key in its order and every digit kept.
    const QString pretty = m_panel->detailText();
    EXPECT_TRUE(pretty.contains(u"\"a\": 12345678901234567890"_s)) << pretty.toStdString();
    EXPECT_TRUE(pretty.contains(u"\"c\": 1.10"_s)) << pretty.toStdString();
    EXPECT_LT(pretty.indexOf(u"\"b\""_s), pretty.indexOf(u"\"a\""_s));
    EXPECT_LT(pretty.indexOf(u"\"a\""_s), pretty.indexOf(u"\"c\""_s));
    // Copy gives the bytes as sent, never the pretty view.
    EXPECT_EQ(m_panel->copyPayload(), exact);
    EXPECT_EQ(QApplication::clipboard()->text().toUtf8(), exact);
    // Pretty off: the bytes as they are.
    auto *prettyBox = m_panel->findChild<QCheckBox *>(u"tracePretty"_s);
    ASSERT_NE(prettyBox, nullptr);
    prettyBox->setChecked(false);
    EXPECT_TRUE(m_panel->detailText().contains(QString::fromUtf8(exact)))
        << m_panel->detailText().toStdString();
    EXPECT_EQ(m_panel->copyPayload(), exact);

    // The exports carry the same bytes.
    QTemporaryDir dir;
    const QString har = dir.filePath(u"exact.har"_s);
    ASSERT_EQ(m_panel->exportTo(har, u"har"_s, false), QString());
    QFile harFile(har);
    ASSERT_TRUE(harFile.open(QIODevice::ReadOnly));
    const QByteArray harBytes = harFile.readAll();
    EXPECT_EQ(wps::test::validateHar(harBytes).join(u'\n'), QString());
    bool found = false;
    for (const QJsonValue &entry : QJsonDocument::fromJson(harBytes)
                                       .object()
                                       .value(u"log"_s)
                                       .toObject()
                                       .value(u"entries"_s)
                                       .toArray()) {
        const QJsonObject postData =
            entry.toObject().value(u"request"_s).toObject().value(u"postData"_s).toObject();
        found = found || postData.value(u"text"_s).toString().toUtf8() == exact;
    }
    EXPECT_TRUE(found) << harBytes.toStdString();
    const QString jsonl = dir.filePath(u"exact.jsonl"_s);
    ASSERT_EQ(m_panel->exportTo(jsonl, u"jsonl"_s, false), QString());
    QFile jsonlFile(jsonl);
    ASSERT_TRUE(jsonlFile.open(QIODevice::ReadOnly));
    EXPECT_TRUE(jsonlFile.readAll().contains(R"({\"b\":1,\"a\":12345678901234567890,\"c\":1.10})"));

    // A HAR opens with Import like a session: the request comes back with the same body.
    ConsoleSession other;
    TracePanel otherPanel(&other);
    ASSERT_EQ(otherPanel.importFrom(har), QString());
    bool imported = false;
    other.traceStore()->forEach(
        other.traceStore()->firstId(), other.traceStore()->endId(),
        [&](const wps::trace::TraceRecordView &r) { imported = imported || r.payload.endsWith(exact); });
    EXPECT_TRUE(imported);
}

TEST_F(TracePanelTest, TheSaveDialogStartsInDocumentsWithTheHubAndTime)
{
    const QString path = m_panel->suggestedExportPath(u"har"_s);
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    EXPECT_TRUE(path.startsWith(documents)) << path.toStdString();
    ASSERT_FALSE(m_session.hub().isEmpty());
    EXPECT_TRUE(path.contains(u"-"_s + m_session.hub() + u"-"_s)) << path.toStdString();
    EXPECT_TRUE(path.endsWith(u".har"_s));
    EXPECT_TRUE(m_panel->suggestedExportPath(u"jsonl"_s).endsWith(u".jsonl"_s));
}

TEST_F(TracePanelTest, AnHttpRowShowsRequestAndResponseLikePostman)
{
    const QByteArray exact = R"({"b":1,"a":12345678901234567890,"c":1.10})";
    auto *job = m_session.client()->sendToAll(wps::service::Message::json(exact));
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    using Model = wps::trace::TraceModel;
    const int responseRow = findRow(Model::StatusColumn, u"202"_s);
    ASSERT_GE(responseRow, 0);
    m_panel->view()->setCurrentIndex(m_panel->model()->index(responseRow, 0));

    wps::ui::HttpMessageView *request = m_panel->requestView();
    wps::ui::HttpMessageView *response = m_panel->responseView();
    auto *tabs = m_panel->findChild<QTabWidget *>(u"traceDetail"_s);
    ASSERT_NE(tabs, nullptr);
    EXPECT_TRUE(tabs->isTabVisible(tabs->indexOf(request)));
    EXPECT_TRUE(tabs->isTabVisible(tabs->indexOf(response)));
    EXPECT_TRUE(response->statusLine().startsWith(u"HTTP/1.1 202 Accepted"_s))
        << response->statusLine().toStdString();
    EXPECT_GT(response->headers()->rowCount(), 0);
    EXPECT_TRUE(request->statusLine().startsWith(u"POST http://127.0.0.1"_s))
        << request->statusLine().toStdString();
    bool authorization = false;
    for (int row = 0; row < request->headers()->rowCount(); ++row) {
        if (request->headers()->item(row, 0)->text() == u"Authorization"_s) {
            authorization = true;
            EXPECT_EQ(request->headers()->item(row, 1)->text(), u"Bearer ***"_s);
        }
    }
    EXPECT_TRUE(authorization);
    // The body's own view: pretty keeps order and digits, raw is the bytes, hex shows them; the bytes stay.
    EXPECT_TRUE(request->bodyText().contains(u"\"a\": 12345678901234567890"_s))
        << request->bodyText().toStdString();
    request->setBodyMode(wps::ui::HttpMessageView::BodyMode::Raw);
    EXPECT_EQ(request->bodyText().toUtf8(), exact);
    request->setBodyMode(wps::ui::HttpMessageView::BodyMode::Hex);
    EXPECT_TRUE(request->bodyText().startsWith(u"00000000  7b 22 62 22"_s))
        << request->bodyText().toStdString();
    EXPECT_EQ(request->body(), exact);

    // A frame row has no exchange: the tabs go away.
    open(u"dave"_s, wps::live::Subprotocol::Json);
    const int frameRow = findRow(Model::TypeColumn, u"connected"_s);
    ASSERT_GE(frameRow, 0);
    m_panel->view()->setCurrentIndex(m_panel->model()->index(frameRow, 0));
    EXPECT_FALSE(tabs->isTabVisible(tabs->indexOf(request)));
}

namespace {

/// The last row of \a view is painted inside its viewport.
bool lastRowVisible(QTreeView *view)
{
    const int rows = view->model()->rowCount();
    if (rows == 0)
        return true;
    const QRect rect = view->visualRect(view->model()->index(rows - 1, 0));
    return rect.isValid() && view->viewport()->rect().intersects(rect);
}

wps::trace::TraceEvent syntheticFrame(int n, const QString &type = u"message"_s)
{
    wps::trace::TraceEvent e;
    e.timestampMs = QDateTime::currentMSecsSinceEpoch();
    e.kind = wps::trace::Kind::Frame;
    e.direction = wps::trace::Direction::In;
    e.hub = u"load"_s;
    e.type = type;
    e.payload = QByteArray("{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"text\",\"data\":\"n") +
                QByteArray::number(n) + "\"}";
    e.size = e.payload.size();
    return e;
}

} // namespace

TEST_F(TracePanelTest, FilterBarIsGreenOrRedAndAppliesOnEnter)
{
    open(u"alice"_s, wps::live::Subprotocol::Json);
    sendRest();
    auto *missing = m_session.client()->userExists(u"nobody"_s); // a 404
    QSignalSpy finished(missing, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    using Model = wps::trace::TraceModel;
    ASSERT_GE(findRow(Model::StatusColumn, u"404"_s), 0);

    auto *field = m_panel->findChild<QLineEdit *>(u"traceText"_s);
    ASSERT_NE(field, nullptr);
    field->setText(u"status>="_s);
    EXPECT_EQ(m_panel->filterState(), u"invalid"_s);
    EXPECT_TRUE(field->toolTip().contains(u"value"_s)) << field->toolTip().toStdString();
    EXPECT_TRUE(field->toolTip().contains(u"character 9"_s)) << field->toolTip().toStdString();
    EXPECT_TRUE(field->styleSheet().contains(u"#f9d0d0"_s));
    auto *status = m_panel->findChild<QLabel *>(u"traceStatus"_s);
    ASSERT_NE(status, nullptr);
    EXPECT_FALSE(status->text().isEmpty());
    // Enter on an invalid filter keeps the current one.
    QTest::keyClick(field, Qt::Key_Return);
    EXPECT_TRUE(m_panel->model()->filter().query.isEmpty());

    field->setText(u"status>=400 and kind==rest"_s);
    EXPECT_EQ(m_panel->filterState(), u"valid"_s);
    EXPECT_TRUE(field->styleSheet().contains(u"#d6f5d6"_s));
    QTest::keyClick(field, Qt::Key_Return);
    EXPECT_EQ(m_panel->model()->filter().query, u"status>=400 and kind==rest"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return !m_panel->model()->isRebuilding(); }, kWaitMs));
    ASSERT_GT(m_panel->model()->rowCount(), 0);
    for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
        const QModelIndex index = m_panel->model()->index(row, Model::StatusColumn);
        EXPECT_GE(index.data(Model::RawValueRole).toInt(), 400);
        // Errors are marked for colouring, and the summary says what the service answered.
        EXPECT_TRUE(index.data(Model::ErrorRole).toBool());
        EXPECT_TRUE(m_panel->model()
                        ->index(row, Model::SummaryColumn)
                        .data()
                        .toString()
                        .startsWith(u"answered 404"_s));
    }

    field->clear();
    EXPECT_EQ(m_panel->filterState(), QString());
}

TEST_F(TracePanelTest, CompletionOffersFieldsOperatorsAndSeenValues)
{
    auto *alice = open(u"alice"_s, wps::live::Subprotocol::Json);
    auto *join = alice->joinGroup(u"room1"_s);
    QSignalSpy joined(join, &wps::live::AckJob::finished);
    ASSERT_TRUE(joined.wait(kWaitMs));
    ASSERT_TRUE(join->succeeded());
    using Model = wps::trace::TraceModel;
    // Human summaries and the Source column on real traffic.
    const int joinRow = findRow(Model::SummaryColumn, u"alice joins room1"_s);
    ASSERT_GE(joinRow, 0);
    EXPECT_EQ(m_panel->model()->index(joinRow, Model::SourceColumn).data().toString(), u"console"_s);
    EXPECT_EQ(m_panel->model()->index(joinRow, Model::GroupColumn).data().toString(), u"room1"_s);

    EXPECT_TRUE(m_panel->completionsAt(u"us"_s, 2).contains(u"user"_s));
    EXPECT_TRUE(m_panel->completionsAt(u"kind==up"_s, 8).contains(u"upstream"_s));
    EXPECT_TRUE(m_panel->completionsAt(u"dir == "_s, 7).contains(u"out"_s));
    EXPECT_TRUE(m_panel->completionsAt(u"user==al"_s, 8).contains(u"alice"_s));
    EXPECT_TRUE(m_panel->completionsAt(u"status>=400 and hub=="_s, 21).contains(u"chat"_s));
    EXPECT_TRUE(m_panel->completionsAt(u"group contains r"_s, 16).contains(u"room1"_s));
    EXPECT_FALSE(m_panel->completionsAt(u"hub=="_s, 5).contains(u"alice"_s)) << "users are not hubs";

    // Choosing a completion replaces the word being typed.
    auto *field = m_panel->findChild<QLineEdit *>(u"traceText"_s);
    auto *completer = m_panel->findChild<QCompleter *>(u"traceCompleter"_s);
    ASSERT_NE(completer, nullptr);
    field->setText(u"user==al"_s);
    field->setCursorPosition(8);
    Q_EMIT completer->activated(u"alice"_s);
    EXPECT_EQ(field->text(), u"user==alice"_s);
}

TEST_F(TracePanelTest, SavedFiltersSurviveARestartAndCanBeDeleted)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"console.ini"_s);
    m_panel->setSettingsFile(file);
    m_panel->saveFilter(u"errors"_s, u"status>=400"_s);
    m_panel->saveFilter(u"alice in room1"_s, u"user==alice && group==room1"_s);

    TracePanel restarted(&m_session);
    restarted.setSettingsFile(file);
    EXPECT_EQ(restarted.savedFilterNames(), (QStringList{u"errors"_s, u"alice in room1"_s}));
    ASSERT_TRUE(restarted.applySavedFilter(u"errors"_s));
    EXPECT_EQ(restarted.findChild<QLineEdit *>(u"traceText"_s)->text(), u"status>=400"_s);
    EXPECT_EQ(restarted.model()->filter().query, u"status>=400"_s);
    EXPECT_FALSE(restarted.applySavedFilter(u"missing"_s));
    restarted.deleteSavedFilter(u"errors"_s);
    EXPECT_EQ(m_panel->savedFilterNames(), QStringList{u"alice in room1"_s});

    QFile ini(file);
    ASSERT_TRUE(ini.open(QIODevice::ReadOnly));
    const QByteArray content = ini.readAll();
    EXPECT_TRUE(content.contains("user==alice && group==room1")) << content.toStdString();
    EXPECT_FALSE(content.contains(m_emulator.connectionString().accessKey().toUtf8()));
}

TEST_F(TracePanelTest, KeepAlivesAreHiddenUntilTheToggleShowsThem)
{
    // Only this test's rows (hub "load"): a display filter.
    auto *field = m_panel->findChild<QLineEdit *>(u"traceText"_s);
    field->setText(u"hub==load"_s);
    QTest::keyClick(field, Qt::Key_Return);
    auto *store = m_session.traceStore();
    store->append(syntheticFrame(1, u"ping"_s));
    store->append(syntheticFrame(2, u"sequenceAck"_s));
    store->append(syntheticFrame(3));
    store->append(syntheticFrame(4, u"pong"_s));
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            m_panel->model()->flushNow();
            return m_panel->model()->rowCount() == 1;
        },
        kWaitMs));
    EXPECT_EQ(m_panel->model()->index(0, wps::trace::TraceModel::TypeColumn).data().toString(), u"message"_s);
    auto *toggle = m_panel->findChild<QCheckBox *>(u"traceKeepAlives"_s);
    ASSERT_NE(toggle, nullptr);
    EXPECT_FALSE(toggle->isChecked());
    toggle->setChecked(true);
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel->model()->rowCount() == 4; }, kWaitMs));
    toggle->setChecked(false);
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel->model()->rowCount() == 1; }, kWaitMs));
}

TEST_F(TracePanelTest, AFreshPanelHidesKeepAlivesBeforeAnyFilterIsTyped)
{
    // No display filter typed, no toggle touched: the "Keep-alives" box is unticked, so none may show.
    EXPECT_TRUE(m_panel->model()->filter().hideKeepAlives);
    auto *store = m_session.traceStore();
    store->append(syntheticFrame(1, u"ping"_s));
    store->append(syntheticFrame(2, u"pong"_s));
    store->append(syntheticFrame(3));
    const auto typeAt = [&](int row) {
        return m_panel->model()->index(row, wps::trace::TraceModel::TypeColumn).data().toString();
    };
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            m_panel->model()->flushNow();
            const int rows = m_panel->model()->rowCount();
            return rows > 0 && typeAt(rows - 1) == u"message"_s;
        },
        kWaitMs));
    for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
        EXPECT_NE(typeAt(row), u"ping"_s) << row;
        EXPECT_NE(typeAt(row), u"pong"_s) << row;
    }
}

TEST_F(TracePanelTest, FollowKeepsTheLastRowVisibleUnderLoad)
{
    m_panel->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(m_panel.get()));
    auto *store = m_session.traceStore();
    QTreeView *view = m_panel->view();
    // A producer on the event loop: 40 ticks of 250 rows, each tick first checking what the user sees.
    constexpr int ticks = 40;
    constexpr int perTick = 250;
    int tick = 0;
    int hidden = 0;
    int checked = 0;
    QTimer producer;
    producer.setInterval(5);
    QObject::connect(&producer, &QTimer::timeout, &producer, [&] {
        if (view->model()->rowCount() > 0) {
            ++checked;
            hidden += lastRowVisible(view) ? 0 : 1;
        }
        std::vector<wps::trace::TraceEvent> batch;
        for (int i = 0; i < perTick; ++i)
            batch.push_back(syntheticFrame(tick * perTick + i));
        store->append(batch);
        if (++tick == ticks)
            producer.stop();
    });
    producer.start();
    EXPECT_TRUE(QTest::qWaitFor([&] { return tick == ticks && view->model()->rowCount() >= ticks * perTick; },
                                60000));
    EXPECT_GT(checked, 0);
    EXPECT_EQ(hidden, 0) << "the newest row left the view " << hidden << " times of " << checked;
    EXPECT_TRUE(QTest::qWaitFor([&] { return lastRowVisible(view); }, kWaitMs));

    // Scrolling up to read stops following: new rows do not pull the view down.
    view->verticalScrollBar()->triggerAction(QAbstractSlider::SliderToMinimum);
    const int before = view->model()->rowCount();
    std::vector<wps::trace::TraceEvent> more;
    for (int i = 0; i < 500; ++i)
        more.push_back(syntheticFrame(100000 + i));
    store->append(more);
    EXPECT_TRUE(QTest::qWaitFor([&] { return view->model()->rowCount() >= before + 500; }, kWaitMs));
    EXPECT_FALSE(lastRowVisible(view));
    EXPECT_EQ(view->verticalScrollBar()->value(), 0);
}
