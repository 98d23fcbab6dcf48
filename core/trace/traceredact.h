#pragma once

#include <QByteArray>
#include <QString>

namespace wps::trace {

/// Masks secrets in trace text or bytes with `***`, so the store never holds one (issue part 2): JWTs
/// (`eyJ...`), `name=value` pairs and JSON `"name": "value"` members whose name looks secret (access_token,
/// awps_reconnection_token, reconnectionToken, any *token, *key, sig/signature, *secret, password),
/// `Authorization`/cookie header lines and `Bearer` credentials. Works on raw bytes, so it is safe for
/// binary (protobuf) payloads too, and it is idempotent. It is a single pass over the bytes that copies
/// only when something is masked: cheap enough to run on every ingested event.
QByteArray redactSecrets(const QByteArray &bytes);
/// The same for a string (URLs, close reasons, error texts).
QString redactSecrets(const QString &text);

} // namespace wps::trace
