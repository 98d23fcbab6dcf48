// The output budget shared by the server WebSockets of one thread (websocket.h).
#include "emulator/websocket.h"

#include <QLoggingCategory>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcWs)

namespace wps::emulator::ws {

OutputBudget &OutputBudget::current()
{
    thread_local OutputBudget budget;
    return budget;
}

OutputBudget::OutputBudget()
{
    m_tick.setInterval(std::chrono::milliseconds(1000));
    connect(&m_tick, &QTimer::timeout, this, &OutputBudget::onTick);
}

void OutputBudget::attach(Socket *socket)
{
    m_sockets.append(socket);
}

void OutputBudget::detach(Socket *socket)
{
    m_sockets.removeOne(socket);
    if (m_sockets.isEmpty()) {
        m_tick.stop();
        m_paused = false;
        m_pausedTicks = 0;
    }
}

void OutputBudget::add(qint64 bytes)
{
    m_queued += bytes;
    update();
}

void OutputBudget::release(qint64 bytes)
{
    m_queued -= bytes;
    update();
}

bool OutputBudget::refuses(qint64 socketQueued, qint64 bytes) const
{
    if (m_limit <= 0 || m_queued + bytes <= m_limit || m_sockets.isEmpty())
        return false;
    // Over the budget: refuse the sockets that are behind at least as much as the average one.
    return socketQueued >= m_queued / m_sockets.size();
}

void OutputBudget::update()
{
    if (m_limit <= 0) {
        m_paused = false;
        return;
    }
    if (!m_paused && m_queued > m_limit / 2) {
        m_paused = true;
        m_pausedTicks = 0;
        qCInfo(lcWs) << "output budget: " << m_queued << "bytes unsent; reading paused";
        if (!m_tick.isActive())
            m_tick.start();
    } else if (m_paused && m_queued < m_limit / 4) {
        m_paused = false;
        m_tick.stop();
        qCInfo(lcWs) << "output budget:" << m_queued << "bytes unsent; reading resumed";
        for (Socket *socket : std::as_const(m_sockets))
            if (socket->m_state != Socket::State::Closed)
                QMetaObject::invokeMethod(socket, &Socket::scheduleRead, Qt::QueuedConnection);
    }
}

void OutputBudget::onTick()
{
    if (!m_paused) {
        m_tick.stop();
        return;
    }
    if (++m_pausedTicks < 2)
        return; // paused for less than a full tick
    // Still over half the budget: close the consumers with the largest backlogs (they are not reading) until
    // what the open sockets hold is below the resume mark.
    qint64 open = 0;
    QList<Socket *> candidates;
    for (Socket *socket : std::as_const(m_sockets)) {
        if (socket->m_state == Socket::State::Open) {
            open += socket->queuedBytes();
            candidates.append(socket);
        }
    }
    std::sort(candidates.begin(), candidates.end(),
              [](Socket *a, Socket *b) { return a->queuedBytes() > b->queuedBytes(); });
    for (Socket *socket : std::as_const(candidates)) {
        if (open < m_limit / 4 || socket->queuedBytes() == 0)
            break;
        open -= socket->queuedBytes();
        ++m_evictions;
        qCInfo(lcWs) << "output budget: closing the slowest consumer with" << socket->queuedBytes()
                     << "bytes unsent";
        socket->overflow(Socket::outputFull());
    }
}

} // namespace wps::emulator::ws
