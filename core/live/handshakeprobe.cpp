#include "live/handshakeprobe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTcpSocket>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

HandshakeProbe::HandshakeProbe(QUrl url, QStringList subprotocols, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_subprotocols(std::move(subprotocols))
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(std::max(1, timeoutMs));
    connect(&m_timeout, &QTimer::timeout, this, [this] { finish(tr("No answer in time.")); });
}

HandshakeProbe::~HandshakeProbe()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void HandshakeProbe::start()
{
    const bool tls = m_url.scheme() == u"wss"_s || m_url.scheme() == u"https"_s;
    QTcpSocket *socket = nullptr;
    if (tls) {
        if (!QSslSocket::supportsSsl()) {
            QTimer::singleShot(0, this, [this] { finish(tr("TLS is not available.")); });
            return;
        }
        socket = new QSslSocket(this);
    } else {
        socket = new QTcpSocket(this);
    }
    m_socket = socket;
    const quint16 port = quint16(m_url.port(tls ? 443 : 80));
    QByteArray target = m_url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (m_url.hasQuery())
        target += '?' + m_url.query(QUrl::FullyEncoded).toUtf8();
    QByteArray key(16, Qt::Uninitialized);
    for (char &c : key)
        c = char(QRandomGenerator::global()->bounded(256));
    QByteArray host = m_url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (m_url.port() > 0)
        host += ':' + QByteArray::number(m_url.port());
    QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                         "Sec-WebSocket-Key: " +
                         key.toBase64() + "\r\n";
    if (!m_subprotocols.isEmpty())
        request += "Sec-WebSocket-Protocol: " + m_subprotocols.join(u", "_s).toUtf8() + "\r\n";
    request += "\r\n";

    connect(socket, &QTcpSocket::readyRead, this, &HandshakeProbe::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        onReadyRead();
        finish(m_headDone ? QString() : tr("The service closed the connection without an answer."));
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // handled by disconnected()
        finish(m_socket ? m_socket->errorString() : QString());
    });
    m_timeout.start();
    if (tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        connect(ssl, &QSslSocket::encrypted, this, [ssl, request] { ssl->write(request); });
        ssl->connectToHostEncrypted(m_url.host(), port);
    } else {
        connect(socket, &QTcpSocket::connected, this, [socket, request] { socket->write(request); });
        socket->connectToHost(m_url.host(), port);
    }
}

bool HandshakeProbe::parseHead()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    m_buffer.remove(0, end + 4);
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    m_answer.status = statusLine.value(1).toInt();
    m_answer.statusText = statusLine.mid(2).join(' ');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (m_answer.headers.size() < 100)
            m_answer.headers.append({name, value});
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            m_contentLength = value.toLongLong();
    }
    m_headDone = true;
    return true;
}

void HandshakeProbe::onReadyRead()
{
    if (!m_socket || m_finished)
        return;
    m_buffer += m_socket->readAll();
    if (!m_headDone) {
        if (!parseHead()) {
            if (m_buffer.size() > 64 * 1024)
                finish(tr("The answer's headers are too long."));
            return;
        }
        if (m_answer.status == 101) { // accepted this time: nothing to read, leave at once
            finish();
            return;
        }
    }
    if (m_answer.body.size() < maxBodyBytes)
        m_answer.body += m_buffer.left(maxBodyBytes - m_answer.body.size());
    m_answer.bodySize += m_buffer.size();
    m_buffer.clear();
    if (m_contentLength >= 0 && m_answer.bodySize >= m_contentLength)
        finish();
    else if (m_contentLength < 0 && m_answer.body.size() >= maxBodyBytes)
        finish();
}

void HandshakeProbe::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    if (!m_headDone)
        m_answer.error = error.isEmpty() ? tr("No answer.") : error;
    if (m_contentLength > m_answer.bodySize)
        m_answer.bodySize = m_contentLength;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    // Always after start() returned: start() never finishes synchronously except through a timer.
    QTimer::singleShot(0, this, [this] { Q_EMIT finished(); });
}

QString HandshakeProbe::reasonFromBody(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(trimmed);
    if (document.isObject()) {
        const QJsonObject object = document.object();
        for (const QString &key : {u"message"_s, u"Message"_s, u"error_description"_s, u"error"_s}) {
            const QJsonValue value = object.value(key);
            if (value.isString() && !value.toString().isEmpty())
                return value.toString().left(500);
            if (value.isObject() && value.toObject().value(u"message"_s).isString())
                return value.toObject().value(u"message"_s).toString().left(500);
        }
    }
    const QString text = QString::fromUtf8(trimmed.left(500));
    if (text.contains(QChar::ReplacementCharacter))
        return {};
    return text.simplified();
}

} // namespace wps::live
