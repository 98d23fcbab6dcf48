#pragma once

#include "emulator/config.h"
#include "emulator/entra.h"
#include "emulator/httpserver.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace wps::emulator {

/// What the ARM API needs from the emulator it belongs to. Keys are secrets: they only leave through
/// listKeys / regenerateKey answers.
struct ArmHooks
{
    /// The primary key, then the secondary (empty when there is none).
    std::function<QPair<QString, QString>()> keys;
    /// Replaces the primary (\a primary true) or secondary key with a new random one, at once.
    std::function<void(bool primary)> regenerate;
};

/// The Azure Resource Manager paths of Microsoft.SignalRService/webPubSub for the emulator's own hubs
/// (docs/arm.md), so the console's Hubs panel has one code path for Azure and local hubs: one pseudo
/// subscription and resource, any subscription and resource-group names in paths, hub settings that are
/// the emulator's live HubSettings (a PUT changes event handlers and the anonymous policy at once), and
/// listKeys / regenerateKey over the emulator's own keys. Errors have ARM's `{"error": {code, message}}`
/// shape. Authentication: an Entra ID token for https://management.azure.com validated with the config's
/// entraId section, or an HS256 token signed with a current access key (local convenience).
class ArmApi
{
public:
    /// \a config is the emulator's live configuration and must outlive this object.
    ArmApi(EmulatorConfig &config, ArmHooks hooks);

    /// True for paths this API answers: `/subscriptions` and below.
    static bool handles(QByteArrayView path);

    /// Answers one request. \a fallbackHost (host:port) is used when the request has no Host header.
    HttpResponse handle(const HttpRequest &request, const QByteArray &fallbackHost);

    /// Hub listings are cut into pages of this size (10 by default, so paging is always exercised) with a
    /// nextLink.
    void setPageSize(int size) { m_pageSize = size; }

    /// The pseudo subscription's id and the resource's name and group as listings report them.
    static QString subscriptionId();
    static QString resourceName();
    static QString resourceGroup();

private:
    /// Refuses a request without a valid access-key JWT for its URL or an Entra ID token whose ARM role
    /// allows it (401/403 in ARM's shape, docs/arm.md); listing subscriptions needs no role.
    std::optional<HttpResponse> authenticate(const HttpRequest &request, const QString &host,
                                             bool listingSubscriptions) const;
    HttpResponse route(const HttpRequest &request, const QStringList &segments, const QString &host,
                       const QString &apiVersion);
    HttpResponse hubRequest(const HttpRequest &request, const QString &resourceId, const QString &hub,
                            const QString &host, const QString &apiVersion);
    HttpResponse listHubs(const QString &resourceId, const QString &host, const QString &apiVersion,
                          int skip) const;
    HttpResponse keysResponse(const QString &host) const;
    /// POST .../regenerateKey: a new primary or secondary key (Salt changes nothing here), then the keys.
    HttpResponse regenerateKey(const HttpRequest &request, const QString &host);

    EmulatorConfig &m_config;
    ArmHooks m_hooks;
    std::shared_ptr<const EntraValidator> m_entra;
    int m_pageSize = 10;
};

} // namespace wps::emulator
