#include "live/liveclientpool.h"

#include "live/livelogging.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

LiveClientPool::LiveClientPool(QObject *parent)
    : QObject(parent)
{
}

LiveClientPool::~LiveClientPool()
{
    // The clients are children: they close (abort) with us. Nothing to emit while dying.
    for (const auto &client : std::as_const(m_clients)) {
        if (client)
            client->disconnect(this);
    }
}

QList<LiveClient *> LiveClientPool::createBatch(int count, const UrlFactory &urlFactory, Subprotocol protocol)
{
    QList<LiveClient *> created;
    created.reserve(count);
    for (int i = 0; i < count; ++i) {
        const int n = m_nextIndex++;
        const QString name = u"user-%1"_s.arg(n);
        auto *client = new LiveClient(urlFactory(n, name), protocol, this);
        client->setName(name);
        client->setSettings(m_settings);
        connect(client, &LiveClient::stateChanged, this, &LiveClientPool::noteChange);
        m_clients.append(client);
        m_toStart.append(client);
        created.append(client);
    }
    qCDebug(lcLive) << "pool: created" << count << "clients," << m_clients.size() << "in total";
    if (!m_startScheduled && !m_toStart.isEmpty()) {
        m_startScheduled = true;
        QTimer::singleShot(0, this, &LiveClientPool::startSome);
    }
    noteChange();
    return created;
}

void LiveClientPool::startSome()
{
    m_startScheduled = false;
    int started = 0;
    while (!m_toStart.isEmpty() && started < m_startsPerTurn) {
        const QPointer<LiveClient> client = m_toStart.takeFirst();
        if (!client)
            continue;
        client->start();
        ++started;
    }
    if (!m_toStart.isEmpty()) {
        m_startScheduled = true;
        QTimer::singleShot(0, this, &LiveClientPool::startSome);
    }
}

void LiveClientPool::teardownBatch(int count)
{
    const int n = count < 0 ? size() : std::min(count, size());
    for (int i = 0; i < n; ++i) {
        const QPointer<LiveClient> client = m_clients.takeLast();
        if (!client)
            continue;
        m_toStart.removeAll(client);
        client->disconnect(this);
        // Close politely; the client goes once stopped (or at once if it never ran).
        if (client->state() == State::Disconnected || client->state() == State::Stopped) {
            client->deleteLater();
            continue;
        }
        connect(client, &LiveClient::stopped, client, &QObject::deleteLater);
        client->stop();
    }
    noteChange();
}

QList<LiveClient *> LiveClientPool::clients() const
{
    QList<LiveClient *> out;
    out.reserve(m_clients.size());
    for (const auto &client : m_clients) {
        if (client)
            out.append(client);
    }
    return out;
}

LiveClient *LiveClientPool::client(const QString &name) const
{
    for (const auto &client : m_clients) {
        if (client && client->name() == name)
            return client;
    }
    return nullptr;
}

int LiveClientPool::count(State state) const
{
    int n = 0;
    for (const auto &client : m_clients) {
        if (client && client->state() == state)
            ++n;
    }
    return n;
}

void LiveClientPool::noteChange()
{
    if (m_changeScheduled)
        return;
    m_changeScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_changeScheduled = false;
        Q_EMIT countsChanged();
    });
}

} // namespace wps::live
