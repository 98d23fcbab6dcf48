#include "service/serviceerror.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

QString ServiceError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Http:
        return u"Http"_s;
    case Kind::Network:
        return u"Network"_s;
    case Kind::Timeout:
        return u"Timeout"_s;
    case Kind::Cancelled:
        return u"Cancelled"_s;
    case Kind::InvalidInput:
        return u"InvalidInput"_s;
    }
    return {};
}

QString ServiceError::toString() const
{
    QString text;
    if (kind == Kind::Http)
        text = u"HTTP "_s + QString::number(httpStatus);
    else
        text = kindName(kind);
    if (!code.isEmpty())
        text += u' ' + code;
    text += u": "_s + message;
    if (!requestId.isEmpty())
        text += u" (request id "_s + requestId + u')';
    return text;
}

} // namespace wps::service
