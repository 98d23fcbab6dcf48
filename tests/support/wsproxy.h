#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;

namespace wps::test {

/// A loopback TCP proxy: listens on 127.0.0.1 (port 0) and forwards bytes both ways to a target host:port.
/// cutAll() aborts both sides of every live connection, a real network fault the server knows nothing about
/// (docs/style.md rule 22). Live-client recovery and drop tests put it between the client and the server.
class WsProxy : public QObject
{
    Q_OBJECT
public:
    explicit WsProxy(QObject *parent = nullptr);
    ~WsProxy() override;

    /// Listens on 127.0.0.1, port 0, forwarding to \a targetHost:\a targetPort. Returns the port (0 on
    /// failure).
    quint16 listen(const QHostAddress &targetHost, quint16 targetPort);
    quint16 port() const { return m_server.serverPort(); }

    /// Aborts both sides of every connection open now (no close handshake: the peers see a reset).
    /// Returns how many connections were cut.
    int cutAll();
    /// Connections currently being forwarded.
    int liveConnections() const;
    /// Connections accepted since listen().
    int acceptedConnections() const { return m_accepted; }
    /// Total cuts made by cutAll().
    int cuts() const { return m_cuts; }

Q_SIGNALS:
    void connectionAccepted(int total);

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray pendingToUpstream; ///< client bytes that arrived before the upstream connected
    };
    void onNewConnection();
    void closePair(Pair *pair);

    QTcpServer m_server;
    QHostAddress m_targetHost;
    quint16 m_targetPort = 0;
    QList<Pair *> m_pairs;
    int m_accepted = 0;
    int m_cuts = 0;
};

} // namespace wps::test
