#include "panels/trace/ratechart.h"

#include "trace/tracestore.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace wps::ui {

RateChart::RateChart(wps::trace::TraceStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_chart(new QChart())
    , m_inSeries(new QLineSeries(this))
    , m_outSeries(new QLineSeries(this))
    , m_yAxis(new QValueAxis(this))
{
    setObjectName(QStringLiteral("rateChart"));
    m_inSeries->setName(tr("in /s"));
    m_outSeries->setName(tr("out /s"));
    m_chart->addSeries(m_inSeries);
    m_chart->addSeries(m_outSeries);
    auto *xAxis = new QValueAxis(this);
    xAxis->setRange(-seconds, 0);
    xAxis->setLabelFormat(QStringLiteral("%d s"));
    xAxis->setTickCount(5);
    m_yAxis->setRange(0, 10);
    m_yAxis->setTickCount(3); // a short strip: three labels fit
    m_yAxis->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    for (QLineSeries *series : {m_inSeries, m_outSeries}) {
        series->attachAxis(xAxis);
        series->attachAxis(m_yAxis);
    }
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(0);
    // Follow the window's palette (light or dark) instead of the chart theme's white.
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    m_chart->legend()->setLabelColor(palette().color(QPalette::Text));
    xAxis->setLabelsColor(palette().color(QPalette::Text));
    m_yAxis->setLabelsColor(palette().color(QPalette::Text));
    auto *view = new QChartView(m_chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    setMinimumHeight(fontMetrics().height() * 9);

    m_nextId = store->endId();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &RateChart::tick);
    m_timer.start();
}

void RateChart::tick()
{
    const quint64 end = m_store->endId();
    qint64 in = 0;
    qint64 out = 0;
    // Only the records since the last tick, without payloads: cheap even on a busy hub.
    m_store->forEach(
        std::max(m_nextId, m_store->firstId()), end,
        [&](const wps::trace::TraceRecordView &r) {
            if (r.direction == wps::trace::Direction::In)
                ++in;
            else if (r.direction == wps::trace::Direction::Out)
                ++out;
        },
        false);
    m_nextId = end;
    m_lastIn = in;
    m_lastOut = out;
    ++m_tick;
    // Shift the window: x is seconds relative to now.
    for (QLineSeries *series : {m_inSeries, m_outSeries}) {
        QList<QPointF> points = series->points();
        for (QPointF &p : points)
            p.setX(p.x() - 1);
        points.erase(
            std::remove_if(points.begin(), points.end(), [](const QPointF &p) { return p.x() < -seconds; }),
            points.end());
        points.append(QPointF(0, series == m_inSeries ? in : out));
        series->replace(points);
    }
    qreal top = 10;
    for (QLineSeries *series : {m_inSeries, m_outSeries}) {
        for (const QPointF &p : series->points())
            top = std::max(top, p.y());
    }
    m_yAxis->setRange(0, top * 1.1);
}

} // namespace wps::ui
