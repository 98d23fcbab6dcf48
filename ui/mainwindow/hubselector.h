#pragma once

#include <QWidget>

class QComboBox;
class QLabel;

namespace wps::ui {

/// The hub every REST panel works on: an editable combo box (default "chat") in the window's toolbar. A name
/// is only taken once names::checkHub() accepts it, so panels never build a client for an invalid hub; what
/// is wrong with a rejected name is shown next to the box.
class HubSelector : public QWidget
{
    Q_OBJECT
public:
    explicit HubSelector(QWidget *parent = nullptr);

    /// The last valid hub name.
    QString hub() const { return m_hub; }
    /// Sets and takes \a hub if it is valid; returns false (and shows why) otherwise.
    bool setHub(const QString &hub);

Q_SIGNALS:
    /// A different valid hub was chosen.
    void hubChanged(const QString &hub);

private:
    void validateText(const QString &text);
    void commit();

    QComboBox *m_combo = nullptr;
    QLabel *m_hint = nullptr;
    QString m_hub;
};

} // namespace wps::ui
