#pragma once

// A loopback event handler for invocation tests (header only): answers every POST /shout with the body in
// capitals (text/plain), any other POST with 500, and the abuse-protection OPTIONS with its allow header.
// emulatorConfig() is an emulator config whose hub sends every user event to it.
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>

#include <gtest/gtest.h>

namespace wps::test {

class ShoutHandler
{
public:
    ShoutHandler()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onRead(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
                    m_buffers.remove(socket);
                    socket->deleteLater();
                });
            }
        });
        EXPECT_TRUE(m_server.listen(QHostAddress::LocalHost, 0));
    }
    quint16 port() const { return m_server.serverPort(); }

    /// `{"hubs":{"<hub>":{"eventHandlers":[{"urlTemplate":"http://127.0.0.1:<port>/{event}",
    /// "userEventPattern":"*"}]}}}`.
    QByteArray emulatorConfig(const QString &hub) const
    {
        const QJsonObject handler{
            {QStringLiteral("urlTemplate"), QStringLiteral("http://127.0.0.1:%1/{event}").arg(port())},
            {QStringLiteral("userEventPattern"), QStringLiteral("*")}};
        const QJsonObject hubConfig{{QStringLiteral("eventHandlers"), QJsonArray{handler}}};
        return QJsonDocument(QJsonObject{{QStringLiteral("hubs"), QJsonObject{{hub, hubConfig}}}}).toJson();
    }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (int guard = 0; guard < 100; ++guard) { // bounded: the requests that are complete
            const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QByteArray head = buffer.left(headEnd);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buffer.size() < headEnd + 4 + length)
                return;
            const QByteArray body = buffer.mid(headEnd + 4, length);
            buffer.remove(0, headEnd + 4 + length);
            if (!head.startsWith("POST"))
                socket->write("HTTP/1.1 200 OK\r\nWebHook-Allowed-Origin: *\r\nContent-Length: 0\r\n\r\n");
            else if (head.startsWith("POST /shout "))
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                              QByteArray::number(body.size()) + "\r\n\r\n" + body.toUpper());
            else
                socket->write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
        }
    }

    // Declared first, destroyed last: the server's sockets report their disconnection while it goes.
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QTcpServer m_server;
};

} // namespace wps::test
