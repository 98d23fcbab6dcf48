#include "mainwindow/hubselector.h"

#include "panels/common/jobaction.h"
#include "protocol/names.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

HubSelector::HubSelector(QWidget *parent)
    : QWidget(parent)
    , m_combo(new QComboBox(this))
    , m_hint(new QLabel(this))
    , m_hub(u"chat"_s)
{
    setObjectName(u"hubSelector"_s);
    m_combo->setObjectName(u"hub"_s);
    m_combo->setEditable(true);
    m_combo->setInsertPolicy(QComboBox::NoInsert);
    m_combo->addItem(m_hub);
    m_combo->setMinimumContentsLength(16);
    m_combo->setToolTip(tr("The hub the Messaging, Groups and Permissions panels work on."));
    m_hint->setObjectName(u"hubHint"_s);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    auto *label = new QLabel(tr("Hub"), this);
    label->setBuddy(m_combo);
    layout->addWidget(label);
    layout->addWidget(m_combo);
    layout->addWidget(m_hint);

    connect(m_combo, &QComboBox::editTextChanged, this, &HubSelector::validateText);
    connect(m_combo->lineEdit(), &QLineEdit::editingFinished, this, &HubSelector::commit);
    connect(m_combo, &QComboBox::activated, this, [this] { commit(); });
}

bool HubSelector::setHub(const QString &hub)
{
    m_combo->setEditText(hub);
    commit();
    return m_hub == hub.trimmed();
}

void HubSelector::validateText(const QString &text)
{
    const QString problem = names::checkHub(text.trimmed());
    showOutcome(m_hint, problem.isEmpty() ? Outcome::Neutral : Outcome::Failure, problem);
}

void HubSelector::commit()
{
    const QString hub = m_combo->currentText().trimmed();
    const QString problem = names::checkHub(hub);
    if (!problem.isEmpty()) {
        showOutcome(m_hint, Outcome::Failure, problem);
        return;
    }
    showOutcome(m_hint, Outcome::Neutral, QString());
    if (m_combo->findText(hub) < 0)
        m_combo->addItem(hub);
    if (hub == m_hub)
        return;
    m_hub = hub;
    Q_EMIT hubChanged(hub);
}

} // namespace wps::ui
