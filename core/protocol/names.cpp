#include "protocol/names.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace wps::names {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("wps::names", text);
}
} // namespace

QString checkHub(const QString &hub)
{
    // anchoredPattern: a plain '$' would also match before a trailing newline ("chat\n").
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(u"[A-Za-z][A-Za-z0-9_`,.\\[\\]]{0,127}"_s));
    if (hub.isEmpty())
        return tr("The hub name is empty.");
    if (!pattern.match(hub).hasMatch())
        return tr("Invalid hub name. A hub name starts with a letter and has at most 128 letters, digits and "
                  "the characters _ ` , . [ ].");
    return {};
}

QString checkGroup(const QString &group)
{
    if (group.isEmpty() || group.size() > 1024 || group.trimmed().isEmpty())
        return tr("Invalid group name. Valid group name should be in between 1 and 1024 characters long.");
    if (!QStringView(group).isValidUtf16())
        return tr("Invalid group name. The name is not valid Unicode (it holds a lone surrogate).");
    return {};
}

QString checkUserId(const QString &userId)
{
    if (userId.isEmpty())
        return tr("The user ID is empty.");
    return {};
}

QString checkConnectionId(const QString &connectionId)
{
    if (connectionId.isEmpty())
        return tr("The connection ID is empty.");
    return {};
}

QString checkPermission(const QString &permission)
{
    if (permission.compare(u"sendToGroup"_s, Qt::CaseInsensitive) == 0 ||
        permission.compare(u"joinLeaveGroup"_s, Qt::CaseInsensitive) == 0)
        return {};
    return tr("Unknown permission '%1'. Use sendToGroup or joinLeaveGroup.").arg(permission.left(64));
}

} // namespace wps::names
