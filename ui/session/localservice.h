#pragma once

#include "protocol/connectionstring.h"

#include <QObject>
#include <QString>

#include <optional>

namespace wps::ui {

/// The local emulator as the window sees it: something that can be started on demand and then has a
/// connection string like any service. app/ implements it over the embedded emulator (ui/ never links the
/// emulator); profiles of kind LocalEmulator open through it, and the status bar shows its state.
class LocalService : public QObject
{
    Q_OBJECT
public:
    enum class Status { Stopped, Starting, Running, Failed };
    Q_ENUM(Status)

    using QObject::QObject;
    ~LocalService() override;

    /// Starts the service if it is not running; started() or failed() follows (at once, queued, when it
    /// already runs or already failed).
    virtual void ensureStarted() = 0;
    virtual Status status() const = 0;
    /// Valid while Running.
    virtual std::optional<wps::ConnectionString> connectionString() const = 0;
    /// One line for the status bar ("Emulator running on 127.0.0.1:5xxxx", or why it failed).
    virtual QString statusText() const = 0;

Q_SIGNALS:
    void started(const wps::ConnectionString &connection);
    void failed(const QString &error);
    void statusChanged();
};

} // namespace wps::ui
