#include "panels/demo/demochatdelegate.h"

#include "panels/demo/demochatmodel.h"

#include <QAbstractItemView>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

using Kind = DemoChatModel::Kind;

/// Every length of a row, from the font: presentation mode scales them all.
struct Metrics
{
    explicit Metrics(const QFont &font)
        : body(font)
        , bold(font)
        , small(font)
    {
        bold.setBold(true);
        if (small.pointSizeF() > 0)
            small.setPointSizeF(small.pointSizeF() * 0.85);
        else if (small.pixelSize() > 0)
            small.setPixelSize(std::max(1, qRound(small.pixelSize() * 0.85)));
        const QFontMetrics fm(body);
        em = fm.height();
        pad = std::max(3, em / 3);
        gap = std::max(2, em / 6);
    }
    QFont body;
    QFont bold;
    QFont small;
    int em = 0;
    int pad = 0; ///< inside a bubble
    int gap = 0; ///< between rows and around the view's edge
};

/// The label above a bubble's text.
QString labelOf(Kind kind, const QString &user, const QString &group)
{
    switch (kind) {
    case Kind::Event:
        return DemoChatDelegate::tr("%1 → user event “%2”").arg(user, group);
    case Kind::EchoReply:
        return DemoChatDelegate::tr("echo handler → %1").arg(user);
    default:
        return user;
    }
}

/// The small grey text at the right of the label: the time, and a reliable client's sequence id.
QString stampOf(const QModelIndex &index)
{
    QString stamp = index.data(DemoChatModel::TimeRole).toDateTime().toString(u"HH:mm:ss"_s);
    if (const QVariant seq = index.data(DemoChatModel::SequenceRole); seq.isValid())
        stamp = DemoChatDelegate::tr("seq %1").arg(seq.toULongLong()) + u"  ·  "_s + stamp;
    return stamp;
}

/// The geometry of one bubble row laid out in \a width.
struct Bubble
{
    QStringList lines;
    QString label;
    QString stamp;
    int width = 0;  ///< of the bubble
    int height = 0; ///< of the row
};

Bubble layoutBubble(const QModelIndex &index, const Metrics &m, int width)
{
    const auto kind = index.data(DemoChatModel::KindRole).value<Kind>();
    Bubble b;
    b.label = labelOf(kind, index.data(DemoChatModel::UserRole).toString(),
                      index.data(DemoChatModel::GroupRole).toString());
    b.stamp = stampOf(index);
    const int maxBubble = std::max(8 * m.em, std::min(width * 4 / 5, width - 2 * m.gap - 2 * m.em));
    const int inner = std::max(m.em, maxBubble - 2 * m.pad);
    b.lines = DemoChatDelegate::wrap(index.data(DemoChatModel::TextRole).toString(), m.body, inner);
    const QFontMetrics body(m.body), bold(m.bold), small(m.small);
    int content = bold.horizontalAdvance(b.label) + m.em + small.horizontalAdvance(b.stamp);
    for (const QString &line : std::as_const(b.lines))
        content = std::max(content, body.horizontalAdvance(line));
    b.width = std::min(maxBubble, content + 2 * m.pad + m.pad / 2);
    b.height = m.gap + m.pad + bold.height() + int(b.lines.size()) * body.lineSpacing() + m.pad + m.gap;
    return b;
}

int viewWidth(const QStyleOptionViewItem &option)
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return view->viewport()->width();
    return option.rect.width() > 0 ? option.rect.width() : 480;
}

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * t + b.redF() * (1 - t)),
                            float(a.greenF() * t + b.greenF() * (1 - t)),
                            float(a.blueF() * t + b.blueF() * (1 - t)));
}

/// What every part of a row is painted with: the painter, the lengths, the palette, the row's rectangle
/// and the two text colours (the palette's text, and a muted shade of it for rules, stamps and the echo).
struct Row
{
    QPainter *painter;
    const Metrics &m;
    const QPalette &palette;
    QRect rect;
    QColor text;
    QColor muted;
};

/// A group header: the group's name centred on a thin rule ("——— # lobby ———").
void paintGroupHeader(const Row &row, const QModelIndex &index)
{
    QPainter *painter = row.painter;
    const Metrics &m = row.m;
    const QRect rect = row.rect;
    painter->setFont(m.bold);
    const QString title = index.data(DemoChatModel::GroupRole).toString().isEmpty()
                              ? index.data(DemoChatModel::TextRole).toString()
                              : u"# "_s + index.data(DemoChatModel::TextRole).toString();
    const QFontMetrics fm(m.bold);
    const QString shown = fm.elidedText(title, Qt::ElideRight, rect.width() - 4 * m.em);
    const int w = fm.horizontalAdvance(shown) + 2 * m.em;
    const QRect label(rect.center().x() - w / 2, rect.top(), w, rect.height());
    painter->setPen(QPen(row.muted, 1));
    const int y = rect.center().y();
    painter->drawLine(rect.left() + m.gap, y, label.left(), y);
    painter->drawLine(label.right(), y, rect.right() - m.gap, y);
    painter->setPen(row.text);
    painter->drawText(label, Qt::AlignCenter, shown);
}

/// A recovery marker: a full-width banner, green with a tick when no message was lost, red with "!"
/// otherwise.
void paintRecovery(const Row &row, const QModelIndex &index)
{
    QPainter *painter = row.painter;
    const Metrics &m = row.m;
    const QPalette &palette = row.palette;
    const qint64 lost = index.data(DemoChatModel::LostRole).toLongLong();
    const QColor base = lost == 0 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
    // A lighter shade on a dark palette, so the banner reads there too.
    const QColor accent = palette.color(QPalette::Base).lightness() < 128 ? base.lighter(170) : base;
    const QRect banner = row.rect.adjusted(m.gap, m.gap, -m.gap, -m.gap);
    painter->setPen(QPen(accent, 2));
    painter->setBrush(blend(accent, palette.color(QPalette::Base), 0.15));
    painter->drawRoundedRect(banner, m.pad, m.pad);
    painter->setFont(m.bold);
    painter->setPen(blend(accent, row.text, 0.7));
    const QStringList lines = DemoChatDelegate::wrap(index.data(DemoChatModel::TextRole).toString(), m.bold,
                                                     banner.width() - 2 * m.pad - m.em);
    const QFontMetrics fm(m.bold);
    int y = banner.top() + m.pad;
    painter->drawText(QRect(banner.left() + m.pad, y, m.em, fm.height()), Qt::AlignCenter,
                      lost == 0 ? u"✓"_s : u"!"_s);
    for (const QString &line : lines) {
        painter->drawText(
            QRect(banner.left() + m.pad + m.em, y, banner.width() - 2 * m.pad - m.em, fm.height()),
            Qt::AlignLeft | Qt::AlignVCenter, line);
        y += fm.lineSpacing();
    }
}

/// The bubble's text inside \a bubble: the label (in the user's colour) and the stamp on one line, then
/// the wrapped lines.
void paintBubbleText(const Row &row, const Bubble &b, const QRect &bubble, const QColor &user, bool echo)
{
    QPainter *painter = row.painter;
    const Metrics &m = row.m;
    const int x = bubble.left() + m.pad + (echo ? 0 : m.pad / 2);
    const int inner = bubble.right() - m.pad - x;
    int y = bubble.top() + m.pad;
    const QFontMetrics bold(m.bold), body(m.body), small(m.small);
    painter->setFont(m.bold);
    // The user's colour for the name, a shade that reads on the palette's base (light or dark).
    const bool darkBase = row.palette.color(QPalette::Base).lightness() < 128;
    painter->setPen(echo ? row.muted : (darkBase ? user.lighter(140) : user.darker(115)));
    const int stampWidth = small.horizontalAdvance(b.stamp);
    painter->drawText(QRect(x, y, std::max(0, inner - stampWidth - m.pad), bold.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      bold.elidedText(b.label, Qt::ElideRight, std::max(0, inner - stampWidth - m.pad)));
    painter->setFont(m.small);
    painter->setPen(row.muted);
    painter->drawText(QRect(x, y, inner, bold.height()), Qt::AlignRight | Qt::AlignVCenter, b.stamp);
    y += bold.height();
    painter->setFont(m.body);
    painter->setPen(row.text);
    for (const QString &line : b.lines) {
        painter->drawText(QRect(x, y, inner, body.height()), Qt::AlignLeft | Qt::AlignVCenter, line);
        y += body.lineSpacing();
    }
}

/// A message, a user event or an echo reply: a bubble tinted with the user's colour on the left, or the
/// echo handler's dashed grey bubble on the right.
void paintBubble(const Row &row, const QModelIndex &index, Kind kind)
{
    QPainter *painter = row.painter;
    const Metrics &m = row.m;
    const QRect rect = row.rect;
    const Bubble b = layoutBubble(index, m, rect.width());
    const bool echo = kind == Kind::EchoReply;
    const QColor user = index.data(DemoChatModel::ColorRole).value<QColor>();
    const int top = rect.top() + m.gap;
    const int h = rect.height() - 2 * m.gap;
    // The echo handler answers from the right, like the other side of a conversation.
    const int left = echo ? rect.right() - m.gap - b.width : rect.left() + m.gap;
    const QRect bubble(left, top, b.width, h);
    if (echo) {
        painter->setPen(QPen(row.muted, 1.5, Qt::DashLine));
        painter->setBrush(row.palette.color(QPalette::AlternateBase));
    } else {
        painter->setPen(QPen(user, 1.5));
        painter->setBrush(blend(user, row.palette.color(QPalette::Base), 0.14));
    }
    painter->drawRoundedRect(bubble, m.pad, m.pad);
    if (!echo) {
        // The user's colour as a bar down the bubble's left edge: who spoke reads at a glance.
        QPainterPath bar;
        bar.addRoundedRect(QRectF(bubble.left(), bubble.top(), m.pad / 2.0 + 2, bubble.height()), 2, 2);
        painter->fillPath(bar, user);
    }
    paintBubbleText(row, b, bubble, user, echo);
}

} // namespace

DemoChatDelegate::DemoChatDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QStringList DemoChatDelegate::wrap(const QString &text, const QFont &font, int width, int maxLines)
{
    QStringList lines;
    if (text.isEmpty() || width <= 0 || maxLines <= 0)
        return {text};
    QString flat = text;
    flat.replace(u'\n', QChar::LineSeparator);
    QTextLayout layout(flat, font);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(textOption);
    layout.beginLayout();
    const QFontMetrics fm(font);
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        if (lines.size() == maxLines - 1) {
            // The last line allowed: the rest of the text, elided when it does not fit.
            const QString rest = flat.mid(line.textStart()).replace(QChar::LineSeparator, u' ');
            lines.append(fm.elidedText(rest, Qt::ElideRight, width));
            break;
        }
        lines.append(
            flat.mid(line.textStart(), line.textLength()).replace(QChar::LineSeparator, u' ').trimmed());
    }
    layout.endLayout();
    return lines;
}

QSize DemoChatDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Metrics m(option.font);
    const int width = std::max(1, viewWidth(option) - 1);
    const auto kind = index.data(DemoChatModel::KindRole).value<Kind>();
    switch (kind) {
    case Kind::GroupHeader:
        return {width, m.em * 3 / 2};
    case Kind::Recovery: {
        const QStringList lines = wrap(index.data(DemoChatModel::TextRole).toString(), m.bold,
                                       width - 2 * m.gap - 2 * m.pad - m.em);
        return {width, 2 * m.gap + 2 * m.pad + int(lines.size()) * QFontMetrics(m.bold).lineSpacing()};
    }
    default:
        return {width, layoutBubble(index, m, width).height};
    }
}

void DemoChatDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const Metrics m(option.font);
    const QPalette &palette = option.palette;
    const QRect rect = option.rect;
    const auto kind = index.data(DemoChatModel::KindRole).value<Kind>();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->fillRect(rect, palette.base());
    const QColor text = palette.color(QPalette::Text);
    const QColor muted = blend(text, palette.color(QPalette::Base), 0.6);
    const Row row{painter, m, palette, rect, text, muted};

    switch (kind) {
    case Kind::GroupHeader:
        paintGroupHeader(row, index);
        break;
    case Kind::Recovery:
        paintRecovery(row, index);
        break;
    default:
        paintBubble(row, index, kind);
        break;
    }
    if (option.state & QStyle::State_HasFocus && option.state & QStyle::State_Selected) {
        painter->setPen(QPen(palette.color(QPalette::Highlight), 1, Qt::DotLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(rect.adjusted(0, 0, -1, -1));
    }
    painter->restore();
}

} // namespace wps::ui
