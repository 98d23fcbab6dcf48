#pragma once

#include <QLoggingCategory>

// Internal: the one logging category of the secret stores. Logs key names and outcomes, never secrets.
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
