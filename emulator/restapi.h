#pragma once

#include "emulator/entra.h"
#include "emulator/httpserver.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace wps::emulator {

class HubRegistry;

/// The data-plane REST API of docs/protocol.md#operations (api-version 2024-12-01 and the four older GA
/// versions) over the hub state: routing, access-key JWT authentication, validation and the service's error
/// contract. Synchronous: every operation only touches in-memory state.
class RestApi
{
public:
    /// \a keys returns the access keys (primary, then secondary) tokens may be signed with.
    RestApi(HubRegistry &hubs, std::function<QList<QByteArray>()> keys);

    /// Answers a request whose path starts with /api. \a fallbackHost (host:port) is used when the request
    /// has no Host header.
    HttpResponse handle(const HttpRequest &request, const QByteArray &fallbackHost) const;

    /// Accepts Entra ID bearer tokens that \a validator admits (null: none, the default).
    void setEntraValidator(std::shared_ptr<const EntraValidator> validator)
    {
        m_entra = std::move(validator);
    }

    /// The value of the `api-supported-versions` header.
    static QByteArray supportedVersionsHeader();
    /// The version used when a request names none.
    static QString latestVersion();

private:
    /// Refuses a request without a valid Entra ID token or access-key JWT for its own URL (401/403).
    std::optional<HttpResponse> authorize(const HttpRequest &request, const QString &host,
                                          const QList<QByteArray> &keys) const;

    HubRegistry &m_hubs;
    std::function<QList<QByteArray>()> m_keys;
    std::shared_ptr<const EntraValidator> m_entra;
};

/// Decodes one raw path segment once, as Microsoft's emulator does (docs/protocol.md#paths-names-and-bodies):
/// `%XX` escapes are decoded except `%2F`, which stays as the three characters; `+` stays `+`.
QString decodePathSegment(QByteArrayView raw);

} // namespace wps::emulator
