#pragma once

#include "live/liveclient.h"
#include "service/httptrace.h"
#include "trace/traceevent.h"

#include <QMetaObject>

namespace wps::service {
class HttpClient;
}

namespace wps::trace {

class TraceStore;

/// The REST client's observation (HttpTrace) as a trace event: Out for a request, In for a response. The
/// hub, user and group come from the URL path (/api/hubs/{hub}/users/{user}/groups/{group}/...); the
/// payload is the header block and the body preview, like a raw HTTP message. The correlation is the
/// client request id header (x-ms-client-request-id, else x-ms-request-id) when the trace has one, else
/// "http:<client>:<exchangeId>" so a request and its response pair up; \a client tells clients apart.
TraceEvent fromHttpTrace(const service::HttpTrace &trace, QStringView client = u"0");

/// The correlation of a live client's frame: "ack:<connectionId>:<ackId>" for a frame carrying an ackId
/// (a request, or the ack answering it), "conn:<connectionId>" for open/connected/disconnected/close;
/// empty otherwise. \a connectionId is the one the record belongs to (FrameRecord's may still be empty
/// for the `connected` frame, which names it).
QString frameCorrelation(const live::FrameRecord &record, const QString &connectionId);

/// Who a live client is, for the rows of its frames (FrameRecord does not say).
struct LiveContext
{
    QString hub;
    QString userId;
};

/// A live client's FrameRecord as a trace event. The group is read from the frame's JSON `group` member
/// when the preview has one.
TraceEvent fromFrameRecord(const live::FrameRecord &record, const LiveContext &context, qint64 timestampMs);

/// Feeds \a client's frames into \a store from the client's thread (the store is thread-safe). The
/// user id is taken from the client once it is connected. Disconnect the returned connection to stop.
QMetaObject::Connection attach(live::LiveClient *client, TraceStore *store, const QString &hub);
/// Feeds every request and response of \a client (HttpClient::traced: a ServiceClient's REST calls, an
/// ArmClient's management calls) into \a store.
QMetaObject::Connection attach(service::HttpClient *client, TraceStore *store);

} // namespace wps::trace
