#include "panels/clients/groupstreamswidget.h"

#include "live/groupstream.h"
#include "live/liveclient.h"
#include "protocol/names.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

QString clientName(const wps::live::LiveClient *client)
{
    if (!client)
        return {};
    return client->name().isEmpty() ? client->connectionId() : client->name();
}

} // namespace

GroupStreamsWidget::GroupStreamsWidget(std::function<QList<wps::live::LiveClient *>()> selection,
                                       QWidget *parent)
    : QWidget(parent)
    , m_selection(std::move(selection))
    , m_group(new QLineEdit(u"room1"_s, this))
    , m_chunks(new QLineEdit(u"Hel|lo, |stream|!"_s, this))
    , m_withError(new QCheckBox(tr("end with an error"), this))
    , m_send(new QPushButton(tr("Stream to group"), this))
    , m_outcome(new QLabel(this))
    , m_received(new QListWidget(this))
{
    m_group->setObjectName(u"streamGroup"_s);
    m_chunks->setObjectName(u"streamChunks"_s);
    m_chunks->setToolTip(tr("The chunks to send, separated by '|': each becomes one streamData fragment"));
    m_withError->setObjectName(u"streamWithError"_s);
    m_withError->setToolTip(tr("End with streamEnd carrying an error: receivers see it as UserError"));
    m_send->setObjectName(u"openStream"_s);
    m_send->setToolTip(tr("Open a group stream from the selected client, send the chunks and end it"));
    m_outcome->setObjectName(u"streamOutcome"_s);
    m_outcome->setWordWrap(true);
    m_received->setObjectName(u"receivedStreams"_s);
    m_received->setMaximumHeight(m_received->fontMetrics().height() * 5 + 8);
    m_received->setToolTip(tr("Group streams the panel's clients received"));

    auto *row = new QHBoxLayout();
    row->addWidget(new QLabel(tr("Stream to"), this));
    row->addWidget(m_group);
    row->addWidget(m_chunks, 1);
    row->addWidget(m_withError);
    row->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_outcome);
    layout->addWidget(m_received);

    connect(m_send, &QPushButton::clicked, this, [this] {
        const QList<wps::live::LiveClient *> clients =
            m_selection ? m_selection() : QList<wps::live::LiveClient *>();
        if (clients.isEmpty()) {
            setOutcome(tr("Select the client that publishes the stream first."));
            return;
        }
        sendStream(clients.first(), m_group->text().trimmed(), m_chunks->text().split(u'|'),
                   m_withError->isChecked());
    });
}

GroupStreamsWidget::~GroupStreamsWidget() = default;

void GroupStreamsWidget::setOutcome(const QString &text)
{
    m_outcome->setText(text);
}

QString GroupStreamsWidget::outcomeText() const
{
    return m_outcome->text();
}

QStringList GroupStreamsWidget::receivedLines() const
{
    QStringList lines;
    for (int i = 0; i < m_received->count(); ++i)
        lines << m_received->item(i)->text();
    return lines;
}

bool GroupStreamsWidget::sendStream(wps::live::LiveClient *client, const QString &group,
                                    const QStringList &chunks, bool endWithError)
{
    if (!client || client->state() != wps::live::State::Connected) {
        setOutcome(tr("The client is not connected."));
        return false;
    }
    if (client->subprotocol() == wps::live::Subprotocol::None) {
        setOutcome(tr("A raw WebSocket client cannot stream: spawn a json or protobuf client."));
        return false;
    }
    if (const QString problem = names::checkGroup(group); !problem.isEmpty()) {
        setOutcome(problem);
        return false;
    }
    auto *writer = wps::live::GroupStreamWriter::open(client, group);
    const QString who = clientName(client);
    const QPointer<wps::live::LiveClient> publisher(client);
    setOutcome(tr("%1: opening stream %2 to %3…").arg(who, writer->streamId(), group));
    connect(writer, &wps::live::GroupStreamWriter::opened, this, [this, writer, chunks, endWithError, who] {
        int sent = 0;
        for (const QString &chunk : chunks) {
            if (writer->write(wps::messages::Payload::text(chunk)))
                ++sent;
        }
        if (endWithError)
            writer->end(wps::messages::StreamEndError{tr("ended with an error from the Live clients panel"),
                                                      u"ConsoleTest"_s});
        else
            writer->end();
        setOutcome(
            tr("%1: stream %2 sent %n fragment(s), ending…", nullptr, sent).arg(who, writer->streamId()));
    });
    connect(writer, &wps::live::GroupStreamWriter::nacked, this,
            [this, writer, who](quint64 expected, const QString &name, const QString &message) {
                setOutcome(tr("%1: stream %2 fragment refused (%3: %4), the service expects %5")
                               .arg(who, writer->streamId(), name, message)
                               .arg(expected));
            });
    connect(
        writer, &wps::live::GroupStreamWriter::closed, this,
        [this, writer, who, publisher](const QString &errorName, const QString &errorMessage) {
            const QString text =
                errorName.isEmpty()
                    ? tr("%1: stream %2 closed after %n fragment(s)", nullptr,
                         int(writer->acknowledgedUpTo() > 0 ? writer->acknowledgedUpTo() - 1 : 0))
                          .arg(who, writer->streamId())
                    : tr("%1: stream %2 failed: %3 %4").arg(who, writer->streamId(), errorName, errorMessage);
            setOutcome(text);
            if (publisher)
                Q_EMIT noted(publisher, text);
            writer->deleteLater();
        });
    return true;
}

void GroupStreamsWidget::watch(wps::live::LiveClient *client)
{
    auto *receiver = new wps::live::GroupStreamReceiver(client);
    const QPointer<wps::live::LiveClient> target(client);
    auto update = [this, receiver, target](const QString &group, const QString &streamId) {
        if (!target)
            return;
        for (const wps::live::GroupStreamReceiver::Inbound &in : receiver->streams()) {
            if (in.group != group || in.streamId != streamId)
                continue;
            const QString state = !in.ended ? tr("open")
                                  : in.errorName.isEmpty()
                                      ? tr("ended")
                                      : tr("failed: %1 %2").arg(in.errorName, in.errorMessage);
            const QString text =
                tr("%1 ← %2 from %3 in %4: %n fragment(s), %5 bytes, %6", nullptr, int(in.fragments))
                    .arg(clientName(target), in.streamId,
                         in.fromUserId.isEmpty() ? tr("(no user)") : in.fromUserId, in.group)
                    .arg(in.bytes)
                    .arg(state);
            const QString key = clientName(target) + u'\n' + group + u'\n' + streamId;
            QListWidgetItem *item = m_items.value(key);
            if (!item) {
                item = new QListWidgetItem(m_received);
                m_items.insert(key, item);
                while (m_received->count() > 200) { // bounded: the oldest rows go
                    QListWidgetItem *oldest = m_received->takeItem(0);
                    m_items.remove(m_items.key(oldest));
                    delete oldest;
                }
            }
            item->setText(text);
            m_received->scrollToItem(item);
        }
    };
    connect(receiver, &wps::live::GroupStreamReceiver::fragmentReceived, this,
            [update](const QString &group, const QString &streamId, quint64, const wps::messages::Payload &) {
                update(group, streamId);
            });
    connect(
        receiver, &wps::live::GroupStreamReceiver::streamEnded, this,
        [this, update, target](const QString &group, const QString &streamId, const QString &errorName,
                               const QString &errorMessage) {
            update(group, streamId);
            if (target)
                Q_EMIT noted(
                    target,
                    errorName.isEmpty()
                        ? tr("stream %1 in %2 ended").arg(streamId, group)
                        : tr("stream %1 in %2 failed: %3 %4").arg(streamId, group, errorName, errorMessage));
        });
}

} // namespace wps::ui
