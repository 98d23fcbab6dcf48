// ProfilesPanel's import (a connection string from the clipboard or WEBPUBSUB_CONNECTION_STRING) and export
// (a profile as JSON, without its secret). The panel's construction, list actions and session state are in
// profilespanel.cpp.
#include "panels/common/jobaction.h"
#include "panels/profiles/profilelistmodel.h"
#include "panels/profiles/profilespanel.h"

#include <QClipboard>
#include <QFileDialog>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSaveFile>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

void ProfilesPanel::importDone(const wps::profiles::ProfileResult &result)
{
    if (!result) {
        showError(result.error());
        return;
    }
    m_model->reload();
    selectProfile(result->id);
    showOutcome(m_status, Outcome::Success,
                tr("Imported \"%1\"; the key is in the secret store.").arg(result->name));
}

void ProfilesPanel::importFromClipboard()
{
    if (!m_store)
        return;
    const QString text = QGuiApplication::clipboard()->text().trimmed();
    if (text.isEmpty()) {
        showOutcome(m_status, Outcome::Failure, tr("The clipboard holds no text."));
        return;
    }
    m_store->importConnectionString(text, QString(), this,
                                    [this](const wps::profiles::ProfileResult &r) { importDone(r); });
}

void ProfilesPanel::importFromEnvironment()
{
    if (!m_store)
        return;
    m_store->importFromEnvironment(QString(), this,
                                   [this](const wps::profiles::ProfileResult &r) { importDone(r); });
}

bool ProfilesPanel::exportProfileTo(const QString &path)
{
    if (!m_store || m_currentId.isEmpty())
        return false;
    const auto json = m_store->exportProfile(m_currentId);
    if (!json) {
        showError(json.error());
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*json) != json->size() || !file.commit()) {
        showOutcome(m_status, Outcome::Failure, tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    showOutcome(m_status, Outcome::Success, tr("Exported to %1 (without the secret).").arg(path));
    return true;
}

void ProfilesPanel::exportProfile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export profile"), m_name->text() + u".json"_s,
                                                      tr("Profile (*.json)"));
    if (!path.isEmpty())
        exportProfileTo(path);
}

} // namespace wps::ui
