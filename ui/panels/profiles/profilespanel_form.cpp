// ProfilesPanel's profile form: showing a profile in it, reading it back, the fields each kind of
// authentication uses, and the secret field that masks a connection string's AccessKey. The panel's
// construction, list actions and session state are in profilespanel.cpp.
#include "panels/common/formutil.h"
#include "panels/common/jobaction.h"
#include "panels/profiles/profilespanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

using wps::profiles::AuthKind;
using wps::profiles::Profile;

void ProfilesPanel::showProfile(const Profile &profile)
{
    m_currentId = profile.id;
    m_name->setText(profile.name);
    m_endpoint->setText(profile.endpoint.toString(QUrl::RemoveUserInfo));
    m_auth->setCurrentIndex(m_auth->findData(int(profile.auth)));
    m_revealSecret->setChecked(false);
    setSecretText(QString());
    m_tenant->setText(profile.tenantId);
    m_clientId->setText(profile.clientId);
    m_hubs->setText(profile.hubs.join(u", "_s));
    m_status->clear();
    m_testResult->clear();
    m_sessionOnly->setVisible(false);
    const bool saved = !profile.id.isEmpty();
    m_duplicate->setEnabled(saved);
    m_remove->setEnabled(saved && !profile.isBuiltIn());
    m_export->setEnabled(saved);
    m_open->setEnabled(saved);
    m_openNew->setEnabled(saved);
    // The built-in profile's kind is fixed, and its endpoint is the running emulator's (its real port).
    m_auth->setEnabled(!profile.isBuiltIn());
    m_endpoint->setReadOnly(profile.isBuiltIn());
    if (profile.isBuiltIn())
        updateLocalEndpoint();
    updateAuthFields();
}

void ProfilesPanel::updateAuthFields()
{
    const auto kind = AuthKind(m_auth->currentData().toInt());
    const bool local = kind == AuthKind::LocalEmulator;
    const bool entra = kind == AuthKind::EntraId;
    m_secret->setEnabled(!local);
    m_tenant->setEnabled(entra);
    m_clientId->setEnabled(entra);
    switch (kind) {
    case AuthKind::AccessKey:
        m_secretLabel->setText(tr("Access key"));
        m_secret->setPlaceholderText(tr("Kept in the secret store; leave empty to keep the stored key"));
        break;
    case AuthKind::ConnectionString:
        m_secretLabel->setText(tr("Connection string"));
        m_secret->setPlaceholderText(tr("Endpoint=...;AccessKey=...; (the key goes to the secret store)"));
        break;
    case AuthKind::EntraId:
        m_secretLabel->setText(tr("Client secret"));
        m_secret->setPlaceholderText(tr("Optional; otherwise Azure CLI, managed identity, ..."));
        break;
    case AuthKind::LocalEmulator:
        m_secretLabel->setText(tr("Access key"));
        m_secret->setPlaceholderText(tr("Taken from the running emulator"));
        break;
    }
    showSecret();
}

namespace {

const QString kKeyMask = QString(8, QChar(0x2022));

/// Where the AccessKey value of connection string \a text is: [first, second); first < 0 when there is none.
std::pair<qsizetype, qsizetype> accessKeySpan(const QString &text)
{
    static const QRegularExpression re(u"(?:^|;)\\s*AccessKey\\s*=([^;]*)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = re.match(text);
    if (!match.hasMatch())
        return {-1, -1};
    return {match.capturedStart(1), match.capturedEnd(1)};
}

QString maskAccessKey(const QString &text)
{
    const auto [start, end] = accessKeySpan(text);
    if (start < 0 || start == end)
        return text;
    return text.left(start) + kKeyMask + text.mid(end);
}

} // namespace

void ProfilesPanel::setSecretText(const QString &text)
{
    m_secretValue = text;
    showSecret();
}

void ProfilesPanel::showSecret()
{
    const bool connectionString = AuthKind(m_auth->currentData().toInt()) == AuthKind::ConnectionString;
    const bool reveal = m_revealSecret->isChecked();
    m_secret->setEchoMode(connectionString || reveal ? QLineEdit::Normal : QLineEdit::Password);
    const QString shown = connectionString && !reveal ? maskAccessKey(m_secretValue) : m_secretValue;
    if (m_secret->text() != shown) {
        m_showingSecret = true;
        m_secret->setText(shown);
        m_showingSecret = false;
    }
}

void ProfilesPanel::onSecretChanged(const QString &text)
{
    if (m_showingSecret)
        return;
    const bool masked =
        AuthKind(m_auth->currentData().toInt()) == AuthKind::ConnectionString && !m_revealSecret->isChecked();
    if (!masked) {
        m_secretValue = text;
        return;
    }
    // The field showed the connection string with its key masked and the user edited it: an untouched mask
    // stands for the key already there, text typed before or after it extends that key, a new key replaces
    // it.
    QString value = text;
    const auto [start, end] = accessKeySpan(text);
    if (start >= 0) {
        const auto [oldStart, oldEnd] = accessKeySpan(m_secretValue);
        const QString oldKey = oldStart >= 0 ? m_secretValue.mid(oldStart, oldEnd - oldStart) : QString();
        QString key = text.mid(start, end - start);
        if (key == kKeyMask)
            key = oldKey;
        else if (key.startsWith(kKeyMask))
            key = oldKey + key.mid(kKeyMask.size());
        else if (key.endsWith(kKeyMask))
            key = key.left(key.size() - kKeyMask.size()) + oldKey;
        else
            key.remove(QChar(0x2022)); // part of the mask deleted: the rest is what the user typed
        value = text.left(start) + key + text.mid(end);
    }
    m_secretValue = value;
    const int cursor = m_secret->cursorPosition();
    showSecret();
    m_secret->setCursorPosition(std::min<int>(cursor, int(m_secret->text().size())));
}

Profile ProfilesPanel::formProfile() const
{
    Profile p;
    if (!m_currentId.isEmpty() && m_store) {
        if (auto stored = m_store->profile(m_currentId))
            p = *stored;
    }
    p.id = m_currentId;
    p.name = m_name->text().trimmed();
    p.endpoint = QUrl(m_endpoint->text().trimmed());
    p.auth = AuthKind(m_auth->currentData().toInt());
    p.tenantId = m_tenant->text().trimmed();
    p.clientId = m_clientId->text().trimmed();
    p.hubs = splitList(m_hubs->text());
    if (p.auth == AuthKind::ConnectionString && secretText().contains(u'=')) {
        if (auto parsed = wps::ConnectionString::parse(secretText().trimmed()))
            p.endpoint = parsed->endpoint();
    }
    return p;
}

} // namespace wps::ui
