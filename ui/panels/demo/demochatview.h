#pragma once

#include <QListView>

namespace wps::ui {

class DemoChatDelegate;

/// The demo's chat: a QListView over a DemoChatModel painted by DemoChatDelegate. It keeps the newest row
/// in sight while the user has not scrolled up (like a chat client), and lays its rows out again when its
/// width or font changes (presentation mode), since every row's height depends on both.
class DemoChatView : public QListView
{
    Q_OBJECT
public:
    explicit DemoChatView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    /// Whether new rows scroll into view (the user has not scrolled away from the bottom).
    bool isFollowing() const { return m_follow; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rowsAdded();

    bool m_follow = true;
};

} // namespace wps::ui
