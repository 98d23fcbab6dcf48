#include "auth/tokencredential.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace wps::auth {

TokenRequest::TokenRequest(QObject *parent)
    : QObject(parent)
{
}

void TokenRequest::finish(TokenResult result)
{
    if (m_finished || m_pending)
        return;
    m_pending = true;
    m_result = std::move(result);
    // Always deferred: finished() never fires inside the call that started the request.
    QTimer::singleShot(0, this, [this] {
        m_finished = true;
        Q_EMIT finished();
    });
}

TokenCredential::~TokenCredential() = default;

QString scopeToResource(const QString &scope)
{
    if (scope.endsWith(u"/.default"_s))
        return scope.left(scope.size() - 9);
    return scope;
}

QDateTime refreshTimeFor(const QDateTime &now, const QDateTime &expiresOn)
{
    const qint64 lifetime = now.secsTo(expiresOn);
    if (lifetime < 600)
        return now.addSecs(qMax<qint64>(lifetime / 2, 0));
    return expiresOn.addSecs(-300);
}

} // namespace wps::auth
