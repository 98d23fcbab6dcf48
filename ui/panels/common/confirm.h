#pragma once

#include <QString>

#include <functional>

class QDialog;
class QWidget;

namespace wps::ui {

/// What a destructive action asks before it runs: the action in words ("Close every connection"), the hub
/// and the resource (the endpoint's host) it acts on, and whether the user must type the hub name to confirm
/// (profiles other than the local emulator, for the actions that cannot be undone at scale).
struct Confirmation
{
    QString action;
    QString hub;
    QString resource;
    bool typeHubName = false;
};

/// Asks in a modal dialog (object name "confirmDialog"; the hub-name field is "confirmHubName") shown with
/// QDialog::open() -- no nested event loop -- and calls \a onConfirmed only when the user confirmed, and only
/// while \a parent lives. Cancel, Escape or closing the dialog change nothing. Returns the dialog (it deletes
/// itself when closed).
QDialog *confirmAction(QWidget *parent, const Confirmation &confirmation, std::function<void()> onConfirmed);

} // namespace wps::ui
