// MainWindow's remembered layout (geometry, docks, remembered table columns, presentation mode in the
// settings), fitting the window to its screen, and presentation mode.
#include "mainwindow/mainwindow.h"
#include "mainwindow/mainwindow_p.h"
#include "panels/common/viewstate.h"
#include "panels/trace/tracepanel.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QHeaderView>
#include <QListWidget>
#include <QScreen>
#include <QSettings>
#include <QSplitter>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

constexpr int kLayoutVersion = 1;
const auto kGeometryKey = u"window/geometry"_s;
const auto kStateKey = u"window/state"_s;
const auto kPresentationKey = u"window/presentation"_s;
// Remembered table columns: columns/<table>/state (QHeaderView::saveState) and /count (the model's columns).
const auto kColumnsGroup = u"columns/"_s;
const auto kColumnsStateKey = u"state"_s;
const auto kColumnsCountKey = u"count"_s;
// Presentation mode: fonts this much larger, for a projector at the back of a room.
constexpr qreal kPresentationScale = 1.5;
// The first window's largest size: more than this reads as empty space on a large monitor.
constexpr int kPreferredWidth = 1280;
constexpr int kPreferredHeight = 800;
// Room left for the window manager's frame (title bar, borders), which is unknown before the window shows.
constexpr int kFrameAllowanceWidth = 16;
constexpr int kFrameAllowanceHeight = 48;

} // namespace

std::unique_ptr<QSettings> MainWindow::settings() const
{
    if (m_settingsFile.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(m_settingsFile, QSettings::IniFormat);
}

void MainWindow::setSettingsFile(const QString &path)
{
    m_settingsFile = path;
    m_trace->setSettingsFile(path);
}

void MainWindow::restoreLayout()
{
    m_defaultState = saveState(kLayoutVersion);
    const auto store = settings();
    const QByteArray geometry = store->value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = store->value(kStateKey).toByteArray();
    if (!state.isEmpty() && !restoreState(state, kLayoutVersion))
        qCInfo(lcWindow) << "saved layout ignored (other version)";
    // Column widths, order and hidden columns of the tables that asked to be remembered (rememberColumns());
    // a table whose columns changed since (another version) keeps its defaults.
    const QList<QHeaderView *> headers = findChildren<QHeaderView *>();
    for (QHeaderView *header : headers) {
        const QString key = rememberedColumnsKey(header);
        if (key.isEmpty())
            continue;
        store->beginGroup(kColumnsGroup + key);
        const QByteArray columns = store->value(kColumnsStateKey).toByteArray();
        if (!columns.isEmpty() && store->value(kColumnsCountKey).toInt() == header->count())
            header->restoreState(columns);
        store->endGroup();
    }
    setPresentationMode(store->value(kPresentationKey, false).toBool());
    fitToScreen(false); // a layout saved on a larger screen still fits this one
}

void MainWindow::fitToScreen(bool initial)
{
    const QScreen *target = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!target)
        return;
    const QRect available = target->availableGeometry();
    const int maxWidth = std::max(available.width() - kFrameAllowanceWidth, 1);
    const int maxHeight = std::max(available.height() - kFrameAllowanceHeight, 1);
    if (initial) {
        resize(std::min(kPreferredWidth, maxWidth), std::min(kPreferredHeight, maxHeight));
        return;
    }
    if (isMaximized() || isFullScreen())
        return;
    if (width() > maxWidth || height() > maxHeight)
        resize(std::min(width(), maxWidth), std::min(height(), maxHeight));
    QRect frame = frameGeometry();
    if (!available.contains(frame)) {
        frame.moveLeft(std::clamp(frame.left(), available.left(),
                                  std::max(available.left(), available.right() - frame.width() + 1)));
        frame.moveTop(std::clamp(frame.top(), available.top(),
                                 std::max(available.top(), available.bottom() - frame.height() + 1)));
        move(frame.topLeft());
    }
}

bool MainWindow::presentationMode() const
{
    return m_presentation;
}

void MainWindow::setPresentationMode(bool on)
{
    if (QAction *toggle = action(u"actionPresentation"_s); toggle && toggle->isChecked() != on)
        toggle->setChecked(on); // comes back here through toggled
    if (m_presentation == on)
        return;
    m_presentation = on;
    QFont larger = m_baseFont;
    if (on) {
        if (larger.pointSizeF() > 0)
            larger.setPointSizeF(larger.pointSizeF() * kPresentationScale);
        else
            larger.setPixelSize(qRound(larger.pixelSize() * kPresentationScale));
    }
    setFont(on ? larger : m_baseFont);
    // Fonts set explicitly on a widget (headings, navigation) do not inherit: scale them alongside.
    const QList<QWidget *> children = findChildren<QWidget *>();
    for (QWidget *child : children) {
        if (!child->testAttribute(Qt::WA_SetFont) || child->isWindow())
            continue;
        QVariant base = child->property("wpsBaseFont");
        if (!base.isValid()) {
            child->setProperty("wpsBaseFont", child->font());
            base = child->font();
        }
        QFont font = base.value<QFont>();
        if (on && font.pointSizeF() > 0)
            font.setPointSizeF(font.pointSizeF() * kPresentationScale);
        child->setFont(font);
    }
    // The navigation's width follows its font, as when the window was built.
    const int em = m_navigation->fontMetrics().horizontalAdvance(u'M');
    m_navigation->setMinimumWidth(11 * em);
    m_navigation->setMaximumWidth(18 * em);
    if (auto *splitter = findChild<QSplitter *>(u"workspaceSplitter"_s))
        splitter->setSizes({13 * em, std::max(splitter->width() - 13 * em, 1)});
    const auto store = settings();
    store->setValue(kPresentationKey, on);
}

void MainWindow::saveLayout() const
{
    const auto store = settings();
    store->setValue(kGeometryKey, saveGeometry());
    store->setValue(kStateKey, saveState(kLayoutVersion));
    const QList<QHeaderView *> headers = findChildren<QHeaderView *>();
    for (QHeaderView *header : headers) {
        const QString key = rememberedColumnsKey(header);
        if (key.isEmpty())
            continue;
        store->beginGroup(kColumnsGroup + key);
        store->setValue(kColumnsStateKey, header->saveState());
        store->setValue(kColumnsCountKey, header->count());
        store->endGroup();
    }
    store->sync();
}

void MainWindow::resetLayout()
{
    if (m_defaultState.isEmpty())
        m_defaultState = saveState(kLayoutVersion);
    restoreState(m_defaultState, kLayoutVersion);
    for (QDockWidget *dock : std::as_const(m_docks))
        dock->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace wps::ui
