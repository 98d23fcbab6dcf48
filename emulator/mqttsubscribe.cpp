#include "emulator/mqttsession_p.h"
#include "protocol/names.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

void MqttSession::onSubscribe(const mqtt::Subscribe &subscribe)
{
    using namespace mqtt;
    const bool v5 = m_version == Version::V5;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    Suback suback;
    suback.packetId = subscribe.packetId;
    QStringList refusals;
    for (const Subscription &sub : subscribe.subscriptions) {
        quint8 code = sub.qos; // granted as asked; messages still go out at QoS 1 at most
        if (isSharedSubscription(sub.topicFilter))
            code = Reason::SharedSubscriptionsNotSupported;
        else if (hasWildcard(sub.topicFilter))
            code = Reason::WildcardSubscriptionsNotSupported;
        else if (!isValidTopicFilter(sub.topicFilter) || !names::checkGroup(sub.topicFilter).isEmpty())
            code = Reason::TopicFilterInvalid;
        else if (!hub.hasPermission(m_id, u"joinLeaveGroup"_s, sub.topicFilter))
            code = Reason::NotAuthorized;
        else if (hub.atGroupLimit(m_id, sub.topicFilter))
            code = Reason::QuotaExceeded; // the same cap as joinGroup (docs/emulator.md "Limits")
        if (code >= 0x80) {
            refusals << u"'%1': %2"_s.arg(sub.topicFilter.left(64), reasonName(code));
            suback.reasonCodes.append(v5 ? code : quint8(0x80));
            continue;
        }
        hub.addToGroup(m_id, sub.topicFilter);
        SubscriptionOptions options;
        options.qos = sub.qos;
        options.noLocal = sub.noLocal;
        options.identifier = subscribe.properties.subscriptionIdentifiers.value(0, 0);
        m_subscriptions.insert(sub.topicFilter, options);
        suback.reasonCodes.append(code);
    }
    if (!refusals.isEmpty()) {
        qCInfo(lcMqtt).noquote() << "SUBSCRIBE of" << m_id << "refused for" << refusals.join(u"; "_s);
        if (v5)
            suback.properties.reasonString = refusals.join(u"; "_s).left(1024);
    }
    send(suback);
}

void MqttSession::onUnsubscribe(const mqtt::Unsubscribe &unsubscribe)
{
    using namespace mqtt;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    Unsuback unsuback;
    unsuback.packetId = unsubscribe.packetId;
    for (const QString &filter : unsubscribe.topicFilters) {
        const Connection *self = hub.connection(m_id);
        const bool member = self && self->groups.contains(filter);
        quint8 code = member ? Reason::Success : Reason::NoSubscriptionExisted;
        if (member && !hub.hasPermission(m_id, u"joinLeaveGroup"_s, filter))
            code = Reason::NotAuthorized;
        if (code == Reason::Success) {
            hub.removeFromGroup(m_id, filter);
            m_subscriptions.remove(filter);
        }
        unsuback.reasonCodes.append(code);
    }
    send(unsuback);
}

} // namespace wps::emulator
