#include "panels/hubs/presenceeditor.h"

#include "protocol/glob.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

QStringList splitFilters(const QString &text)
{
    QStringList filters;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (!part.trimmed().isEmpty())
            filters.append(part.trimmed());
    }
    return filters;
}

} // namespace

PresenceEditor::PresenceEditor(QWidget *parent)
    : QWidget(parent)
{
    m_joined = new QCheckBox(tr("joined"), this);
    m_joined->setObjectName(u"presenceJoinedCheck"_s);
    m_joined->setToolTip(tr("Send a \"joined\" event when a connection joins a matching group"));
    m_left = new QCheckBox(tr("left"), this);
    m_left->setObjectName(u"presenceLeftCheck"_s);
    m_left->setToolTip(tr("Send a \"left\" event when a connection leaves a matching group, also when it "
                          "closes"));
    m_filters = new QLineEdit(this);
    m_filters->setObjectName(u"presenceFiltersEdit"_s);
    m_filters->setPlaceholderText(tr("Group filters, comma separated (room*, lobby); empty: every group"));
    m_filters->setToolTip(tr("Patterns: * is any run of characters except '.', ** any run, ? one character "
                             "except '.'; names are case-sensitive"));
    m_problem = new QLabel(this);
    m_problem->setObjectName(u"presenceProblemLabel"_s);
    m_problem->setWordWrap(true);
    m_problem->hide();

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Group presence events of the selected handler:"), this));
    row->addWidget(m_joined);
    row->addWidget(m_left);
    row->addWidget(m_filters, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_problem);

    connect(m_joined, &QCheckBox::toggled, this, &PresenceEditor::onEdited);
    connect(m_left, &QCheckBox::toggled, this, &PresenceEditor::onEdited);
    connect(m_filters, &QLineEdit::textEdited, this, &PresenceEditor::onEdited);
    setValue(std::nullopt, false);
}

void PresenceEditor::setValue(const std::optional<wps::arm::GroupPresenceEvents> &value, bool enabled)
{
    m_updating = true;
    const QStringList names = value ? value->eventNames : QStringList();
    m_joined->setChecked(names.contains(u"joined"_s, Qt::CaseInsensitive));
    m_left->setChecked(names.contains(u"left"_s, Qt::CaseInsensitive));
    m_filters->setText(value ? value->groupFilters.join(u", "_s) : QString());
    m_updating = false;
    for (QWidget *w : {static_cast<QWidget *>(m_joined), static_cast<QWidget *>(m_left),
                       static_cast<QWidget *>(m_filters)})
        w->setEnabled(enabled);
    const QString problem = value ? checkFilters(value->groupFilters) : QString();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

std::optional<wps::arm::GroupPresenceEvents> PresenceEditor::value() const
{
    wps::arm::GroupPresenceEvents value;
    if (m_joined->isChecked())
        value.eventNames.append(u"joined"_s);
    if (m_left->isChecked())
        value.eventNames.append(u"left"_s);
    value.groupFilters = splitFilters(m_filters->text());
    if (value.eventNames.isEmpty() && value.groupFilters.isEmpty())
        return std::nullopt;
    return value;
}

QString PresenceEditor::summary(const std::optional<wps::arm::GroupPresenceEvents> &value)
{
    if (!value || value->eventNames.isEmpty())
        return tr("none");
    const QString names = value->eventNames.join(u", "_s);
    return value->groupFilters.isEmpty() ? tr("%1 of every group").arg(names)
                                         : tr("%1 of %2").arg(names, value->groupFilters.join(u", "_s));
}

QString PresenceEditor::checkFilters(const QStringList &filters)
{
    for (const QString &filter : filters) {
        bool valid = true;
        wps::glob::matches(filter, QString(), {}, &valid);
        if (!valid)
            return tr("The group filter \u201c%1\u201d is not a valid pattern: a backslash may only escape "
                      "\\, * or ?.")
                .arg(filter);
    }
    return {};
}

void PresenceEditor::onEdited()
{
    if (m_updating)
        return;
    const auto current = value();
    const QString problem = current ? checkFilters(current->groupFilters) : QString();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    Q_EMIT edited();
}

} // namespace wps::ui
