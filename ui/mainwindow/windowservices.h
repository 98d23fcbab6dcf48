#pragma once

#include <QString>

namespace wps::profiles {
class ProfileStore;
}
namespace wps::secrets {
class FallbackSecretStore;
}

namespace wps::ui {

class LocalService;
class ProfileConnector;

/// What the application gives every window it opens: the parts of the console that outlive a window and
/// are shared by all of them. Every member is optional (null or empty: the window goes without that part);
/// whatever is set must outlive the windows.
struct WindowServices
{
    /// The local emulator: Connection > Use the local emulator, its status in the status bar, and what a
    /// window opens when it has neither a connection string nor a profile.
    LocalService *local = nullptr;
    /// The saved profiles and what opens them. With both set the window is the whole console: it has the
    /// Profiles and Hubs pages and opens profiles (OpenTarget::profileId) through the connector.
    wps::profiles::ProfileStore *profiles = nullptr;
    ProfileConnector *connector = nullptr;
    /// The store behind the profiles' secrets: the Profiles page's "Keep for this session only" switches it
    /// to session-only storage.
    wps::secrets::FallbackSecretStore *secrets = nullptr;
    /// Where the Trace dock keeps the last traces (offered under Trace > Import); empty: none are kept.
    QString traceHistoryDirectory;
};

} // namespace wps::ui
