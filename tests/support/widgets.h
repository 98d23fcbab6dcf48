#pragma once

#include <QString>
#include <QWidget>

#include <gtest/gtest.h>

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

} // namespace wps::test
