#include "panels/token/tokenpanel.h"

#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/token/qrcode.h"
#include "protocol/clienttoken.h"
#include "protocol/jwt.h"
#include "protocol/names.h"
#include "protocol/tokencheck.h"
#include "session/consolesession.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QSpinBox>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {
QStringList splitList(const QString &text)
{
    QStringList items;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString item = part.trimmed();
        if (!item.isEmpty())
            items << item;
    }
    return items;
}

QByteArray base64UrlDecode(QByteArrayView part)
{
    return QByteArray::fromBase64(part.toByteArray(),
                                  QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString localTime(qint64 secs)
{
    return QDateTime::fromSecsSinceEpoch(secs).toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss t"_s);
}
} // namespace

TokenPanel::TokenPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    buildUi();
    wire();
    updateAvailability();
}

void TokenPanel::buildUi()
{
    m_hub = new QLineEdit(m_session ? m_session->hub() : u"chat"_s, this);
    m_userId = new QLineEdit(this);
    m_roleBox = new QWidget(this);
    m_roleGroup = new QLineEdit(this);
    m_roles = new QLineEdit(this);
    m_groups = new QLineEdit(this);
    m_minutes = new QSpinBox(this);
    m_protocol = new QComboBox(this);
    m_generate = new QPushButton(tr("Generate"), this);
    m_hint = new QLabel(this);
    m_url = new QLineEdit(this);
    m_copyUrl = new QPushButton(tr("Copy URL"), this);
    m_qrLabel = new QLabel(this);
    m_tokenInput = new QPlainTextEdit(this);
    m_decoded = new QPlainTextEdit(this);
    m_validity = new QLabel(this);
    m_countdown = new QLabel(this);
    m_roleCheck = new QLabel(this);
    m_connect = new QPushButton(tr("Connect with this URL"), this);
    m_connectResult = new QLabel(this);
    m_tick = new QTimer(this);

    auto *layout = new QVBoxLayout(this);
    setPagePurpose(this,
                   tr("Make a client access URL as the SDKs' getClientAccessToken() does (signed with "
                      "the access key, or by the service for Entra connections) and decode any token."));

    layout->addLayout(buildGenerator(), 3);
    layout->addWidget(buildDecoder(), 2);
    m_copyUrl->setEnabled(false);
    m_tick->setInterval(1000);
}

void TokenPanel::buildRoleChecks()
{
    auto *roleGrid = new QGridLayout(m_roleBox);
    roleGrid->setContentsMargins(0, 0, 0, 0);
    const QStringList roleItems = {u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s,
                                   u"webpubsub.joinLeaveGroup.<group>"_s, u"webpubsub.sendToGroup.<group>"_s};
    const QStringList roleNames = {u"roleJoinLeaveGroup"_s, u"roleSendToGroup"_s,
                                   u"roleJoinLeaveGroupScoped"_s, u"roleSendToGroupScoped"_s};
    for (qsizetype i = 0; i < roleItems.size(); ++i) {
        auto *box = new QCheckBox(roleItems.at(i), m_roleBox);
        box->setObjectName(roleNames.at(i));
        roleGrid->addWidget(box, static_cast<int>(i / 2), static_cast<int>(i % 2));
        m_roleChecks.append(box);
    }
    m_roleBox->setToolTip(tr("Without a group suffix a role covers every group; <group> stands for the "
                             "group named below."));
}

QLayout *TokenPanel::buildGenerator()
{
    m_hub->setObjectName(u"hub"_s);
    m_userId->setObjectName(u"userId"_s);
    m_userId->setPlaceholderText(tr("anonymous"));
    buildRoleChecks();
    m_roleGroup->setObjectName(u"roleGroup"_s);
    m_roleGroup->setPlaceholderText(tr("group for the <group> roles"));
    m_roles->setObjectName(u"roles"_s);
    // webpubsub.sendToGroup.room* would only cover a group literally named "room*": patterns take the
    // plural permission.
    m_roles->setPlaceholderText(tr("more roles, comma-separated, e.g. webpubsub.sendToGroups.room*"));
    m_groups->setObjectName(u"groups"_s);
    m_groups->setPlaceholderText(tr("groups joined on connect, comma-separated"));
    m_minutes->setObjectName(u"lifetime"_s);
    m_minutes->setRange(1, 60 * 24 * 365);
    m_minutes->setValue(60);
    m_minutes->setSuffix(tr(" min"));
    m_protocol->setObjectName(u"protocol"_s);
    m_protocol->addItem(tr("Web PubSub (default)"), QVariant::fromValue(int(ClientProtocol::Default)));
    m_protocol->addItem(tr("MQTT"), QVariant::fromValue(int(ClientProtocol::Mqtt)));
    m_protocol->addItem(tr("Socket.IO"), QVariant::fromValue(int(ClientProtocol::SocketIo)));

    auto *columns = new QHBoxLayout();
    auto *left = new QVBoxLayout();
    auto *form = new QFormLayout();
    form->addRow(tr("Hub"), m_hub);
    form->addRow(tr("User ID"), m_userId);
    form->addRow(tr("Roles"), m_roleBox);
    form->addRow(tr("Role group"), m_roleGroup);
    form->addRow(tr("Custom roles"), m_roles);
    form->addRow(tr("Initial groups"), m_groups);
    form->addRow(tr("Lifetime"), m_minutes);
    form->addRow(tr("Client protocol"), m_protocol);
    left->addLayout(form);

    auto *buttons = new QHBoxLayout();
    m_generate->setObjectName(u"generate"_s);
    buttons->addWidget(m_generate);
    m_hint->setObjectName(u"hint"_s);
    m_hint->setWordWrap(true);
    buttons->addWidget(m_hint, 1);
    left->addLayout(buttons);

    m_url->setObjectName(u"clientUrl"_s);
    m_url->setReadOnly(true);
    m_url->setPlaceholderText(tr("no URL yet"));
    m_copyUrl->setObjectName(u"copyUrl"_s);
    auto *urlRow = new QHBoxLayout();
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_copyUrl);
    auto *result = new QFormLayout();
    result->addRow(tr("Client URL"), urlRow);
    left->addLayout(result);
    left->addStretch(1);
    columns->addLayout(left, 3);

    m_qrLabel->setObjectName(u"qrCode"_s);
    m_qrLabel->setAlignment(Qt::AlignCenter);
    m_qrLabel->setMinimumSize(220, 220);
    m_qrLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored); // the pixmap follows the label
    m_qrLabel->setText(tr("The QR code of the URL appears here."));
    m_qrLabel->setWordWrap(true);
    columns->addWidget(m_qrLabel, 2);

    return columns;
}

QWidget *TokenPanel::buildDecoder()
{
    auto *decoder = new QGroupBox(tr("JWT decoder"), this);
    auto *decoderLayout = new QFormLayout(decoder);
    m_tokenInput->setObjectName(u"tokenInput"_s);
    m_tokenInput->setPlaceholderText(tr("paste a JWT or a client URL with access_token="));
    m_tokenInput->setFixedHeight(m_tokenInput->fontMetrics().lineSpacing() * 3 + 12);
    decoderLayout->addRow(tr("Token"), m_tokenInput);
    m_validity->setObjectName(u"validity"_s);
    m_validity->setWordWrap(true);
    decoderLayout->addRow(tr("Validity"), m_validity);
    m_countdown->setObjectName(u"countdown"_s);
    decoderLayout->addRow(tr("Expires in"), m_countdown);
    m_roleCheck->setObjectName(u"roleCheck"_s);
    m_roleCheck->setWordWrap(true);
    decoderLayout->addRow(tr("Roles"), m_roleCheck);
    m_connect->setObjectName(u"connectUrl"_s);
    m_connect->setToolTip(tr("Open this URL (or this token on the current hub) as a live client, as the "
                             "customer's client would: the handshake's answer shows here, the client in the "
                             "Live clients dock and the trace"));
    m_connect->setEnabled(false);
    m_connectResult->setObjectName(u"connectResult"_s);
    m_connectResult->setWordWrap(true);
    m_connectResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *connectRow = new QHBoxLayout();
    connectRow->addWidget(m_connect);
    connectRow->addWidget(m_connectResult, 1);
    decoderLayout->addRow(QString(), connectRow);
    m_decoded->setObjectName(u"decoded"_s);
    m_decoded->setReadOnly(true);
    m_decoded->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    decoderLayout->addRow(tr("Decoded"), m_decoded);

    return decoder;
}

void TokenPanel::wire()
{
    connect(m_tick, &QTimer::timeout, this, [this] { updateCountdown(); });
    connect(m_generate, &QPushButton::clicked, this, [this] { generate(); });
    connect(m_copyUrl, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_url->text()); });
    connect(m_tokenInput, &QPlainTextEdit::textChanged, this,
            [this] { inspect(m_tokenInput->toPlainText()); });
    connect(m_connect, &QPushButton::clicked, this, [this] { connectWithUrl(); });
    if (m_session) {
        connect(m_session, &ConsoleSession::connectionChanged, this, [this] { updateAvailability(); });
        connect(m_session, &ConsoleSession::hubChanged, this,
                [this](const QString &hub) { m_hub->setText(hub); });
        // A bare token is checked against the hub in the form: follow it.
        connect(m_hub, &QLineEdit::textChanged, this, [this] {
            if (!m_token.isEmpty() && !m_claims.isEmpty())
                evaluate();
        });
    }
}

void TokenPanel::updateAvailability()
{
    const bool connected = m_session && m_session->state() == ConsoleSession::State::Connected;
    m_generate->setEnabled(connected);
    if (!connected)
        showOutcome(m_hint, Outcome::Neutral, tr("Not connected."));
    else if (!m_session->connectionString())
        showOutcome(m_hint, Outcome::Neutral,
                    tr("This connection has no access key: client tokens come from the service's "
                       ":generateToken operation."));
    else
        showOutcome(m_hint, Outcome::Neutral, tr("Tokens are signed locally with the access key."));
    if (!m_tokenInput->toPlainText().isEmpty())
        inspect(m_tokenInput->toPlainText());
}

QStringList TokenPanel::selectedRoles() const
{
    QStringList roles;
    const QString group = m_roleGroup->text().trimmed();
    for (const QCheckBox *box : m_roleChecks) {
        if (!box->isChecked())
            continue;
        QString role = box->text();
        if (role.endsWith(u".<group>"_s))
            role = role.chopped(8) + u'.' + group;
        roles << role;
    }
    for (const QString &role : splitList(m_roles->text())) {
        if (!roles.contains(role))
            roles << role;
    }
    return roles;
}

bool TokenPanel::generate()
{
    const QString hub = m_hub->text().trimmed();
    QString problem = names::checkHub(hub);
    const QStringList groups = splitList(m_groups->text());
    for (const QString &group : groups) {
        if (problem.isEmpty())
            problem = names::checkGroup(group);
    }
    bool needsRoleGroup = false;
    for (const QCheckBox *box : m_roleChecks)
        needsRoleGroup |= box->isChecked() && box->text().endsWith(u".<group>"_s);
    if (problem.isEmpty() && needsRoleGroup && m_roleGroup->text().trimmed().isEmpty())
        problem = tr("Name the group for the <group> roles.");
    if (problem.isEmpty() && (!m_session || m_session->state() != ConsoleSession::State::Connected))
        problem = tr("Not connected.");
    if (!problem.isEmpty()) {
        showOutcome(m_hint, Outcome::Failure, problem);
        return false;
    }
    ClientTokenOptions options;
    options.userId = m_userId->text().trimmed();
    options.roles = selectedRoles();
    options.groups = groups;
    options.lifetime = std::chrono::minutes(m_minutes->value());
    options.protocol = static_cast<ClientProtocol>(m_protocol->currentData().toInt());
    const bool viaService = !m_session->connectionString().has_value();
    const quint64 request = ++m_request;
    showOutcome(m_hint, Outcome::Neutral,
                viaService ? tr("Asking the service (:generateToken)…") : tr("Signing…"));
    m_session->clientAccess(
        hub, options, this, [this, request, viaService](const ConsoleSession::AccessResult &r) {
            if (request != m_request)
                return; // a newer request replaced this one
            if (!r) {
                showOutcome(m_hint, Outcome::Failure, describeError(r.error()));
                Q_EMIT failed(describeError(r.error()));
                return;
            }
            showUrl(r->url.toString(QUrl::FullyEncoded));
            if (auto claims = jwt::decodeClaimsUnverified(r->token))
                m_claimsText = QString::fromUtf8(QJsonDocument(*claims).toJson(QJsonDocument::Indented));
            inspect(m_url->text()); // the decoder shows what the new token carries
            const QString how = viaService ? tr("Made by the service (:generateToken).")
                                           : tr("Signed locally with the access key.");
            showOutcome(
                m_hint, Outcome::Success,
                how + u' ' +
                    tr("Valid until %1.").arg(r->expiresAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s)));
            Q_EMIT generated(m_url->text(), viaService);
        });
    return true;
}

void TokenPanel::showUrl(const QString &url)
{
    m_url->setText(url);
    m_copyUrl->setEnabled(!url.isEmpty());
    m_qr = renderQrCode(url, 1);
    redrawQr();
}

void TokenPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    redrawQr();
}

void TokenPanel::redrawQr()
{
    if (m_qr.isNull()) {
        m_qrLabel->setPixmap(QPixmap());
        m_qrLabel->setText(m_url->text().isEmpty() ? tr("The QR code of the URL appears here.")
                                                   : tr("The URL is too long for a QR code."));
        return;
    }
    // Whole pixels per module keep the code crisp at any size.
    const int side = qMax(1, qMin(m_qrLabel->width(), m_qrLabel->height()));
    const int scale = qMax(1, side / m_qr.width());
    m_qrLabel->setPixmap(QPixmap::fromImage(m_qr.scaled(m_qr.width() * scale, m_qr.height() * scale,
                                                        Qt::IgnoreAspectRatio, Qt::FastTransformation)));
}

QString TokenPanel::clientUrl() const
{
    return m_url->text();
}

QString TokenPanel::claimsText() const
{
    return m_claimsText;
}

QString TokenPanel::validityText() const
{
    return m_validity->text();
}

QString TokenPanel::decodedText() const
{
    return m_decoded->toPlainText();
}

void TokenPanel::inspect(const QString &input)
{
    QString text = input.trimmed();
    m_inspectedUrl.clear();
    if (text.contains(u"access_token="_s)) {
        const QUrl url(text);
        text = QUrlQuery(url).queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
        m_inspectedUrl = url;
    }
    if (m_tokenInput->toPlainText().trimmed() != input.trimmed()) {
        const QSignalBlocker blocker(m_tokenInput);
        m_tokenInput->setPlainText(input);
    }
    m_token = text.toLatin1();
    m_expiresAtSecs = -1;
    m_notBeforeSecs = -1;
    m_tick->stop();
    m_countdown->clear();
    m_roleCheck->clear();
    m_connect->setEnabled(!text.isEmpty());
    if (text.isEmpty()) {
        m_decoded->clear();
        m_validity->clear();
        Q_EMIT validityChanged(QString());
        return;
    }
    const QList<QByteArray> parts = m_token.split('.');
    const auto claims = jwt::decodeClaimsUnverified(m_token);
    if (parts.size() != 3 || !claims) {
        m_decoded->clear();
        showOutcome(m_validity, Outcome::Failure, tr("Not a JWT (expected header.claims.signature)."));
        Q_EMIT validityChanged(m_validity->text());
        return;
    }
    QString out = tr("Header") + u":\n"_s +
                  QString::fromUtf8(
                      QJsonDocument::fromJson(base64UrlDecode(parts.at(0))).toJson(QJsonDocument::Indented)) +
                  tr("Claims") + u":\n"_s +
                  QString::fromUtf8(QJsonDocument(*claims).toJson(QJsonDocument::Indented));
    for (const QString &name : {u"iat"_s, u"nbf"_s, u"exp"_s}) {
        if (claims->contains(name))
            out += name + u": "_s + localTime(claims->value(name).toVariant().toLongLong()) + u'\n';
    }
    m_decoded->setPlainText(out);
    m_claims = *claims;

    if (claims->contains(u"exp"_s))
        m_expiresAtSecs = claims->value(u"exp"_s).toVariant().toLongLong();
    if (claims->contains(u"nbf"_s))
        m_notBeforeSecs = claims->value(u"nbf"_s).toVariant().toLongLong();

    // Roles that grant nothing (a literal group role with a '*', an unknown permission ...).
    QStringList roles;
    const QJsonValue role = claims->value(u"role"_s);
    if (role.isString())
        roles << role.toString();
    for (const QJsonValue &r : role.toArray())
        roles << r.toString();
    QStringList problems;
    for (const auto &problem : wps::tokencheck::checkRoles(roles))
        problems << tr("Role %1 grants nothing: %2.").arg(problem.role, problem.reason);
    if (!problems.isEmpty())
        showOutcome(m_roleCheck, Outcome::Failure, problems.join(u'\n'));

    evaluate();
    if (m_expiresAtSecs >= 0 || m_notBeforeSecs >= 0) {
        m_tick->start();
        updateCountdown();
    }
}

QUrl TokenPanel::targetClientUrl() const
{
    if (!m_inspectedUrl.isEmpty()) {
        QUrl url = m_inspectedUrl;
        url.setQuery(QString());
        return url;
    }
    if (m_session && m_session->state() == ConsoleSession::State::Connected &&
        !m_session->endpoint().isEmpty())
        return wps::tokencheck::clientUrlFor(m_session->endpoint(), m_hub->text().trimmed());
    return {};
}

void TokenPanel::evaluate()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // Decided here, on the same clock as the countdown: at 0:00:00 the token is expired.
    const bool expired = m_expiresAtSecs >= 0 && m_expiresAtSecs <= now;
    const bool early = m_notBeforeSecs >= 0 && m_notBeforeSecs > now;
    m_evaluatedExpired = expired;
    m_evaluatedEarly = early;

    QString audience;
    bool audienceOk = true;
    if (const QUrl target = targetClientUrl(); !target.isEmpty()) {
        const auto verdict = wps::tokencheck::checkClientAudience(jwt::audiences(m_claims), target);
        audienceOk = verdict.ok;
        if (!verdict.ok)
            audience = verdict.message;
    }
    auto show = [this, &audience](Outcome outcome, const QString &text) {
        showOutcome(m_validity, audience.isEmpty() ? outcome : Outcome::Failure,
                    audience.isEmpty() ? text : text + u' ' + audience);
    };

    if (m_session && m_session->connectionString() && m_session->connectionString()->hasAccessKey()) {
        jwt::VerifyOptions options;
        options.clockSkewSeconds = 0;
        const auto verified =
            jwt::verifyHs256(m_token, {m_session->connectionString()->accessKey().toUtf8()}, options);
        if (verified && expired)
            show(Outcome::Failure, tr("Expired (signature checked: it is this connection's key)."));
        else if (verified && early)
            show(Outcome::Failure, tr("Not yet valid (nbf is in the future)."));
        else if (verified)
            show(Outcome::Success, audienceOk
                                       ? tr("Valid: signed with this connection's access key.")
                                       : tr("Signed with this connection's access key, but not for this "
                                            "URL."));
        else if (verified.error().kind == jwt::VerifyError::Kind::Expired)
            show(Outcome::Failure, tr("Expired (signature checked: it is this connection's key)."));
        else if (verified.error().kind == jwt::VerifyError::Kind::NotYetValid)
            show(Outcome::Failure, tr("Not yet valid (nbf is in the future)."));
        else if (verified.error().kind == jwt::VerifyError::Kind::BadSignature)
            show(Outcome::Failure,
                 tr("Invalid signature: not signed with this connection's access key (forged or another "
                    "resource's)."));
        else
            show(Outcome::Failure, verified.error().message);
    } else {
        const QString unverified = tr("Signature not verified (this connection has no access key).");
        if (expired)
            show(Outcome::Failure, tr("Expired.") + u' ' + unverified);
        else if (early)
            show(Outcome::Failure, tr("Not yet valid.") + u' ' + unverified);
        else
            show(Outcome::Neutral, unverified);
    }
    Q_EMIT validityChanged(m_validity->text());
}

void TokenPanel::updateCountdown()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // The verdict follows the clock while the token is on screen: expired turns it red, nbf passing green.
    if ((m_expiresAtSecs >= 0 && m_expiresAtSecs <= now && !m_evaluatedExpired) ||
        (m_notBeforeSecs >= 0 && m_notBeforeSecs <= now && m_evaluatedEarly))
        evaluate();
    if (m_expiresAtSecs < 0) {
        m_countdown->clear();
        if (!m_evaluatedEarly)
            m_tick->stop();
        return;
    }
    const qint64 left = m_expiresAtSecs - now;
    if (left <= 0) {
        m_countdown->setText(tr("expired %1").arg(localTime(m_expiresAtSecs)));
        m_tick->stop();
        return;
    }
    m_countdown->setText(tr("%1:%2:%3 (at %4)")
                             .arg(left / 3600)
                             .arg((left / 60) % 60, 2, 10, QLatin1Char('0'))
                             .arg(left % 60, 2, 10, QLatin1Char('0'))
                             .arg(localTime(m_expiresAtSecs)));
}

QString TokenPanel::connectResultText() const
{
    return m_connectResult->text();
}

QString TokenPanel::roleCheckText() const
{
    return m_roleCheck->text();
}

} // namespace wps::ui
