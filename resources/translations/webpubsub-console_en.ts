<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>QDialog</name>
    <message>
        <source>Confirm: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no hub)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1?

Hub: %2
Resource: %3

This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the hub name (%1) to confirm:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
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
    <message>
        <source>%1 body cut to %2 of %3 bytes by the capture limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary body, base64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No response was recorded for this request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no HTTP answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No HTTP answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service&apos;s live trace: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket of a live client; the upgrade&apos;s headers are not captured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service never answered on this socket (no frame received).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n frame(s) cut to the capture limit</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>no WebSocket frame from the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) that are not a request with its response (the service&apos;s live-trace log records, answers whose request is not selected)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n frame or lifecycle row(s) of sockets whose upgrade is not in the selection</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Exported from the Web PubSub Console trace: one entry per HTTP request and response the console made or the service reported, one per live-client WebSocket. Secrets are redacted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out: %1. The JSON Lines export keeps every row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is not open for writing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the file failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The HAR file is not open for reading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The HAR file is not valid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a HAR file (no log.entries).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAR entry %1 has no request method or URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… %n more byte(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>protobuf (service message)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protobuf (client request)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary (see Hex)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JWT claims (not verified):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> + JWT</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
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
    <message>
        <source>Run the documentation&apos;s scripted session (the demo, with traffic) and save its pictures in this directory, then quit (scripts/screenshots).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps</name>
    <message>
        <source>The connection string names &apos;Endpoint&apos; twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection string names &apos;AccessKey&apos; twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection string names &apos;Port&apos; twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection string has no &apos;Endpoint=&apos; part.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection string has no &apos;AccessKey=&apos; part.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; must use http or https, not &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; must use http or https.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; has no scheme and &apos;%1&apos; is not a full host name: write the whole URL, e.g. https://&lt;name&gt;.webpubsub.azure.com, or http://localhost:8080 for a local service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; has no scheme and is not a full host name: write the whole URL, e.g. https://&lt;name&gt;.webpubsub.azure.com, or http://localhost:8080 for a local service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; is not a valid URL:%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; must not have a query or fragment:%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Endpoint&apos; must not contain user information.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Port&apos; must be a number from 1 to 65535, not &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;Port&apos; must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ConnectionString</name>
    <message>
        <source>The connection string is empty.</source>
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
    <name>wps::arm</name>
    <message>
        <source>&apos;%1&apos; is not a Web PubSub resource id (/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.SignalRService/webPubSub/{name}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every event handler needs a URL template.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::arm::ArmClient</name>
    <message>
        <source>subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A subscription id is needed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::arm::ArmJob</name>
    <message>
        <source>The operation&apos;s status URL points to another host; not following it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operation ended with status %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operation did not finish within %1 polls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Azure Resource Manager refused the credentials (401). Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signed-in identity may not do this (403).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found (404).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Azure Resource Manager answered %1 without an error description.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::arm::ArmListJob</name>
    <message>
        <source>The listing is not a JSON object with a &apos;value&apos; array.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::arm::HubDirectory</name>
    <message>
        <source>Not connected.</source>
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
        <source>The signed-in identity sees no subscription, so no Web PubSub resource with host %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Could not read the Web PubSub resources of any of your %n subscription(s): %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No Web PubSub resource with host %1 in the subscriptions that could be read; %2 of %3 refused: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No Web PubSub resource with host %1 in your %n subscription(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>subscription %1: %2</source>
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
</context>
<context>
    <name>wps::arm::HubJob</name>
    <message>
        <source>The hub setting is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::arm::KeysJob</name>
    <message>
        <source>The keys answer is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth</name>
    <message>
        <source>AZURE_AUTHORITY_HOST is not a valid URL: &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AZURE_AUTHORITY_HOST must use https (http only for loopback): &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AZURE_TOKEN_CREDENTIALS names %1, which this tool does not support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AZURE_TOKEN_CREDENTIALS has the invalid value &apos;%1&apos;; use prod, dev or one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token response has no access_token or expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the identity platform did not answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; was not found on PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; did not finish within %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; could not be started: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not logged in; run &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; exited with code %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Entra ID credential is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Entra ID token for %1 is available yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::AzureCliCredential</name>
    <message>
        <source>could not read the output of &apos;az&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::AzureDeveloperCliCredential</name>
    <message>
        <source>could not read the output of &apos;azd&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::ClientCertificate</name>
    <message>
        <source>cannot read the certificate file &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate file &apos;%1&apos; has no PEM certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate file &apos;%1&apos; has no private key, or its password is wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate file &apos;%1&apos; is neither PEM nor PKCS#12</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open the PKCS#12 file &apos;%1&apos;: wrong password, or no key and certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the private key in &apos;%1&apos; does not belong to its certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key in &apos;%1&apos; is not an RSA key (RS256 client assertions need one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot encode the certificate of &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signing the client assertion failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::ClientCertificateCredential</name>
    <message>
        <source>AZURE_TENANT_ID is not a valid tenant ID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::ClientSecretCredential</name>
    <message>
        <source>AZURE_TENANT_ID is not a valid tenant ID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::CredentialChain</name>
    <message>
        <source>No credential is enabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Entra ID credential could get a token for %1:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::EnvironmentCredential</name>
    <message>
        <source>environment variables are not fully configured (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH are needed)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::ManagedIdentityCredential</name>
    <message>
        <source>IDENTITY_ENDPOINT is not a valid http(s) URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the App Service identity endpoint did not answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AZURE_POD_IDENTITY_AUTHORITY_HOST is not a valid URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IMDS at 169.254.169.254 is not probed because WPS_NO_IMDS is set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no IMDS endpoint answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IMDS has no managed identity for this request (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::auth::WorkloadIdentityCredential</name>
    <message>
        <source>not configured (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AZURE_TENANT_ID is not a valid tenant ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the federated token file &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::cloudevents</name>
    <message>
        <source>The field %1 is not an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field %1.%2 holds a non-string value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field %1.%2 is not a string array.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field %1 is not an array.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field %1 holds a non-string value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A required CloudEvents header (ce-type, ce-hub, ce-connectionId, ce-id) is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ce-type header is not a Web PubSub event type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ce-id header is not a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect body is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect response is larger than 16 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect response is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect response&apos;s userId is not a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect response names an invalid group: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect response selects a subprotocol the client did not offer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connect response&apos;s subprotocol is not a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event handler answered with status %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event handler&apos;s answer is larger than 16 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event handler&apos;s JSON answer is not valid JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event handler answered with an unsupported Content-Type.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::filter</name>
    <message>
        <source>null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a collection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::filter::Binder</name>
    <message>
        <source>the filter must be a boolean expression, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type error at position %1 in %2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; needs boolean operands, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown identifier &apos;%1&apos; at position %2 in %3. A filter can use userId, connectionId, groups and protocol.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown function &apos;%1&apos; at position %2 in %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 or %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The function &apos;%1&apos; at position %2 in %3 takes %4 argument(s), not %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>argument %1 of &apos;%2&apos; must be %3, not %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot compare a collection; use &apos;in&apos; or length() with groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot compare with null; only eq and ne can</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; needs two strings or two numbers, not %2 and %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot compare %2 with %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the left side of &apos;in&apos; must be a value, not a collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only strings can be in groups, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the right side of &apos;in&apos; must be groups or a list in parentheses, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;in&apos; cannot compare %1 with %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::filter::Expression</name>
    <message>
        <source>The filter is too long: %1 characters, at most %2 are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter is empty.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::filter::Parser</name>
    <message>
        <source>Syntax error at position %1 in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expression expected at position %1 in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is an unterminated string literal at position %1 in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number at position %1 in %2 is out of range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syntax error: character &apos;%1&apos; is not valid at position %2 in %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter is nested too deeply at position %1 in %2: at most %3 levels of parentheses, &apos;not&apos; and function calls are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter has too many clauses at position %1 in %2: at most %3 comparisons, &apos;in&apos; tests and string tests are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;)&apos; or &apos;,&apos; expected at position %1 in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;)&apos; or operator expected at position %1 in %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::jsontext::Cursor</name>
    <message>
        <source>%1 at offset %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::jwt</name>
    <message>
        <source>The token is not valid base64url.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token does not contain a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No access token was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token is not a JWT (header.payload.signature).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token&apos;s header is malformed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token must be signed with HS256, not &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token&apos;s payload is malformed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token&apos;s signature is malformed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token&apos;s signature is invalid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token has no &apos;exp&apos; claim.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token expired at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token is not valid yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text is not a JWT (header.payload.signature).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::live::HandshakeProbe</name>
    <message>
        <source>No answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service closed the connection without an answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer&apos;s headers are too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::live::LiveClient</name>
    <message>
        <source>the service rejected the connection request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the access token was refused (missing, invalid, expired or made for another hub)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection is forbidden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no hub endpoint at this URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the service wants another WebSocket version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many connections or requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the service could not accept the connection (a connect event handler that fails gives this)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the service refused the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::messages</name>
    <message>
        <source>The text payload is not valid Unicode (it holds a lone surrogate or invalid UTF-8).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The JSON payload is not a single valid JSON value: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group name is not valid Unicode (it holds a lone surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event name is not valid Unicode (it holds a lone surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stream id is not valid Unicode (it holds a lone surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sendToGroup that opens a stream carries no data: send it with streamData.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sendToGroup that opens a stream carries no ackId: the service answers it with streamAck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The invocation id is not valid Unicode (it holds a lone surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The invocation id is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown invocation target &apos;%1&apos;: only &apos;event&apos; is supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;event&apos; is required for an invocation of target &apos;event&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown dataType: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;data&apos; is not a valid JSON value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;data&apos; must be a string when dataType is text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;data&apos; must be a base64 string when dataType is %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;data&apos; is not valid base64.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown dataType.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a non-negative integer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is larger than 1 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is not valid JSON: %1 at offset %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is required and must be a non-empty string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;noEcho&apos; must be true or false.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;stream&apos; must be an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;streamSequenceId&apos; is required with &apos;data&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;error&apos; must be an object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;error.message&apos; and &apos;error.userErrorCode&apos; must be strings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;target&apos; must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;event&apos; must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A stream message needs &apos;stream.streamId&apos; and &apos;stream.streamSequenceId&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;expectedSequenceId&apos; is required and must be a non-negative integer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::messages::json</name>
    <message>
        <source>&apos;sequenceId&apos; is required and must be a non-negative integer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message has no &apos;type&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown message type &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An ack without a valid &apos;ackId&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::messages::protobuf</name>
    <message>
        <source>The message has no data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;group&apos; is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;group&apos; is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;stream.stream_id&apos; is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;stream.stream_id&apos; is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;stream_id&apos; is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;stream_id&apos; is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;stream_sequence_id&apos; is required with &apos;data&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;error&apos; is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;event&apos; is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;event&apos; is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;invocationId&apos; is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;invocationId&apos; is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is not a valid protobuf UpstreamMessage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message has no known request type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is not a valid protobuf DownstreamMessage.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::mqtt</name>
    <message>
        <source>MQTT 3.1 (MQIsdp) is not supported: use 3.1.1 or 5.0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The protocol name is &apos;%1&apos;, not &apos;MQTT&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol level %1 is not supported: use 4 (3.1.1) or 5 (5.0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reserved connect flag is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will QoS or Will Retain is set without a will.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The will QoS is 3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT 3.1.1 does not allow a password without a user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reserved CONNACK flags are set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PUBLISH QoS is 3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A QoS 0 PUBLISH has the DUP flag set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PUBLISH topic must not contain &apos;+&apos; or &apos;#&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The packet identifier is 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SUBSCRIBE must carry at least one topic filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A subscription asks for QoS 3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reserved subscription option bits are set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An UNSUBSCRIBE must carry at least one topic filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The remaining length (%1) does not match the %2 bytes that follow the fixed header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packet type %1 is reserved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 fixed header has invalid flags 0x%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 packet has %2 unexpected bytes at its end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The packet is larger than MQTT allows (268,435,455 bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The will QoS must be 0, 1 or 2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PUBLISH QoS must be 0, 1 or 2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PubAck must be PUBACK, PUBREC, PUBREL or PUBCOMP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SUBSCRIBE needs at least one topic filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An UNSUBSCRIBE needs at least one topic filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AUTH exists only in MQTT 5.0.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::mqtt::Decoder</name>
    <message>
        <source>The remaining length is longer than 4 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A packet of %1 bytes is larger than the limit of %2 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::mqtt::detail</name>
    <message>
        <source>Unknown property identifier 0x%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The property %1 is not allowed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The property %1 appears more than once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Subscription Identifier of 0 is not allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The property %1 has the invalid value %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The property %1 must not be 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The property length runs past the end of the packet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::mqtt::detail::Reader</name>
    <message>
        <source>The packet ends inside its %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A variable byte integer (%1) is longer than 4 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 is not valid UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 contains the character U+0000.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::mqtt::detail::Writer</name>
    <message>
        <source>A variable byte integer is larger than 268,435,455.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A string or binary field is longer than 65,535 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::names</name>
    <message>
        <source>The hub name is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid hub name. A hub name starts with a letter and has at most 128 letters, digits and the characters _ ` , . [ ].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid group name. Valid group name should be in between 1 and 1024 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid group name. The name is not valid Unicode (it holds a lone surrogate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user ID is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection ID is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown permission &apos;%1&apos;. Use sendToGroup or joinLeaveGroup.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::profiles</name>
    <message>
        <source>There is no such profile.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::profiles::Profile</name>
    <message>
        <source>Local emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile name is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile name contains control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint must be an http:// or https:// address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint must not contain user information, a query or a fragment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A profile remembers at most %1 hubs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tenant id is not a GUID or domain name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client id is not a GUID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not an exported Web PubSub console profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile was exported by a newer version (format version %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;hubs&apos; must be a list of hub names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;auth&apos; must be AccessKey, ConnectionString, EntraId or LocalEmulator.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::profiles::ProfileStore</name>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in profile cannot be removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEBPUBSUB_CONNECTION_STRING is not set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile file is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::secrets</name>
    <message>
        <source>No system keychain is available; secrets can only be kept for this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secret is stored for this profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::secrets::FallbackSecretStore</name>
    <message>
        <source>Session only (memory)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::secrets::KeychainSecretStore</name>
    <message>
        <source>the keychain needs the GLib event dispatcher (is QT_NO_GLIB set?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain did not answer in time; it may be locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a stored secret read back differently</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::secrets::MemorySecretStore</name>
    <message>
        <source>No secret is stored for this profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session only (memory)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service</name>
    <message>
        <source>No access key is configured for this connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>messageTtlSeconds must be from 0 to 300, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An excluded connection ID is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least one group is needed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::ConnectionProbe</name>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unauthorized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misconfigured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint is not a usable URL (expected https://&lt;name&gt;.webpubsub.azure.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service is not healthy: HTTP %1 from /api/health.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint answered HTTP %1 to /api/health: it does not look like a Web PubSub service endpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service failed the authenticated read: HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service refused the authenticated read: HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::HandlerCheck</name>
    <message>
        <source>&quot;%1&quot; is not an http(s) URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No origin to send: connect to a service first (its host is the origin).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: nothing accepts connections at %1 (%2). Is the handler running, and reachable from the service?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: the TLS handshake failed (%1). The service needs a certificate it trusts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: the handler did not answer within %1 s; the service gives up too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered HTTP %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: %1, a redirect to %2. The service does not follow redirects: configure the final URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no Location)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: %1; the check needs a 2xx answer carrying WebHook-Allowed-Origin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: %1 without a WebHook-Allowed-Origin header. The handler must answer the OPTIONS request with WebHook-Allowed-Origin: %2 (or *).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passes: %1 with WebHook-Allowed-Origin: %2, which allows %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: WebHook-Allowed-Origin is the list &quot;%1&quot;; the service needs one value, %2 or *.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fails: WebHook-Allowed-Origin is &quot;%1&quot;, not this service&apos;s origin %2 (or *).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no answer: %1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::HttpJob</name>
    <message>
        <source>The call was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client that made this call was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer within %2 ms (attempt %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not talk to %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The listing&apos;s nextLink points to another host; not following it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The listing has more than %1 pages; stopped following nextLink.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::ListConnectionsJob</name>
    <message>
        <source>The service&apos;s listing is not a JSON object with a &apos;value&apos; array.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::ServiceClient</name>
    <message>
        <source>%1 does not take excluded connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not take a filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message has no content type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hub &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maxpagesize must be from 1 to 200, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>top must be at least 1, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minutesToExpire must be at least 1, not %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A role is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making a client token locally needs an access key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token lifetime must be at least one minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service health</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::ServiceJob</name>
    <message>
        <source>The service refused the credentials (%1). Check the access key, and that this computer&apos;s clock is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service answered %1, but this call expects %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service answered %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service answered %1 without an error description.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::TokenJob</name>
    <message>
        <source>The service answered without a token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::service::UpstreamReplay</name>
    <message>
        <source>no answer within %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::tokencheck</name>
    <message>
        <source>not a Web PubSub role (roles start with webpubsub.): it grants nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the group pattern is empty: it grants nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a group pattern may hold at most five &apos;*&apos;: the service refuses it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the group is empty: it grants nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a literal group role: it covers only the group named &quot;%1&quot;, &apos;*&apos; and &apos;?&apos; are not wildcards here. For a pattern use %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no group pattern after %1: it grants nothing (%1.&lt;pattern&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a role the service knows (webpubsub.joinLeaveGroup, webpubsub.sendToGroup, with .&lt;group&gt; or s.&lt;pattern&gt;): it grants nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token has no audience (aud): the service will answer 401.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audience matches %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service will answer 401: this token is for hub %1, not %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service will answer 401: this token is for %1, not %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service will answer 401: the audience %1 does not match %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::trace</name>
    <message>
        <source>This string is not closed: add a &apos;&quot;&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; needs to be doubled: &apos;%1%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 byte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (ack %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joins %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 leaves %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent to group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledges messages up to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep-alive %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ack %1: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ack %1: duplicate (already done)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ack %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>message from group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>message from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected (connection %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected as %1 (connection %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (presence event not delivered: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (presence event, no answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>presence event: %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handler %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (presence event → %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handler answered %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answered %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed with code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> [payload cut, %1 on the wire]</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::trace::Binder</name>
    <message>
        <source>Invalid regular expression: %1 (at character %2 of the pattern)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown field &apos;%1&apos; (fields: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be used with %2 (use %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 takes a number, not &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown kind &apos;%1&apos; (kinds: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir is in, out or none, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>source is console or service, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::trace::LiveTraceClient</name>
    <message>
        <source>The live trace went silent; reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection string has no access key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credential for the live trace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No token source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot make a live trace token: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live trace refused the access token (HTTP %1): check the access key or the role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live trace connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live trace sent a malformed message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live trace refused the handshake: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live trace closed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection refused with HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered to 1 connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered to %1 connections</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::trace::Parser</name>
    <message>
        <source>This &apos;)&apos; has no matching &apos;(&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected &apos;and&apos;, &apos;or&apos; or the end, found &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter is too long (at most %1 terms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter is nested too deeply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected &apos;)&apos; to close the &apos;(&apos; at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected a value after &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter ends too early: a comparison is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; needs a field name before it (for example status%1400)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected &apos;)&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected &apos;%1&apos;: a comparison is missing before it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::trace::TraceModel</name>
    <message>
        <source>Seen by the console and in the service&apos;s live trace: %1</source>
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
    <message>
        <source>Hub</source>
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
    <message>
        <source>Every connection the console has seen (its own live clients, group listings, live-trace events): what was observed, since the service cannot list them all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection “%1” is in hub “%2”, not “%3”: choose hub “%2” to close it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close connection “%1”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ConsoleSession</name>
    <message>
        <source>Not connected to a Web PubSub service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No access key and no Entra ID credential.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening %1 was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answers again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::DemoChatDelegate</name>
    <message>
        <source>%1 → user event “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>echo handler → %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seq %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::DemoChatModel</name>
    <message>
        <source>1 message lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 messages lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reconnected — %2, seq %3→%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (seq %3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 → event %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>echo handler %1 → %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::DemoPanel</name>
    <message>
        <source>Start demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
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
        <source>Clients: %1 of %2 connected  ·  Messages: %3 sent, %4 received  ·  Echo replies: %5  ·  Recoveries: %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A small chat on the local emulator that gives every panel something to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Six live clients in two groups chat, a user event is answered by the emulator&apos;s echo handler, and a reliable client loses its socket and recovers without losing a message. Stop leaves nothing behind (hub &quot;%1&quot; gets its settings back).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the chat page</source>
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
    <message>
        <source>(service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s socket dropped at seq %2; recovering the reliable connection...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 recovered the same connection (recovery %2); the next message&apos;s sequence id shows whether any was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s user event was not acknowledged: %2</source>
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
    <message>
        <source>Group presence</source>
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
    <name>wps::ui::GroupStreamsWidget</name>
    <message>
        <source>end with an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream to group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chunks to send, separated by &apos;|&apos;: each becomes one streamData fragment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End with streamEnd carrying an error: receivers see it as UserError</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a group stream from the selected client, send the chunks and end it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group streams the panel&apos;s clients received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the client that publishes the stream first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A raw WebSocket client cannot stream: spawn a json or protobuf client.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: opening stream %2 to %3…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended with an error from the Live clients panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: stream %2 sent %n fragment(s), ending…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: stream %2 fragment refused (%3: %4), the service expects %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: stream %2 closed after %n fragment(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: stream %2 failed: %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 ← %2 from %3 in %4: %n fragment(s), %5 bytes, %6</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(no user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stream %1 in %2 ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stream %1 in %2 failed: %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::GroupsPanel</name>
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
    <message>
        <source>Put connections and users in groups and take them out, check what exists, and close connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove connection %1 from all groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close every connection of user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close every connection in group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close every connection of the hub</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::HandlerCheckBox</name>
    <message>
        <source>Validate handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https://example.com/api/{hub}/{event}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebHook-Request-Origin: the service&apos;s host, as the service sends it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the abuse-protection OPTIONS request the service sends before any event, and explain the answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was sent and answered appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handler URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending OPTIONS %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::HttpMessageView</name>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON indented for reading; keys keep their order and numbers their digits</source>
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
        <source>Health: OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of hub &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not configured on the service: defaults apply (deny anonymous, no handlers). Saving creates the setting.</source>
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
        <source>Key regenerated. Connections using the old key must be updated (edit the profile).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hubs of the service: their settings, event handlers and access keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signs in with Microsoft Entra ID: it uses neither key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses an access key; load the keys to see which.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses the primary key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses the secondary key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses a key that is neither of these (regenerated since?): edit the profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate the primary key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate the secondary key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::InvokeBox</name>
    <message>
        <source>The user event whose handler answers the invocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binary (base64)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without an answer by then the invocation fails and is cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the event&apos;s handler from each selected client and wait for its answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoke event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to cancel: the selected clients wait for no answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the event to invoke.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data is not one JSON value: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data is not base64.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a client first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>invoke %1: waiting for %n answer(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
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
    <name>wps::ui::LiveClientsModel</name>
    <message>
        <source>Stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · seq %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub</source>
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
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n client(s): %1 connected, %2 connecting, %3 recovering, %4 reconnecting, %5 stopped</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wps::ui::LiveClientsPanel</name>
    <message>
        <source>WebSocket clients the console runs itself: spawn them, join groups, send, drop their sockets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a client to see what it sent and received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} becomes the client&apos;s number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw WebSocket (no subprotocol)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>joined on connect, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Abort the TCP connection as a network failure would: reliable clients recover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>join %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>send to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>socket dropped on purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dropped from the Live clients panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removed %n stopped client(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: ok (Duplicate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (ackId %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 clients in this panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Starting %n client(s) on hub “%1”…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select one or more clients first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n client(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
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
        <source>Live clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
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
        <source>Profile: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Not connected</source>
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
    <message>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hubs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web PubSub service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Presentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger fonts across the window, for a projector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User guide — Web PubSub Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;The user guide is not installed&lt;/h3&gt;&lt;p&gt;It is looked for as &lt;code&gt;share/webpubsub-console/help/%1&lt;/code&gt; next to the application (%2). Reinstall the package, or build the &lt;code&gt;wps_user_guide&lt;/code&gt; target.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection string (no saved profile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Checking the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Still on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1.</source>
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
    <message>
        <source>Accepted by the service (HTTP %1); waiting for its delivery report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent (accepted by the service; delivery not reported).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent (accepted by the service; the service did not report a delivery count).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted, but delivered to 0 connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered to 1 connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered to %1 connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking that connection %1 is in hub “%2”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: could not check connection %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: connection %1 is not connected to hub “%2” — it is on another hub, or it has closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  → connection %2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::MqttClientsForm</name>
    <message>
        <source>Clean start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT 3.1.1 / 5.0 clients on /clients/mqtt/hubs/&lt;hub&gt;: topics are groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client ID is the connection ID: 1 to 128 letters and digits; {n} becomes the client&apos;s number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT 3.1.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT 5.0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topics to subscribe, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QoS 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QoS 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: the service keeps the session (subscriptions, QoS 1 messages) for up to 30 s after the connection drops, and a client with the same ID resumes it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>will topic (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>will message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spawn MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages the MQTT clients receive appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 MQTT clients here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will topic “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Starting %n MQTT client(s) on hub “%1”…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT client %1 connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected, session resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot subscribe to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused (MQTT 3.1.1 gives no reason; the token may lack webpubsub.joinLeaveGroup)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: PUBLISH %2 acknowledged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: PUBLISH refused: %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT client %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an MQTT client first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published to %1 (QoS 0: no acknowledgement).</source>
        <translation type="unfinished"></translation>
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
    <message>
        <source>The service this window works on: its endpoint, REST and client URLs, and connection string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;code&gt;webpubsub --endpoint %1 --hub chat send-to-all --text hello&lt;/code&gt; (signed in with Entra ID as the console is).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;code&gt;webpubsub --hub chat send-to-all --text hello&lt;/code&gt; (with the connection string in &lt;code&gt;WEBPUBSUB_CONNECTION_STRING&lt;/code&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Next steps&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Client tokens&lt;/b&gt;: sign a client URL for a user, roles and groups, and open it with any WebSocket client or Web PubSub SDK.&lt;/li&gt;&lt;li&gt;From a terminal, the same operations as the REST API: %1&lt;/li&gt;&lt;li&gt;Any official SDK works against this endpoint; the JavaScript service SDK needs &lt;code&gt;allowInsecureConnection: true&lt;/code&gt; for http.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: this connection signs in with Microsoft Entra ID, no access key is used</source>
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
    <message>
        <source>own client token (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection “%1” does not exist on this hub (closed, or never connected): nothing to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection “%1” exists; checking %2…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::PresenceEditor</name>
    <message>
        <source>joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a &quot;joined&quot; event when a connection joins a matching group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a &quot;left&quot; event when a connection leaves a matching group, also when it closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group filters, comma separated (room*, lobby); empty: every group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patterns: * is any run of characters except &apos;.&apos;, ** any run, ? one character except &apos;.&apos;; names are case-sensitive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group presence events of the selected handler:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of every group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group filter “%1” is not a valid pattern: a backslash may only escape \, * or ?.</source>
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
        <source>This profile has no stored key: edit the profile and enter it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no profile with this id.</source>
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
    <message>
        <source>No keychain is available on this computer to read this profile&apos;s secret. Keep secrets for this session only and enter the key again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to profile &quot;%1&quot;…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ProfileListModel</name>
    <message>
        <source>The local emulator, started on demand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local emulator at %1</source>
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
    <message>
        <source>Saved connections to Web PubSub services; their keys stay in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the access key or secret in full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop connecting: the window stays on the connection it has</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secrets are kept in memory for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In use: %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No profile is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(still on %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chosen when the local emulator starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available on this computer (no secret service is running), so the secret was not saved. Keep it in memory for this session only? It is never written to a file, and you will be asked for it again next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved; the secret is kept in memory for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::RateChart</name>
    <message>
        <source>in /s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out /s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::ReplayDialog</name>
    <message>
        <source>Send again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay %1 to the event handler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the trace holds no answer for this request)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new answer appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers (ce-signature is made afresh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replayed answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trace kept only part of the body: complete it before sending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This connection has no access key: the request goes without a fresh ce-signature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an http(s) URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no answer: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The handler answered HTTP %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out (redacted in the trace): %1.</source>
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
        <source>anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group for the &lt;group&gt; roles</source>
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
    <message>
        <source>Connect with this URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a client access URL as the SDKs&apos; getClientAccessToken() does (signed with the access key, or by the service for Entra connections) and decode any token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more roles, comma-separated, e.g. webpubsub.sendToGroups.room*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this URL (or this token on the current hub) as a live client, as the customer&apos;s client would: the handshake&apos;s answer shows here, the client in the Live clients dock and the trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role %1 grants nothing: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed with this connection&apos;s access key, but not for this URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a client URL or a token first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: paste a whole client URL (wss://…/client/hubs/&lt;hub&gt;?access_token=…), or connect to the service the token is for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pasted URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: connection %1, user %2. It is in the Live clients dock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(anonymous)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting an MQTT client to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: MQTT client %1. It is in the Live clients dock, under MQTT clients.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::TracePanel</name>
    <message>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep-alives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretty JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the console sent and received and what the service reported, in time order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze the list; events are still captured and appear on resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest row in view; scrolling up to read stops following until you scroll back to the bottom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show keep-alive frames (ping, pong, sequenceAck)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a row with a correlation id first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Related to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a row to see its payload.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indent JSON for reading. Only the view changes: keys keep their order and numbers their digits, and Copy and the exports use the bytes as sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected row&apos;s body (or frame) exactly as it was sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied %n byte(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Time:        %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind:        %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type:        %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub:         </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection:  </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User:        </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group:       </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:      </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration:    </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:        </source>
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
        <source> (payload cut)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correlation: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail:      </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>[truncated, %n byte(s) in all]</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The request is not in the trace (cleared or evicted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No response recorded (yet).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No HTTP answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This row names no handler URL to send to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (re-importable)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAR 1.2 (HTTP exchanges and WebSockets)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trace sessions and HAR files (*.jsonl *.har);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none yet: the trace is kept when a window closes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 KB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n record(s) to %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n record(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show related</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the rows that share the selected row&apos;s correlation id (a request and its response, a frame and its ack, a connection&apos;s lifecycle)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the selected event-handler request again (optionally edited, with a fresh ce-signature) and see the answer beside the original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display filter: status&gt;=400, user==alice and group==room1, kind==upstream, text~&quot;timeout&quot; …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wireshark-style display filter (Enter applies). Fields: %1. Kinds: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Treat the field as one regular expression instead of a display filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved display filters: save the current one, apply or delete one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save current filter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid regular expression: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display filter (Enter applies). Fields: %1. Kinds: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (at character %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the filter “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wps::ui::WelcomePanel</name>
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
    <message>
        <source>Start here: the Web PubSub Console on the local emulator or on an Azure hub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the %1 at %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the %2 at %3 — %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
