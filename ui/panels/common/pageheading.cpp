#include "panels/common/pageheading.h"

#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {
constexpr char kPurposeProperty[] = "wpsPagePurpose";
// The title's size relative to the text around it; presentation mode scales it with everything else.
constexpr qreal kTitleScale = 1.5;
} // namespace

PageHeading::PageHeading(const QString &title, const QString &purpose, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(title, this))
    , m_purpose(new QLabel(purpose, this))
{
    setObjectName(u"pageHeading"_s);
    m_title->setObjectName(u"pageTitle"_s);
    m_title->setTextFormat(Qt::PlainText);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * kTitleScale);
    font.setBold(true);
    m_title->setFont(font);
    m_purpose->setObjectName(u"pagePurpose"_s);
    m_purpose->setTextFormat(Qt::PlainText);
    // One sentence; it wraps in a narrow dock rather than widening the window.
    m_purpose->setWordWrap(true);
    m_purpose->setVisible(!purpose.isEmpty());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_purpose);
}

QString PageHeading::title() const
{
    return m_title->text();
}

QString PageHeading::purpose() const
{
    return m_purpose->text();
}

void PageHeading::setTitleVisible(bool visible)
{
    m_title->setVisible(visible);
}

bool PageHeading::isTitleVisible() const
{
    return !m_title->isHidden();
}

void setPagePurpose(QWidget *panel, const QString &purpose)
{
    if (panel)
        panel->setProperty(kPurposeProperty, purpose);
}

QString pagePurpose(const QWidget *panel)
{
    return panel ? panel->property(kPurposeProperty).toString() : QString();
}

} // namespace wps::ui
