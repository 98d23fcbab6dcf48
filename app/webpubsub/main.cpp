// `webpubsub`: the command-line face of core/service (docs/cli.md). Parses options, makes one call, prints
// it; `listen` runs a core/live client until stdin ends or SIGINT.
#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "live/liveclient.h"
#include "live/mqttclient.h"
#include "protocol/connectionstring.h"
#include "protocol/jsontext.h"
#include "service/serviceclient.h"
#include "trace/traceredact.h"
#include "tracecommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QStringDecoder>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::Literals::StringLiterals;
using namespace wps::service;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFalse = 1;
constexpr int kExitUsage = 2;
constexpr int kExitService = 3;

struct Command
{
    QString name;
    QString synopsis;
};

const QList<Command> &commands()
{
    static const QList<Command> list{
        {u"send-to-all"_s, u"[payload] [--excluded ID]... [--filter F] [--ttl S]"_s},
        {u"send-to-user"_s, u"--user ID [payload] [--filter F] [--ttl S]"_s},
        {u"send-to-group"_s, u"--group G [payload] [--excluded ID]... [--filter F] [--ttl S]"_s},
        {u"send-to-connection"_s, u"--connection ID [payload] [--ttl S]"_s},
        {u"add-connection-to-group"_s, u"--group G --connection ID"_s},
        {u"remove-connection-from-group"_s, u"--group G --connection ID"_s},
        {u"remove-connection-from-all-groups"_s, u"--connection ID"_s},
        {u"add-user-to-group"_s, u"--group G --user ID"_s},
        {u"remove-user-from-group"_s, u"--group G --user ID"_s},
        {u"remove-user-from-all-groups"_s, u"--user ID"_s},
        {u"add-to-groups"_s, u"--group G [--group G]... [--filter F]"_s},
        {u"remove-from-groups"_s, u"--group G [--group G]... [--filter F]"_s},
        {u"connection-exists"_s, u"--connection ID            (exit 0 = yes, 1 = no)"_s},
        {u"user-exists"_s, u"--user ID                  (exit 0 = yes, 1 = no)"_s},
        {u"group-exists"_s, u"--group G                  (exit 0 = yes, 1 = no)"_s},
        {u"close-connection"_s, u"--connection ID [--reason R]"_s},
        {u"close-all"_s, u"[--reason R] [--excluded ID]..."_s},
        {u"close-group"_s, u"--group G [--reason R] [--excluded ID]..."_s},
        {u"close-user"_s, u"--user ID [--reason R] [--excluded ID]..."_s},
        {u"grant"_s, u"--permission P --connection ID --target G"_s},
        {u"revoke"_s, u"--permission P --connection ID --target G"_s},
        {u"check"_s, u"--permission P --connection ID --target G (exit 0 = yes, 1 = no)"_s},
        {u"token"_s, u"[--user ID] [--role R]... [--group G]... [--minutes N] [--client-type T] [--local]"_s},
        {u"list-group-connections"_s, u"--group G [--maxpagesize N] [--top N]"_s},
        {u"health"_s, u""_s},
        {u"listen"_s,
         u"[--user ID] [--role R]... [--group G]... [--protocol P] [--send-group G] [--event E]"_s},
        {u"trace"_s, wps::cli::traceSynopsis()},
    };
    return list;
}

QString usageText(const QCommandLineParser &parser)
{
    QString text = u"Usage: webpubsub <command> [options]\n\nCommands:\n"_s;
    for (const Command &command : commands())
        text += u"  "_s + command.name.leftJustified(34) + command.synopsis + u'\n';
    text += u"  "_s + u"help"_s.leftJustified(34) + u"this text\n\n"_s;
    text +=
        u"payload: --text T | --json JSON | --json-body JSON | --binary-file PATH | stdin; "
        "--content-type overrides the type.\n"
        "Exit codes: 0 success (exists/check: yes), 1 exists/check: no, 2 usage error, 3 service or network "
        "error.\n\n"_s;
    // QCommandLineParser's own text lists every option.
    const QString help = parser.helpText();
    const qsizetype optionsAt = help.indexOf(u"Options:"_s);
    text += optionsAt >= 0 ? help.mid(optionsAt) : help;
    return text;
}

void writeOut(const QString &text)
{
    QTextStream(stdout) << text;
}

void writeErr(const QString &text)
{
    QTextStream(stderr) << text;
}

/// Prints one result or error and gives the exit code.
class Output
{
public:
    Output(bool json, QString operation)
        : m_json(json)
        , m_operation(std::move(operation))
    {
    }

    int usage(const QString &text) const
    {
        // Whatever a message quotes (an argument, a file name, a parser error) is redacted like every log
        // and trace: a key or token typed in the wrong place is never printed.
        const QString message = wps::trace::redactSecrets(text);
        if (m_json)
            printJson({{u"ok"_s, false},
                       {u"error"_s, QJsonObject{{u"kind"_s, u"Usage"_s}, {u"message"_s, message}}}});
        writeErr(u"webpubsub: "_s + message + u"\nRun 'webpubsub help' for usage.\n"_s);
        return kExitUsage;
    }

    int error(const ServiceError &serviceError) const
    {
        ServiceError error = serviceError;
        error.message = wps::trace::redactSecrets(error.message);
        if (m_json) {
            QJsonObject e{{u"kind"_s, ServiceError::kindName(error.kind)},
                          {u"status"_s, error.httpStatus},
                          {u"code"_s, error.code},
                          {u"message"_s, error.message},
                          {u"requestId"_s, error.requestId},
                          {u"target"_s, error.target}};
            printJson({{u"ok"_s, false}, {u"error"_s, e}});
        }
        QString text = u"webpubsub: "_s + m_operation + u" failed: "_s + error.message;
        if (error.kind == ServiceError::Kind::Http)
            text += u"\n  status: "_s + QString::number(error.httpStatus);
        else
            text += u"\n  kind: "_s + ServiceError::kindName(error.kind);
        if (!error.code.isEmpty())
            text += u"\n  code: "_s + error.code;
        if (!error.requestId.isEmpty())
            text += u"\n  request id: "_s + error.requestId;
        writeErr(text + u'\n');
        return error.kind == ServiceError::Kind::InvalidInput ? kExitUsage : kExitService;
    }

    int ok(QJsonObject result, const QString &humanText) const
    {
        if (m_json) {
            result.insert(u"ok"_s, true);
            printJson(result);
        } else if (!humanText.isEmpty()) {
            writeOut(humanText + u'\n');
        }
        return kExitOk;
    }

private:
    void printJson(QJsonObject object) const
    {
        object.insert(u"operation"_s, m_operation);
        writeOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + u'\n');
    }

    bool m_json;
    QString m_operation;
};

QJsonObject accessJson(const wps::ClientAccess &access)
{
    return {{u"token"_s, QString::fromLatin1(access.token)},
            {u"url"_s, access.url.toString(QUrl::FullyEncoded)},
            {u"baseUrl"_s, access.baseUrl.toString(QUrl::FullyEncoded)},
            {u"expiresAt"_s, access.expiresAt.toString(Qt::ISODate)}};
}

QString accessText(const wps::ClientAccess &access)
{
    return QString::fromLatin1(access.token) + u'\n' + access.url.toString(QUrl::FullyEncoded);
}

/// Pulls `--json <value>` / `--json=<value>` out of \a args for send commands, where it is the payload; a
/// bare `--json` (followed by another option or nothing) stays the output switch.
std::optional<QString> takeJsonPayload(QStringList &args)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i).startsWith(u"--json="_s)) {
            const QString value = args.at(i).mid(7);
            args.removeAt(i);
            return value;
        }
        if (args.at(i) == u"--json" && i + 1 < args.size() && !args.at(i + 1).startsWith(u'-')) {
            const QString value = args.at(i + 1);
            args.remove(i, 2);
            return value;
        }
    }
    return std::nullopt;
}

// ---- listen
// ------------------------------------------------------------------------------------------------

#ifdef Q_OS_UNIX
int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1); // async-signal-safe
}

/// SIGINT/SIGTERM call \a onStop on the main thread (through a socket pair), so the client can close cleanly.
void installSignalHandlers(QObject *context, const std::function<void()> &onStop)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [onStop] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalFd[1], &byte, 1);
        onStop();
    });
    struct sigaction action = {};
    action.sa_handler = &onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}
#endif

/// `--protocol`: the short names of docs/cli.md, or a full subprotocol name.
std::optional<wps::live::Subprotocol> listenProtocol(const QString &name)
{
    using wps::live::Subprotocol;
    if (name == u"json")
        return Subprotocol::Json;
    if (name == u"json.reliable")
        return Subprotocol::JsonReliable;
    if (name == u"protobuf")
        return Subprotocol::Protobuf;
    if (name == u"protobuf.reliable")
        return Subprotocol::ProtobufReliable;
    if (name == u"raw")
        return Subprotocol::None;
    if (name.isEmpty())
        return std::nullopt;
    return wps::live::parseSubprotocol(name);
}

/// A payload as the JSON subprotocol shows it: JSON as its value, text as a string, bytes as base64.
QJsonValue payloadJson(const wps::messages::Payload &payload)
{
    using wps::messages::DataType;
    switch (payload.type) {
    case DataType::Json: {
        // QJsonDocument only takes objects and arrays; wrap to read any JSON value.
        const QJsonDocument document = QJsonDocument::fromJson("[" + payload.bytes + "]");
        return document.isArray() ? document.array().at(0) : QJsonValue(QString::fromUtf8(payload.bytes));
    }
    case DataType::Text:
        return QString::fromUtf8(payload.bytes);
    case DataType::Binary:
    case DataType::Protobuf:
        return QString::fromLatin1(payload.bytes.toBase64());
    }
    return {};
}

void writeLine(const QJsonObject &object)
{
    QTextStream out(stdout);
    out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << u'\n';
    out.flush();
}

/// writeLine() with `"data":` \a payload: JSON data goes in as the bytes that came (key order and digits
/// kept; a line break between tokens becomes a space, so the output stays one line), never re-serialised.
void writeLineWithData(QJsonObject line, const wps::messages::Payload &payload)
{
    const bool json = payload.type == wps::messages::DataType::Json &&
                      !QJsonDocument::fromJson("[" + payload.bytes + "]").isNull();
    if (!json) {
        line.insert(u"data"_s, payloadJson(payload));
        writeLine(line);
        return;
    }
    QByteArray data = payload.bytes.trimmed();
    data.replace('\n', ' ').replace('\r', ' '); // inside JSON strings they are escaped, so these are spacing
    QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact);
    text.chop(1); // the closing brace
    text += (line.isEmpty() ? "" : ",") + QByteArrayLiteral("\"data\":") + data + "}";
    QTextStream out(stdout);
    out << QString::fromUtf8(text) << u'\n';
    out.flush();
}

struct ListenOptions
{
    wps::ClientAccess access;
    wps::live::Subprotocol protocol = wps::live::Subprotocol::JsonReliable;
    QString sendGroup;
    QString event;
    std::optional<wps::mqtt::Version> mqtt; ///< `--protocol mqtt|mqtt5`: an MQTT client instead
};

/// Runs one live client: prints what arrives as JSON lines, sends stdin lines, stops on EOF or SIGINT.
/// Returns 0 after a clean stop, 3 when the first connection is refused.
int runListen(const ListenOptions &options)
{
    using namespace wps::live;
    using wps::messages::DataMessage;
    LiveClient client(options.access.url, options.protocol);
    client.setName(u"listen"_s);

    bool everConnected = false;
    bool stdinEnded = false;
    bool stopping = false;
    int pendingAcks = 0;
    QStringList queued; // lines read before the connection was up
    QByteArray partial; // an unfinished stdin line
    int exitCode = kExitOk;

    auto stopWhenIdle = [&] {
        if (stopping || !stdinEnded || pendingAcks > 0 ||
            (!everConnected && client.state() != State::Stopped))
            return;
        if (!queued.isEmpty() && client.state() == State::Connected)
            return;
        stopping = true;
        client.stop();
    };
    auto sendLine = [&](const QString &line) {
        if (options.protocol == Subprotocol::None) {
            if (!client.sendText(line))
                writeErr(u"webpubsub: listen: not connected; line dropped\n"_s);
            return;
        }
        const auto payload = wps::messages::Payload::text(line);
        AckJob *job = options.sendGroup.isEmpty() ? client.sendEvent(options.event, payload)
                                                  : client.sendToGroup(options.sendGroup, payload);
        ++pendingAcks;
        QObject::connect(job, &AckJob::finished, &client, [&, job] {
            --pendingAcks;
            QJsonObject ack{
                {u"type"_s, u"ack"_s}, {u"operation"_s, job->operation()}, {u"success"_s, job->succeeded()}};
            if (job->ackId())
                ack.insert(u"ackId"_s, static_cast<qint64>(*job->ackId()));
            if (job->isDuplicated())
                ack.insert(u"duplicated"_s, true);
            if (job->error())
                ack.insert(u"error"_s, QJsonObject{{u"name"_s, job->error()->name},
                                                   {u"message"_s, job->error()->message}});
            writeLine(ack);
            job->deleteLater();
            stopWhenIdle();
        });
    };
    auto takeLine = [&](QByteArray bytes) {
        if (bytes.endsWith('\r'))
            bytes.chop(1);
        if (bytes.isEmpty())
            return;
        const QString line = QString::fromUtf8(bytes);
        if (client.state() == State::Connected && queued.isEmpty())
            sendLine(line);
        else
            queued.append(line);
    };

    QObject::connect(&client, &LiveClient::connected, &client,
                     [&](const QString &connectionId, const QString &userId) {
                         everConnected = true;
                         QJsonObject line{{u"type"_s, u"system"_s}, {u"event"_s, u"connected"_s}};
                         if (!connectionId.isEmpty())
                             line.insert(u"connectionId"_s, connectionId);
                         line.insert(u"userId"_s, userId.isEmpty() ? QJsonValue() : QJsonValue(userId));
                         writeLine(line);
                         const QStringList lines = std::exchange(queued, {});
                         for (const QString &queuedLine : lines)
                             sendLine(queuedLine);
                         stopWhenIdle();
                     });
    QObject::connect(&client, &LiveClient::disconnected, &client, [&](const QString &message) {
        writeLine({{u"type"_s, u"system"_s}, {u"event"_s, u"disconnected"_s}, {u"message"_s, message}});
        if (!everConnected && !stopping) {
            QString text = u"webpubsub: listen failed: "_s + message;
            // A refused upgrade: the status the service answered (LiveClient read it, and the reason).
            if (client.refusedStatus() > 0)
                text += u"\n  status: "_s + QString::number(client.refusedStatus());
            writeErr(text + u'\n');
            exitCode = kExitService;
        }
    });
    QObject::connect(&client, &LiveClient::stopped, &client, [&] { QCoreApplication::exit(exitCode); });
    auto printData = [](const DataMessage &message) {
        QJsonObject line{{u"type"_s, u"message"_s}};
        if (message.from == DataMessage::From::Group) {
            line.insert(u"from"_s, u"group"_s);
            line.insert(u"group"_s, message.group);
            if (message.fromUserId)
                line.insert(u"fromUserId"_s, *message.fromUserId);
        } else {
            line.insert(u"from"_s, u"server"_s);
        }
        line.insert(u"dataType"_s, wps::messages::dataTypeName(message.data.type));
        if (message.sequenceId)
            line.insert(u"sequenceId"_s, static_cast<qint64>(*message.sequenceId));
        writeLineWithData(line, message.data);
    };
    QObject::connect(&client, &LiveClient::groupMessage, &client, printData);
    QObject::connect(&client, &LiveClient::serverMessage, &client, printData);
    QObject::connect(&client, &LiveClient::rawMessage, &client, [](const QByteArray &data, bool isBinary) {
        writeLine({{u"type"_s, u"message"_s},
                   {u"from"_s, u"server"_s},
                   {u"dataType"_s, isBinary ? u"binary"_s : u"text"_s},
                   {u"data"_s, isBinary ? QString::fromLatin1(data.toBase64()) : QString::fromUtf8(data)}});
    });

#ifdef Q_OS_UNIX
    installSignalHandlers(&client, [&] {
        stdinEnded = true;
        queued.clear();
        pendingAcks = 0; // SIGINT does not wait for acks: stop() fails them
        stopping = true;
        client.stop();
    });
    // stdin: read what is there when it is readable; EOF stops the client once every line is acked.
    auto *input = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, &client);
    QObject::connect(input, &QSocketNotifier::activated, &client, [&, input] {
        char buffer[4096];
        const auto got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            input->setEnabled(false);
            if (!partial.isEmpty())
                takeLine(std::exchange(partial, {}));
            stdinEnded = true;
            stopWhenIdle();
            return;
        }
        partial.append(buffer, got);
        qsizetype newline = 0;
        while ((newline = partial.indexOf('\n')) >= 0) {
            takeLine(partial.left(newline));
            partial.remove(0, newline + 1);
        }
    });
#else
    stdinEnded = false; // no stdin reader on this platform: listen until the process is ended
#endif

    client.start();
    QCoreApplication::exec();
    return exitCode;
}

/// `listen --protocol mqtt|mqtt5`: one MQTT client (client ID `listen` + 12 random characters) on the hub's
/// MQTT endpoint. Prints what arrives as JSON lines (topic `$webpubsub/server/messages` as a server message,
/// other topics as group messages; text when the payload is UTF-8, else base64 binary), publishes stdin
/// lines to --send-group at QoS 1 and prints each PUBACK as an ack line; stops on EOF or SIGINT.
int runListenMqtt(const ListenOptions &options)
{
    using wps::live::MqttLiveClient;
    MqttLiveClient::Settings settings;
    settings.version = *options.mqtt;
    settings.clientId = u"listen"_s;
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = 0; i < 12; ++i)
        settings.clientId += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    MqttLiveClient client(options.access.url, settings);

    bool everConnected = false;
    bool stdinEnded = false;
    bool stopping = false;
    int pendingAcks = 0;
    QStringList queued;
    QByteArray partial;
    int exitCode = kExitOk;

    auto stopWhenIdle = [&] {
        if (stopping || !stdinEnded || pendingAcks > 0 || !everConnected)
            return; // before the CONNACK: wait for it (a refusal ends the client by itself)
        if (!queued.isEmpty() && client.isConnected())
            return;
        stopping = true;
        client.stop();
    };
    auto sendLine = [&](const QString &line) {
        if (options.sendGroup.isEmpty()) {
            writeErr(
                u"webpubsub: listen: MQTT clients publish to a topic: give --send-group; line dropped\n"_s);
            return;
        }
        if (client.publish(options.sendGroup, line.toUtf8(), 1) == 0) {
            writeErr(u"webpubsub: listen: not connected; line dropped\n"_s);
            return;
        }
        ++pendingAcks;
    };
    auto takeLine = [&](QByteArray bytes) {
        if (bytes.endsWith('\r'))
            bytes.chop(1);
        if (bytes.isEmpty())
            return;
        const QString line = QString::fromUtf8(bytes);
        if (client.isConnected() && queued.isEmpty())
            sendLine(line);
        else
            queued.append(line);
    };

    QObject::connect(&client, &MqttLiveClient::connected, &client, [&](const QString &clientId) {
        everConnected = true;
        writeLine({{u"type"_s, u"system"_s}, {u"event"_s, u"connected"_s}, {u"connectionId"_s, clientId}});
        const QStringList lines = std::exchange(queued, {});
        for (const QString &queuedLine : lines)
            sendLine(queuedLine);
        stopWhenIdle();
    });
    QObject::connect(&client, &MqttLiveClient::published, &client,
                     [&](quint16 packetId, quint8 code, const QString &reason) {
                         --pendingAcks;
                         QJsonObject ack{{u"type"_s, u"ack"_s},
                                         {u"operation"_s, u"publish"_s},
                                         {u"packetId"_s, packetId},
                                         {u"success"_s, code < 0x80}};
                         if (code >= 0x80)
                             ack.insert(u"error"_s, QJsonObject{{u"name"_s, wps::mqtt::reasonName(code)},
                                                                {u"message"_s, reason}});
                         writeLine(ack);
                         stopWhenIdle();
                     });
    QObject::connect(&client, &MqttLiveClient::disconnected, &client, [&](const QString &message) {
        writeLine({{u"type"_s, u"system"_s}, {u"event"_s, u"disconnected"_s}, {u"message"_s, message}});
        if (!everConnected && !stopping) {
            writeErr(u"webpubsub: listen failed: "_s + message + u'\n');
            exitCode = kExitService;
        }
    });
    QObject::connect(&client, &MqttLiveClient::stopped, &client, [&] { QCoreApplication::exit(exitCode); });
    QObject::connect(&client, &MqttLiveClient::message, &client,
                     [](const QString &topic, const QByteArray &payload, quint8) {
                         QJsonObject line{{u"type"_s, u"message"_s}};
                         if (topic == u"$webpubsub/server/messages"_s) {
                             line.insert(u"from"_s, u"server"_s);
                         } else {
                             line.insert(u"from"_s, u"group"_s);
                             line.insert(u"group"_s, topic);
                         }
                         QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
                         const QString text = decoder(payload);
                         line.insert(u"dataType"_s, decoder.hasError() ? u"binary"_s : u"text"_s);
                         line.insert(u"data"_s,
                                     decoder.hasError() ? QString::fromLatin1(payload.toBase64()) : text);
                         writeLine(line);
                     });

#ifdef Q_OS_UNIX
    installSignalHandlers(&client, [&] {
        stdinEnded = true;
        queued.clear();
        pendingAcks = 0;
        stopping = true;
        client.stop();
    });
    auto *input = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, &client);
    QObject::connect(input, &QSocketNotifier::activated, &client, [&, input] {
        char buffer[4096];
        const auto got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            input->setEnabled(false);
            if (!partial.isEmpty())
                takeLine(std::exchange(partial, {}));
            stdinEnded = true;
            stopWhenIdle();
            return;
        }
        partial.append(buffer, got);
        qsizetype newline = 0;
        while ((newline = partial.indexOf('\n')) >= 0) {
            takeLine(partial.left(newline));
            partial.remove(0, newline + 1);
        }
    });
#endif

    client.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace

/// True when \a argument holds something secret: the redaction of logs and traces would mask part of it (a
/// connection string's AccessKey, a JWT, `access_token=`, ...), or it looks like a bare access key (a long
/// run of base64 characters).
bool looksSecret(const QString &argument)
{
    if (wps::trace::redactSecrets(argument) != argument)
        return true;
    static const QRegularExpression bareKey(u"^[A-Za-z0-9+/=_-]{32,}$"_s);
    return bareKey.match(argument).hasMatch();
}

QString strayArgumentMessage(const QString &argument)
{
    if (looksSecret(argument))
        return u"unexpected argument (not shown: it looks like it holds an access key or token; pass a "
               "connection string with --connection-string or WEBPUBSUB_CONNECTION_STRING)."_s;
    return u"unexpected argument '%1'."_s.arg(argument.left(200));
}

/// The service's limit for one message body (1 MiB).
constexpr qsizetype kMaxPayloadBytes = 1024 * 1024;

/// How long a payload read may wait for data: --timeout, or 30 s.
std::chrono::milliseconds payloadWait(const QCommandLineParser &parser, const QCommandLineOption &timeout)
{
    bool ok = false;
    const double seconds = parser.value(timeout).toDouble(&ok);
    if (!parser.isSet(timeout) || !ok || seconds <= 0)
        return std::chrono::seconds(30);
    return std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
}

/// The payload from \a path, or from stdin when \a path is empty: at most kMaxPayloadBytes, read without
/// ever blocking longer than \a wait in all (the file is opened non-blocking, so a FIFO without a writer
/// cannot hang the open either). /dev/zero or an endless pipe stop at the limit.
wps::Expected<QByteArray, QString> readPayload(const QString &path, std::chrono::milliseconds wait)
{
    using R = wps::Expected<QByteArray, QString>;
    const QString what = path.isEmpty() ? u"stdin"_s : u"'%1'"_s.arg(path);
#ifdef Q_OS_UNIX
    int fd = STDIN_FILENO;
    if (!path.isEmpty()) {
        fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            return R::failure(
                u"cannot read %1: %2."_s.arg(what, QString::fromLocal8Bit(std::strerror(errno))));
    }
    struct Closer
    {
        int fd;
        ~Closer()
        {
            if (fd != STDIN_FILENO)
                ::close(fd);
        }
    } closer{fd};
    QByteArray data;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    char buffer[65536];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return R::failure(
                u"timed out after %1 s waiting for the payload from %2 (nothing more was written "
                "and it was not closed; --timeout sets the wait)."_s.arg(
                    QString::number(static_cast<double>(wait.count()) / 1000.0), what));
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<qint64>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR)
            return R::failure(
                u"cannot read %1: %2."_s.arg(what, QString::fromLocal8Bit(std::strerror(errno))));
        if (ready <= 0)
            continue;
        const qsizetype want = std::min<qsizetype>(sizeof buffer, kMaxPayloadBytes + 1 - data.size());
        const ssize_t got = ::read(fd, buffer, static_cast<size_t>(want));
        if (got == 0)
            break; // end of file
        if (got < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return R::failure(
                u"cannot read %1: %2."_s.arg(what, QString::fromLocal8Bit(std::strerror(errno))));
        }
        data.append(buffer, got);
        if (data.size() > kMaxPayloadBytes)
            return R::failure(
                u"the payload from %1 is larger than 1 MiB (1,048,576 bytes), the service's limit "
                "for one message; nothing was sent."_s.arg(what));
    }
    return data;
#else
    QFile file;
    const bool opened = path.isEmpty() ? file.open(stdin, QIODevice::ReadOnly)
                                       : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened)
        return R::failure(u"cannot read %1: %2."_s.arg(what, file.errorString()));
    Q_UNUSED(wait);
    QByteArray data = file.read(kMaxPayloadBytes + 1);
    if (data.size() > kMaxPayloadBytes)
        return R::failure(
            u"the payload from %1 is larger than 1 MiB, the service's limit; nothing was sent."_s.arg(what));
    return data;
#endif
}

/// The CLI prints only its own messages: Qt's and the libraries' log output is dropped unless asked for with
/// QT_LOGGING_RULES (then it goes to stderr as usual).
void quietMessageHandler(QtMsgType, const QMessageLogContext &, const QString &) {}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qInstallMessageHandler(quietMessageHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"webpubsub"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(WPS_VERSION_STRING));
    // stdout/stderr are the CLI's output; the client's own log only when asked for (QT_LOGGING_RULES).
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"wps.*.debug=false\nwps.*.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Azure Web PubSub data-plane REST client."_s);
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption connectionStringOption(
        u"connection-string"_s, u"Connection string (default: env WEBPUBSUB_CONNECTION_STRING)."_s, u"cs"_s);
    const QCommandLineOption endpointOption(
        u"endpoint"_s, u"Service endpoint without a key: authenticate with Entra ID (docs/entra-id.md)."_s,
        u"url"_s);
    const QCommandLineOption hubOption(u"hub"_s, u"Hub name (default: env AZURE_WEBPUBSUB_HUB)."_s, u"hub"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"Print machine-readable JSON on stdout."_s);
    const QCommandLineOption timeoutOption(u"timeout"_s, u"Seconds per attempt (default 30)."_s,
                                           u"seconds"_s);
    const QCommandLineOption retriesOption(u"retries"_s, u"Retries of transient failures (default 3)."_s,
                                           u"n"_s);
    const QCommandLineOption textOption(u"text"_s, u"Payload: text (text/plain)."_s, u"text"_s);
    const QCommandLineOption jsonBodyOption(
        u"json-body"_s, u"Payload: JSON (application/json); also --json JSON."_s, u"json"_s);
    const QCommandLineOption binaryOption(u"binary-file"_s,
                                          u"Payload: file bytes (application/octet-stream)."_s, u"path"_s);
    const QCommandLineOption contentTypeOption(u"content-type"_s, u"Content type of the payload."_s,
                                               u"type"_s);
    const QCommandLineOption excludedOption(u"excluded"_s, u"Connection ID to leave out (repeatable)."_s,
                                            u"id"_s);
    const QCommandLineOption filterOption(u"filter"_s, u"OData filter."_s, u"filter"_s);
    const QCommandLineOption ttlOption(u"ttl"_s, u"messageTtlSeconds (0..300)."_s, u"seconds"_s);
    const QCommandLineOption userOption(u"user"_s, u"User ID."_s, u"id"_s);
    const QCommandLineOption groupOption(u"group"_s, u"Group name (repeatable where it makes sense)."_s,
                                         u"group"_s);
    const QCommandLineOption connectionOption(u"connection"_s, u"Connection ID."_s, u"id"_s);
    const QCommandLineOption reasonOption(u"reason"_s, u"Close reason."_s, u"text"_s);
    const QCommandLineOption permissionOption(u"permission"_s, u"sendToGroup or joinLeaveGroup."_s, u"p"_s);
    const QCommandLineOption targetOption(u"target"_s, u"Permission target group (targetName)."_s,
                                          u"group"_s);
    const QCommandLineOption roleOption(u"role"_s, u"Token role (repeatable)."_s, u"role"_s);
    const QCommandLineOption minutesOption(u"minutes"_s, u"Token lifetime in minutes (default 60)."_s,
                                           u"n"_s);
    const QCommandLineOption clientTypeOption(u"client-type"_s, u"default, mqtt or socketio."_s, u"type"_s);
    const QCommandLineOption localOption(u"local"_s, u"Sign the token locally instead of :generateToken."_s);
    const QCommandLineOption maxPageSizeOption(u"maxpagesize"_s, u"Page size (1..200)."_s, u"n"_s);
    const QCommandLineOption topOption(u"top"_s, u"At most this many connections."_s, u"n"_s);
    const QCommandLineOption protocolOption(
        u"protocol"_s,
        u"listen: json, json.reliable (default), protobuf, protobuf.reliable, raw, mqtt (3.1.1) or mqtt5."_s,
        u"p"_s);
    const QCommandLineOption sendGroupOption(u"send-group"_s, u"listen: send stdin lines to this group."_s,
                                             u"group"_s);
    const QCommandLineOption eventOption(
        u"event"_s, u"listen: event name for stdin lines (default message)."_s, u"name"_s);
    parser.addOption(endpointOption);
    parser.addVersionOption();
    parser.addOptions({helpOption,      connectionStringOption,
                       hubOption,       jsonOption,
                       timeoutOption,   retriesOption,
                       textOption,      jsonBodyOption,
                       binaryOption,    contentTypeOption,
                       excludedOption,  filterOption,
                       ttlOption,       userOption,
                       groupOption,     connectionOption,
                       reasonOption,    permissionOption,
                       targetOption,    roleOption,
                       minutesOption,   clientTypeOption,
                       localOption,     maxPageSizeOption,
                       topOption,       protocolOption,
                       sendGroupOption, eventOption});
    parser.addOptions(wps::cli::traceOptions());
    parser.addPositionalArgument(u"command"_s, u"What to do; see the list above."_s);

    QStringList args = QCoreApplication::arguments();
    const bool isSend = args.size() > 1 && args.at(1).startsWith(u"send-to-"_s);
    std::optional<QString> jsonPayload = isSend ? takeJsonPayload(args) : std::nullopt;

    const bool jsonWanted = args.contains(u"--json"_s);
    if (!parser.parse(args))
        return Output(jsonWanted, {}).usage(parser.errorText());
    if (parser.isSet(u"version"_s)) {
        writeOut(u"webpubsub "_s + QCoreApplication::applicationVersion() + u"\n"_s);
        return kExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    if (parser.isSet(helpOption) || command == u"help" || command.isEmpty()) {
        writeOut(usageText(parser));
        return command.isEmpty() && !parser.isSet(helpOption) ? kExitUsage : kExitOk;
    }
    const bool json = parser.isSet(jsonOption);
    Output out(json, command);
    bool known = false;
    for (const Command &c : commands())
        known = known || c.name == command;
    if (!known)
        return out.usage(looksSecret(command)
                             ? u"unknown command (not shown: it looks like it holds an access "
                               "key or token)."_s
                             : u"unknown command '%1'."_s.arg(command));
    if (command == u"trace" && wps::cli::isTraceConvert(positional))
        return wps::cli::runTraceConvert(parser, positional); // needs no connection
    if (positional.size() > 1 && command != u"trace")
        return out.usage(strayArgumentMessage(positional.at(1)));

    // --endpoint without a key: the Entra ID credential chain (docs/entra-id.md).
    const bool useEntra = parser.isSet(endpointOption);
    if (useEntra && parser.isSet(connectionStringOption))
        return out.usage(u"use either --endpoint (Entra ID) or --connection-string, not both."_s);
    std::optional<wps::ConnectionString> connection;
    QUrl entraEndpoint;
    if (useEntra) {
        entraEndpoint = QUrl(parser.value(endpointOption), QUrl::StrictMode);
        if (!entraEndpoint.isValid() || entraEndpoint.host().isEmpty() ||
            (entraEndpoint.scheme() != u"https"_s && entraEndpoint.scheme() != u"http"_s))
            return out.usage(
                u"--endpoint needs an http(s) URL such as https://<name>.webpubsub.azure.com."_s);
    } else {
        QString connectionText = parser.value(connectionStringOption);
        if (connectionText.isEmpty())
            connectionText = qEnvironmentVariable("WEBPUBSUB_CONNECTION_STRING");
        if (connectionText.isEmpty())
            return out.usage(u"no connection string: use --connection-string or WEBPUBSUB_CONNECTION_STRING "
                             u"(or --endpoint for Entra ID)."_s);
        auto parsed = wps::ConnectionString::parse(connectionText);
        if (!parsed)
            return out.usage(parsed.error()); // never contains the key
        connection = *parsed;
    }
    QString hub = parser.value(hubOption);
    if (hub.isEmpty())
        hub = qEnvironmentVariable("AZURE_WEBPUBSUB_HUB");
    if (hub.isEmpty() && command != u"health" && command != u"trace")
        return out.usage(u"no hub: use --hub or AZURE_WEBPUBSUB_HUB."_s);

    auto intValue = [&parser](const QCommandLineOption &option, std::optional<int> *target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (ok)
            *target = value;
        return ok;
    };

    std::unique_ptr<ServiceClient> clientHolder;
    std::shared_ptr<const Credential> entraCredential; // also signs `trace record`'s live trace
    if (useEntra) {
        auto chain = wps::auth::CredentialChain::create(wps::auth::AuthEnvironment::fromProcess(), {},
                                                        QCoreApplication::instance());
        if (!chain)
            return out.usage(chain.error());
        (*chain)->setAutoRefresh(true);
        // The first token is fetched before any call: ServiceClient asks its credential synchronously.
        // A top-level exec() (not nested in another loop) runs until the chain has answered.
        wps::auth::TokenRequest *first = (*chain)->getToken(QString::fromUtf16(wps::auth::DataPlaneScope));
        QObject::connect(first, &wps::auth::TokenRequest::finished, first, [] { QCoreApplication::exit(0); });
        QCoreApplication::exec();
        if (!first->result().ok()) {
            ServiceError error;
            error.kind = ServiceError::Kind::Network;
            error.message = first->result().reason;
            error.target = u"Entra ID"_s;
            return out.error(error);
        }
        entraCredential = std::make_shared<wps::auth::EntraCredential>(*chain);
        clientHolder = std::make_unique<ServiceClient>(entraEndpoint, hub, entraCredential);
    } else {
        clientHolder = std::make_unique<ServiceClient>(*connection, hub);
    }
    ServiceClient &client = *clientHolder;
    ServiceClientOptions options = client.options();
    if (parser.isSet(timeoutOption)) {
        bool ok = false;
        const double seconds = parser.value(timeoutOption).toDouble(&ok);
        if (!ok || seconds <= 0)
            return out.usage(u"--timeout needs a positive number of seconds."_s);
        options.timeout = std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
    }
    std::optional<int> retries;
    if (!intValue(retriesOption, &retries) || (retries && *retries < 0))
        return out.usage(u"--retries needs a number >= 0."_s);
    if (retries)
        options.retry.maxRetries = *retries;
    client.setOptions(options);

    const QString user = parser.value(userOption);
    const QStringList groups = parser.values(groupOption);
    const QString group = groups.value(0);
    const QString connectionId = parser.value(connectionOption);
    auto require = [&](const QCommandLineOption &option, const QString &value) -> QString {
        return value.isEmpty() ? u"--%1 is required for %2."_s.arg(option.names().constFirst(), command)
                               : QString();
    };

    if (command == u"trace")
        return wps::cli::runTraceRecord(parser, positional, client, connection, entraCredential.get());
    if (command == u"listen") {
        ListenOptions listen;
        const QString protocolName = parser.isSet(protocolOption) ? parser.value(protocolOption) : QString();
        if (protocolName == u"mqtt"_s || protocolName == u"mqtt5"_s) {
            listen.mqtt = protocolName == u"mqtt"_s ? wps::mqtt::Version::V311 : wps::mqtt::Version::V5;
            if (parser.isSet(eventOption))
                return out.usage(
                    u"--event is not available with MQTT: publish to a topic with --send-group."_s);
        }
        const auto protocol =
            listen.mqtt ? std::optional<wps::live::Subprotocol>(wps::live::Subprotocol::None)
                        : listenProtocol(protocolName.isEmpty() ? u"json.reliable"_s : protocolName);
        if (!protocol)
            return out.usage(
                u"--protocol must be json, json.reliable, protobuf, protobuf.reliable, raw, mqtt or mqtt5."_s);
        listen.protocol = *protocol;
        listen.sendGroup = parser.value(sendGroupOption);
        listen.event = parser.isSet(eventOption) ? parser.value(eventOption) : u"message"_s;
        if (useEntra) {
            // No key: the client URL comes from `:generateToken`, called with the Entra ID token, as the
            // SDKs' getClientAccessToken() does with a TokenCredential. A top-level exec() waits for it.
            GenerateTokenOptions tokenOptions;
            tokenOptions.userId = user;
            tokenOptions.roles = parser.values(roleOption);
            tokenOptions.groups = groups;
            if (listen.mqtt)
                tokenOptions.clientType = wps::ClientProtocol::Mqtt;
            TokenJob *tokenJob = client.generateClientToken(tokenOptions);
            QObject::connect(tokenJob, &ServiceJob::finished, tokenJob, [] { QCoreApplication::exit(0); });
            QCoreApplication::exec();
            if (tokenJob->hasError())
                return out.error(tokenJob->error());
            listen.access = tokenJob->access();
            return listen.mqtt ? runListenMqtt(listen) : runListen(listen);
        }
        wps::ClientTokenOptions token;
        token.userId = user;
        token.roles = parser.values(roleOption);
        token.groups = groups;
        if (listen.mqtt)
            token.protocol = wps::ClientProtocol::Mqtt;
        const auto access = client.makeClientAccess(token);
        if (!access)
            return out.error(access.error());
        listen.access = *access;
        return listen.mqtt ? runListenMqtt(listen) : runListen(listen);
    }

    // Payload for the send commands.
    Message message;
    SendOptions sendOptions;
    if (isSend || command.startsWith(u"send-to-"_s)) {
        int sources = (parser.isSet(textOption) ? 1 : 0) + (parser.isSet(jsonBodyOption) ? 1 : 0) +
                      (parser.isSet(binaryOption) ? 1 : 0) + (jsonPayload ? 1 : 0);
        if (sources > 1)
            return out.usage(u"give one payload: --text, --json, --json-body or --binary-file."_s);
        if (parser.isSet(textOption)) {
            message = Message::text(parser.value(textOption));
        } else if (jsonPayload || parser.isSet(jsonBodyOption)) {
            const QByteArray data = (jsonPayload ? *jsonPayload : parser.value(jsonBodyOption)).toUtf8();
            // Exactly one JSON value (any kind), as the service requires of an application/json body.
            if (const QString why = wps::jsontext::checkValue(data); !why.isEmpty())
                return out.usage(u"the JSON payload is not valid JSON: %1"_s.arg(why));
            message = Message::json(data);
        } else {
            // A file or stdin: read at most the service's 1 MiB (and one byte to notice more), waiting for
            // data no longer than --timeout (a FIFO nobody writes to, a terminal nobody types in).
            const bool fromFile = parser.isSet(binaryOption);
            auto read = readPayload(fromFile ? parser.value(binaryOption) : QString(),
                                    payloadWait(parser, timeoutOption));
            if (!read)
                return out.usage(read.error());
            message = fromFile ? Message::binary(*read) : Message{*read, QByteArrayLiteral("text/plain")};
        }
        if (parser.isSet(contentTypeOption))
            message.contentType = parser.value(contentTypeOption).toUtf8();
        sendOptions.excluded = parser.values(excludedOption);
        sendOptions.filter = parser.value(filterOption);
        if (!intValue(ttlOption, &sendOptions.messageTtlSeconds))
            return out.usage(u"--ttl needs a number of seconds."_s);
    }
    CloseOptions closeOptions{parser.value(reasonOption), parser.values(excludedOption)};

    QString missing;
    ServiceJob *job = nullptr;
    std::function<int()> onSuccess = [&] {
        return out.ok({{u"status"_s, job->httpStatus()}}, u"OK (HTTP %1)"_s.arg(job->httpStatus()));
    };
    auto existsResult = [&out](ExistsJob *existsJob) {
        const bool yes = existsJob->exists();
        out.ok({{u"exists"_s, yes}, {u"status"_s, existsJob->httpStatus()}}, yes ? u"true"_s : u"false"_s);
        return yes ? kExitOk : kExitFalse;
    };

    if (command == u"send-to-all") {
        job = client.sendToAll(message, sendOptions);
    } else if (command == u"send-to-user") {
        missing = require(userOption, user);
        job = missing.isEmpty() ? client.sendToUser(user, message, sendOptions) : nullptr;
    } else if (command == u"send-to-group") {
        missing = require(groupOption, group);
        job = missing.isEmpty() ? client.sendToGroup(group, message, sendOptions) : nullptr;
    } else if (command == u"send-to-connection") {
        missing = require(connectionOption, connectionId);
        job = missing.isEmpty() ? client.sendToConnection(connectionId, message, sendOptions) : nullptr;
    } else if (command == u"add-connection-to-group" || command == u"remove-connection-from-group") {
        missing = require(groupOption, group) + require(connectionOption, connectionId);
        if (missing.isEmpty())
            job = command.startsWith(u"add"_s) ? client.addConnectionToGroup(group, connectionId)
                                               : client.removeConnectionFromGroup(group, connectionId);
    } else if (command == u"remove-connection-from-all-groups") {
        missing = require(connectionOption, connectionId);
        job = missing.isEmpty() ? client.removeConnectionFromAllGroups(connectionId) : nullptr;
    } else if (command == u"add-user-to-group" || command == u"remove-user-from-group") {
        missing = require(groupOption, group) + require(userOption, user);
        if (missing.isEmpty())
            job = command.startsWith(u"add"_s) ? client.addUserToGroup(group, user)
                                               : client.removeUserFromGroup(group, user);
    } else if (command == u"remove-user-from-all-groups") {
        missing = require(userOption, user);
        job = missing.isEmpty() ? client.removeUserFromAllGroups(user) : nullptr;
    } else if (command == u"add-to-groups" || command == u"remove-from-groups") {
        missing = require(groupOption, group);
        if (missing.isEmpty())
            job = command.startsWith(u"add"_s)
                      ? client.addConnectionsToGroups(groups, parser.value(filterOption))
                      : client.removeConnectionsFromGroups(groups, parser.value(filterOption));
    } else if (command == u"connection-exists" || command == u"user-exists" || command == u"group-exists") {
        ExistsJob *existsJob = nullptr;
        if (command == u"connection-exists") {
            missing = require(connectionOption, connectionId);
            existsJob = missing.isEmpty() ? client.connectionExists(connectionId) : nullptr;
        } else if (command == u"user-exists") {
            missing = require(userOption, user);
            existsJob = missing.isEmpty() ? client.userExists(user) : nullptr;
        } else {
            missing = require(groupOption, group);
            existsJob = missing.isEmpty() ? client.groupExists(group) : nullptr;
        }
        job = existsJob;
        onSuccess = [&existsResult, existsJob] { return existsResult(existsJob); };
    } else if (command == u"close-connection") {
        missing = require(connectionOption, connectionId);
        job = missing.isEmpty() ? client.closeConnection(connectionId, parser.value(reasonOption)) : nullptr;
    } else if (command == u"close-all") {
        job = client.closeAllConnections(closeOptions);
    } else if (command == u"close-group") {
        missing = require(groupOption, group);
        job = missing.isEmpty() ? client.closeGroupConnections(group, closeOptions) : nullptr;
    } else if (command == u"close-user") {
        missing = require(userOption, user);
        job = missing.isEmpty() ? client.closeUserConnections(user, closeOptions) : nullptr;
    } else if (command == u"grant" || command == u"revoke" || command == u"check") {
        const QString permission = parser.value(permissionOption);
        const QString target = parser.value(targetOption);
        missing = require(permissionOption, permission) + require(connectionOption, connectionId) +
                  require(targetOption, target);
        if (missing.isEmpty()) {
            if (command == u"grant") {
                job = client.grantPermission(permission, connectionId, target);
            } else if (command == u"revoke") {
                job = client.revokePermission(permission, connectionId, target);
            } else {
                ExistsJob *checkJob = client.checkPermission(permission, connectionId, target);
                job = checkJob;
                onSuccess = [&existsResult, checkJob] { return existsResult(checkJob); };
            }
        }
    } else if (command == u"token") {
        std::optional<int> minutes;
        if (!intValue(minutesOption, &minutes))
            return out.usage(u"--minutes needs a number."_s);
        wps::ClientProtocol protocol = wps::ClientProtocol::Default;
        if (parser.isSet(clientTypeOption) &&
            !wps::parseClientProtocol(parser.value(clientTypeOption), &protocol))
            return out.usage(u"--client-type must be default, mqtt or socketio."_s);
        if (parser.isSet(localOption)) {
            wps::ClientTokenOptions local;
            local.userId = user;
            local.roles = parser.values(roleOption);
            local.groups = groups;
            local.protocol = protocol;
            if (minutes)
                local.lifetime = std::chrono::minutes(*minutes);
            const auto access = client.makeClientAccess(local);
            if (!access)
                return out.error(access.error());
            return out.ok(accessJson(*access), accessText(*access));
        }
        GenerateTokenOptions tokenOptions;
        tokenOptions.userId = user;
        tokenOptions.roles = parser.values(roleOption);
        tokenOptions.groups = groups;
        tokenOptions.minutesToExpire = minutes;
        tokenOptions.clientType = protocol;
        TokenJob *tokenJob = client.generateClientToken(tokenOptions);
        job = tokenJob;
        onSuccess = [&out, tokenJob] {
            return out.ok(accessJson(tokenJob->access()), accessText(tokenJob->access()));
        };
    } else if (command == u"list-group-connections") {
        ListOptions listOptions;
        if (!intValue(maxPageSizeOption, &listOptions.maxPageSize) || !intValue(topOption, &listOptions.top))
            return out.usage(u"--maxpagesize and --top need numbers."_s);
        missing = require(groupOption, group);
        ListConnectionsJob *listJob =
            missing.isEmpty() ? client.listConnectionsInGroup(group, listOptions) : nullptr;
        job = listJob;
        onSuccess = [&out, listJob] {
            QJsonArray members;
            QString text;
            const QList<GroupMember> list = listJob->members();
            for (const GroupMember &member : list) {
                members.append(
                    QJsonObject{{u"connectionId"_s, member.connectionId},
                                {u"userId"_s, member.hasUser ? QJsonValue(member.userId) : QJsonValue()}});
                text += member.connectionId + u'\t' + (member.hasUser ? member.userId : u"-"_s) + u'\n';
            }
            text.chop(1);
            return out.ok({{u"connections"_s, members}, {u"pages"_s, listJob->pages()}}, text);
        };
    } else if (command == u"health") {
        job = client.health();
        onSuccess = [&out, &job] { return out.ok({{u"status"_s, job->httpStatus()}}, u"healthy"_s); };
    }
    if (!missing.isEmpty())
        return out.usage(missing.section(u'.', 0, 0) + u'.');
    if (!job)
        return out.usage(u"nothing to do."_s);

    int exitCode = kExitService;
    QObject::connect(job, &ServiceJob::finished, &app, [&] {
        exitCode = job->hasError() ? out.error(job->error()) : onSuccess();
        QCoreApplication::exit(exitCode);
    });
    QCoreApplication::exec();
    return exitCode;
}
