#pragma once

#include "protocol/connectionstring.h"

#include <QImage>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QCheckBox;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace wps::ui {

class ConsoleSession;

/// Renders \a text as a QR code (libqrencode, level M) with a 4-module quiet zone, \a scale pixels per
/// module, black on white (scanners need that contrast whatever the palette). Null image when the text does
/// not fit in a QR code.
QImage renderQrCode(const QString &text, int scale);

/// Panel "Client tokens": makes client access URLs through the session (signed locally with the key, or by
/// the service's `:generateToken` for Entra connections, and says which), shows them as text and QR code, and
/// decodes any pasted token (header, claims, validity, expiry countdown) so a support engineer can see what a
/// client will be allowed to do and for how long.
class TokenPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TokenPanel(ConsoleSession *session, QWidget *parent = nullptr);
    /// Transitional: a panel with a session of its own, fed by setConnection() (the window until it hands
    /// panels its session).
    explicit TokenPanel(QWidget *parent = nullptr);

    /// Only for the transitional constructor: points the panel's own session at \a connection.
    void setConnection(const wps::ConnectionString &connection);

    /// Starts making a URL from the form; returns false (and shows why) when the input is invalid. The result
    /// arrives with generated() (or failed()).
    bool generate();

    QString clientUrl() const;
    /// The decoded claims of the last generated token (JSON).
    QString claimsText() const;
    /// The QR code of the current URL (1 pixel per module plus quiet zone); null when there is no URL.
    QImage qrImage() const { return m_qr; }

    /// Decodes \a token (or a URL carrying access_token=) into the decoder section.
    void inspect(const QString &token);
    /// The decoder's verdict: "Valid", "Expired", "Not yet valid", "Invalid signature", "Not verified", ...
    QString validityText() const;
    QString decodedText() const;

Q_SIGNALS:
    /// A URL was made; \a viaService is true when `:generateToken` made it.
    void generated(const QString &url, bool viaService);
    void failed(const QString &message);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void build();
    void updateAvailability();
    QStringList selectedRoles() const;
    void showUrl(const QString &url);
    void redrawQr();
    void updateCountdown();

    QPointer<ConsoleSession> m_session;
    ConsoleSession *m_ownSession = nullptr;
    QLineEdit *m_hub = nullptr;
    QLineEdit *m_userId = nullptr;
    QWidget *m_roleBox = nullptr;
    QList<QCheckBox *> m_roleChecks;
    QLineEdit *m_roleGroup = nullptr;
    QLineEdit *m_roles = nullptr;
    QLineEdit *m_groups = nullptr;
    QSpinBox *m_minutes = nullptr;
    QComboBox *m_protocol = nullptr;
    QPushButton *m_generate = nullptr;
    QLabel *m_hint = nullptr;
    QLineEdit *m_url = nullptr;
    QPushButton *m_copyUrl = nullptr;
    QString m_claimsText;
    QLabel *m_qrLabel = nullptr;
    QImage m_qr;
    QPlainTextEdit *m_tokenInput = nullptr;
    QPlainTextEdit *m_decoded = nullptr;
    QLabel *m_validity = nullptr;
    QLabel *m_countdown = nullptr;
    QTimer *m_tick = nullptr;
    qint64 m_expiresAtSecs = -1;
    quint64 m_request = 0;
};

} // namespace wps::ui
