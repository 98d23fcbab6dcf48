#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QUrl>

namespace wps::jwt {

/// Signs \a claims as a compact HS256 JWT (`{"alg":"HS256","typ":"JWT"}`) with \a key, which for Web PubSub
/// is the UTF-8 bytes of the access key string (not base64-decoded).
QByteArray signHs256(const QJsonObject &claims, const QByteArray &key);

struct VerifyOptions
{
    /// The instant to check `exp` and `nbf` against; invalid means now.
    QDateTime now;
    /// Tolerance for clock differences, applied to `exp` and `nbf`.
    qint64 clockSkewSeconds = 300;
};

/// Why a token was refused. Messages are safe to show and log: they never contain the token or key.
struct VerifyError
{
    enum class Kind { Malformed, UnsupportedAlgorithm, BadSignature, Expired, NotYetValid };
    Kind kind;
    QString message;
};

/// Verifies an HS256 token against any of \a keys (primary and secondary access key) and checks its
/// lifetime. Returns the claims; the audience is the caller's to check (see audienceMatches()).
Expected<QJsonObject, VerifyError> verifyHs256(QByteArrayView token, const QList<QByteArray> &keys,
                                               const VerifyOptions &options = {});

/// Decodes header and claims without checking anything: for display (token inspector, traces).
Expected<QJsonObject, QString> decodeClaimsUnverified(QByteArrayView token);

/// True when a REST token's `aud` names \a requestUrl, leniently as the service allows
/// (docs/protocol.md#access-key-jwt, docs/protocol.md#emulator-fidelity): same host (case-insensitive) and
/// port, scheme any of http/https/ws/wss, same path (percent-decoded once; a trailing '/' is allowed), the
/// query ignored. With \a allowSubPath an audience that is a parent path of the request also matches
/// (Microsoft's emulator does this for REST).
bool audienceMatches(const QString &audience, const QUrl &requestUrl, bool allowSubPath = false);

/// Compares two secrets (signatures, MACs) in time independent of where they differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

/// Collects the `aud` claim, which may be a string or an array of strings.
QStringList audiences(const QJsonObject &claims);

} // namespace wps::jwt
