#include "cli/command.h"
#include "cli/listen.h"

#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

ListenSession::ListenSession(Context &context, QString sendGroup, QString event)
    : m_context(context)
    , m_sendGroup(std::move(sendGroup))
    , m_event(std::move(event))
    , m_reader(context.in)
{
    connect(&m_reader, &LineReader::lineRead, this, &ListenSession::takeLine);
    connect(&m_reader, &LineReader::ended, this, [this] {
        m_stdinEnded = true;
        stopWhenIdle();
    });
}

ListenSession::~ListenSession() = default;

void ListenSession::start()
{
    m_reader.start();
    startClient();
}

void ListenSession::interrupt()
{
    m_stdinEnded = true;
    m_queued.clear();
    m_pendingAcks = 0; // an interrupt does not wait for acks: stop() fails them
    m_stopping = true;
    stopClient();
}

void ListenSession::writeLine(const QJsonObject &line) const
{
    m_context.out.writeJsonLine(line);
}

void ListenSession::writeError(const QString &text) const
{
    m_context.out.writeErr(text);
}

void ListenSession::takeLine(const QString &line)
{
    if (isUp() && m_queued.isEmpty())
        sendLine(line);
    else
        m_queued.append(line);
}

void ListenSession::stopWhenIdle()
{
    if (m_stopping || !m_stdinEnded || m_pendingAcks > 0 || (!m_everConnected && !mayStopBeforeConnected()))
        return;
    if (!m_queued.isEmpty() && isUp())
        return;
    m_stopping = true;
    stopClient();
}

void ListenSession::onConnected(const QJsonObject &connectedLine)
{
    m_everConnected = true;
    writeLine(connectedLine);
    const QStringList lines = std::exchange(m_queued, {});
    for (const QString &line : lines)
        sendLine(line);
    stopWhenIdle();
}

void ListenSession::onDisconnected(const QString &message, const QString &refusalDetail)
{
    writeLine({{u"type"_s, u"system"_s}, {u"event"_s, u"disconnected"_s}, {u"message"_s, message}});
    if (!m_everConnected && !m_stopping) {
        writeError(u"webpubsub: listen failed: "_s + message + refusalDetail + u'\n');
        m_exitCode = kExitService;
    }
}

void ListenSession::onStopped()
{
    m_context.finish(m_exitCode);
}

void ListenSession::onAck(const QJsonObject &ackLine)
{
    --m_pendingAcks;
    writeLine(ackLine);
    stopWhenIdle();
}

void ListenSession::onAck(const QByteArray &compactLine)
{
    --m_pendingAcks;
    m_context.out.writeJsonLine(compactLine);
    stopWhenIdle();
}

} // namespace wps::cli
