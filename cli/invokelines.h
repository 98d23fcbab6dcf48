#pragma once

#include "protocol/messages.h"

#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

namespace wps::live {
class LiveClient;
class InvocationJob;
} // namespace wps::live

namespace wps::cli {

/// One line `webpubsub listen --invoke EVENT` prints for an answered invocation (docs/cli.md): the JSON
/// members, and the answer's data, printed after them as it came (JSON byte for byte).
struct InvocationLine
{
    QJsonObject members;
    std::optional<messages::Payload> data;
};

/// The line for a finished \a job: `{"type":"invokeResponse","invocationId":"1","event":"echo",
/// "success":true,"elapsedMs":12,"dataType":"text"}` + data, or `"success":false` with
/// `"error":{"name":…,"message":…}` (the service's error, or Timeout/Cancelled/NotConnected of this side).
InvocationLine invocationLine(const live::InvocationJob &job);

/// `listen --invoke EVENT`: sends \a text as the text payload of an invocation of \a event and calls \a done
/// once with its line (\a timeout 0: wait until the answer or the end of the connection).
void invokeLine(live::LiveClient &client, const QString &event, const QString &text,
                std::chrono::milliseconds timeout, std::function<void(const InvocationLine &)> done);

} // namespace wps::cli
