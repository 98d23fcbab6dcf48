#pragma once

#include "arm/armmodels.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace wps::ui {

/// Edits one event handler's `groupPresenceEvents` (docs/user-guide.md, "Group presence events"): a
/// checkbox per event name (joined, left) and the group filters as a comma-separated list of patterns.
/// Nothing checked and no filters means the setting is absent (no presence events). The Hubs panel feeds it
/// the selected handler and writes every edit back into its handler model; saving goes through ARM with
/// the other hub settings.
class PresenceEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PresenceEditor(QWidget *parent = nullptr);

    /// Shows \a value for a handler (\a enabled false: no handler selected, everything greyed out).
    void setValue(const std::optional<wps::arm::GroupPresenceEvents> &value, bool enabled = true);
    /// What the controls say now.
    std::optional<wps::arm::GroupPresenceEvents> value() const;

    /// "joined, left of room*, lobby" / "joined of every group" / "none": the table's summary of \a value.
    static QString summary(const std::optional<wps::arm::GroupPresenceEvents> &value);
    /// Empty when every pattern of \a filters is valid, else a sentence naming the first bad one.
    static QString checkFilters(const QStringList &filters);

Q_SIGNALS:
    /// The user changed a control (not emitted by setValue()).
    void edited();

private:
    void onEdited();

    QCheckBox *m_joined = nullptr;
    QCheckBox *m_left = nullptr;
    QLineEdit *m_filters = nullptr;
    QLabel *m_problem = nullptr;
    bool m_updating = false;
};

} // namespace wps::ui
