#pragma once

#include <QApplication>
#include <QDialog>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <gtest/gtest.h>

#include <functional>

namespace wps::test {

/// The child widget of type T named \a name inside \a parent; a test failure (not a crash) when it is
/// missing, so a renamed widget shows up as one clear failure.
template <typename T>
T *child(QWidget &parent, const QString &name)
{
    T *found = parent.findChild<T *>(name);
    EXPECT_NE(found, nullptr) << name.toStdString();
    return found;
}

/// The visible top-level dialog named \a name (e.g. "confirmDialog"), or null.
inline QDialog *visibleDialog(const QString &name)
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        auto *dialog = qobject_cast<QDialog *>(widget);
        if (dialog && dialog->objectName() == name && dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

/// Runs \a act on the dialog named \a name as soon as it shows (from a timer armed before the click, so it
/// also works for a dialog run with exec()). Sets *\a seen when it found the dialog; gives up
/// after \a triesLeft polls (10 ms apart) with *\a seen false.
inline void onDialog(const QString &name, std::function<void(QDialog *)> act, bool *seen,
                     int triesLeft = 1500)
{
    QTimer::singleShot(10, [name, act = std::move(act), seen, triesLeft]() mutable {
        if (QDialog *dialog = visibleDialog(name)) {
            *seen = true;
            act(dialog);
        } else if (triesLeft > 0) {
            onDialog(name, std::move(act), seen, triesLeft - 1);
        }
    });
}

} // namespace wps::test
