#include "panels/trace/tracepanel.h"
#include "trace/tracemodel.h"
#include "trace/tracequery.h"
#include "trace/tracestore.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QSettings>
#include <QStringListModel>
#include <QToolButton>

// TracePanel's filter bar: the display-filter field (validation, completion), saved filters, the kind and
// direction toggles, and turning them into the model's TraceFilterSpec.

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

constexpr auto savedFiltersGroup = "trace/savedFilters";

/// Saved filters in order: an INI array of {name, filter} (readable, and names may hold any character).
QList<std::pair<QString, QString>> readSaved(QSettings &settings)
{
    QList<std::pair<QString, QString>> saved;
    const int size = settings.beginReadArray(QLatin1StringView(savedFiltersGroup));
    for (int i = 0; i < size; ++i) {
        settings.setArrayIndex(i);
        saved.append({settings.value(u"name"_s).toString(), settings.value(u"filter"_s).toString()});
    }
    settings.endArray();
    return saved;
}

void writeSaved(QSettings &settings, const QList<std::pair<QString, QString>> &saved)
{
    settings.remove(QLatin1StringView(savedFiltersGroup));
    settings.beginWriteArray(QLatin1StringView(savedFiltersGroup), int(saved.size()));
    for (int i = 0; i < saved.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(u"name"_s, saved[i].first);
        settings.setValue(u"filter"_s, saved[i].second);
    }
    settings.endArray();
}

} // namespace

QHBoxLayout *TracePanel::buildFilterBar()
{
    buildFilterField();
    buildSavedFiltersButton();
    auto *bar = new QHBoxLayout();
    bar->addWidget(m_text, 1);
    bar->addWidget(m_saved);
    bar->addWidget(m_regex);
    const QStringList kindNames = {tr("HTTP"), tr("Frames"), tr("Lifecycle"), tr("Notes")};
    for (int k = 0; k < wps::trace::kindCount; ++k) {
        auto *button = new QToolButton(this);
        button->setObjectName(u"traceKind"_s + QString::number(k));
        button->setText(kindNames.value(k));
        button->setCheckable(true);
        button->setChecked(true);
        button->setToolTip(tr("Show %1 rows").arg(kindNames.value(k)));
        connect(button, &QToolButton::toggled, this, &TracePanel::applyFilter);
        m_kinds << button;
        bar->addWidget(button);
    }
    for (QToolButton *button : {m_in, m_out}) {
        button->setCheckable(true);
        button->setChecked(true);
        connect(button, &QToolButton::toggled, this, &TracePanel::applyFilter);
        bar->addWidget(button);
    }
    m_in->setText(tr("In"));
    m_in->setObjectName(u"traceIn"_s);
    m_out->setText(tr("Out"));
    m_out->setObjectName(u"traceOut"_s);
    m_related->setObjectName(u"traceRelated"_s);
    m_related->setText(tr("Show related"));
    m_related->setCheckable(true);
    m_related->setToolTip(tr("Only the rows that share the selected row's correlation id (a request and its "
                             "response, a frame and its ack, a connection's lifecycle)"));
    connect(m_related, &QToolButton::toggled, this, [this](bool on) { showRelated(on); });
    bar->addWidget(m_related);
    m_replay = new QToolButton(this);
    m_replay->setObjectName(u"traceReplay"_s);
    m_replay->setText(tr("Replay…"));
    m_replay->setEnabled(false);
    m_replay->setToolTip(tr("Send the selected event-handler request again (optionally edited, with a fresh "
                            "ce-signature) and see the answer beside the original"));
    connect(m_replay, &QToolButton::clicked, this, [this] { replayCurrent(); });
    bar->addWidget(m_replay);
    return bar;
}

void TracePanel::buildFilterField()
{
    m_text->setObjectName(u"traceText"_s);
    m_text->setPlaceholderText(
        tr("Display filter: status>=400, user==alice and group==room1, kind==upstream, text~\"timeout\" …"));
    m_text->setToolTip(
        tr("Wireshark-style display filter (Enter applies). Fields: %1. Kinds: %2.")
            .arg(wps::trace::queryFieldNames().join(u", "_s), wps::trace::queryKindNames().join(u", "_s)));
    m_text->setClearButtonEnabled(true);
    m_regex->setObjectName(u"traceRegex"_s);
    m_regex->setToolTip(tr("Treat the field as one regular expression instead of a display filter"));
    m_completer->setObjectName(u"traceCompleter"_s);
    m_completer->setModel(m_completions);
    m_completer->setWidget(m_text);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &TracePanel::insertCompletion);
    connect(m_text, &QLineEdit::textEdited, this, &TracePanel::updateCompletion);
}

void TracePanel::buildSavedFiltersButton()
{
    m_saved->setObjectName(u"traceSaved"_s);
    m_saved->setText(tr("Saved"));
    m_saved->setToolTip(tr("Saved display filters: save the current one, apply or delete one"));
    m_saved->setPopupMode(QToolButton::InstantPopup);
    auto *savedMenu = new QMenu(m_saved);
    m_saved->setMenu(savedMenu);
    connect(savedMenu, &QMenu::aboutToShow, this, [this, savedMenu] { fillSavedFiltersMenu(savedMenu); });
}

void TracePanel::fillSavedFiltersMenu(QMenu *savedMenu)
{
    savedMenu->clear();
    QAction *save = savedMenu->addAction(tr("Save current filter…"), this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save filter"), tr("Name:"), QLineEdit::Normal,
                                                   m_text->text().trimmed(), &ok);
        if (ok && !name.trimmed().isEmpty())
            saveFilter(name.trimmed(), m_text->text().trimmed());
    });
    save->setEnabled(!m_text->text().trimmed().isEmpty() && m_filterState != u"invalid"_s);
    const QStringList names = savedFilterNames();
    if (names.isEmpty())
        return;
    savedMenu->addSection(tr("Apply"));
    for (const QString &name : names)
        savedMenu->addAction(name, this, [this, name] { applySavedFilter(name); });
    QMenu *remove = savedMenu->addMenu(tr("Delete"));
    for (const QString &name : names)
        remove->addAction(name, this, [this, name] { deleteSavedFilter(name); });
}

void TracePanel::applyFilter()
{
    wps::trace::TraceFilterSpec spec;
    spec.kinds = 0;
    for (int k = 0; k < m_kinds.size(); ++k)
        spec.kinds |= m_kinds[k]->isChecked() ? quint8(1 << k) : quint8(0);
    spec.directions = quint8(1 << int(wps::trace::Direction::None));
    spec.directions |= m_in->isChecked() ? quint8(1 << int(wps::trace::Direction::In)) : quint8(0);
    spec.directions |= m_out->isChecked() ? quint8(1 << int(wps::trace::Direction::Out)) : quint8(0);
    const QString text = m_text->text().trimmed();
    if (m_regex->isChecked())
        spec.regex = text;
    else
        spec.query = text;
    spec.hideKeepAlives = !m_keepAlives->isChecked();
    spec.correlation = m_relatedId;
    if (m_paused)
        spec.toMs = m_pausedAt;
    if (m_model->setFilter(spec))
        m_status->clear();
    updateCount();
}

void TracePanel::validateFilter()
{
    const QString text = m_text->text().trimmed();
    QString error;
    int position = -1;
    if (text.isEmpty()) {
        m_filterState.clear();
    } else if (m_regex->isChecked()) {
        const QRegularExpression regex(text);
        m_filterState = regex.isValid() ? u"valid"_s : u"invalid"_s;
        if (!regex.isValid())
            error = tr("Invalid regular expression: %1").arg(regex.errorString());
    } else if (const auto compiled = wps::trace::compileQuery(text); compiled) {
        m_filterState = u"valid"_s;
    } else {
        m_filterState = u"invalid"_s;
        // Positions count in the trimmed text; the field shows the text as typed.
        const int lead = int(m_text->text().indexOf(text));
        position = compiled.error().position + std::max(lead, 0);
        error = compiled.error().message;
    }
    m_text->setProperty("filterState", m_filterState);
    if (m_filterState.isEmpty())
        m_text->setStyleSheet(QString());
    else if (m_filterState == u"valid"_s)
        m_text->setStyleSheet(u"QLineEdit#traceText { background-color: #d6f5d6; }"_s);
    else
        m_text->setStyleSheet(u"QLineEdit#traceText { background-color: #f9d0d0; }"_s);
    if (error.isEmpty()) {
        m_text->setToolTip(tr("Display filter (Enter applies). Fields: %1. Kinds: %2.")
                               .arg(wps::trace::queryFieldNames().join(u", "_s),
                                    wps::trace::queryKindNames().join(u", "_s)));
        if (m_status->property("filterError").toBool()) {
            m_status->clear();
            m_status->setProperty("filterError", false);
        }
    } else {
        const QString where = position >= 0 ? tr(" (at character %1)").arg(position + 1) : QString();
        m_text->setToolTip(error + where);
        m_status->setText(error + where);
        m_status->setProperty("filterError", true);
    }
}

QStringList TracePanel::completionsAt(const QString &text, int cursor) const
{
    using namespace wps::trace;
    const QString before = text.left(cursor);
    int start = int(before.size());
    while (start > 0 && wps::trace::isQueryWordChar(before[start - 1]))
        --start;
    // The token before the current word: an operator after a field means values of that field.
    int i = start;
    while (i > 0 && before[i - 1].isSpace())
        --i;
    QString op;
    int opEnd = i;
    while (i > 0 && QStringView(u"=!<>~").contains(before[i - 1]))
        --i;
    op = before.mid(i, opEnd - i);
    if (op.isEmpty()) {
        // "field contains |" / "field matches |"
        int wordStart = i;
        while (wordStart > 0 && wps::trace::isQueryWordChar(before[wordStart - 1]))
            --wordStart;
        const QString word = before.mid(wordStart, i - wordStart);
        if (word.compare(u"contains"_s, Qt::CaseInsensitive) == 0 ||
            word.compare(u"matches"_s, Qt::CaseInsensitive) == 0) {
            op = word;
            i = wordStart;
        }
    }
    if (!op.isEmpty()) {
        while (i > 0 && before[i - 1].isSpace())
            --i;
        int fieldStart = i;
        while (fieldStart > 0 && wps::trace::isQueryWordChar(before[fieldStart - 1]))
            --fieldStart;
        const QString field = before.mid(fieldStart, i - fieldStart).toLower();
        if (field == u"kind"_s)
            return queryKindNames();
        if (field == u"dir"_s || field == u"direction"_s)
            return {u"in"_s, u"out"_s, u"none"_s};
        if (field == u"source"_s)
            return {u"console"_s, u"service"_s};
        const int slot = field == u"hub"_s                                ? HubSlot
                         : field == u"user"_s                             ? UserSlot
                         : field == u"group"_s                            ? GroupSlot
                         : field == u"conn"_s || field == u"connection"_s ? ConnectionSlot
                         : field == u"type"_s                             ? TypeSlot
                                                                          : -1;
        if (slot >= 0)
            return m_store->knownValues(slot);
        return {};
    }
    QStringList words = queryFieldNames();
    words << queryKindNames() << u"and"_s << u"or"_s << u"not"_s << u"contains"_s;
    return words;
}

void TracePanel::updateCompletion()
{
    if (m_regex->isChecked())
        return;
    const QString text = m_text->text();
    const int cursor = m_text->cursorPosition();
    int start = cursor;
    while (start > 0 && wps::trace::isQueryWordChar(text[start - 1]))
        --start;
    const QString prefix = text.mid(start, cursor - start);
    const QStringList words = completionsAt(text, cursor);
    // Nothing typed yet: offer values right after an operator, but not every field after a space.
    const bool afterOperator = start > 0 && QStringView(u"=!<>~").contains(text[start - 1]);
    if (words.isEmpty() || (prefix.isEmpty() && !afterOperator) || words.contains(prefix)) {
        m_completer->popup()->hide();
        return;
    }
    m_completions->setStringList(words);
    m_completer->setCompletionPrefix(prefix);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

void TracePanel::insertCompletion(const QString &completion)
{
    const QString text = m_text->text();
    const int cursor = m_text->cursorPosition();
    int start = cursor;
    while (start > 0 && wps::trace::isQueryWordChar(text[start - 1]))
        --start;
    // Values with spaces or operator characters need quotes.
    QString word = completion;
    for (const QChar c : completion) {
        if (!wps::trace::isQueryWordChar(c)) {
            word = u'"' + QString(completion).replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u'"';
            break;
        }
    }
    m_text->setText(text.left(start) + word + text.mid(cursor));
    m_text->setCursorPosition(int(start + word.size()));
}

void TracePanel::saveFilter(const QString &name, const QString &filter)
{
    auto s = settings();
    auto saved = readSaved(*s);
    const auto same =
        std::find_if(saved.begin(), saved.end(), [&name](const auto &e) { return e.first == name; });
    if (same != saved.end())
        same->second = filter;
    else
        saved.append({name, filter});
    writeSaved(*s, saved);
    m_status->setText(tr("Saved the filter \u201c%1\u201d.").arg(name));
}

QStringList TracePanel::savedFilterNames() const
{
    auto s = settings();
    QStringList names;
    for (const auto &[name, filter] : readSaved(*s))
        names << name;
    return names;
}

bool TracePanel::applySavedFilter(const QString &name)
{
    auto s = settings();
    for (const auto &[savedName, filter] : readSaved(*s)) {
        if (savedName != name)
            continue;
        m_regex->setChecked(false);
        m_text->setText(filter);
        m_filterDelay.stop();
        applyFilter();
        return true;
    }
    return false;
}

void TracePanel::deleteSavedFilter(const QString &name)
{
    auto s = settings();
    auto saved = readSaved(*s);
    saved.removeIf([&name](const auto &e) { return e.first == name; });
    writeSaved(*s, saved);
}

} // namespace wps::ui
