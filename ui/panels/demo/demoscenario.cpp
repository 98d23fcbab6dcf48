#include "panels/demo/demoscenario.h"

#include "arm/armclient.h"
#include "live/liveclientpool.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcDemoScenario, "wps.ui.demo")

namespace wps::ui {

namespace {

/// What the chat clients say, in turn.
const QStringList &chatLines()
{
    static const QStringList lines{
        u"hello everyone"_s,
        u"who is up for lunch?"_s,
        u"the build is green again"_s,
        u"see you at the stand-up"_s,
        u"anyone tried the new emulator?"_s,
        u"brb"_s,
        u"the trace panel shows every frame"_s,
        u"ok"_s,
    };
    return lines;
}

constexpr int kEchoMember = 2;     ///< carol sends user events
constexpr int kReliableMember = 5; ///< frank uses the reliable subprotocol and gets his socket dropped
constexpr int kObserverMember = 0; ///< the chat shows lobby as alice receives it (and games as frank does)

/// The text of a demo chat message ({"from": ..., "text": ...}), or the payload as it is.
QString chatText(const wps::messages::DataMessage &message)
{
    const QJsonObject object = QJsonDocument::fromJson(message.data.bytes).object();
    if (const QJsonValue text = object.value(u"text"_s); text.isString())
        return text.toString();
    return QString::fromUtf8(message.data.bytes);
}

} // namespace

DemoScenario::DemoScenario(ConsoleSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    connect(&m_chatTimer, &QTimer::timeout, this, &DemoScenario::chatTick);
    connect(&m_echoTimer, &QTimer::timeout, this, &DemoScenario::echoTick);
    connect(&m_dropTimer, &QTimer::timeout, this, &DemoScenario::dropTick);
    if (session) {
        // The demo belongs to the service it was started on: a new connection ends it.
        connect(session, &ConsoleSession::connectionChanged, this, [this] {
            if (m_state != State::Idle && m_session && m_session->endpoint() != m_endpoint)
                stop();
        });
    }
}

DemoScenario::~DemoScenario()
{
    m_chatTimer.stop();
    m_echoTimer.stop();
    m_dropTimer.stop();
    delete m_pool; // stops and deletes the clients
}

QString DemoScenario::hubName()
{
    return u"demo"_s;
}

QStringList DemoScenario::groupNames()
{
    return {u"lobby"_s, u"games"_s};
}

QString DemoScenario::resourceId()
{
    return u"/subscriptions/local/resourceGroups/local/providers/Microsoft.SignalRService/webPubSub/emulator"_s;
}

void DemoScenario::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void DemoScenario::fail(const QString &error)
{
    qCWarning(lcDemoScenario).noquote() << "demo:" << error;
    Q_EMIT activity(error);
    Q_EMIT failed(error);
}

void DemoScenario::start()
{
    if (m_state != State::Idle)
        return;
    if (!m_session || !m_session->connectionString()) {
        fail(tr("The demo runs on the local emulator: connect to it first."));
        return;
    }
    m_endpoint = m_session->endpoint();
    m_stopRequested = false;
    m_hubChanged = false;
    m_previous.reset();
    m_sent = m_received = m_echoReplies = m_recoveries = m_tick = 0;
    setState(State::Starting);
    Q_EMIT countersChanged();
    Q_EMIT activity(tr("Pointing hub \"%1\" at the emulator's echo handler...").arg(hubName()));

    arm::ArmClientOptions options;
    options.baseUrl = m_endpoint;
    options.timeout = std::chrono::milliseconds(15000);
    delete m_arm;
    m_arm = new arm::ArmClient(
        std::make_shared<service::AccessKeyCredential>(m_session->connectionString()->accessKey()), options,
        this);
    arm::HubJob *job = m_arm->getHub(resourceId(), hubName());
    connect(job, &arm::ArmJob::finished, this, [this, job] {
        if (job->hasError() && job->httpStatus() != 404) {
            // Nothing was changed yet: report and go back to Idle.
            fail(tr("Could not read hub \"%1\" over ARM (the demo needs the emulator): %2")
                     .arg(hubName(), job->error().message));
            finishStop();
            return;
        }
        const bool exists = !job->hasError();
        onHubRead(exists, exists ? std::optional<arm::HubSettings>(job->hub()) : std::nullopt);
    });
}

void DemoScenario::onHubRead(bool exists, const std::optional<arm::HubSettings> &previous)
{
    if (m_stopRequested) {
        teardown();
        return;
    }
    m_previous = exists ? previous : std::nullopt;
    arm::HubSettings settings = m_previous.value_or(arm::HubSettings{});
    arm::EventHandler echo;
    // A template, not a URL: {event} must stay as it is (QUrl would percent-encode the braces).
    echo.urlTemplate = m_endpoint.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::StripTrailingSlash) +
                       u"/demo/echo/{event}"_s;
    echo.userEventPattern = u"echo"_s;
    echo.systemEvents = {u"connected"_s, u"disconnected"_s};
    settings.eventHandlers = {echo};
    arm::HubJob *job = m_arm->createOrUpdateHub(resourceId(), hubName(), settings);
    connect(job, &arm::ArmJob::finished, this, [this, job] {
        if (job->hasError()) {
            m_stopRequested = true;
            fail(tr("Could not set hub \"%1\"'s event handler: %2").arg(hubName(), job->error().message));
            teardown();
            return;
        }
        m_hubChanged = true;
        Q_EMIT activity(tr("Hub \"%1\" sends user event \"echo\" to %2.")
                            .arg(hubName(), job->hub().eventHandlers.value(0).urlTemplate));
        if (m_stopRequested)
            teardown();
        else
            requestAccess();
    });
}

void DemoScenario::requestAccess()
{
    const QStringList groups = groupNames();
    const QStringList names{u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"erin"_s, u"frank"_s};
    m_members.clear();
    for (int i = 0; i < names.size(); ++i) {
        Member member;
        member.name = names.at(i);
        member.group = groups.at(i < 3 ? 0 : 1);
        member.protocol = i == kReliableMember ? live::Subprotocol::JsonReliable : live::Subprotocol::Json;
        member.observer = i == kObserverMember || i == kReliableMember;
        m_members.append(member);
    }
    m_pendingAccess = static_cast<int>(m_members.size());
    for (int i = 0; i < m_members.size(); ++i) {
        ClientTokenOptions options;
        options.userId = m_members.at(i).name;
        options.roles = {u"webpubsub.joinLeaveGroup."_s + m_members.at(i).group,
                         u"webpubsub.sendToGroup."_s + m_members.at(i).group};
        options.lifetime = std::chrono::minutes(120);
        m_session->clientAccess(
            hubName(), options, this, [this, i](const ConsoleSession::AccessResult &result) {
                if (i < m_members.size() && result)
                    m_members[i].url = result->url;
                else if (!result)
                    Q_EMIT activity(
                        tr("No client URL for %1: %2").arg(m_members.value(i).name, result.error().message));
                if (--m_pendingAccess > 0)
                    return;
                if (m_stopRequested)
                    teardown();
                else
                    startClients();
            });
    }
}

void DemoScenario::startClients()
{
    delete m_pool;
    m_pool = new live::LiveClientPool(this);
    connect(m_pool, &live::LiveClientPool::countsChanged, this, &DemoScenario::countersChanged);
    for (int i = 0; i < m_members.size(); ++i) {
        Member &member = m_members[i];
        if (!member.url.isValid())
            continue;
        const QUrl url = member.url;
        const QList<live::LiveClient *> created = m_pool->createBatch(
            1, [url](int, const QString &) { return url; }, member.protocol);
        member.client = created.value(0);
        if (member.client) {
            wireClient(member);
            // Listed in the Live clients dock like the clients the session starts for other panels.
            Q_EMIT m_session->liveClientAdded(member.client, hubName());
        }
    }
    if (m_pool->size() == 0) {
        fail(tr("No demo client could be created."));
        teardown();
        return;
    }
    Q_EMIT activity(
        tr("Started %1 clients in groups %2.").arg(m_pool->size()).arg(groupNames().join(u", "_s)));
    m_chatTimer.start(m_timing.messageInterval);
    m_echoTimer.start(m_timing.echoInterval);
    m_dropTimer.start(m_timing.dropInterval);
    // The window's hub selector (and so the REST panels) follows the demo's hub while it runs.
    m_hubBefore = m_session->hub();
    m_session->setHub(hubName());
    setState(State::Running);
}

void DemoScenario::wireClient(Member &member)
{
    live::LiveClient *client = member.client;
    client->setName(member.name);
    m_session->traceLiveClient(client, hubName());
    const QString name = member.name;
    const QString group = member.group;
    connect(client, &live::LiveClient::connected, this, [this, client, name, group] {
        Q_EMIT activity(tr("%1 connected; joining %2.").arg(name, group));
        client->joinGroup(group); // later new connections rejoin by themselves (autoRejoinGroups)
    });
    const bool observer = member.observer;
    connect(client, &live::LiveClient::groupMessage, this,
            [this, name, observer](const messages::DataMessage &message) {
                ++m_received;
                Q_EMIT countersChanged();
                if (!observer)
                    return;
                const quint64 sequenceId = message.sequenceId.value_or(0);
                if (m_recoveryToVerify && message.sequenceId) {
                    // The first message after a recovery: consecutive ids mean nothing was lost.
                    m_recoveryToVerify = false;
                    Q_EMIT recovered(name, m_sequenceBeforeDrop, sequenceId);
                }
                const QString text = chatText(message);
                Q_EMIT chatMessage(message.group, message.fromUserId.value_or(tr("(service)")), text,
                                   sequenceId);
            });
    connect(client, &live::LiveClient::serverMessage, this,
            [this, name, group](const messages::DataMessage &message) {
                ++m_echoReplies;
                Q_EMIT activity(tr("The echo handler answered %1: %2")
                                    .arg(name, QString::fromUtf8(message.data.bytes.left(80))));
                Q_EMIT echoAnswered(group, name, QString::fromUtf8(message.data.bytes));
                Q_EMIT countersChanged();
            });
    connect(client, &live::LiveClient::stateChanged, this, [this, client, name](live::State state) {
        if (state == live::State::Recovering) {
            m_sequenceBeforeDrop = client->lastSequenceId();
            m_recoveryToVerify = false;
            Q_EMIT activity(tr("%1's socket dropped at seq %2; recovering the reliable connection...")
                                .arg(name)
                                .arg(m_sequenceBeforeDrop));
        }
        Q_EMIT countersChanged();
    });
    // A recovery shows as Recovering -> Connected with the recovery counter going up.
    connect(client, &live::LiveClient::stateChanged, this, [this, client, name](live::State state) {
        if (state == live::State::Connected && client->recoveries() > 0 &&
            client->recoveries() != m_recoveries) {
            m_recoveries = client->recoveries();
            m_recoveryToVerify = true;
            Q_EMIT activity(tr("%1 recovered the same connection (recovery %2); the next message's sequence "
                               "id shows whether any was lost.")
                                .arg(name)
                                .arg(m_recoveries));
            Q_EMIT countersChanged();
        }
    });
}

void DemoScenario::chatTick()
{
    // Round robin over the connected clients: one message per tick keeps the rate bounded.
    const int count = static_cast<int>(m_members.size());
    for (int attempt = 0; attempt < count; ++attempt) {
        const Member &member = m_members.at((m_tick + attempt) % count);
        if (!member.client || member.client->state() != live::State::Connected ||
            !member.client->joinedGroups().contains(member.group))
            continue;
        const QString text = chatLines().at(m_tick % chatLines().size());
        const QByteArray json = QJsonDocument(QJsonObject{{u"from"_s, member.name}, {u"text"_s, text}})
                                    .toJson(QJsonDocument::Compact);
        member.client->sendToGroup(member.group, messages::Payload::json(json));
        ++m_sent;
        Q_EMIT countersChanged();
        break;
    }
    ++m_tick;
}

void DemoScenario::echoTick()
{
    const Member &member = m_members.value(kEchoMember);
    if (!member.client || member.client->state() != live::State::Connected)
        return;
    const QString text = tr("ping %1").arg(m_tick);
    live::AckJob *job = member.client->sendEvent(u"echo"_s, messages::Payload::text(text));
    // Shown as sent now: the echo handler's answer usually arrives before the service's ack.
    Q_EMIT userEventSent(member.group, member.name, u"echo"_s, text);
    const QString name = member.name;
    connect(job, &live::AckJob::finished, this, [this, job, name] {
        if (!job->succeeded() && job->error())
            Q_EMIT activity(tr("%1's user event was not acknowledged: %2").arg(name, job->error()->message));
        job->deleteLater();
    });
}

void DemoScenario::dropTick()
{
    const Member &member = m_members.value(kReliableMember);
    if (member.client && member.client->state() == live::State::Connected) {
        Q_EMIT activity(tr("Dropping %1's socket to show recovery.").arg(member.name));
        member.client->dropConnection(u"Dropped by the demo to show recovery"_s);
    }
}

void DemoScenario::stop()
{
    if (m_state == State::Idle || m_state == State::Stopping) {
        m_stopRequested = m_state == State::Stopping || m_stopRequested;
        return;
    }
    const bool starting = m_state == State::Starting;
    m_stopRequested = true;
    setState(State::Stopping);
    Q_EMIT activity(tr("Stopping the demo..."));
    if (!starting)
        teardown(); // while starting, the step in flight calls teardown() when it finishes
}

void DemoScenario::teardown()
{
    m_chatTimer.stop();
    m_echoTimer.stop();
    m_dropTimer.stop();
    if (m_state != State::Stopping)
        setState(State::Stopping);
    if (m_pool) {
        m_pool->teardownBatch(-1);
        m_pool->deleteLater();
        m_pool = nullptr;
    }
    m_members.clear();
    Q_EMIT countersChanged();
    if (!m_hubChanged || !m_arm) {
        finishStop();
        return;
    }
    arm::HubJob *job = m_previous ? m_arm->createOrUpdateHub(resourceId(), hubName(), *m_previous)
                                  : m_arm->deleteHub(resourceId(), hubName());
    connect(job, &arm::ArmJob::finished, this, [this, job] {
        if (job->hasError())
            fail(tr("Could not restore hub \"%1\"'s settings: %2").arg(hubName(), job->error().message));
        else
            Q_EMIT activity(tr("Hub \"%1\"'s settings are restored.").arg(hubName()));
        m_hubChanged = false;
        finishStop();
    });
}

void DemoScenario::finishStop()
{
    m_stopRequested = false;
    m_recoveryToVerify = false;
    // Give the hub back, unless the user chose another one meanwhile.
    if (m_session && !m_hubBefore.isEmpty() && m_session->hub() == hubName())
        m_session->setHub(m_hubBefore);
    m_hubBefore.clear();
    Q_EMIT activity(tr("The demo stopped."));
    setState(State::Idle);
}

QList<live::LiveClient *> DemoScenario::clients() const
{
    return m_pool ? m_pool->clients() : QList<live::LiveClient *>{};
}

int DemoScenario::connectedClients() const
{
    return m_pool ? m_pool->count(live::State::Connected) : 0;
}

QUrl DemoScenario::chatPageUrl() const
{
    if (m_state != State::Running)
        return {};
    QUrl url = m_endpoint;
    url.setPath(u"/demo/chat"_s);
    url.setQuery(u"hub=%1&group=%2"_s.arg(hubName(), groupNames().constFirst()));
    return url;
}

} // namespace wps::ui
