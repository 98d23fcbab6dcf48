// TraceModel's pairing of the console's and the service's records of one event (docs/trace.md): a console row
// that the service's live trace also reports is shown once, as "console + service".
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

// The two sides of one event are paired only this close in time (the service's clock is not ours).
constexpr qint64 kPairWindowMs = 60'000;
constexpr qint64 kUnbounded = std::numeric_limits<qint64>::max();

/// What ties the console's and the service's record of one event together, or empty: the REST call's
/// client request id (the console's response row; the service's request record), a live client's ackId
/// frame (the console's outgoing frame; the service's "received" record), a connection's start and end.
QString pairKey(const TraceRecordView &r)
{
    const bool service = r.source == Source::Service;
    if (r.kind == Kind::Http && r.direction == Direction::In && !r.correlation.isEmpty() &&
        !(service && r.type.startsWith(u"upstream")))
        return u"h:"_s + r.correlation;
    if (r.kind == Kind::Frame && r.direction == (service ? Direction::In : Direction::Out) &&
        r.correlation.startsWith(u"ack:"))
        return u"a:"_s + r.correlation;
    if (r.connectionId.isEmpty())
        return {};
    if (service ? r.type == u"ConnectionConnected"
                : (r.kind == Kind::Frame && r.direction == Direction::In && r.type == u"connected"))
        return u"c:"_s + r.connectionId;
    if (service ? r.type == u"ConnectionDisconnected" : (r.kind == Kind::Lifecycle && r.type == u"close"))
        return u"d:"_s + r.connectionId;
    return {};
}

} // namespace

void TraceModel::resetPairing()
{
    m_serviceSeen = false;
    m_waitConsole.clear();
    m_waitService.clear();
    m_merged.clear();
    m_mergedPruneAt = kMaxWaiting;
}

int TraceModel::rowOfRecord(quint64 id, qint64 ms) const
{
    const auto begin = m_times.begin() + std::ptrdiff_t(m_head);
    for (auto at = std::lower_bound(begin, m_times.end(), ms); at != m_times.end() && *at == ms; ++at) {
        const auto i = std::size_t(at - m_times.begin());
        if (m_rows[i] == id)
            return int(i - m_head);
    }
    return -1;
}

void TraceModel::pairFound(quint64 from, quint64 to, std::vector<quint64> *found, std::vector<qint64> *times)
{
    if (found->empty() || !m_store)
        return;
    // Until the service's live trace shows up, no record has a partner: nothing is read.
    if (!noticeService(from, to, *found, *times))
        return;
    std::vector<char> drop(found->size(), 0);
    std::vector<PairWaiting> repaint; // console rows shown that a service record joins
    std::vector<PairWaiting> remove;  // service rows shown that their console record replaces
    matchPartners(from, to, *found, &drop, &repaint, &remove);
    showPairs(remove, repaint);
    if (std::find(drop.begin(), drop.end(), 1) == drop.end())
        return;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < found->size(); ++i) {
        if (drop[i])
            continue;
        (*found)[kept] = (*found)[i];
        (*times)[kept] = (*times)[i];
        ++kept;
    }
    found->resize(kept);
    times->resize(kept);
}

bool TraceModel::noticeService(quint64 from, quint64 to, const std::vector<quint64> &found,
                               const std::vector<qint64> &times)
{
    if (m_serviceSeen)
        return true;
    std::vector<quint64> service;
    m_store->match(m_serviceFilter, from, to, &service, kUnbounded);
    std::vector<quint64> shown;
    std::set_intersection(service.begin(), service.end(), found.begin(), found.end(),
                          std::back_inserter(shown));
    if (shown.empty())
        return false;
    m_serviceSeen = true;
    // The console's rows of the last minute may be waiting for these: they are read now, once.
    const qint64 since = *std::min_element(times.begin(), times.end()) - kPairWindowMs;
    int read = 0;
    for (std::size_t i = m_rows.size(); i > m_head && read < kMaxWaiting && m_times[i - 1] >= since;
         --i, ++read) {
        TraceRecordView r;
        if (!m_store->record(m_rows[i - 1], &r, false) || r.source == Source::Service)
            continue;
        if (const QString key = pairKey(r); !key.isEmpty() && !m_waitConsole.contains(key))
            m_waitConsole.insert(key, PairWaiting{m_rows[i - 1], r.timestampMs});
    }
    return true;
}

void TraceModel::matchPartners(quint64 from, quint64 to, const std::vector<quint64> &found,
                               std::vector<char> *drop, std::vector<PairWaiting> *repaint,
                               std::vector<PairWaiting> *remove)
{
    std::vector<quint64> candidates;
    m_store->match(m_pairFilter, from, to, &candidates, kUnbounded);
    QHash<quint64, std::size_t> waitingInBatch; // service records of this batch waiting -> index in found
    std::size_t c = 0;
    for (std::size_t i = 0; i < found.size() && c < candidates.size(); ++i) {
        const quint64 id = found[i];
        while (c < candidates.size() && candidates[c] < id)
            ++c;
        if (c == candidates.size() || candidates[c] != id)
            continue;
        TraceRecordView r;
        if (!m_store->record(id, &r, false))
            continue;
        const QString key = pairKey(r);
        if (key.isEmpty())
            continue;
        const bool service = r.source == Source::Service;
        QHash<QString, PairWaiting> &other = service ? m_waitConsole : m_waitService;
        if (const auto it = other.find(key);
            it != other.end() && std::abs(it->ms - r.timestampMs) <= kPairWindowMs) {
            const PairWaiting partner = *it;
            other.erase(it);
            if (service) {
                m_merged.insert(partner.id, id);
                (*drop)[i] = 1;
                repaint->push_back(partner);
            } else {
                m_merged.insert(id, partner.id);
                if (const auto b = waitingInBatch.constFind(partner.id); b != waitingInBatch.cend())
                    (*drop)[*b] = 1;
                else
                    remove->push_back(partner);
            }
            continue;
        }
        QHash<QString, PairWaiting> &mine = service ? m_waitService : m_waitConsole;
        if (mine.size() >= kMaxWaiting) {
            const qint64 stale = r.timestampMs - kPairWindowMs;
            mine.removeIf(
                [stale](QHash<QString, PairWaiting>::iterator it) { return it.value().ms < stale; });
            if (mine.size() >= kMaxWaiting)
                mine.clear();
        }
        mine.insert(key, PairWaiting{id, r.timestampMs});
        if (service)
            waitingInBatch.insert(id, i);
    }
}

void TraceModel::showPairs(const std::vector<PairWaiting> &remove, const std::vector<PairWaiting> &repaint)
{
    // Service rows shown alone until now give way to the console's row of the same event.
    for (const PairWaiting &gone : remove) {
        const int row = rowOfRecord(gone.id, gone.ms);
        if (row < 0)
            continue;
        const std::size_t at = m_head + std::size_t(row);
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + std::ptrdiff_t(at));
        m_times.erase(m_times.begin() + std::ptrdiff_t(at));
        endRemoveRows();
        for (int column = 0; column <= ErrorColumnKey; ++column)
            m_textCache.remove(gone.id * cacheStride + quint64(column));
    }
    // Console rows already shown now say "console + service" (and what the service added).
    for (const PairWaiting &joined : repaint) {
        for (int column = 0; column <= ErrorColumnKey; ++column)
            m_textCache.remove(joined.id * cacheStride + quint64(column));
        if (const int row = rowOfRecord(joined.id, joined.ms); row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

} // namespace wps::trace
