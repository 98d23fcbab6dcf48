#include "faultserver.h"

#include <QTcpSocket>

namespace wps::test {

FaultServer::Response FaultServer::Response::answer(int status, QByteArray body,
                                                    QList<QPair<QByteArray, QByteArray>> headers)
{
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

FaultServer::Response FaultServer::Response::hang()
{
    Response r;
    r.action = Action::Hang;
    return r;
}

FaultServer::Response FaultServer::Response::drop()
{
    Response r;
    r.action = Action::Drop;
    return r;
}

FaultServer::FaultServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultServer::onNewConnection);
}

quint16 FaultServer::listen()
{
    m_server.listen(QHostAddress::LocalHost, 0);
    return m_server.serverPort();
}

void FaultServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        ++m_connectionCount;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void FaultServer::onReadyRead(QTcpSocket *socket)
{
    // Test support only: a request is complete once its head and Content-Length bytes of body arrived.
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            break;
        const QByteArray head = buffer.left(headEnd);
        qsizetype contentLength = 0;
        for (const QByteArray &line : head.split('\n')) {
            const QByteArray l = line.trimmed();
            if (l.toLower().startsWith("content-length:"))
                contentLength = l.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < headEnd + 4 + contentLength)
            break;
        m_bodies.append(buffer.mid(headEnd + 4, contentLength));
        buffer.remove(0, headEnd + 4 + contentLength);
        m_requests.append(head);

        const Response response = m_script.isEmpty() ? m_default : m_script.takeFirst();
        Q_EMIT requestReceived(m_requests.size());
        switch (response.action) {
        case Response::Action::Hang:
            socket->setProperty("buffer", buffer);
            return;
        case Response::Action::Drop:
            socket->abort();
            return;
        case Response::Action::Answer:
            break;
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Status\r\n";
        for (const auto &[name, value] : response.headers)
            out += name + ": " + value + "\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n" + response.body;
        socket->write(out);
    }
    socket->setProperty("buffer", buffer);
}

} // namespace wps::test
