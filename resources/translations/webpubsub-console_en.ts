<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>QObject</name>
    <message>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (request id %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“name” is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“target” must be one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“content” must be one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“excluded” must be an array of connection ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“messageTtlSeconds” must be a whole number from 0 to 300</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hubs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web PubSub service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop console for Azure Web PubSub. Without options it opens the local emulator (on first run with a short welcome); --profile opens a saved profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the saved profile with this name (or id).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the local emulator (ignores saved profiles).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to this Web PubSub service instead of a profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work on this hub (default: chat).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this panel first (its id or number).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of the window once connected, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No saved profile is named &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--connection-string is not a valid connection string: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No panel &quot;%1&quot;; panels: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::app::EmbeddedLocalService</name>
    <message>
        <source>Emulator stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emulator starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emulator on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emulator running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emulator failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ConnectionInventoryModel</name>
    <message>
        <source>own client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list in group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>live trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ConnectionsPanel</name>
    <message>
        <source>Close connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every connection the console has seen: its own live clients, members listed in groups, and live-trace events. The service cannot list all connections, so this is what was observed, not everything that exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>filter by connection, user or group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional reason sent to the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Closed connection “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to connection “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection “%1” exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection “%1” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ConsoleSession</name>
    <message>
        <source>Not connected to a Web PubSub service.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::DemoPanel</name>
    <message>
        <source>&lt;b&gt;Demo&lt;/b&gt;&lt;br&gt;Runs a small chat on the local emulator: six live clients in two groups exchange messages, one user event is answered by the emulator&apos;s echo handler, and one reliable client loses its socket every few seconds and recovers. Watch the Trace and the charts while it runs. Stop leaves nothing behind: the clients go and hub &quot;%1&quot; gets its settings back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat page:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the demo does appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to the local emulator to run the demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running on hub &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(available while the demo runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients: %1 of %2 connected  ·  Messages: %3 sent, %4 received  ·  Echo replies: %5  ·  Recoveries: %6</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::DemoScenario</name>
    <message>
        <source>The demo runs on the local emulator: connect to it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pointing hub &quot;%1&quot; at the emulator&apos;s echo handler...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read hub &quot;%1&quot; over ARM (the demo needs the emulator): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not set hub &quot;%1&quot;&apos;s event handler: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub &quot;%1&quot; sends user event &quot;echo&quot; to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No client URL for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No demo client could be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started %1 clients in groups %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connected; joining %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The echo handler answered %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s socket dropped; recovering the reliable connection...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 recovered without losing messages (recovery %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropping %1&apos;s socket to show recovery.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the demo...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not restore hub &quot;%1&quot;&apos;s settings: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub &quot;%1&quot;&apos;s settings are restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo stopped.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::EffectivePermissionsModel</name>
    <message>
        <source>(every group)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::EventHandlerModel</name>
    <message>
        <source>URL template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System events</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::GroupMembersModel</name>
    <message>
        <source>(no user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User ID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::GroupsPanel</name>
    <message>
        <source>Groups, users, connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add connection to group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection %1 added to group %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove connection from group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection %1 removed from group %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove connection from all groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection %1 removed from all groups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user to group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User %1 added to group %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove user from group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User %1 removed from group %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove user from all groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User %1 removed from all groups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Many connections by filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OData filter; empty for every connection of the hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connections matching the filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed %1 from %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exists?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections in the group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason, sent to the clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection %1 closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close user&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections of user %1 closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close group&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections in group %1 closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every connection of the hub closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(a newer listing replaced this one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) in group %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>; more may follow (+%1 this page).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; that is all.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::HubListModel</name>
    <message>
        <source>%1 (current)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configured on the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used before; no settings on the service (defaults apply)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::HubSelector</name>
    <message>
        <source>The hub the Messaging, Groups and Permissions panels work on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::HubsPanel</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another hub name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the selected (or typed) hub the one every panel works on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hubs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a hub to see its settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow anonymous clients (no access token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event handlers ({hub} and {event} are filled in by the service):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate primary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate secondary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients and tokens signed with the old primary key stop working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients and tokens signed with the old secondary key stop working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Primary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secondary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health: checking...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health: OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub settings need Azure Resource Manager access: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Getting a management token...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the service&apos;s resource...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscriptions: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Web PubSub resource with host %1 in your subscriptions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading hub settings...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hubs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Resource %1: %n hub(s) configured on the service.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Settings of hub &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not configured on the service: defaults apply (deny anonymous, no handlers). Saving creates the setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created the settings of hub &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the settings of hub &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not loaded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading keys...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerating...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key regenerated. Connections using the old key must be updated (edit the profile).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::JobAction</name>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: the connection or hub changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::MainWindow</name>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messaging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups &amp; users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One timeline of every request, frame and event.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect clients with any Web PubSub subprotocol, join groups, send and watch messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live connections with their users, groups and permissions; send to and close a connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open profile in new window…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import connection string from clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Docks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the &amp;local emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Web PubSub Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the local emulator…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local emulator did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web PubSub Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 — Web PubSub Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard does not hold a Web PubSub connection string: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection string from the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Web PubSub Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Web PubSub Console %1&lt;/h3&gt;&lt;p&gt;A desktop console and local emulator for Azure Web PubSub.&lt;/p&gt;&lt;p&gt;Qt %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::MessagingPanel</name>
    <message>
        <source>Pretty-print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messaging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a message through the service&apos;s REST API, as an app server does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text (text/plain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (application/json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Binary (application/octet-stream)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection ids, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OData filter, e.g. userId eq &apos;alice&apos; or &apos;room1&apos; in groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message TTL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every connection of the hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hex bytes, e.g. 48 65 6c 6c 6f</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{&quot;text&quot;: &quot;hello&quot;}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hello</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not JSON: %1 at byte %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not hex: use pairs of 0-9 and a-f.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Valid filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a file as binary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than %2 KiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body is not JSON: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body is not hex.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1  → %2  %3, %n byte(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Accepted (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved payloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept in the settings file, not the keychain: do not save secrets here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the form (target, content and options) under a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import payloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export payloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a saved payload first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is too large for a payload library.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n payload(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n payload(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wps::ui::OverviewPanel</name>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REST API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Next steps&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Client tokens&lt;/b&gt;: sign a client URL for a user, roles and groups, and open it with any WebSocket client or Web PubSub SDK.&lt;/li&gt;&lt;li&gt;From a terminal, the same operations as the REST API: &lt;code&gt;webpubsub --hub chat send-to-all --text hello&lt;/code&gt; (with the connection string in &lt;code&gt;WEBPUBSUB_CONNECTION_STRING&lt;/code&gt;).&lt;/li&gt;&lt;li&gt;Any official SDK works against this endpoint; the JavaScript service SDK needs &lt;code&gt;allowInsecureConnection: true&lt;/code&gt; for http.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the connection string, access key included, to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the %1. Everything in this console speaks the service&apos;s own protocols, so it works the same against a Web PubSub resource in Azure.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::PayloadLibrary</name>
    <message numerus="yes">
        <source>%1 %2 · %3 · %n character(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Give the payload a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The body is too large to keep in the library.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library holds at most %1 payloads; delete some first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not JSON: %1 at byte %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a payload library (format is not “%1”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsupported payload library version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload %1: the body is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library would hold more than %1 payloads.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::PermissionsPanel</name>
    <message>
        <source>Grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a connection may do in a group beyond the roles of its token: join and leave it (joinLeaveGroup), send to it (sendToGroup).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective permissions of the connection above (all connections when it is empty): its token&apos;s roles when known, and every grant, revoke and check made here. The latest fact wins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste the connection&apos;s token or client URL to add its roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the connection the token belongs to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token (pasted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a JWT or a client URL with access_token=.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the token&apos;s roles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 for connection “%2” in group “%3”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granted %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Has %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does not have %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no roles)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::PlaceholderPanel</name>
    <message>
        <source>This panel is not available in this build yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ProfileConnector</name>
    <message>
        <source>The profile&apos;s endpoint or key is not usable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available to read this profile&apos;s secret (%1). Keep secrets for this session only and enter the key again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile has no stored key: edit the profile and enter it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no profile with this id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to profile &quot;%1&quot;...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This window has no local emulator to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local emulator did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the access key to connect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entra ID is not usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Entra ID token: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ProfileListModel</name>
    <message>
        <source>The local emulator, started on demand</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ProfilesPanel</name>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import from clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a profile from a connection string on the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import from environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a profile from WEBPUBSUB_CONNECTION_STRING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entra ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant id (optional: the environment&apos;s otherwise)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client id (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chat, notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hubs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the profile as JSON, without its secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in new window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep secrets for this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secrets are kept for this session only. Save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept in the secret store; leave empty to keep the stored key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint=...;AccessKey=...; (the key goes to the secret store)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional; otherwise Azure CLI, managed identity, ...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken from the running emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available, so the secret was not stored (%1). Keep it for this session only? It is never written to a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the secret...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved; the secret is in the secret store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicated as &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed, with its secrets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported &quot;%1&quot;; the key is in the secret store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1 (without the secret).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health probe failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health OK (HTTP %1), but the authenticated call failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection OK: health HTTP %1; authenticated call on hub &quot;%2&quot; HTTP %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (request id %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::TokenPanel</name>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a client access URL as the SDKs&apos; getClientAccessToken() does: signed locally with the access key, or by the service (:generateToken) for Microsoft Entra connections. Paste any token below to decode it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group for the &lt;group&gt; roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more roles, comma-separated, e.g. webpubsub.sendToGroup.room*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups joined on connect, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web PubSub (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Socket.IO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifetime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no URL yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The QR code of the URL appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste a JWT or a client URL with access_token=</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This connection has no access key: client tokens come from the service&apos;s :generateToken operation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens are signed locally with the access key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the group for the &lt;group&gt; roles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the service (:generateToken)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made by the service (:generateToken).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed locally with the access key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid until %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URL is too long for a QR code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a JWT (expected header.claims.signature).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid: signed with this connection&apos;s access key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired (signature checked: it is this connection&apos;s key).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet valid (nbf is in the future).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid signature: not signed with this connection&apos;s access key (forged or another resource&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature not verified (this connection has no access key).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2:%3 (at %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without a group suffix a role covers every group; &lt;group&gt; stands for the group named below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT decoder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::WelcomePanel</name>
    <message>
        <source>Welcome to the Web PubSub Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Azure hub.&lt;/b&gt; To inspect a real resource (&lt;tt&gt;https://&amp;lt;name&amp;gt;.webpubsub.azure.com&lt;/tt&gt;), add a profile with its connection string, access key or Entra ID. Every panel then works the same way on it; keys are kept in the system keychain, never in plain settings.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Messaging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an Azure hub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live clients in two groups chatting on the local emulator, so every panel has something to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the %1 at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Local emulator.&lt;/b&gt; Unless you choose another service, the console runs a Web PubSub emulator on this machine (127.0.0.1). It speaks the same REST API and client protocols as the Azure service, needs no account and keeps nothing: use it to learn, to demo and to test your application offline.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
