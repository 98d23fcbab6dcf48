#pragma once

#include "common/expected.h"

#include <QString>
#include <QUrl>

namespace wps {

/// A Web PubSub connection string: `Endpoint=https://x.webpubsub.azure.com;AccessKey=...;Version=1.0;`.
///
/// Parsed as the official SDKs do (docs/protocol.md#connection-strings): keys are case-insensitive, values
/// split on the first '=', `Port` overrides the endpoint's port, a trailing '/' is trimmed, unknown keys are
/// ignored. Error messages name the offending part but never echo the access key.
class ConnectionString
{
public:
    /// Parses \a text. On failure the error says which part is wrong (never containing the key).
    static Expected<ConnectionString, QString> parse(QStringView text);

    ConnectionString() = default;
    ConnectionString(QUrl endpoint, QString accessKey);

    /// Scheme, host, port and optional path prefix; never a trailing '/'.
    QUrl endpoint() const { return m_endpoint; }
    /// The access key as written (its UTF-8 bytes are the HMAC secret). Empty for Entra ID profiles.
    QString accessKey() const { return m_accessKey; }
    bool hasAccessKey() const { return !m_accessKey.isEmpty(); }

    /// `{endpoint}` with the given path appended, e.g. `/api/hubs/chat/:send`.
    QUrl resolve(QStringView path) const;
    /// The endpoint with http→ws and https→wss: the base of client WebSocket URLs.
    QUrl webSocketEndpoint() const;

    /// The canonical text `Endpoint=...;AccessKey=...;Version=1.0;`. Contains the secret: never log it.
    QString toString() const;
    /// The same text with the key replaced by `***`: safe for logs and traces.
    QString toRedactedString() const;

private:
    QUrl m_endpoint;
    QString m_accessKey;
};

} // namespace wps
