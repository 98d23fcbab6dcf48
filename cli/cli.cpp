#include "cli/cli.h"

#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "cli/command.h"
#include "cli/stopsignals.h"
#include "protocol/names.h"
#include "service/serviceclient.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

using service::ServiceClient;
using service::ServiceError;

/// One run's state. Declaration order is destruction order reversed: what the run created (owner's
/// children: listen sessions, recorders, the Entra chain) goes first, then the client, then the context.
struct Cli::Run
{
    Invocation args;
    std::unique_ptr<Context> context;
    std::optional<ConnectionString> connection;
    QUrl entraEndpoint;
    QString hub;
    std::shared_ptr<const service::Credential> entraCredential;
    std::unique_ptr<ServiceClient> client;
    std::unique_ptr<QObject> owner = std::make_unique<QObject>();
    bool done = false;
    bool handlesSignals = false;
};

Cli::Cli(QIODevice *in, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_in(in)
    , m_out(out)
    , m_err(err)
    , m_environment(QProcessEnvironment::systemEnvironment())
{
}

Cli::~Cli()
{
    if (m_run && m_run->handlesSignals)
        restoreStopSignals();
}

void Cli::start(const QStringList &args)
{
    if (m_running)
        return;
    m_running = true;
    m_run.reset(); // the last run's objects go before the next one starts
    m_run = std::make_unique<Run>();
    if (const int exitCode = begin(args); exitCode >= 0)
        finish(exitCode);
}

void Cli::interrupt()
{
    if (m_running && m_run && m_run->context && m_run->context->onInterrupt)
        m_run->context->onInterrupt();
}

/// Parses and finds the command; returns an exit code, or -1 when the run goes on asynchronously.
int Cli::begin(const QStringList &args)
{
    Invocation &invocation = m_run->args;
    if (!invocation.parse(args))
        return Output(m_out, m_err, invocation.jsonWanted(), {}).usage(invocation.errorText());
    if (invocation.isSet(u"version"_s)) {
        writeText(m_out, u"webpubsub "_s + QCoreApplication::applicationVersion() + u"\n"_s);
        return kExitOk;
    }
    const QString name = invocation.command();
    const bool helpAsked = invocation.isSet(u"help"_s);
    if (helpAsked || name == u"help" || name.isEmpty()) {
        writeText(m_out, invocation.usageText());
        return name.isEmpty() && !helpAsked ? kExitUsage : kExitOk;
    }
    m_run->context = std::make_unique<Context>(invocation, Output(m_out, m_err, invocation.json(), name));
    m_run->context->in = m_in;
    m_run->context->owner = m_run->owner.get();
    m_run->context->finish = [this](int exitCode) { finish(exitCode); };
    const Output &out = m_run->context->out;
    const Command *command = findCommand(name);
    if (!command)
        return out.usage(looksSecret(name) ? u"unknown command (not shown: it looks like it holds an access "
                                             "key or token)."_s
                                           : u"unknown command '%1'."_s.arg(name));
    if (invocation.positional().size() > 1 && !command->takesPositionals)
        return out.usage(strayArgumentMessage(invocation.positional().at(1)));
    if (command->offline && command->offline(invocation)) {
        if (const QString problem = command->validate ? command->validate(invocation) : QString();
            !problem.isEmpty())
            return out.usage(problem);
        dispatch(*command);
        return -1;
    }
    return setUpConnection(*command);
}

/// The connection options (a connection string, or --endpoint for Entra ID), the hub, the client options
/// and the command's own validation: every usage error before anything is sent.
int Cli::setUpConnection(const Command &command)
{
    const Invocation &args = m_run->args;
    const Output &out = m_run->context->out;
    if (args.isSet(u"endpoint"_s)) {
        if (args.isSet(u"connection-string"_s))
            return out.usage(u"use either --endpoint (Entra ID) or --connection-string, not both."_s);
        const QUrl endpoint(args.value(u"endpoint"_s), QUrl::StrictMode);
        if (!endpoint.isValid() || endpoint.host().isEmpty() ||
            (endpoint.scheme() != u"https"_s && endpoint.scheme() != u"http"_s))
            return out.usage(
                u"--endpoint needs an http(s) URL such as https://<name>.webpubsub.azure.com."_s);
        m_run->entraEndpoint = endpoint;
    } else {
        QString text = args.value(u"connection-string"_s);
        if (text.isEmpty())
            text = m_environment.value(u"WEBPUBSUB_CONNECTION_STRING"_s);
        if (text.isEmpty())
            return out.usage(u"no connection string: use --connection-string or WEBPUBSUB_CONNECTION_STRING "
                             u"(or --endpoint for Entra ID)."_s);
        auto parsed = ConnectionString::parse(text);
        if (!parsed)
            return out.usage(parsed.error()); // never contains the key
        m_run->connection = *parsed;
    }
    m_run->hub = args.value(u"hub"_s);
    if (m_run->hub.isEmpty())
        m_run->hub = m_environment.value(u"AZURE_WEBPUBSUB_HUB"_s);
    if (command.needsHub && m_run->hub.isEmpty())
        return out.usage(u"no hub: use --hub or AZURE_WEBPUBSUB_HUB."_s);
    if (const QString problem = command.needsHub ? names::checkHub(m_run->hub) : QString();
        !problem.isEmpty())
        return out.usage(u"hub '%1': %2"_s.arg(m_run->hub.left(140), problem));
    std::optional<std::chrono::milliseconds> timeout;
    if (!args.timeout(&timeout))
        return out.usage(u"--timeout needs a positive number of seconds."_s);
    std::optional<int> retries;
    if (!args.intValue(u"retries"_s, &retries) || (retries && *retries < 0))
        return out.usage(u"--retries needs a number >= 0."_s);
    if (const QString problem = command.validate ? command.validate(args) : QString(); !problem.isEmpty())
        return out.usage(problem);
    return makeClient(command);
}

/// The service client: at once with a key; with Entra ID once the credential chain has its first token
/// (ServiceClient asks its credential synchronously).
int Cli::makeClient(const Command &command)
{
    const Invocation &args = m_run->args;
    auto configure = [&args](ServiceClient &client) {
        service::ServiceClientOptions options = client.options();
        std::optional<std::chrono::milliseconds> timeout;
        if (args.timeout(&timeout) && timeout)
            options.timeout = *timeout;
        std::optional<int> retries;
        if (args.intValue(u"retries"_s, &retries) && retries)
            options.retry.maxRetries = *retries;
        client.setOptions(options);
    };
    if (m_run->connection) {
        m_run->client = std::make_unique<ServiceClient>(*m_run->connection, m_run->hub);
        configure(*m_run->client);
        dispatch(command);
        return -1;
    }
    auto chain = auth::CredentialChain::create(auth::AuthEnvironment::fromProcess(), {}, m_run->owner.get());
    if (!chain)
        return m_run->context->out.usage(chain.error());
    (*chain)->setAutoRefresh(true);
    auth::TokenRequest *first = (*chain)->getToken(QString::fromUtf16(auth::DataPlaneScope));
    auth::CredentialChain *credentialChain = *chain;
    connect(first, &auth::TokenRequest::finished, m_run->owner.get(),
            [this, first, credentialChain, configure, &command] {
                if (!first->result().ok()) {
                    ServiceError error;
                    error.kind = ServiceError::Kind::Network;
                    error.message = first->result().reason;
                    error.target = u"Entra ID"_s;
                    finish(m_run->context->out.error(error));
                    return;
                }
                m_run->entraCredential = std::make_shared<auth::EntraCredential>(credentialChain);
                m_run->client =
                    std::make_unique<ServiceClient>(m_run->entraEndpoint, m_run->hub, m_run->entraCredential);
                configure(*m_run->client);
                dispatch(command);
            });
    return -1;
}

void Cli::dispatch(const Command &command)
{
    Context &context = *m_run->context;
    context.client = m_run->client.get();
    context.connection = m_run->connection;
    context.credential = m_run->entraCredential.get();
    if (command.interruptible && m_handleStopSignals) {
        handleStopSignals(m_run->owner.get(), [this] { interrupt(); });
        m_run->handlesSignals = true;
    }
    if (command.run) {
        command.run(context);
        return;
    }
    const Command::Present present = command.present ? command.present : presentStatus;
    context.runJob(command.job(context),
                   [&context, present](service::ServiceJob *job) { return present(context, job); });
}

void Cli::finish(int exitCode)
{
    if (!m_running || !m_run || m_run->done)
        return;
    m_run->done = true;
    if (m_run->handlesSignals) {
        restoreStopSignals();
        m_run->handlesSignals = false;
    }
    QMetaObject::invokeMethod(
        this,
        [this, exitCode] {
            m_running = false;
            Q_EMIT finished(exitCode);
        },
        Qt::QueuedConnection);
}

} // namespace wps::cli
