// MessagingPanel's "Saved payloads" section: the library's list and buttons, and the form saved to and
// filled from a SavedPayload, imported from and exported to JSON files.
#include "panels/common/formutil.h"
#include "panels/common/jobaction.h"
#include "panels/messaging/messagingpanel.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

QWidget *MessagingPanel::buildLibrary()
{
    auto *box = new QGroupBox(tr("Saved payloads"), this);
    m_libraryView = new QListView(box);
    m_libraryView->setObjectName(u"library"_s);
    m_libraryView->setModel(m_library);
    m_libraryView->setUniformItemSizes(true);
    m_libraryView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_libraryHint = new QLabel(box);
    m_libraryHint->setObjectName(u"libraryHint"_s);
    m_libraryHint->setWordWrap(true);
    showOutcome(m_libraryHint, Outcome::Neutral,
                tr("Kept in the settings file, not the keychain: do not save secrets here."));

    auto *save = new QPushButton(tr("Save…"), box);
    save->setObjectName(u"librarySave"_s);
    save->setToolTip(tr("Save the form (target, content and options) under a name"));
    auto *load = new QPushButton(tr("Load"), box);
    load->setObjectName(u"libraryLoad"_s);
    auto *remove = new QPushButton(tr("Delete"), box);
    remove->setObjectName(u"libraryDelete"_s);
    auto *importButton = new QPushButton(tr("Import…"), box);
    importButton->setObjectName(u"libraryImport"_s);
    auto *exportButton = new QPushButton(tr("Export…"), box);
    exportButton->setObjectName(u"libraryExport"_s);

    auto *buttons = new QHBoxLayout();
    buttons->addWidget(save);
    buttons->addWidget(load);
    buttons->addWidget(remove);
    auto *files = new QHBoxLayout();
    files->addWidget(importButton);
    files->addWidget(exportButton);
    auto *column = new QVBoxLayout(box);
    column->addWidget(m_libraryView, 1);
    column->addLayout(buttons);
    column->addLayout(files);
    column->addWidget(m_libraryHint);

    auto selectedRow = [this] {
        const QModelIndex current = m_libraryView->currentIndex();
        return current.isValid() ? current.row() : -1;
    };
    connect(save, &QPushButton::clicked, this, [this, selectedRow] {
        const int row = selectedRow();
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save payload"), tr("Name:"), QLineEdit::Normal,
                                                   row >= 0 ? m_library->at(row).name : QString(), &ok);
        if (ok)
            saveToLibrary(name.trimmed());
    });
    connect(load, &QPushButton::clicked, this, [this, selectedRow] { loadFromLibrary(selectedRow()); });
    connect(m_libraryView, &QListView::activated, this,
            [this](const QModelIndex &index) { loadFromLibrary(index.row()); });
    connect(remove, &QPushButton::clicked, this, [this, selectedRow] { m_library->remove(selectedRow()); });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import payloads"), QString(),
                                                          tr("JSON files (*.json);;All files (*)"));
        if (!path.isEmpty())
            importLibrary(path);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export payloads"), u"payloads.json"_s,
                                                          tr("JSON files (*.json)"));
        if (!path.isEmpty())
            exportLibrary(path);
    });
    return box;
}

SavedPayload MessagingPanel::currentPayload(const QString &name) const
{
    static const QStringList targets = {u"all"_s, u"user"_s, u"group"_s, u"connection"_s};
    static const QStringList contents = {u"text"_s, u"json"_s, u"binary"_s};
    SavedPayload p;
    p.name = name;
    p.target = targets.value(m_target->currentData().toInt());
    p.targetId = m_targetId->text().trimmed();
    p.content = contents.value(m_content->currentData().toInt());
    p.body = m_body->toPlainText();
    p.excluded = splitList(m_excluded->text());
    p.filter = m_filter->text().trimmed();
    p.ttlSeconds = m_ttl->value();
    return p;
}

void MessagingPanel::applyPayload(const SavedPayload &payload)
{
    static const QStringList targets = {u"all"_s, u"user"_s, u"group"_s, u"connection"_s};
    static const QStringList contents = {u"text"_s, u"json"_s, u"binary"_s};
    m_target->setCurrentIndex(
        m_target->findData(int(std::max<qsizetype>(0, targets.indexOf(payload.target)))));
    m_content->setCurrentIndex(
        m_content->findData(int(std::max<qsizetype>(0, contents.indexOf(payload.content)))));
    m_targetId->setText(payload.targetId);
    m_body->setPlainText(payload.body);
    m_excluded->setText(payload.excluded.join(u", "_s));
    m_filter->setText(payload.filter);
    m_ttl->setValue(payload.ttlSeconds);
    updateForm();
}

QString MessagingPanel::saveToLibrary(const QString &name)
{
    const QString error = m_library->save(currentPayload(name));
    if (error.isEmpty()) {
        showOutcome(m_libraryHint, Outcome::Success, tr("Saved “%1”.").arg(name));
        m_libraryView->setCurrentIndex(m_library->index(m_library->indexOf(name)));
    } else {
        showOutcome(m_libraryHint, Outcome::Failure, error);
    }
    return error;
}

bool MessagingPanel::loadFromLibrary(int row)
{
    if (row < 0 || row >= m_library->rowCount()) {
        showOutcome(m_libraryHint, Outcome::Failure, tr("Choose a saved payload first."));
        return false;
    }
    applyPayload(m_library->at(row));
    showOutcome(m_libraryHint, Outcome::Neutral, tr("Loaded “%1”.").arg(m_library->at(row).name));
    return true;
}

QString MessagingPanel::importLibrary(const QString &path)
{
    QFile file(path);
    QString error;
    if (!file.open(QIODevice::ReadOnly)) {
        error = tr("Cannot read %1: %2").arg(path, file.errorString());
    } else if (file.size() > 64 * 1024 * 1024) {
        error = tr("%1 is too large for a payload library.").arg(QFileInfo(path).fileName());
    } else {
        const auto imported = m_library->importJson(file.readAll());
        if (imported)
            showOutcome(m_libraryHint, Outcome::Success, tr("Imported %n payload(s).", nullptr, *imported));
        else
            error = imported.error();
    }
    if (!error.isEmpty())
        showOutcome(m_libraryHint, Outcome::Failure, error);
    return error;
}

QString MessagingPanel::exportLibrary(const QString &path)
{
    QSaveFile file(path);
    QString error;
    if (!file.open(QIODevice::WriteOnly) || file.write(m_library->exportJson()) < 0 || !file.commit())
        error = tr("Cannot write %1: %2").arg(path, file.errorString());
    if (error.isEmpty())
        showOutcome(m_libraryHint, Outcome::Success,
                    tr("Exported %n payload(s).", nullptr, m_library->rowCount()));
    else
        showOutcome(m_libraryHint, Outcome::Failure, error);
    return error;
}

} // namespace wps::ui
