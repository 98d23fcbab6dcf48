#pragma once

#include "arm/armclient.h"
#include "arm/armmodels.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace wps::auth {
class CredentialChain;
}

namespace wps::arm {

/// The Azure Resource Manager side of one Web PubSub service (docs/arm.md, "Hub directory"): which
/// credential ARM is asked with, which resource the service is (subscriptions -> webPubSub resources -> the
/// one whose hostName is the service's host), which hubs it has settings for, and the calls on them. No
/// widgets: the Hubs panel is a view over it, and the session attaches its client's traces.
///
/// One code path for the emulator and Azure: a loopback endpoint serves ARM itself (base URL = the
/// endpoint), any other endpoint uses https://management.azure.com. The credential is the connection's
/// access key for a loopback endpoint that has one (the emulator accepts it), else a management token from
/// the connection's Entra chain, else from a chain built from the process environment.
///
/// Every refusal is reported: a subscription that cannot be read is named in the outcome, so "403 on every
/// subscription" says so instead of "no resource".
class HubDirectory : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,        ///< no service, or not asked yet
        Authorizing, ///< getting a management token
        Discovering, ///< looking for the service's resource
        Listing,     ///< reading the resource's hub settings
        Ready,       ///< the resource and its hubs are known
        Failed       ///< the last refresh failed; statusText() says why
    };
    Q_ENUM(State)

    explicit HubDirectory(QObject *parent = nullptr);
    ~HubDirectory() override;

    /// Overrides the ArmClient options (tests shrink timeouts); the base URL is still chosen here.
    void setArmOptions(const ArmClientOptions &options);

    /// Works on the service at \a endpoint. \a accessKey may be empty; \a chain (the connection's Entra
    /// chain, not owned) may be null. The same service again (same endpoint, key and chain) keeps what was
    /// found; another one forgets it. Sends nothing: refresh() does.
    void setService(const QUrl &endpoint, const QString &accessKey, wps::auth::CredentialChain *chain);
    /// No service: forgets the client and what it found.
    void clear();

    /// Finds the resource when not known yet, then lists its hubs; hubsLoaded() follows.
    void refresh();

    State state() const { return m_state; }
    /// What the directory is doing, or why it failed, in words for the user.
    QString statusText() const { return m_statusText; }
    /// The ARM client in use; null before the first refresh and when there is no service.
    ArmClient *client() const { return m_client; }
    /// The ARM id of the service's resource; empty until discovery found it.
    QString resourceId() const { return m_resourceId; }
    /// The hub settings the resource has, as last listed.
    QList<HubSettings> hubs() const { return m_hubs; }
    /// The subscriptions the last discovery could not read, each with ARM's reason.
    QStringList refusals() const { return m_refusals; }

    /// The settings of \a hub; a hub without settings (404) is not an error: found() is false and the
    /// settings are the defaults. Null while resourceId() is empty.
    HubJob *readHub(const QString &hub);
    /// Read-modify-write of \a hub's settings: reads what the service has (defaults when nothing), applies
    /// \a edit, and PUTs the result, so fields the caller does not know survive. Null while resourceId() is
    /// empty.
    HubJob *updateHub(const QString &hub, std::function<void(HubSettings &)> edit);
    KeysJob *listKeys();
    KeysJob *regenerateKey(KeyType type);

Q_SIGNALS:
    void stateChanged(wps::arm::HubDirectory::State state, const QString &text);
    /// A new ArmClient was made (or the old one dropped: null); the session feeds its traces.
    void clientChanged(wps::arm::ArmClient *client);
    /// A refresh ended: \a error is empty on success.
    void hubsLoaded(const QString &error);
    /// The resource's hub list changed after a successful updateHub() (a new hub may be listed).
    void hubsChanged();

private:
    void setState(State state, const QString &text);
    void fail(const QString &text);
    void setupClient(quint64 generation);
    void makeClient(std::shared_ptr<const service::Credential> credential);
    void discover(quint64 generation);
    void listResources(quint64 generation, QStringList subscriptions, int total);
    void loadHubs(quint64 generation);
    bool matches(const WebPubSubResource &resource) const;

    std::optional<ArmClientOptions> m_options;
    QUrl m_endpoint;
    QString m_accessKey;
    QPointer<wps::auth::CredentialChain> m_chain;
    QPointer<wps::auth::CredentialChain> m_ownChain;
    QPointer<ArmClient> m_client;
    QString m_resourceId;
    QList<HubSettings> m_hubs;
    QStringList m_refusals;
    State m_state = State::Idle;
    QString m_statusText;
    quint64 m_generation = 0;
};

} // namespace wps::arm
