#include "support/jsonschema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace wps::test {

namespace {

class Validator
{
public:
    explicit Validator(const QJsonObject &root)
        : m_root(root)
    {
    }

    void check(const QJsonValue &value, const QJsonObject &schema, const QString &path, int depth = 0)
    {
        if (depth > 64) {
            fail(path, u"schema nesting too deep"_s);
            return;
        }
        static const QStringList known{u"$ref"_s,
                                       u"$comment"_s,
                                       u"definitions"_s,
                                       u"type"_s,
                                       u"enum"_s,
                                       u"required"_s,
                                       u"properties"_s,
                                       u"patternProperties"_s,
                                       u"additionalProperties"_s,
                                       u"items"_s,
                                       u"minimum"_s,
                                       u"pattern"_s,
                                       u"format"_s};
        for (auto it = schema.begin(); it != schema.end(); ++it) {
            if (!known.contains(it.key()))
                fail(path, u"the validator does not implement the schema keyword '%1'"_s.arg(it.key()));
        }
        if (schema.contains(u"$ref"_s)) {
            const QString ref = schema.value(u"$ref"_s).toString();
            if (!ref.startsWith(u"#/definitions/"_s)) {
                fail(path, u"unsupported $ref %1"_s.arg(ref));
                return;
            }
            const QJsonValue target =
                m_root.value(u"definitions"_s).toObject().value(ref.mid(int(qstrlen("#/definitions/"))));
            if (!target.isObject()) {
                fail(path, u"unknown $ref %1"_s.arg(ref));
                return;
            }
            check(value, target.toObject(), path, depth + 1);
        }
        if (schema.contains(u"type"_s)) {
            const QJsonValue type = schema.value(u"type"_s);
            QStringList types;
            if (type.isArray()) {
                for (const QJsonValue &t : type.toArray())
                    types << t.toString();
            } else {
                types << type.toString();
            }
            bool matched = false;
            for (const QString &t : types)
                matched = matched || isType(value, t);
            if (!matched) {
                fail(path, u"expected %1, found %2"_s.arg(types.join(u'|'), typeName(value)));
                return;
            }
        }
        if (schema.contains(u"enum"_s) && !schema.value(u"enum"_s).toArray().contains(value))
            fail(path, u"value not in enum"_s);
        if (schema.contains(u"minimum"_s) && value.isDouble() &&
            value.toDouble() < schema.value(u"minimum"_s).toDouble())
            fail(path, u"%1 is below the minimum %2"_s.arg(value.toDouble())
                           .arg(schema.value(u"minimum"_s).toDouble()));
        if (schema.contains(u"pattern"_s) && value.isString()) {
            const QRegularExpression pattern(schema.value(u"pattern"_s).toString());
            if (!pattern.match(value.toString()).hasMatch())
                fail(path, u"'%1' does not match %2"_s.arg(value.toString(), pattern.pattern()));
        }
        if (schema.value(u"format"_s).toString() == u"date-time"_s && value.isString()) {
            static const QRegularExpression dateTime(
                u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$"_s);
            if (!dateTime.match(value.toString()).hasMatch())
                fail(path, u"'%1' is not an ISO 8601 date-time"_s.arg(value.toString()));
        } else if (schema.contains(u"format"_s) && schema.value(u"format"_s).toString() != u"date-time"_s) {
            fail(path, u"unsupported format"_s);
        }
        if (value.isObject())
            checkObject(value.toObject(), schema, path, depth);
        if (value.isArray() && schema.contains(u"items"_s)) {
            const QJsonArray array = value.toArray();
            const QJsonObject items = schema.value(u"items"_s).toObject();
            for (qsizetype i = 0; i < array.size(); ++i)
                check(array.at(i), items, path + u'[' + QString::number(i) + u']', depth + 1);
        }
    }

    QStringList errors;

private:
    void checkObject(const QJsonObject &object, const QJsonObject &schema, const QString &path, int depth)
    {
        for (const QJsonValue &name : schema.value(u"required"_s).toArray()) {
            if (!object.contains(name.toString()))
                fail(path, u"missing required member '%1'"_s.arg(name.toString()));
        }
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        const QJsonObject patterns = schema.value(u"patternProperties"_s).toObject();
        const bool closed = schema.contains(u"additionalProperties"_s) &&
                            !schema.value(u"additionalProperties"_s).toBool(true);
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString memberPath = path + u'.' + it.key();
            bool described = false;
            if (properties.contains(it.key())) {
                described = true;
                check(it.value(), properties.value(it.key()).toObject(), memberPath, depth + 1);
            }
            for (auto p = patterns.begin(); p != patterns.end(); ++p) {
                if (QRegularExpression(p.key()).match(it.key()).hasMatch()) {
                    described = true;
                    check(it.value(), p.value().toObject(), memberPath, depth + 1);
                }
            }
            if (!described && closed)
                fail(memberPath, u"member not allowed here"_s);
        }
    }

    static bool isType(const QJsonValue &value, const QString &type)
    {
        if (type == u"object"_s)
            return value.isObject();
        if (type == u"array"_s)
            return value.isArray();
        if (type == u"string"_s)
            return value.isString();
        if (type == u"number"_s)
            return value.isDouble();
        if (type == u"integer"_s)
            return value.isDouble() && std::floor(value.toDouble()) == value.toDouble();
        if (type == u"boolean"_s)
            return value.isBool();
        if (type == u"null"_s)
            return value.isNull();
        return false;
    }

    static QString typeName(const QJsonValue &value)
    {
        switch (value.type()) {
        case QJsonValue::Null:
            return u"null"_s;
        case QJsonValue::Bool:
            return u"boolean"_s;
        case QJsonValue::Double:
            return u"number"_s;
        case QJsonValue::String:
            return u"string"_s;
        case QJsonValue::Array:
            return u"array"_s;
        case QJsonValue::Object:
            return u"object"_s;
        case QJsonValue::Undefined:
            return u"undefined"_s;
        }
        return u"?"_s;
    }

    void fail(const QString &path, const QString &message) { errors << path + u": "_s + message; }

    QJsonObject m_root;
};

} // namespace

QStringList validateJson(const QJsonValue &instance, const QJsonObject &schema)
{
    Validator validator(schema);
    validator.check(instance, schema, u"$"_s);
    return validator.errors;
}

QStringList validateHar(const QByteArray &har)
{
    QFile file(QStringLiteral(WPS_HAR_SCHEMA));
    if (!file.open(QIODevice::ReadOnly))
        return {u"cannot read the HAR schema "_s + file.fileName()};
    QJsonParseError error;
    const QJsonDocument schema = QJsonDocument::fromJson(file.readAll(), &error);
    if (!schema.isObject())
        return {u"the HAR schema is not JSON: "_s + error.errorString()};
    const QJsonDocument document = QJsonDocument::fromJson(har, &error);
    if (error.error != QJsonParseError::NoError)
        return {u"the HAR is not JSON: "_s + error.errorString()};
    return validateJson(document.object(), schema.object());
}

} // namespace wps::test
