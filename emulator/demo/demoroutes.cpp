#include "emulator/demo/demoroutes.h"

#include "protocol/clienttoken.h"
#include "protocol/cloudevents.h"
#include "protocol/connectionstring.h"
#include "protocol/names.h"

#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcDemo, "wps.emulator.demo")

namespace wps::emulator {

namespace {

HttpResponse error(int status, const QString &code, const QString &message)
{
    return HttpResponse::json(status, QJsonObject{{u"code"_s, code}, {u"message"_s, message}});
}

/// Query parameters decoded once (a browser sends `+` for spaces in form-encoded queries).
QUrlQuery parseQuery(const QByteArray &query)
{
    QByteArray spaced = query;
    spaced.replace('+', "%20");
    return QUrlQuery(QString::fromUtf8(spaced));
}

QString queryValue(const QUrlQuery &query, const QString &name)
{
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

/// How long a negotiated demo token lives: long enough for a demo, short enough to be worthless later.
constexpr std::chrono::minutes kDemoTokenLifetime{10};

} // namespace

DemoRoutes::DemoRoutes(std::function<QList<QByteArray>()> keys)
    : m_keys(std::move(keys))
{
}

bool DemoRoutes::handles(const QByteArray &path)
{
    return path == "/demo" || path.startsWith("/demo/");
}

HttpResponse DemoRoutes::handle(const HttpRequest &request, const QByteArray &fallbackHost) const
{
    const QByteArray host = request.header("host").isEmpty() ? fallbackHost : request.header("host");
    if (request.path == "/demo" || request.path == "/demo/" || request.path == "/demo/chat") {
        if (request.method != "GET" && request.method != "HEAD")
            return error(405, u"Error.MethodNotAllowed"_s, u"Use GET."_s);
        return chatPage(request);
    }
    if (request.path == "/demo/negotiate") {
        if (request.method != "GET" && request.method != "POST")
            return error(405, u"Error.MethodNotAllowed"_s, u"Use GET or POST."_s);
        return negotiate(request, host);
    }
    if (request.path == "/demo/echo" || request.path.startsWith("/demo/echo/"))
        return echo(request);
    return error(404, u"Error.NotFound"_s, u"Nothing is served at this path."_s);
}

HttpResponse DemoRoutes::chatPage(const HttpRequest &) const
{
    QFile page(u":/wps/demo/chat.html"_s);
    if (!page.open(QIODevice::ReadOnly))
        return error(500, u"Error.Internal"_s, u"The demo page is missing from this build."_s);
    HttpResponse response;
    response.status = 200;
    response.body = page.readAll();
    response.setHeader("Content-Type", "text/html; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    // Everything the page needs is inline; the WebSocket goes back to the same host.
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                       "connect-src 'self' ws: wss:");
    return response;
}

HttpResponse DemoRoutes::negotiate(const HttpRequest &request, const QByteArray &host) const
{
    const QUrlQuery query = parseQuery(request.query);
    QString hub = queryValue(query, u"hub"_s);
    if (hub.isEmpty())
        hub = u"demo"_s;
    const QString userId = queryValue(query, u"userId"_s);
    const QString group = queryValue(query, u"group"_s);
    if (const QString why = names::checkHub(hub); !why.isEmpty())
        return error(400, u"Error.BadRequest"_s, why);
    if (!userId.isEmpty()) {
        if (const QString why = names::checkUserId(userId); !why.isEmpty())
            return error(400, u"Error.BadRequest"_s, why);
    }
    ClientTokenOptions options;
    options.userId = userId;
    options.lifetime = kDemoTokenLifetime;
    if (!group.isEmpty()) {
        if (const QString why = names::checkGroup(group); !why.isEmpty())
            return error(400, u"Error.BadRequest"_s, why);
        options.roles = {u"webpubsub.joinLeaveGroup."_s + group, u"webpubsub.sendToGroup."_s + group};
    }
    const QList<QByteArray> keys = m_keys();
    if (keys.isEmpty())
        return error(500, u"Error.Internal"_s, u"The emulator has no access key."_s);
    const ConnectionString connection(QUrl(u"http://"_s + QString::fromUtf8(host)),
                                      QString::fromUtf8(keys.first()));
    const ClientAccess access = makeClientAccess(connection, hub, options);
    qCDebug(lcDemo).noquote() << "negotiated a demo client URL for hub" << hub;
    return HttpResponse::json(200, QJsonObject{{u"url"_s, access.url.toString(QUrl::FullyEncoded)},
                                               {u"expiresAt"_s, access.expiresAt.toString(Qt::ISODate)}});
}

HttpResponse DemoRoutes::echo(const HttpRequest &request) const
{
    // Abuse protection (docs/protocol.md#abuse-protection): allow the origin that asks.
    if (request.method == "OPTIONS" || request.method == "GET") {
        HttpResponse response = HttpResponse::empty(200);
        const QByteArray origin = request.header("webhook-request-origin");
        response.setHeader("WebHook-Allowed-Origin", origin.isEmpty() ? QByteArray("*") : origin);
        return response;
    }
    if (request.method != "POST")
        return error(405, u"Error.MethodNotAllowed"_s, u"Use OPTIONS or POST."_s);
    const auto attributes = cloudevents::parseHeaders(request.headers);
    if (!attributes)
        return error(400, u"Error.BadRequest"_s, attributes.error());
    if (!cloudevents::verifySignature(request.header("ce-signature"), attributes->connectionId, m_keys()))
        return error(401, u"Error.Unauthorized"_s, u"The ce-signature does not match."_s);
    if (attributes->kind != cloudevents::EventKind::User)
        return HttpResponse::empty(204); // connect: accept with the token's identity; others: noted
    HttpResponse response;
    response.status = 200;
    response.body = request.body;
    const QByteArray type = request.header("content-type").toLower();
    if (type.startsWith("text/plain"))
        response.setHeader("Content-Type", "text/plain; charset=utf-8");
    else if (type.startsWith("application/json"))
        response.setHeader("Content-Type", "application/json");
    else
        response.setHeader("Content-Type", "application/octet-stream");
    return response;
}

} // namespace wps::emulator
