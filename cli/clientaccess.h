#pragma once

#include "protocol/clienttoken.h"

#include <functional>

namespace wps::cli {

struct Context;

/// The client access (token and URL) for --user, --role and --group of \a context: signed here with the
/// access key when \a local, else made by the service's `:generateToken` (the only way with Entra ID).
/// \a lifetimeMinutes: the token's lifetime, or the default (60). Calls \a done with the access, or ends
/// the run with the error.
void makeClientAccess(Context &context, bool local, ClientProtocol protocol,
                      std::optional<int> lifetimeMinutes,
                      const std::function<void(const ClientAccess &)> &done);

} // namespace wps::cli
