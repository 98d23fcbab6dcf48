#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpServer>

namespace wps::test {

/// A loopback HTTP server that plays a script of faults: answers with chosen statuses (429/503 with
/// Retry-After, 500, ...), hangs without answering, or drops the connection. It produces faults the
/// emulator cannot produce on demand, without mocking any of our own client code (docs/style.md rule 22).
class FaultServer : public QObject
{
    Q_OBJECT
public:
    struct Response
    {
        enum class Action { Answer, Hang, Drop };
        Action action = Action::Answer;
        int status = 200;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;

        static Response answer(int status, QByteArray body = {},
                               QList<QPair<QByteArray, QByteArray>> headers = {});
        static Response hang();
        static Response drop();
    };

    explicit FaultServer(QObject *parent = nullptr);

    /// Listens on 127.0.0.1, port 0. Returns the port.
    quint16 listen();
    quint16 port() const { return m_server.serverPort(); }

    /// Responses are played in order; once the script is used up, the default response is given.
    void enqueue(const Response &response) { m_script.append(response); }
    void setDefault(const Response &response) { m_default = response; }

    int requestCount() const { return m_requests.size(); }
    /// TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests).
    int connectionCount() const { return m_connectionCount; }
    /// Each request's head (request line and headers) as received.
    const QList<QByteArray> &requests() const { return m_requests; }
    /// Each request's body (Content-Length bytes), parallel to requests().
    const QList<QByteArray> &bodies() const { return m_bodies; }

Q_SIGNALS:
    void requestReceived(int count);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    QList<Response> m_script;
    Response m_default;
    QList<QByteArray> m_requests;
    QList<QByteArray> m_bodies;
    int m_connectionCount = 0;
};

} // namespace wps::test
