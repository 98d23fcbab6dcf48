#pragma once

#include <QLoggingCategory>

// Internal: the one logging category of the live clients, "wps.live" (never logs tokens or URLs with them).
Q_DECLARE_LOGGING_CATEGORY(lcLive)
