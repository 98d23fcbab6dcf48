// TokenPanel's "Connect with this URL": the pasted URL (or token on the current hub) opened as one of the
// session's live clients, WebSocket or MQTT, and the handshake's answer shown next to the button.
#include "live/liveclient.h"
#include "live/mqttclient.h"
#include "panels/common/jobaction.h"
#include "panels/token/tokenpanel.h"
#include "protocol/jwt.h"
#include "protocol/tokencheck.h"
#include "session/consolesession.h"

#include <QDateTime>
#include <QLabel>
#include <QUrlQuery>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

QUrl TokenPanel::connectUrl() const
{
    if (m_token.isEmpty())
        return {};
    if (!m_inspectedUrl.isEmpty())
        return m_inspectedUrl;
    QUrl url = targetClientUrl();
    if (url.isEmpty())
        return {};
    QUrlQuery query;
    query.addQueryItem(u"access_token"_s, QString::fromLatin1(m_token));
    url.setQuery(query);
    return url;
}

bool TokenPanel::connectWithUrl()
{
    const QUrl url = connectUrl();
    if (url.isEmpty()) {
        showOutcome(m_connectResult, Outcome::Failure,
                    m_token.isEmpty()
                        ? tr("Paste a client URL or a token first.")
                        : tr("Not connected: paste a whole client URL (wss://…/client/hubs/<hub>?"
                             "access_token=…), or connect to the service the token is for."));
        return false;
    }
    if (!m_session) {
        showOutcome(m_connectResult, Outcome::Failure, tr("No session."));
        return false;
    }
    const QString hub = wps::tokencheck::audienceHub(url.toString(QUrl::RemoveQuery));
    if (url.path().startsWith(u"/clients/mqtt/"_s))
        return connectMqtt(url, hub.isEmpty() ? m_session->hub() : hub);
    auto *client = new wps::live::LiveClient(url, wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings settings = client->settings();
    settings.autoReconnect = false; // the handshake's answer is the point: a refusal ends the client
    client->setSettings(settings);
    client->setName(tr("pasted URL"));
    const quint64 attempt = ++m_connectAttempt;
    const QString shown = wps::live::LiveClient::redactedUrl(url).toString();
    showOutcome(m_connectResult, Outcome::Neutral, tr("Connecting to %1…").arg(shown));
    connect(client, &wps::live::LiveClient::connected, this,
            [this, attempt](const QString &connectionId, const QString &userId) {
                if (attempt != m_connectAttempt)
                    return;
                showOutcome(m_connectResult, Outcome::Success,
                            tr("Connected: connection %1, user %2. It is in the Live clients dock.")
                                .arg(connectionId, userId.isEmpty() ? tr("(anonymous)") : userId));
                Q_EMIT connectFinished(true, m_connectResult->text());
            });
    connect(client, &wps::live::LiveClient::disconnected, this, [this, attempt, client](const QString &why) {
        if (attempt != m_connectAttempt || !client->connectionId().isEmpty())
            return;
        QString text = tr("Refused: %1").arg(why);
        // Say what the decoder knows about why, next to what the service answered.
        if (const QUrl target = targetClientUrl(); !target.isEmpty() && !m_claims.isEmpty()) {
            const auto verdict = wps::tokencheck::checkClientAudience(jwt::audiences(m_claims), target);
            if (!verdict.ok)
                text += u' ' + verdict.message;
        }
        showOutcome(m_connectResult, Outcome::Failure, text);
        Q_EMIT connectFinished(false, text);
    });
    m_session->openLiveClient(client, hub.isEmpty() ? m_session->hub() : hub);
    return true;
}

bool TokenPanel::connectMqtt(const QUrl &url, const QString &hub)
{
    // An MQTT URL is opened by an MQTT 3.1.1 client (subprotocol `mqtt`); the client ID is the connection ID
    // and must be letters and digits only.
    wps::live::MqttLiveClient::Settings settings;
    settings.clientId = u"console%1"_s.arg(QDateTime::currentMSecsSinceEpoch() % 1000000000);
    auto *client = new wps::live::MqttLiveClient(url, settings);
    const quint64 attempt = ++m_connectAttempt;
    const QString shown = wps::live::LiveClient::redactedUrl(url).toString();
    showOutcome(m_connectResult, Outcome::Neutral, tr("Connecting an MQTT client to %1…").arg(shown));
    connect(client, &wps::live::MqttLiveClient::connected, this, [this, attempt](const QString &clientId) {
        if (attempt != m_connectAttempt)
            return;
        showOutcome(m_connectResult, Outcome::Success,
                    tr("Connected: MQTT client %1. It is in the Live clients dock, under MQTT clients.")
                        .arg(clientId));
        Q_EMIT connectFinished(true, m_connectResult->text());
    });
    auto wasConnected = std::make_shared<bool>(false);
    connect(client, &wps::live::MqttLiveClient::connected, this, [wasConnected] { *wasConnected = true; });
    connect(client, &wps::live::MqttLiveClient::disconnected, this,
            [this, attempt, wasConnected](const QString &why) {
                if (attempt != m_connectAttempt || *wasConnected)
                    return;
                const QString text = tr("Refused: %1").arg(why);
                showOutcome(m_connectResult, Outcome::Failure, text);
                Q_EMIT connectFinished(false, text);
            });
    m_session->openMqttClient(client, hub, m_claims.value(u"sub"_s).toString());
    return true;
}

} // namespace wps::ui
