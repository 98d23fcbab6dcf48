#include "panels/trace/httpmessageview.h"

#include "common/jsontext.h"
#include "panels/common/jsonhighlighter.h"
#include "panels/trace/hexdump.h"

#include <QButtonGroup>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

HttpMessageView::HttpMessageView(const QString &objectNamePrefix, QWidget *parent)
    : QWidget(parent)
    , m_line(new QLabel(this))
    , m_headers(new QTableWidget(0, 2, this))
    , m_bodyView(new QPlainTextEdit(this))
    , m_note(new QLabel(this))
    , m_modes(new QButtonGroup(this))
{
    setObjectName(objectNamePrefix);
    m_line->setObjectName(objectNamePrefix + u"Line"_s);
    m_line->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_line->font();
    bold.setBold(true);
    m_line->setFont(bold);
    m_headers->setObjectName(objectNamePrefix + u"Headers"_s);
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->setVisible(false);
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_bodyView->setObjectName(objectNamePrefix + u"Body"_s);
    m_bodyView->setReadOnly(true);
    m_bodyView->setFont(fixed);
    m_bodyView->setLineWrapMode(QPlainTextEdit::NoWrap);
    new JsonHighlighter(m_bodyView->document());
    m_note->setObjectName(objectNamePrefix + u"Note"_s);
    m_note->setWordWrap(true);

    auto *modeBar = new QHBoxLayout();
    modeBar->setContentsMargins(0, 0, 0, 0);
    modeBar->addWidget(new QLabel(tr("Body:"), this));
    const QList<std::pair<BodyMode, QString>> modes = {
        {BodyMode::Pretty, tr("Pretty")}, {BodyMode::Raw, tr("Raw")}, {BodyMode::Hex, tr("Hex")}};
    for (const auto &[mode, label] : modes) {
        auto *button = new QToolButton(this);
        button->setObjectName(objectNamePrefix + label);
        button->setText(label);
        button->setCheckable(true);
        button->setAutoRaise(true);
        m_modes->addButton(button, int(mode));
        modeBar->addWidget(button);
    }
    m_modes->button(int(BodyMode::Pretty))->setChecked(true);
    m_modes->button(int(BodyMode::Pretty))
        ->setToolTip(tr("JSON indented for reading; keys keep their order and numbers their digits"));
    modeBar->addStretch(1);
    connect(m_modes, &QButtonGroup::idClicked, this, [this](int id) { setBodyMode(BodyMode(id)); });

    auto *bodyPane = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(bodyPane);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addLayout(modeBar);
    bodyLayout->addWidget(m_bodyView, 1);
    bodyLayout->addWidget(m_note);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_headers);
    split->addWidget(bodyPane);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_line);
    layout->addWidget(split, 1);
}

void HttpMessageView::setMessage(const QString &line, const QByteArray &payload, bool binary,
                                 const QString &note)
{
    m_line->setText(line);
    QByteArray block;
    m_body = payload;
    if (const qsizetype end = payload.indexOf("\r\n\r\n"); end >= 0) {
        block = payload.left(end);
        m_body = payload.mid(end + 4);
    }
    m_binary = binary;
    const QList<QByteArray> lines = block.split('\n');
    m_headers->setRowCount(0);
    for (const QByteArray &raw : lines) {
        const QByteArray header = raw.trimmed();
        const qsizetype colon = header.indexOf(':');
        if (colon <= 0)
            continue;
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(header.left(colon)).trimmed()));
        m_headers->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(header.mid(colon + 1)).trimmed()));
    }
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    render();
}

void HttpMessageView::setEmpty(const QString &text)
{
    m_line->setText(text);
    m_headers->setRowCount(0);
    m_body.clear();
    m_note->clear();
    m_note->hide();
    render();
}

void HttpMessageView::setBodyMode(BodyMode mode)
{
    m_mode = mode;
    if (QAbstractButton *button = m_modes->button(int(mode)))
        button->setChecked(true);
    render();
}

QString HttpMessageView::statusLine() const
{
    return m_line->text();
}

QString HttpMessageView::bodyText() const
{
    return m_bodyView->toPlainText();
}

void HttpMessageView::render()
{
    const QString text = QString::fromUtf8(m_body);
    const bool isText = !m_binary && text.toUtf8() == m_body;
    switch (m_mode) {
    case BodyMode::Pretty:
        if (const auto pretty = isText ? jsontext::pretty(m_body) : std::nullopt) {
            m_bodyView->setPlainText(QString::fromUtf8(*pretty));
            return;
        }
        [[fallthrough]];
    case BodyMode::Raw:
        m_bodyView->setPlainText(isText ? text : hexDump(m_body));
        return;
    case BodyMode::Hex:
        m_bodyView->setPlainText(hexDump(m_body));
        return;
    }
}

} // namespace wps::ui
