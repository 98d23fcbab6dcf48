// `webpubsub listen --invoke EVENT`: every stdin line is an invocation of EVENT, every answer one JSON line.
#include "cli/invokelines.h"

#include "live/invocations.h"
#include "live/liveclient.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

InvocationLine invocationLine(const live::InvocationJob &job)
{
    InvocationLine line;
    line.members.insert(u"type"_s, u"invokeResponse"_s);
    if (!job.invocationId().isEmpty())
        line.members.insert(u"invocationId"_s, job.invocationId());
    line.members.insert(u"event"_s, job.eventName());
    line.members.insert(u"success"_s, job.succeeded());
    if (job.elapsedMs() >= 0)
        line.members.insert(u"elapsedMs"_s, job.elapsedMs());
    if (job.error()) {
        line.members.insert(
            u"error"_s, QJsonObject{{u"name"_s, job.error()->name}, {u"message"_s, job.error()->message}});
    } else if (job.data()) {
        line.members.insert(u"dataType"_s, messages::dataTypeName(job.data()->type));
        line.data = job.data();
    }
    return line;
}

void invokeLine(live::LiveClient &client, const QString &event, const QString &text,
                std::chrono::milliseconds timeout, std::function<void(const InvocationLine &)> done)
{
    live::InvocationJob *job = client.invoke(event, messages::Payload::text(text), timeout);
    QObject::connect(job, &live::InvocationJob::finished, &client, [job, done = std::move(done)] {
        done(invocationLine(*job));
        job->deleteLater();
    });
}

} // namespace wps::cli
