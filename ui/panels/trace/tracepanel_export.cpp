#include "panels/trace/tracepanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "trace/traceexport.h"
#include "trace/tracehistory.h"
#include "trace/tracejsonl.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QToolButton>

// TracePanel's Export and Import buttons: the trace to JSON Lines, HAR or CSV, and back from a file or from
// the sessions the window kept.

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

QToolButton *TracePanel::buildExportButton()
{
    auto *exportButton = new QToolButton(this);
    exportButton->setObjectName(u"traceExport"_s);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("JSON Lines (re-importable)…"), this, [this] { chooseExport(u"jsonl"_s); });
    exportMenu->addAction(tr("HAR 1.2 (HTTP exchanges and WebSockets)…"), this,
                          [this] { chooseExport(u"har"_s); });
    exportMenu->addAction(tr("CSV…"), this, [this] { chooseExport(u"csv"_s); });
    exportButton->setMenu(exportMenu);
    return exportButton;
}

QToolButton *TracePanel::buildImportButton()
{
    auto *importButton = new QToolButton(this);
    importButton->setObjectName(u"traceImport"_s);
    importButton->setText(tr("Import"));
    importButton->setPopupMode(QToolButton::InstantPopup);
    auto *importMenu = new QMenu(importButton);
    importButton->setMenu(importMenu);
    // Rebuilt each time it opens: a file, or one of the last sessions kept by the window.
    connect(importMenu, &QMenu::aboutToShow, this, [this, importMenu] { fillImportMenu(importMenu); });
    return importButton;
}

void TracePanel::fillImportMenu(QMenu *importMenu)
{
    importMenu->clear();
    importMenu->addAction(tr("From a file…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import a trace"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
            tr("Trace sessions and HAR files (*.jsonl *.har);;All files (*)"));
        if (!path.isEmpty())
            importFrom(path);
    });
    if (m_historyDirectory.isEmpty())
        return;
    importMenu->addSection(tr("Recent sessions"));
    const auto entries = wps::trace::TraceHistory(m_historyDirectory).entries();
    if (entries.isEmpty())
        importMenu->addAction(tr("(none yet: the trace is kept when a window closes)"))->setEnabled(false);
    for (const auto &entry : entries) {
        const QString label = tr("%1 (%2 KB)")
                                  .arg(entry.saved.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
                                  .arg((entry.bytes + 1023) / 1024);
        const QString path = entry.path;
        importMenu->addAction(label, this, [this, path] { importFrom(path); });
    }
}

QList<quint64> TracePanel::visibleIds() const
{
    QList<quint64> ids;
    ids.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids << m_model->recordId(row);
    return ids;
}

QString TracePanel::suggestedExportPath(const QString &format) const
{
    const QString suffix = format == u"jsonl"_s ? u".jsonl"_s : format == u"har"_s ? u".har"_s : u".csv"_s;
    QString hub = m_session ? m_session->hub() : QString();
    hub.replace(QRegularExpression(u"[^A-Za-z0-9_.-]"_s), u"_"_s);
    const QString name = u"webpubsub-trace"_s + (hub.isEmpty() ? QString() : u'-' + hub) + u'-' +
                         QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s) + suffix;
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    return QDir(folder).filePath(name);
}

void TracePanel::chooseExport(const QString &format)
{
    const QString suffix = format == u"jsonl"_s ? u".jsonl"_s : format == u"har"_s ? u".har"_s : u".csv"_s;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the trace"),
                                                      suggestedExportPath(format), tr("*%1").arg(suffix));
    if (!path.isEmpty())
        exportTo(path, format, !m_model->filter().isEmpty());
}

QString TracePanel::exportTo(const QString &path, const QString &format, bool onlyVisible)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        const QString error = tr("Cannot write %1: %2").arg(path, file.errorString());
        m_status->setText(error);
        return error;
    }
    const QList<quint64> ids = onlyVisible ? visibleIds() : QList<quint64>();
    Expected<qint64, QString> written = qint64(0);
    if (format == u"jsonl"_s)
        written = wps::trace::exportJsonl(*m_store, &file); // lossless: always the whole session
    else if (format == u"har"_s)
        written = wps::trace::exportHar(*m_store, ids, &file, QCoreApplication::applicationVersion());
    else
        written = wps::trace::exportCsv(*m_store, ids, &file);
    if (!written || !file.commit()) {
        const QString error =
            written ? tr("Cannot write %1: %2").arg(path, file.errorString()) : written.error();
        m_status->setText(error);
        return error;
    }
    m_status->setText(tr("Exported %n record(s) to %1.", nullptr, int(*written)).arg(path));
    return {};
}

QString TracePanel::importFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const QString error = tr("Cannot read %1: %2").arg(path, file.errorString());
        m_status->setText(error);
        return error;
    }
    const bool har = wps::trace::looksLikeHar(file.peek(512));
    const auto imported =
        har ? wps::trace::importHar(&file, m_store) : wps::trace::importJsonl(&file, m_store);
    if (!imported) {
        m_status->setText(imported.error());
        return imported.error();
    }
    m_status->setText(tr("Imported %n record(s).", nullptr, int(*imported)));
    return {};
}

} // namespace wps::ui
