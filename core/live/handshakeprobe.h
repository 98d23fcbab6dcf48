#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

class QTcpSocket;

namespace wps::live {

/// The HTTP answer to a WebSocket upgrade that was not 101: what QWebSocket (Qt 6.4) does not expose.
struct HandshakeAnswer
{
    int status = 0;        ///< 0 when no answer could be read
    QByteArray statusText; ///< the reason phrase ("Unauthorized")
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;     ///< at most HandshakeProbe::maxBodyBytes
    qint64 bodySize = 0; ///< Content-Length when given, else the bytes read
    QString error;       ///< why no answer was read (network error, timeout); empty otherwise
};

/// Replays a refused WebSocket upgrade once over a plain TCP (or TLS) socket to read the service's answer
/// in full -- status line, headers and body -- because QWebSocket 6.4 only reports "Unhandled http status
/// code: N (text)" and drops the body, where the service writes why it refused (docs/live-clients.md,
/// "Refused handshakes"). The request is the upgrade QWebSocket sent: the same URL (token included), a fresh
/// Sec-WebSocket-Key and the same subprotocols. An answer of 101 (the service accepts this time) is closed
/// at once. Reports finished() exactly once, after start() returned. Never logs the URL's query.
class HandshakeProbe : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype maxBodyBytes = 16 * 1024;

    HandshakeProbe(QUrl url, QStringList subprotocols, int timeoutMs, QObject *parent = nullptr);
    ~HandshakeProbe() override;

    void start();
    const HandshakeAnswer &answer() const { return m_answer; }

    /// The service's reason from an answer body: a JSON `message` (or `error`, `error.message`) member, else
    /// the text itself on one line (bounded); empty for an empty or binary body.
    static QString reasonFromBody(const QByteArray &body);

Q_SIGNALS:
    void finished();

private:
    void onReadyRead();
    void finish(const QString &error = {});
    bool parseHead();

    QUrl m_url;
    QStringList m_subprotocols;
    QPointer<QTcpSocket> m_socket;
    QTimer m_timeout;
    QByteArray m_buffer;
    bool m_headDone = false;
    qint64 m_contentLength = -1;
    bool m_finished = false;
    HandshakeAnswer m_answer;
};

} // namespace wps::live
