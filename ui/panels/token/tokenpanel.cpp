#include "panels/token/tokenpanel.h"

#include "protocol/clienttoken.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

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
} // namespace

TokenPanel::TokenPanel(QWidget *parent)
    : QWidget(parent)
    , m_hub(new QLineEdit(QStringLiteral("chat"), this))
    , m_userId(new QLineEdit(this))
    , m_roles(new QLineEdit(this))
    , m_groups(new QLineEdit(this))
    , m_minutes(new QSpinBox(this))
    , m_protocol(new QComboBox(this))
    , m_generate(new QPushButton(tr("Generate"), this))
    , m_hint(new QLabel(this))
    , m_url(new QLineEdit(this))
    , m_copyUrl(new QPushButton(tr("Copy URL"), this))
    , m_claims(new QPlainTextEdit(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("Client tokens"), this);
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    heading->setFont(font);
    layout->addWidget(heading);
    auto *intro = new QLabel(tr("Sign a client access token with the access key, as the SDKs' "
                                "getClientAccessToken() does. Nothing is sent to the service."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_hub->setObjectName(QStringLiteral("hub"));
    m_userId->setObjectName(QStringLiteral("userId"));
    m_userId->setPlaceholderText(tr("anonymous"));
    m_roles->setObjectName(QStringLiteral("roles"));
    m_roles->setPlaceholderText(tr("e.g. webpubsub.joinLeaveGroup.room1, webpubsub.sendToGroup.room1"));
    m_groups->setObjectName(QStringLiteral("groups"));
    m_groups->setPlaceholderText(tr("groups joined on connect, comma-separated"));
    m_minutes->setRange(1, 60 * 24 * 365);
    m_minutes->setValue(60);
    m_minutes->setSuffix(tr(" min"));
    m_protocol->addItem(tr("Web PubSub (default)"), QVariant::fromValue(int(ClientProtocol::Default)));
    m_protocol->addItem(tr("MQTT"), QVariant::fromValue(int(ClientProtocol::Mqtt)));
    m_protocol->addItem(tr("Socket.IO"), QVariant::fromValue(int(ClientProtocol::SocketIo)));

    auto *form = new QFormLayout();
    form->addRow(tr("Hub"), m_hub);
    form->addRow(tr("User ID"), m_userId);
    form->addRow(tr("Roles"), m_roles);
    form->addRow(tr("Groups"), m_groups);
    form->addRow(tr("Lifetime"), m_minutes);
    form->addRow(tr("Client protocol"), m_protocol);
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout();
    buttons->addWidget(m_generate);
    buttons->addWidget(m_hint, 1);
    layout->addLayout(buttons);

    m_url->setObjectName(QStringLiteral("clientUrl"));
    m_url->setReadOnly(true);
    auto *urlRow = new QHBoxLayout();
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_copyUrl);
    auto *result = new QFormLayout();
    result->addRow(tr("Client URL"), urlRow);
    m_claims->setReadOnly(true);
    m_claims->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    result->addRow(tr("Claims"), m_claims);
    layout->addLayout(result, 1);

    m_generate->setEnabled(false);
    m_copyUrl->setEnabled(false);
    m_hint->setWordWrap(true);
    connect(m_generate, &QPushButton::clicked, this, [this] { generate(); });
    connect(m_copyUrl, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_url->text()); });
}

void TokenPanel::setConnection(const wps::ConnectionString &connection)
{
    m_connection = connection;
    m_generate->setEnabled(connection.hasAccessKey());
    m_hint->setText(connection.hasAccessKey()
                        ? QString()
                        : tr("This connection has no access key: client tokens come from the service's "
                             ":generateToken operation instead."));
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
    if (problem.isEmpty() && !m_connection.hasAccessKey())
        problem = tr("No access key to sign with.");
    if (!problem.isEmpty()) {
        m_hint->setStyleSheet(QStringLiteral("color: #a4262c;"));
        m_hint->setText(problem);
        return false;
    }
    ClientTokenOptions options;
    options.userId = m_userId->text().trimmed();
    options.roles = splitList(m_roles->text());
    options.groups = groups;
    options.lifetime = std::chrono::minutes(m_minutes->value());
    options.protocol = static_cast<ClientProtocol>(m_protocol->currentData().toInt());
    const ClientAccess access = makeClientAccess(m_connection, hub, options);
    m_url->setText(access.url.toString(QUrl::FullyEncoded));
    m_copyUrl->setEnabled(true);
    if (auto claims = jwt::decodeClaimsUnverified(access.token))
        m_claims->setPlainText(QString::fromUtf8(QJsonDocument(*claims).toJson(QJsonDocument::Indented)));
    m_hint->setStyleSheet(QString());
    m_hint->setText(tr("Valid until %1 (UTC).").arg(access.expiresAt.toString(Qt::ISODate)));
    return true;
}

QString TokenPanel::clientUrl() const
{
    return m_url->text();
}

QString TokenPanel::claimsText() const
{
    return m_claims->toPlainText();
}

} // namespace wps::ui
