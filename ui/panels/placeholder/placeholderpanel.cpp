#include "panels/placeholder/placeholderpanel.h"

#include <QLabel>
#include <QVBoxLayout>

namespace wps::ui {

PlaceholderPanel::PlaceholderPanel(const QString &title, const QString &description, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(title, this);
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    heading->setFont(font);
    auto *text = new QLabel(
        description + QStringLiteral("\n\n") + tr("This panel is not available in this build yet."), this);
    text->setWordWrap(true);
    text->setEnabled(false);
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addStretch();
}

} // namespace wps::ui
