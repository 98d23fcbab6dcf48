// LiveClient's refused upgrades: the status read from QWebSocket's error, the service's answer read by a
// HandshakeProbe replay, and the `refused` trace row and reason in the user's words
// (docs/live-clients.md "Refused handshakes").

#include "live/liveclient.h"
#include "live/livelogging.h"

#include <QMetaMethod>
#include <QRegularExpression>
#include <QWebSocket>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

QString LiveClient::userError(const QString &text)
{
    // Qt's texts name its private classes ("QWebSocketPrivate::processHandshake: ..."): keep the words.
    static const QRegularExpression prefix(u"^Q[A-Za-z]*Private::[A-Za-z]+:\\s*"_s);
    QString out = text;
    out.remove(prefix);
    return out;
}

QString LiveClient::refusalWords(int status)
{
    switch (status) {
    case 400:
        return tr("the service rejected the connection request");
    case 401:
        return tr("the access token was refused (missing, invalid, expired or made for another hub)");
    case 403:
        return tr("the connection is forbidden");
    case 404:
        return tr("there is no hub endpoint at this URL");
    case 426:
        return tr("the service wants another WebSocket version");
    case 429:
        return tr("too many connections or requests");
    default:
        break;
    }
    if (status >= 500)
        return tr("the service could not accept the connection (a connect event handler that fails gives "
                  "this)");
    return tr("the service refused the connection");
}

void LiveClient::handleRefusal(QWebSocket *socket, int status, const QString &phrase)
{
    m_refusedStatus = status;
    const QPointer<QWebSocket> guard(socket);
    const bool known = m_lastRefusal && m_lastRefusal->status == status;
    if (m_settings.refusalProbeTimeout.count() <= 0 || known) {
        // No replay (turned off, or this run already read the answer to this status): conclude once
        // QWebSocket's own error handling has finished.
        QTimer::singleShot(0, this, [this, guard, status, phrase, known] {
            if (guard && guard == m_socket)
                concludeRefusal(status, phrase, known ? &*m_lastRefusal : nullptr);
        });
        return;
    }
    QStringList subprotocols;
    if (m_protocol != Subprotocol::None)
        subprotocols << subprotocolName(m_protocol);
    auto *probe =
        new HandshakeProbe(m_openUrl, subprotocols, int(m_settings.refusalProbeTimeout.count()), this);
    m_probe = probe;
    connect(probe, &HandshakeProbe::finished, this, [this, probe, guard, status, phrase] {
        probe->deleteLater();
        if (probe != m_probe.data())
            return;
        m_probe = nullptr;
        if (!guard || guard != m_socket)
            return; // stopped, or another socket took over meanwhile
        if (probe->answer().status == status)
            m_lastRefusal = probe->answer();
        concludeRefusal(status, phrase, &probe->answer());
    });
    qCInfo(lcLive) << m_name << "upgrade refused with" << status << "- reading the service's answer";
    probe->start();
}

void LiveClient::concludeRefusal(int status, const QString &phrase, const HandshakeAnswer *answer)
{
    m_refusalPending = false;
    const bool same = answer && answer->status == status;
    const QString serviceReason = same ? redact(HandshakeProbe::reasonFromBody(answer->body)) : QString();
    QString text = tr("Refused: HTTP %1").arg(status);
    if (!phrase.isEmpty())
        text += u" ("_s + phrase + u')';
    text += u" — "_s + (serviceReason.isEmpty() ? refusalWords(status) : serviceReason);
    m_refusalReason = text;

    QByteArray preview = "HTTP/1.1 " + QByteArray::number(status) + ' ' +
                         (same ? answer->statusText : phrase.toUtf8()) + "\r\n";
    if (same) {
        for (const auto &[name, value] : answer->headers)
            preview += name + ": " + value + "\r\n";
        preview += "\r\n" + redact(QString::fromUtf8(answer->body)).toUtf8();
    } else {
        preview += "\r\n";
    }
    if (isSignalConnected(QMetaMethod::fromSignal(&LiveClient::frameObserved))) {
        FrameRecord record;
        record.direction = FrameRecord::Direction::Event;
        record.subprotocol = m_protocol;
        record.type = u"refused"_s;
        record.size = same ? answer->bodySize : 0;
        record.preview = preview;
        record.connectionId = m_connectionId;
        record.status = status;
        record.detail = text;
        Q_EMIT frameObserved(record);
    }
    qCInfo(lcLive).noquote() << m_name << text;
    if (m_socket)
        onGone();
}

} // namespace wps::live
