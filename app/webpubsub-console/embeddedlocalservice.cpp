#include "embeddedlocalservice.h"

#include "emulator/emulator.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace wps::app {

EmbeddedLocalService::EmbeddedLocalService(QObject *parent)
    : LocalService(parent)
{
}

EmbeddedLocalService::~EmbeddedLocalService() = default;

void EmbeddedLocalService::ensureStarted()
{
    switch (m_status) {
    case Status::Running:
        QTimer::singleShot(0, this, [this] {
            if (m_connection)
                Q_EMIT started(*m_connection);
        });
        return;
    case Status::Failed:
        QTimer::singleShot(0, this, [this] { Q_EMIT failed(m_error); });
        return;
    case Status::Starting:
        return; // started() or failed() follows
    case Status::Stopped:
        break;
    }
    m_emulator = std::make_unique<wps::emulator::EmbeddedEmulator>();
    connect(m_emulator.get(), &wps::emulator::EmbeddedEmulator::started, this,
            [this](const wps::ConnectionString &connection) {
                m_connection = connection;
                setStatus(Status::Running);
                Q_EMIT started(connection);
            });
    connect(m_emulator.get(), &wps::emulator::EmbeddedEmulator::failed, this, [this](const QString &error) {
        m_error = error;
        setStatus(Status::Failed);
        Q_EMIT failed(error);
    });
    setStatus(Status::Starting);
    m_emulator->start(wps::emulator::EmulatorOptions{});
}

QString EmbeddedLocalService::statusText() const
{
    switch (m_status) {
    case Status::Stopped:
        return tr("Emulator stopped");
    case Status::Starting:
        return tr("Emulator starting…");
    case Status::Running:
        return m_connection ? tr("Emulator on %1").arg(m_connection->endpoint().authority())
                            : tr("Emulator running");
    case Status::Failed:
        return tr("Emulator failed: %1").arg(m_error);
    }
    return {};
}

void EmbeddedLocalService::setStatus(Status status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

} // namespace wps::app
