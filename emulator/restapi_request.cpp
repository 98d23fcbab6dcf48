// The REST API's shared request handling (emulator/restapi_p.h): query parameters, the service's error
// answers and the parameter checks every operation uses.

#include "emulator/hubstate.h"
#include "emulator/restapi_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::rest {

namespace {

/// The ASP.NET validation-problem document the service sends for an invalid filter
/// (docs/protocol.md#error-model).
HttpResponse filterError(const QString &filterText, const filter::ParseError &error)
{
    QString detail = error.message;
    if (!detail.endsWith(u'.'))
        detail += u'.';
    const QString message = u"Invalid syntax for '%1': %2 (Parameter 'filter')"_s.arg(filterText, detail);
    HttpResponse response;
    response.status = 400;
    response.body = QJsonDocument(QJsonObject{{u"code"_s, u"Error.BadRequest"_s},
                                              {u"message"_s, message},
                                              {u"target"_s, u"Filter"_s},
                                              {u"errors"_s, QJsonObject{{u"Filter"_s, QJsonArray{message}}}},
                                              {u"type"_s, QJsonValue::Null},
                                              {u"title"_s, u"One or more validation errors occurred."_s},
                                              {u"status"_s, 400},
                                              {u"detail"_s, QJsonValue::Null},
                                              {u"instance"_s, QJsonValue::Null},
                                              {u"extensions"_s, QJsonObject()}})
                        .toJson(QJsonDocument::Compact);
    response.setHeader("Content-Type", "application/problem+json; charset=utf-8");
    response.setHeader("x-ms-error-code", "Error.BadRequest");
    return response;
}

} // namespace

Query::Query(QByteArrayView raw)
{
    for (QByteArrayView part : QByteArray(raw.toByteArray()).split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArrayView key = eq < 0 ? part : part.first(eq);
        const QByteArrayView value = eq < 0 ? QByteArrayView() : part.sliced(eq + 1);
        m_items.append({QUrl::fromPercentEncoding(key.toByteArray()).toLower(),
                        QUrl::fromPercentEncoding(value.toByteArray())});
    }
}

std::optional<QString> Query::value(const QString &name) const
{
    for (const auto &[key, value] : m_items)
        if (key == name.toLower())
            return value;
    return std::nullopt;
}

QStringList Query::values(const QString &name) const
{
    QStringList result;
    for (const auto &[key, value] : m_items)
        if (key == name.toLower())
            result << value;
    return result;
}

HttpResponse errorResponse(int status, const QString &code, const QString &message, const QString &target)
{
    HttpResponse response = HttpResponse::json(status, QJsonObject{{u"code"_s, code},
                                                                   {u"message"_s, message},
                                                                   {u"target"_s, target},
                                                                   {u"details"_s, QJsonValue::Null},
                                                                   {u"inner"_s, QJsonValue::Null}});
    response.setHeader("x-ms-error-code", code.toLatin1());
    return response;
}

HttpResponse badRequest(const QString &message, const QString &target)
{
    return errorResponse(400, u"Error.BadRequest"_s, message, target);
}

HttpResponse notExisted(int status, const QString &code, const QString &kind, const QString &id)
{
    return errorResponse(status, code, u"%1 `%2` is not found."_s.arg(kind, id), kind);
}

std::optional<HttpResponse> checkName(const QString &error, const QString &target)
{
    if (error.isEmpty())
        return std::nullopt;
    return badRequest(error, target);
}

HttpResponse existsCheck(Call &call, const QString &param, QString (*check)(const QString &),
                         bool (*exists)(const HubState &hub, const QString &id), const QString &kind)
{
    const QString id = call.param(param);
    if (auto error = checkName(check(id), param))
        return *error;
    if (exists(call.hub, id))
        return HttpResponse::empty(200);
    return notExisted(404, u"Warning.%1.NotExisted"_s.arg(kind), kind, id);
}

std::optional<HttpResponse> parseIntParam(const Query &query, const QString &name, qint64 min, qint64 max,
                                          std::optional<qint64> *out)
{
    const auto text = query.value(name);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const qint64 value = text->toLongLong(&ok);
    if (!ok || value < min || value > max)
        return badRequest(u"The value '%1' is not valid for %2: it must be an integer from %3 to %4."_s.arg(
                              text->left(64), name, QString::number(min), QString::number(max)),
                          name);
    *out = value;
    return std::nullopt;
}

std::optional<HttpResponse> parseFilter(const QString &text, std::optional<filter::Expression> *out)
{
    if (text.isEmpty())
        return std::nullopt;
    auto parsed = filter::Expression::parse(text);
    if (!parsed)
        return filterError(text, parsed.error());
    *out = *parsed;
    return std::nullopt;
}

bool matches(const std::optional<filter::Expression> &expression, const Connection &c)
{
    if (!expression)
        return true;
    filter::ConnectionFacts facts;
    facts.connectionId = c.id;
    facts.userId = c.userId;
    facts.groups = &c.groups;
    facts.protocol = c.protocol;
    return expression->matches(facts);
}

} // namespace wps::emulator::rest
