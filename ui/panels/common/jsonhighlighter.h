#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace wps::ui {

/// Colours JSON as it is typed (keys, strings, numbers, literals, punctuation) in any QTextDocument. The
/// colours are chosen for the palette's base colour, so the text stays readable in light and dark themes;
/// invalid JSON is still coloured token by token (the form says separately whether it parses).
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);

    /// Re-reads the colours (call when the palette changes).
    void setDarkBackground(bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_punctuation;
};

} // namespace wps::ui
