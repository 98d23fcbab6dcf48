#include "wsproxy.h"

#include <QTcpSocket>

#include <utility>

namespace wps::test {

WsProxy::WsProxy(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &WsProxy::onNewConnection);
}

WsProxy::~WsProxy()
{
    const QList<Pair *> pairs = m_pairs;
    m_pairs.clear();
    for (Pair *pair : pairs) {
        if (pair->client)
            pair->client->disconnect(this);
        if (pair->upstream)
            pair->upstream->disconnect(this);
        delete pair->client;
        delete pair->upstream;
        delete pair;
    }
}

quint16 WsProxy::listen(const QHostAddress &targetHost, quint16 targetPort)
{
    m_targetHost = targetHost;
    m_targetPort = targetPort;
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return m_server.serverPort();
}

int WsProxy::liveConnections() const
{
    return static_cast<int>(m_pairs.size());
}

void WsProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *pair = new Pair;
        pair->client = client;
        client->setParent(this);
        auto *upstream = new QTcpSocket(this);
        pair->upstream = upstream;
        m_pairs.append(pair);
        ++m_accepted;

        connect(client, &QTcpSocket::readyRead, this, [pair, client] {
            const QByteArray bytes = client->readAll();
            if (pair->upstream && pair->upstream->state() == QAbstractSocket::ConnectedState)
                pair->upstream->write(bytes);
            else
                pair->pendingToUpstream += bytes;
        });
        connect(upstream, &QTcpSocket::connected, this, [pair, upstream] {
            if (!pair->pendingToUpstream.isEmpty())
                upstream->write(std::exchange(pair->pendingToUpstream, {}));
        });
        connect(upstream, &QTcpSocket::readyRead, this, [pair, upstream] {
            const QByteArray bytes = upstream->readAll();
            if (pair->client)
                pair->client->write(bytes);
        });
        connect(client, &QTcpSocket::disconnected, this, [this, pair] { closePair(pair); });
        connect(upstream, &QTcpSocket::disconnected, this, [this, pair] { closePair(pair); });
        connect(upstream, &QTcpSocket::errorOccurred, this, [this, pair, upstream] {
            if (upstream->state() != QAbstractSocket::ConnectedState)
                closePair(pair);
        });
        upstream->connectToHost(m_targetHost, m_targetPort);
        Q_EMIT connectionAccepted(m_accepted);
    }
}

void WsProxy::closePair(Pair *pair)
{
    // One side went away: let the other side flush what it has, then close it too.
    if (!m_pairs.removeOne(pair))
        return;
    for (QTcpSocket *socket : {pair->client.data(), pair->upstream.data()}) {
        if (!socket)
            continue;
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState)
            socket->disconnectFromHost();
        socket->deleteLater();
    }
    delete pair;
}

int WsProxy::cutAll()
{
    const QList<Pair *> pairs = m_pairs;
    m_pairs.clear();
    for (Pair *pair : pairs) {
        for (QTcpSocket *socket : {pair->client.data(), pair->upstream.data()}) {
            if (!socket)
                continue;
            socket->disconnect(this);
            socket->abort();
            socket->deleteLater();
        }
        delete pair;
    }
    m_cuts += static_cast<int>(pairs.size());
    return static_cast<int>(pairs.size());
}

} // namespace wps::test
