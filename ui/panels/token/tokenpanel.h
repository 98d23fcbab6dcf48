#pragma once

#include <QImage>
#include <QJsonObject>
#include <QPointer>
#include <QUrl>
#include <QWidget>

class QComboBox;
class QLayout;
class QLabel;
class QLineEdit;
class QCheckBox;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace wps::ui {

class ConsoleSession;

/// Panel "Client tokens": makes client access URLs through the session (signed locally with the key, or by
/// the service's `:generateToken` for Entra connections, and says which), shows them as text and QR code, and
/// decodes any pasted token (header, claims, validity, expiry countdown) so a support engineer can see what a
/// client will be allowed to do and for how long.
class TokenPanel : public QWidget
{
    Q_OBJECT
public:
    /// Makes tokens through \a session, follows its connection and hub, and opens pasted URLs with it.
    explicit TokenPanel(ConsoleSession *session, QWidget *parent = nullptr);

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
    /// followed by what the service will answer when the audience is for another hub or endpoint. It is
    /// re-evaluated on the countdown: a token that expires while on screen turns red.
    QString validityText() const;
    QString decodedText() const;
    /// The roles of the decoded token that grant nothing, one per line ("" when all are usable).
    QString roleCheckText() const;

    /// "Connect with this URL": opens the pasted client URL (or the pasted token on the current endpoint and
    /// the hub in the form) as a live client through the session, so it shows in the Live clients dock and
    /// the trace; the handshake's answer (connection id, or the refusal and why) arrives with
    /// connectFinished(). False (and why) when there is nothing to connect.
    bool connectWithUrl();
    QString connectResultText() const;

Q_SIGNALS:
    /// A URL was made; \a viaService is true when `:generateToken` made it.
    void generated(const QString &url, bool viaService);
    void failed(const QString &message);
    /// The decoder's verdict was (re)computed (a new token, the clock passing exp or nbf, another hub).
    void validityChanged(const QString &text);
    /// A "Connect with this URL" handshake ended: \a ok when the service answered with `connected`.
    void connectFinished(bool ok, const QString &text);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    /// connectWithUrl() for an MQTT client URL (`/clients/mqtt/hubs/{hub}`).
    bool connectMqtt(const QUrl &url, const QString &hub);
    void buildUi();
    /// The "<role>" check boxes in m_roleBox.
    void buildRoleChecks();
    /// The token form, Generate, the URL and its QR code.
    QLayout *buildGenerator();
    /// The JWT decoder with "Connect with this URL".
    QWidget *buildDecoder();
    void wire();
    void updateAvailability();
    QStringList selectedRoles() const;
    void showUrl(const QString &url);
    void redrawQr();
    void updateCountdown();
    void evaluate();
    /// The client URL the decoded token is meant for: the pasted URL, else the session's endpoint and hub.
    QUrl targetClientUrl() const;
    QUrl connectUrl() const;

    QPointer<ConsoleSession> m_session;
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
    QLabel *m_roleCheck = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_connectResult = nullptr;
    QByteArray m_token;
    QJsonObject m_claims;
    QUrl m_inspectedUrl;
    qint64 m_notBeforeSecs = -1;
    bool m_evaluatedExpired = false;
    bool m_evaluatedEarly = false;
    quint64 m_connectAttempt = 0;
    qint64 m_expiresAtSecs = -1;
    quint64 m_request = 0;
};

} // namespace wps::ui
