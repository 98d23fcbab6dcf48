#include "live/reliablesession.h"

#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

bool ReliableSession::accept(quint64 sequenceId)
{
    if (sequenceId <= m_largestSequenceId) {
        ++m_duplicatesDropped;
        return false;
    }
    m_largestSequenceId = sequenceId;
    ++m_unackedCount;
    return true;
}

std::optional<quint64> ReliableSession::sequenceAckDue() const
{
    if (m_largestSequenceId <= m_ackedSequenceId)
        return std::nullopt;
    return m_largestSequenceId;
}

void ReliableSession::acknowledged(quint64 sequenceId)
{
    m_ackedSequenceId = sequenceId;
    m_unackedCount = 0;
}

void ReliableSession::resetSequence()
{
    m_largestSequenceId = 0;
    m_ackedSequenceId = 0;
    m_unackedCount = 0;
}

void ReliableSession::updateReconnectionToken(const QString &token)
{
    if (!token.isEmpty())
        m_reconnectionToken = token;
}

QUrl ReliableSession::recoveryUrl(const QUrl &url, const QString &connectionId) const
{
    QUrl out = url;
    QUrlQuery query(out);
    query.removeAllQueryItems(u"awps_connection_id"_s);
    query.removeAllQueryItems(u"awps_reconnection_token"_s);
    query.addQueryItem(u"awps_connection_id"_s, QString::fromUtf8(QUrl::toPercentEncoding(connectionId)));
    query.addQueryItem(u"awps_reconnection_token"_s,
                       QString::fromUtf8(QUrl::toPercentEncoding(m_reconnectionToken)));
    out.setQuery(query);
    return out;
}

} // namespace wps::live
