#pragma once

#include "session/localservice.h"

#include <memory>

namespace wps::emulator {
class EmbeddedEmulator;
}

namespace wps::app {

/// The local emulator of the console: an EmbeddedEmulator (its own thread, loopback, port 0) started on the
/// first ensureStarted(). Lives in app/ because ui/ never links the emulator. It runs until the process
/// exits; every window of the process shares it.
class EmbeddedLocalService : public wps::ui::LocalService
{
    Q_OBJECT
public:
    explicit EmbeddedLocalService(QObject *parent = nullptr);
    ~EmbeddedLocalService() override;

    void ensureStarted() override;
    Status status() const override { return m_status; }
    std::optional<wps::ConnectionString> connectionString() const override { return m_connection; }
    QString statusText() const override;

private:
    void setStatus(Status status);

    std::unique_ptr<wps::emulator::EmbeddedEmulator> m_emulator;
    Status m_status = Status::Stopped;
    std::optional<wps::ConnectionString> m_connection;
    QString m_error;
};

} // namespace wps::app
