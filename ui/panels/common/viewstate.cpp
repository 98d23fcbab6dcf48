#include "panels/common/viewstate.h"

#include <QHeaderView>

namespace wps::ui {

namespace {
constexpr char kColumnsProperty[] = "wpsRememberColumns";
} // namespace

void rememberColumns(QHeaderView *header, const QString &key)
{
    if (header)
        header->setProperty(kColumnsProperty, key);
}

QString rememberedColumnsKey(const QHeaderView *header)
{
    return header ? header->property(kColumnsProperty).toString() : QString();
}

} // namespace wps::ui
