#pragma once

#include <QStyledItemDelegate>

namespace wps::ui {

/// Paints DemoChatModel rows as a chat: a bubble per message tinted with its user's colour (name, time and,
/// for a reliable client, the sequence id above the word-wrapped text), the echo handler's answers as
/// dashed grey bubbles on the right, group headers as a centred rule, and a recovery marker as a full-width
/// banner (green when no message was lost, red otherwise). Every size comes from the view's font, so
/// presentation mode (larger fonts) scales the chat with it. Long texts are elided after maxLines() lines.
class DemoChatDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit DemoChatDelegate(QObject *parent = nullptr);

    static constexpr int kMaxLines = 4;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// \a text word-wrapped to \a width in \a font, at most \a maxLines lines; the last one elided ("…")
    /// when the text does not fit.
    static QStringList wrap(const QString &text, const QFont &font, int width, int maxLines = kMaxLines);
};

} // namespace wps::ui
