#include "panels/common/confirm.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

QDialog *confirmAction(QWidget *parent, const Confirmation &confirmation, std::function<void()> onConfirmed)
{
    auto *dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(u"confirmDialog"_s);
    dialog->setWindowTitle(QDialog::tr("Confirm: %1").arg(confirmation.action));
    auto *layout = new QVBoxLayout(dialog);
    auto *text = new QLabel(dialog);
    text->setObjectName(u"confirmText"_s);
    text->setWordWrap(true);
    text->setTextFormat(Qt::PlainText);
    const QString hub = confirmation.hub.isEmpty() ? QDialog::tr("(no hub)") : confirmation.hub;
    const QString resource =
        confirmation.resource.isEmpty() ? QDialog::tr("(unknown)") : confirmation.resource;
    text->setText(QDialog::tr("%1?\n\nHub: %2\nResource: %3\n\nThis cannot be undone.")
                      .arg(confirmation.action, hub, resource));
    layout->addWidget(text);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(u"confirmOk"_s);
    ok->setText(confirmation.action);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"confirmCancel"_s);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);

    if (confirmation.typeHubName) {
        auto *prompt = new QLabel(QDialog::tr("Type the hub name (%1) to confirm:").arg(hub), dialog);
        prompt->setTextFormat(Qt::PlainText);
        layout->addWidget(prompt);
        auto *typed = new QLineEdit(dialog);
        typed->setObjectName(u"confirmHubName"_s);
        layout->addWidget(typed);
        ok->setEnabled(false);
        QObject::connect(typed, &QLineEdit::textChanged, ok,
                         [ok, hub = confirmation.hub](const QString &value) {
                             ok->setEnabled(!hub.isEmpty() && value == hub);
                         });
    }
    layout->addWidget(buttons);
    QObject::connect(dialog, &QDialog::accepted, parent, std::move(onConfirmed));
    dialog->open();
    return dialog;
}

} // namespace wps::ui
