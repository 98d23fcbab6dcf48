#pragma once

#include <QTimer>
#include <QWidget>

namespace wps::trace {
class TraceStore;
}

class QChart;
class QLineSeries;
class QValueAxis;

namespace wps::ui {

/// Events per second into and out of the console over the last two minutes (Qt Charts). Once a second it
/// counts only the records appended since the last tick (never rescans the store), by direction.
class RateChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr int seconds = 120;

    explicit RateChart(wps::trace::TraceStore *store, QWidget *parent = nullptr);

    /// Counts the new records now (the timer does this each second).
    void tick();
    qint64 lastIn() const { return m_lastIn; }
    qint64 lastOut() const { return m_lastOut; }

private:
    wps::trace::TraceStore *m_store;
    QChart *m_chart = nullptr;
    QLineSeries *m_inSeries = nullptr;
    QLineSeries *m_outSeries = nullptr;
    QValueAxis *m_yAxis = nullptr;
    QTimer m_timer;
    quint64 m_nextId = 0;
    qint64 m_tick = 0;
    qint64 m_lastIn = 0;
    qint64 m_lastOut = 0;
};

} // namespace wps::ui
