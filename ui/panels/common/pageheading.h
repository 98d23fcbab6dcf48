#pragma once

#include <QWidget>

class QLabel;

namespace wps::ui {

/// The one heading every page and dock of the window has: a title and a one-line purpose under it. The
/// window builds it (MainWindow::addPanel) from the navigation name, so the navigation and the page always
/// say the same, and from the purpose the panel declares with setPagePurpose(). In a dock the title is
/// hidden: the dock's title bar already shows it.
class PageHeading : public QWidget
{
    Q_OBJECT
public:
    /// Object names: "pageHeading", with "pageTitle" and "pagePurpose" labels.
    PageHeading(const QString &title, const QString &purpose, QWidget *parent = nullptr);

    QString title() const;
    QString purpose() const;
    /// Hides the title line (docks), keeping the purpose.
    void setTitleVisible(bool visible);
    bool isTitleVisible() const;

private:
    QLabel *m_title = nullptr;
    QLabel *m_purpose = nullptr;
};

/// Declares \a panel's one-line purpose ("Send a message through the service's REST API…"), read by the
/// window when it adds the panel. Plain text, one sentence, no line breaks.
void setPagePurpose(QWidget *panel, const QString &purpose);
/// The purpose \a panel declared, or empty.
QString pagePurpose(const QWidget *panel);

} // namespace wps::ui
