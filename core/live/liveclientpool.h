#pragma once

#include "live/liveclient.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace wps::live {

/// Many live clients in one process (load and fan-out scenarios), named user-{n}. Batches are created at once
/// but connect a few per event-loop turn, so a thousand connects never block the thread that owns them (style
/// rule 10). State counts are kept for a status line and change notifications are coalesced per turn.
class LiveClientPool : public QObject
{
    Q_OBJECT
public:
    /// Makes the client URL (with its own token) for the client named \a name, the \a n-th of the pool.
    using UrlFactory = std::function<QUrl(int n, const QString &name)>;

    explicit LiveClientPool(QObject *parent = nullptr);
    ~LiveClientPool() override;

    /// Settings applied to every client created from now on.
    void setClientSettings(const LiveClientSettings &settings) { m_settings = settings; }
    /// How many clients start per event-loop turn (default 25).
    void setStartsPerTurn(int count) { m_startsPerTurn = count; }

    /// Creates \a count clients named user-{n} (n continues across batches) and starts them over the next
    /// turns of the event loop. Returns the new clients, owned by the pool.
    QList<LiveClient *> createBatch(int count, const UrlFactory &urlFactory, Subprotocol protocol);
    /// Stops and deletes the \a count most recently created clients (all of them for -1).
    void teardownBatch(int count = -1);

    int size() const { return static_cast<int>(m_clients.size()); }
    QList<LiveClient *> clients() const;
    LiveClient *client(const QString &name) const;
    /// Clients currently in \a state.
    int count(State state) const;
    /// Clients not yet started (waiting for their turn).
    int waitingToStart() const { return static_cast<int>(m_toStart.size()); }

Q_SIGNALS:
    /// Some client changed state; emitted at most once per event-loop turn.
    void countsChanged();

private:
    void startSome();
    void noteChange();

    LiveClientSettings m_settings;
    QList<QPointer<LiveClient>> m_clients;
    QList<QPointer<LiveClient>> m_toStart;
    int m_nextIndex = 1;
    int m_startsPerTurn = 25;
    bool m_startScheduled = false;
    bool m_changeScheduled = false;
};

} // namespace wps::live
