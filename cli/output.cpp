#include "cli/output.h"

#include "trace/traceredact.h"

#include <QFileDevice>
#include <QIODevice>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

using service::ServiceError;

void writeText(QIODevice *device, const QString &text)
{
    if (!device)
        return;
    device->write(text.toUtf8());
    if (auto *file = qobject_cast<QFileDevice *>(device))
        file->flush();
}

Output::Output(QIODevice *out, QIODevice *err, bool json, QString operation)
    : m_out(out)
    , m_err(err)
    , m_json(json)
    , m_operation(std::move(operation))
{
}

void Output::writeOut(const QString &text) const
{
    writeText(m_out, text);
}

void Output::writeErr(const QString &text) const
{
    writeText(m_err, text);
}

void Output::writeJsonLine(const QJsonObject &object) const
{
    writeJsonLine(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void Output::writeJsonLine(const QByteArray &compactJson) const
{
    writeOut(QString::fromUtf8(compactJson) + u'\n');
}

int Output::usage(const QString &text) const
{
    // Whatever a message quotes (an argument, a file name, a parser error) is redacted like every log and
    // trace: a key or token typed in the wrong place is never printed.
    const QString message = trace::redactSecrets(text);
    if (m_json)
        printJson(
            {{u"ok"_s, false}, {u"error"_s, QJsonObject{{u"kind"_s, u"Usage"_s}, {u"message"_s, message}}}});
    writeErr(u"webpubsub: "_s + message + u"\nRun 'webpubsub help' for usage.\n"_s);
    return kExitUsage;
}

int Output::error(const ServiceError &serviceError) const
{
    ServiceError error = serviceError;
    error.message = trace::redactSecrets(error.message);
    if (m_json) {
        QJsonObject e{{u"kind"_s, ServiceError::kindName(error.kind)},
                      {u"status"_s, error.httpStatus},
                      {u"code"_s, error.code},
                      {u"message"_s, error.message},
                      {u"requestId"_s, error.requestId},
                      {u"target"_s, error.target}};
        printJson({{u"ok"_s, false}, {u"error"_s, e}});
    }
    QString text = u"webpubsub: "_s + m_operation + u" failed: "_s + error.message;
    if (error.kind == ServiceError::Kind::Http)
        text += u"\n  status: "_s + QString::number(error.httpStatus);
    else
        text += u"\n  kind: "_s + ServiceError::kindName(error.kind);
    if (!error.code.isEmpty())
        text += u"\n  code: "_s + error.code;
    if (!error.requestId.isEmpty())
        text += u"\n  request id: "_s + error.requestId;
    writeErr(text + u'\n');
    return error.kind == ServiceError::Kind::InvalidInput ? kExitUsage : kExitService;
}

int Output::ok(QJsonObject result, const QString &humanText) const
{
    if (m_json) {
        result.insert(u"ok"_s, true);
        printJson(result);
    } else if (!humanText.isEmpty()) {
        writeOut(humanText + u'\n');
    }
    return kExitOk;
}

void Output::printJson(QJsonObject object) const
{
    object.insert(u"operation"_s, m_operation);
    writeJsonLine(object);
}

bool looksSecret(const QString &argument)
{
    if (trace::redactSecrets(argument) != argument)
        return true;
    static const QRegularExpression bareKey(u"^[A-Za-z0-9+/=_-]{32,}$"_s);
    return bareKey.match(argument).hasMatch();
}

QString strayArgumentMessage(const QString &argument)
{
    if (looksSecret(argument))
        return u"unexpected argument (not shown: it looks like it holds an access key or token; pass a "
               "connection string with --connection-string or WEBPUBSUB_CONNECTION_STRING)."_s;
    return u"unexpected argument '%1'."_s.arg(argument.left(200));
}

} // namespace wps::cli
