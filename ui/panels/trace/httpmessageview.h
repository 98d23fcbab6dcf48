#pragma once

#include <QByteArray>
#include <QWidget>

class QButtonGroup;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace wps::ui {

/// One HTTP message of the trace as Postman shows it: the status (or request) line, the headers as a table
/// and the body with its own view -- Pretty (JSON re-indented without re-serialising), Raw (the bytes as
/// they are) or Hex. The view never changes the bytes: body() is what was stored.
class HttpMessageView : public QWidget
{
public:
    enum class BodyMode { Pretty, Raw, Hex };

    explicit HttpMessageView(const QString &objectNamePrefix, QWidget *parent = nullptr);

    /// Shows \a line (e.g. "POST https://…" or "HTTP/1.1 202 Accepted · 12 ms") and the message \a payload
    /// ("headers\r\n\r\nbody", as the adapters store it); \a note is shown under the body (truncation).
    void setMessage(const QString &line, const QByteArray &payload, bool binary, const QString &note);
    /// Shows \a text in place of a message (e.g. "No response recorded").
    void setEmpty(const QString &text);

    void setBodyMode(BodyMode mode);
    BodyMode bodyMode() const { return m_mode; }

    QString statusLine() const;
    QTableWidget *headers() const { return m_headers; }
    /// The body as the view shows it now.
    QString bodyText() const;
    /// The stored body bytes.
    QByteArray body() const { return m_body; }

private:
    void render();

    QLabel *m_line = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_bodyView = nullptr;
    QLabel *m_note = nullptr;
    QButtonGroup *m_modes = nullptr;
    QByteArray m_body;
    bool m_binary = false;
    BodyMode m_mode = BodyMode::Pretty;
};

} // namespace wps::ui
